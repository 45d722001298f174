/**
 * `flowscope import <file-or-folder>... --workspace <file.duckdb> [--log-format '<aws format>'] [--json]`
 * Creates the workspace when it does not exist. With --json the last stdout line is
 * `{"files":[{"path","records","rejected","status"[,"error"][,"controlMessages"]}],"records","rejected"[,"passedOver"]}`,
 * counting what this run added; `passedOver` counts files of the folders given that are other AWS services' logs
 * (CloudTrail, Config, JSON under AWSLogs), empty, or downloads `aws s3 sync` has not finished. Exits with 1 when
 * a file failed or a path given holds no file to import (named on stderr).
 */
import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { JobInfo, JobSummary, RejectedLine } from '../../../preload/contract';
import type { Engine } from '../../engine';
import { FlowscopeError } from '../../engine/errors';
import { call, requireWorkspace, withEngine, workspaceOption, write, type Command, type Io } from '../command';
import { counted, rejectsCounted, thousands } from '../output';
import { ProgressBar } from '../progress';

export const importCommand: Command = {
  name: 'import',
  summary: 'Import flow-log files or folders (text, gzip, Parquet, CloudWatch JSON) into a workspace.',
  usage: "import <file-or-folder>... --workspace <file.duckdb> [--log-format '${version} ${srcaddr} ...'] [--json]",
  options: { ...workspaceOption, 'log-format': { type: 'string' }, json: { type: 'boolean' } },
  jsonWhenNothingDone: { files: [], records: 0, rejected: 0 },
  async run(args, io) {
    const workspace = requireWorkspace(args);
    if (args.positionals.length === 0)
      throw new FlowscopeError('bad_request', 'Name at least one file or folder to import.');
    const paths = args.positionals.map((p) => resolve(p));
    const missing = paths.find((p) => !existsSync(p));
    if (missing) throw new FlowscopeError('not_found', `${missing} does not exist.`);
    const logFormat = args.values['log-format'] as string | undefined;

    return withEngine({ workspace, create: true }, io, async (engine) => {
      const job = await importJob(
        engine,
        async () => {
          const files = paths.map((p) => engine.files.register(p));
          return ((await call(engine, 'ingest.files', { files, logFormat })) as { jobId: string }).jobId;
        },
        io,
      );
      const summary: JobSummary = job.summary ?? { records: 0, rejected: 0, files: [] };
      if (args.values.json) {
        await write(io.out, `${JSON.stringify(summaryJson(summary))}\n`);
      } else {
        const rejects = await firstRejects(engine, summary);
        await write(io.out, summaryText(summary));
        await write(io.out, rejectedText(summary, rejects, workspace));
      }
      if (job.state !== 'done') io.err.write(`flowscope import: ${job.error ?? `the import was ${job.state}`}\n`);
      // A folder with nothing to import (empty, the wrong one, only other services' logs) is no success.
      const empty = job.state === 'done' ? paths.filter((p) => !summary.files.some((f) => within(p, f.path))) : [];
      if (empty.length > 0) io.err.write(`flowscope import: no files to import in ${empty.join(', ')}\n`);
      return job.state === 'done' && empty.length === 0 && summary.files.every((f) => f.status !== 'failed') ? 0 : 1;
    });
  },
};

/** Whether a file's path is the path given or under it. */
function within(given: string, path: string): boolean {
  return path === given || path.startsWith(given.endsWith(sep) ? given : given + sep);
}

/** Starts an import job (`start` answers its id) and follows it to the end, drawing progress on a terminal. */
async function importJob(engine: Engine, start: () => Promise<string>, io: Io): Promise<JobInfo> {
  const bar = new ProgressBar(io.err);
  let jobId: string | undefined;
  const off = engine.on(({ event, payload }) => {
    if (event === 'job.progress' && payload.jobId === jobId) bar.draw(payload);
  });
  try {
    jobId = await start();
    return (await call(engine, 'job.wait', { jobId })) as JobInfo;
  } finally {
    off();
    bar.clear();
  }
}

/** How many rejected lines of each file the summary shows, with their reasons. */
const SHOWN_REJECTS = 3;

/** The first rejected lines (SHOWN_REJECTS) of each file of the summary that has some, by import id. */
async function firstRejects(engine: Engine, s: JobSummary): Promise<Map<number, RejectedLine[]>> {
  const out = new Map<number, RejectedLine[]>();
  for (const f of s.files) {
    if (!f.rejected || f.importId === undefined) continue;
    const { lines } = (await call(engine, 'workspace.rejected', {
      importId: f.importId,
      offset: 0,
      limit: SHOWN_REJECTS,
    })) as { lines: RejectedLine[] };
    out.set(f.importId, lines);
  }
  return out;
}

/**
 * The first rejected lines of each file that has some, with their line numbers and reasons, and where
 * the rest are: a count alone said nothing of what was wrong.
 */
function rejectedText(s: JobSummary, rejects: Map<number, RejectedLine[]>, workspace: string): string {
  const out: string[] = [];
  for (const f of s.files) {
    const lines = f.importId === undefined ? undefined : rejects.get(f.importId);
    if (!f.rejected || !lines) continue;
    out.push(`rejected in ${f.path}:`, ...lines.map((l) => `  ${l.unit ?? 'line'} ${thousands(l.line)}: ${l.reason}`));
    if (f.rejected > lines.length)
      out.push(
        `  … ${thousands(f.rejected - lines.length)} more: flowscope query --workspace ${JSON.stringify(workspace)} --dialect sql "SELECT line, reason, raw FROM rejected_lines WHERE import_id = ${f.importId}"`,
      );
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

function summaryJson(s: JobSummary) {
  return {
    files: s.files.map((f) => ({
      path: f.path,
      records: f.records,
      rejected: f.rejected,
      status: f.status,
      ...(f.error ? { error: f.error } : {}),
      ...(f.controlMessages ? { controlMessages: f.controlMessages } : {}),
      ...(f.sameRecordsAs ? { sameRecordsAs: f.sameRecordsAs } : {}),
      ...(f.heldBefore ? { heldBefore: f.heldBefore } : {}),
    })),
    records: s.records,
    rejected: s.rejected,
    ...(s.passedOver ? { passedOver: s.passedOver } : {}),
  };
}

function summaryText(s: JobSummary): string {
  const lines = s.files.map((f) =>
    f.status === 'failed'
      ? `failed            ${f.path}: ${f.error ?? 'unknown error'}`
      : `${f.status.padEnd(17)} ${f.path}  ${counted(f.records, 'record')}${f.rejected ? `, ${thousands(f.rejected)} rejected` : ''}` +
        (f.controlMessages ? `, ${thousands(f.controlMessages)} control messages skipped` : '') +
        (f.sameRecordsAs ? ` (the same records as ${f.sameRecordsAs})` : '') +
        (f.heldBefore ? ` (${counted(f.heldBefore, 'more record')} already held by earlier imports, stored once)` : ''),
  );
  const failed = s.files.filter((f) => f.status === 'failed').length;
  lines.push(
    `${counted(s.records, 'record')} imported, ${rejectsCounted(s)} rejected, ${counted(s.files.length, 'file')}${failed ? ` (${failed} failed)` : ''}` +
      (s.passedOver
        ? `; ${thousands(s.passedOver)} passed over (other AWS services' logs, empty files, downloads aws s3 sync has not finished).`
        : '.'),
  );
  return `${lines.join('\n')}\n`;
}
