/**
 * A workspace holding a flow-log file, by default the flow-log sample (`tests/support/flow-log-sample.ts`),
 * imported the way an analyst imports one, with that file's text for the independent reader.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { importFile } from '../../../main/engine/ingest';
import type { Dialect, Output } from '../../../preload/contract';
import { flowLogSampleFile } from '../../support/flow-log-sample';
import { resultRows, type Row } from '../../support/logged-records';

/** A published query with its dashboard variables (`{{src_ip}}`) as a dashboard with nothing chosen fills them: `*`. */
export const filled = (query: string) => query.replace(/\{\{[^}]+\}\}/g, '*');

export interface SampleWorkspace {
  engine: Engine;
  /** The imported file's text. */
  text: string;
  /** Runs a query through the engine (`query.run`) and answers its rows, times as milliseconds. */
  rows(query: string, options?: { dialect?: Dialect; from?: number; to?: number }): Promise<Row[]>;
  close(): Promise<void>;
}

export async function openSampleWorkspace(text = flowLogSampleFile()): Promise<SampleWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-sample-'));
  writeFileSync(join(dir, 'vpc-flow.log'), text);
  const engine = await Engine.open({ workspace: join(dir, 'sample.duckdb'), create: true });
  await importFile(engine.workspace, join(dir, 'vpc-flow.log'), {});
  return {
    engine,
    text,
    async rows(query, options = {}) {
      const iso = (t: number) => new Date(t * 1000).toISOString();
      const out = (await call(engine, 'query.run', {
        query,
        dialect: options.dialect ?? 'sumo',
        pageSize: 10_000,
        ...(options.from !== undefined ? { timeRange: { from: iso(options.from), to: iso(options.to!) } } : {}),
      })) as Output<'query.run'>;
      if (out.rowCount > out.rows.length) throw new Error(`${out.rowCount} rows: more than a page`);
      return resultRows(out.columns, out.rows);
    },
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
