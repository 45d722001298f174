/**
 * `flowscope demo --workspace <file> [--records N]`: a new workspace filled with realistic generated flow
 * logs (one file per day, custom format with a header, as S3 delivery writes them), imported through the
 * same path as any other file.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FORMAT } from '../../../queries/catalog/fields';
import { FlowscopeError } from '../../engine/errors';
import { writeFlowLogFile } from '../../engine/ingest/generator';
import { requireWorkspace, withEngine, workspaceOption, write, type Command } from '../command';
import { importJob } from './import';

const DAYS = 3;
const FIRST_DAY = Date.UTC(2026, 2, 2) / 1000;
const DEMO_FIELDS = [
  ...DEFAULT_FORMAT,
  'vpc-id',
  'subnet-id',
  'instance-id',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'region',
  'az-id',
  'flow-direction',
  'traffic-path',
];

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Create a workspace filled with realistic generated flow logs.',
  usage: 'demo --workspace <new-file.duckdb> [--records N]',
  options: { ...workspaceOption, records: { type: 'string' } },
  async run(args, io) {
    const workspace = requireWorkspace(args);
    if (existsSync(workspace))
      throw new FlowscopeError('bad_request', `${workspace} already exists; the demo makes a new workspace.`);
    const records = Number(args.values.records ?? 150_000);
    if (!Number.isInteger(records) || records < DAYS)
      throw new FlowscopeError('bad_request', `--records must be a whole number of at least ${DAYS}.`);

    const dir = await mkdtemp(join(tmpdir(), 'flowscope-demo-'));
    try {
      const files: string[] = [];
      for (let day = 0; day < DAYS; day++) {
        const path = join(dir, `demo-day-${day + 1}.log.gz`);
        const perDay = Math.floor(records / DAYS) + (day < records % DAYS ? 1 : 0);
        await writeFlowLogFile(path, {
          records: perDay,
          gzip: true,
          seed: 2026 + day,
          start: FIRST_DAY + day * 86_400,
          span: 86_400,
          fields: DEMO_FIELDS,
        });
        files.push(path);
      }
      return await withEngine({ workspace, create: true }, async (engine) => {
        const job = await importJob(engine, async () => engine.startImport(files, { source: 'demo' }), io);
        if (job.state !== 'done' || job.summary?.files.some((f) => f.status === 'failed')) {
          throw new FlowscopeError(
            'import_failed',
            `The demo data did not import: ${job.error ?? job.summary?.files.find((f) => f.error)?.error}`,
          );
        }
        const info = await engine.workspaceInfo();
        await write(
          io.out,
          `Demo workspace ${info.path}: ${info.records.toLocaleString('en-US')} records from ${info.timeSpan?.from} to ${info.timeSpan?.to}.\n`,
        );
        return 0;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
