/**
 * The demo workspace: a new workspace filled with realistic generated flow logs (one file per day, custom
 * format with a header, as S3 delivery writes them), imported through the same job as any other file.
 * `flowscope demo` makes one where the user says; the desktop app and `flowscope serve --demo` make the
 * built-in one once, in the user's data folder, then reuse it.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { JobProgress, WorkspaceInfo } from '../../preload/contract';
import { DEFAULT_FORMAT } from '../../queries/catalog/fields';
import { FlowscopeError } from './errors';
import { Engine } from './index';
import { writeFlowLogFile } from './ingest/generator';

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

export const DEMO_RECORDS = 150_000;

export const DEMO_FILE = 'demo.duckdb';

export interface DemoOptions {
  records?: number;
  /** The import's progress, as `job.progress` reports it. */
  onProgress?: (progress: JobProgress) => void;
}

/** Makes a new demo workspace at `path` (never over an existing file) and answers what it holds. */
export async function createDemoWorkspace(path: string, options: DemoOptions = {}): Promise<WorkspaceInfo> {
  if (existsSync(path))
    throw new FlowscopeError('bad_request', `${path} already exists; the demo makes a new workspace.`);
  const records = options.records ?? DEMO_RECORDS;
  if (!Number.isInteger(records) || records < DAYS)
    throw new FlowscopeError(
      'bad_request',
      `The demo's number of records (--records) must be a whole number of at least ${DAYS}.`,
    );

  const dir = await mkdtemp(join(tmpdir(), 'flowscope-demo-'));
  try {
    const files: string[] = [];
    for (let day = 0; day < DAYS; day++) {
      const file = join(dir, `demo-day-${day + 1}.log.gz`);
      const perDay = Math.floor(records / DAYS) + (day < records % DAYS ? 1 : 0);
      await writeFlowLogFile(file, {
        records: perDay,
        gzip: true,
        seed: 2026 + day,
        start: FIRST_DAY + day * 86_400,
        story: { origin: FIRST_DAY },
        span: 86_400,
        fields: DEMO_FIELDS,
      });
      files.push(file);
    }
    const engine = await Engine.open({ workspace: path, create: true });
    try {
      // The only job of this engine, so every progress event is the import's.
      const off = engine.on(({ event, payload }) => {
        if (event === 'job.progress') options.onProgress?.(payload);
      });
      const jobId = engine.startImport(files, { source: 'demo' });
      const job = await engine.jobWait({ jobId }).finally(off);
      if (job.state !== 'done' || job.summary?.files.some((f) => f.status === 'failed'))
        throw new FlowscopeError(
          'import_failed',
          `The demo data did not import: ${job.error ?? job.summary?.files.find((f) => f.error)?.error}`,
        );
      return await engine.workspaceInfo();
    } finally {
      await engine.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Makes the demo workspace at `path` unless it is there already; a line of progress goes to `log`. */
export async function ensureDemoWorkspace(path: string, log: NodeJS.WritableStream): Promise<void> {
  if (existsSync(path)) return;
  await mkdir(dirname(path), { recursive: true });
  log.write('Creating the demo workspace (once)…\n');
  await createDemoWorkspace(path);
}
