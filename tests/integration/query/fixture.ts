/**
 * A small workspace whose every record is written out here, so that query answers can be computed by hand.
 * Times are offsets in seconds from T0 (2026-03-02T00:00:00Z).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { CellValue, Dialect, Output } from '../../../preload/contract';
import { Engine, type EngineOptions } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { FlowscopeError } from '../../../main/engine/errors';
import { summarizeRecords } from '../../support/summarize-records';

export const T0 = Date.UTC(2026, 2, 2) / 1000;

export type Row = [
  src: string | null,
  dst: string | null,
  sport: number | null,
  dport: number | null,
  proto: number | null,
  packets: number | null,
  bytes: number | null,
  at: number,
  action: string | null,
  status: string,
  eni: string,
  flags?: number | null,
];

export const ROWS: Row[] = [
  ['192.0.2.10', '10.0.0.5', 51000, 443, 6, 10, 1000, 0, 'ACCEPT', 'OK', 'eni-a'],
  ['192.0.2.10', '10.0.0.6', 51001, 22, 6, 5, 500, 60, 'REJECT', 'OK', 'eni-a'],
  ['192.0.2.20', '10.0.0.5', 53, 53, 17, 2, 200, 120, 'ACCEPT', 'OK', 'eni-b'],
  ['198.51.100.7', '10.0.0.5', 40000, 22, 6, 3, 180, 3600, 'REJECT', 'OK', 'eni-b'],
  ['10.0.0.5', '192.0.2.10', 443, 51000, 6, 8, 4000, 3660, 'ACCEPT', 'OK', 'eni-a'],
  ['10.0.0.6', '8.8.8.8', 5353, 53, 17, 1, 80, 7200, 'ACCEPT', 'OK', 'eni-a'],
  [null, null, null, null, null, null, null, 7300, null, 'NODATA', 'eni-d'],
  [null, null, null, null, null, null, null, 7400, null, 'SKIPDATA', 'eni-d'],
  [null, null, null, null, null, null, null, 10800, null, 'SKIPDATA', 'eni-d'],
  [null, null, null, null, null, null, null, 10900, null, 'SKIPDATA', 'eni-d'],
  ['2001:db8::1', '2001:db8::2', 1234, 80, 6, 4, 400, 200, 'ACCEPT', 'OK', 'eni-c'],
  ['2001:db9::1', '2001:db8::2', 1235, 80, 6, 1, 100, 210, 'REJECT', 'OK', 'eni-c'],
  ['192.0.2.255', '10.0.0.7', 1000, 3389, 6, 7, 700, 3700, 'REJECT', 'OK', 'eni-b'],
];

/** A row as the record it stands for: its fields by name, its times in Unix seconds (each lasts 60 s). */
export function recordOf([src, dst, sport, dport, proto, packets, bytes, at, action, status, eni, flags]: Row) {
  const start = T0 + at;
  return { src, dst, sport, dport, proto, packets, bytes, start, end: start + 60, action, status, eni, flags };
}

function ip4(text: string | null): number | null {
  const m = text && /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return m ? ((Number(m[1]) << 24) >>> 0) + Number(m[2]) * 65536 + Number(m[3]) * 256 + Number(m[4]) : null;
}

export interface Fixture {
  engine: Engine;
  dir: string;
  path: string;
  close(): Promise<void>;
}

/** A workspace holding `rows` (by default ROWS) as records of flow-log `version`, each lasting 60 s. */
export async function openFixture(
  options: Omit<EngineOptions, 'workspace'> & { rows?: readonly Row[]; version?: number } = {},
): Promise<Fixture> {
  const { rows = ROWS, version = 2, ...engineOptions } = options;
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-query-'));
  const path = join(dir, 'fixture.duckdb');
  const engine = await Engine.open({ workspace: path, create: true, ...engineOptions });
  await engine.workspace.transaction(async (tx) => {
    for (const r of rows.map(recordOf)) {
      await tx.run(
        `INSERT INTO flow_records (version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, "end", action, log_status, extra,
           start_time, end_time, src_ip4, dst_ip4, import_id)
         VALUES ($15, '123456789012', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $16::INTEGER IS NOT NULL THEN MAP {'tcp-flags': $16::INTEGER::VARCHAR} END, make_timestamp($9::BIGINT * 1000000), make_timestamp($10::BIGINT * 1000000), $13, $14, 0)`,
        [
          r.eni,
          r.src,
          r.dst,
          r.sport,
          r.dport,
          r.proto,
          r.packets,
          r.bytes,
          BigInt(r.start),
          BigInt(r.end),
          r.action,
          r.status,
          ip4(r.src),
          ip4(r.dst),
          version,
          r.flags ?? null,
        ],
      );
    }
  });
  await summarizeRecords(engine.workspace);
  return {
    engine,
    dir,
    path,
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The rows of a Sumo query on `engine`, each an object of its columns. The text before the first `|` is
 * Sumo's scope: a query without one is given `_sourceCategory=vpc`.
 */
export async function sumoRows(
  engine: Engine,
  query: string,
  extra: Record<string, unknown> = {},
): Promise<Record<string, CellValue>[]> {
  const scoped = query.startsWith('_sourceCategory') ? query : `_sourceCategory=vpc | ${query}`;
  const out = (await call(engine, 'query.run', {
    query: scoped,
    dialect: 'sumo',
    pageSize: 1000,
    ...extra,
  })) as Output<'query.run'>;
  return out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!])));
}

/** The query error `query` fails with on `engine` (the test fails when it runs, or fails another way). */
export async function queryError(engine: Engine, dialect: Dialect, query: string): Promise<FlowscopeError> {
  try {
    await call(engine, 'query.run', { query, dialect, pageSize: 10 });
  } catch (err) {
    assert.ok(err instanceof FlowscopeError, String(err));
    assert.equal(err.code, 'query_error', err.message);
    return err;
  }
  assert.fail(`${dialect} query of ${query.length} characters ran: ${query.slice(0, 80)}`);
}
