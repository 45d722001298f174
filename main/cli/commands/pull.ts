/**
 * `flowscope pull s3 s3://bucket/prefix --workspace <file> [--from] [--to] [--last] [--accounts A,B] [--regions R,S] [--profile] [--region] [--endpoint-url] [--log-format] [--json]`
 * `flowscope pull cloudwatch <log-group> --workspace <file> [--from] [--to] [--last] [--streams <prefix>] [--profile] [--region] [--endpoint-url] [--log-format] [--json]`
 *
 * Runs the pull as a job of the engine, as the app does. Notices (what it is about to fetch, a custom
 * endpoint, retries) go to stderr, a progress bar too when stderr is a terminal. With --json the last stdout
 * line is `{"records","rejected","objects","skipped","failed":[{"key","error"}]}`, `records` counting what
 * this run added (plus `"rejectedEvents"`/`"rejectedRows"`: how many of the rejected are log events or Parquet rows, `"error"` when the pull stopped, `"controlMessages"` when subscription deliveries held
 * some, `"heldBefore"`: records an earlier import already held, and for S3 `"passedOver"`: objects that are not flow logs by their name, empty or refused before and
 * unchanged, and `"sources"`: the same counts per account and region). `--accounts` and `--regions` (comma
 * lists) keep only the objects of those accounts and regions; `--region` is where the requests go. Exits with
 * 1 when the pull stopped or an object failed.
 */
import type { Channel, JobInfo, JobProgress } from '../../../preload/contract';
import type { Engine } from '../../engine';
import type { SourceCounts } from '../../engine/ingest/aws/pull-report';
import { FlowscopeError } from '../../engine/errors';
import {
  call,
  logGroupName,
  requireWorkspace,
  timeOptions,
  withEngine,
  workspaceOption,
  write,
  type Command,
  type Io,
  type ParsedArgs,
} from '../command';
import { rejectsCounted, thousands } from '../output';
import { ProgressBar } from '../progress';

export const awsTargetOptions = {
  profile: { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
} as const;

export function awsTarget(args: ParsedArgs): { profile?: string; region?: string; endpointUrl?: string } {
  const v = args.values;
  return {
    ...(typeof v.profile === 'string' ? { profile: v.profile } : {}),
    ...(typeof v.region === 'string' ? { region: v.region } : {}),
    ...(typeof v['endpoint-url'] === 'string' ? { endpointUrl: v['endpoint-url'] } : {}),
  };
}

export const pullCommand: Command = {
  name: 'pull',
  summary: 'Pull flow logs from S3 or CloudWatch Logs into a workspace, resuming where the last pull stopped.',
  usage: [
    'pull s3 s3://bucket/prefix --workspace <file> [--from <time>] [--to <time>] [--last 24h] [--accounts A,B] [--regions R,S] [--profile P] [--region R] [--endpoint-url URL] [--log-format F] [--concurrency N] [--json]',
    '       flowscope pull cloudwatch <log-group> --workspace <file> [--from <time>] [--to <time>] [--last 24h] [--streams <prefix>] [--profile P] [--region R] [--endpoint-url URL] [--log-format F] [--json]',
  ].join('\n'),
  options: {
    ...workspaceOption,
    ...awsTargetOptions,
    from: { type: 'string' },
    to: { type: 'string' },
    last: { type: 'string' },
    streams: { type: 'string' },
    'log-format': { type: 'string' },
    concurrency: { type: 'string' },
    accounts: { type: 'string' },
    regions: { type: 'string' },
    json: { type: 'boolean' },
  },
  jsonWhenNothingDone: { records: 0, rejected: 0, objects: 0, skipped: 0, failed: [] },
  async run(args, io) {
    const workspace = requireWorkspace(args);
    const [kind, what, ...extra] = args.positionals;
    if (extra.length) throw new FlowscopeError('bad_request', `Unexpected arguments: ${extra.join(' ')}`);
    const v = args.values;
    // `--last 24h` is the last day of the wall clock: what was logged since.
    const { last, ...range } = await timeOptions(args, true);
    const { lastOfClock } = await import('../../../queries/library/span');
    const common = {
      ...awsTarget(args),
      ...(last ? lastOfClock(last, Date.now()) : range),
      ...(typeof v['log-format'] === 'string' ? { logFormat: v['log-format'] } : {}),
    };
    let channel: Channel;
    let input: Record<string, unknown>;
    if (kind === 's3' && what) {
      channel = 'pull.s3';
      input = {
        ...common,
        url: what,
        ...(typeof v.concurrency === 'string' ? { concurrency: Number(v.concurrency) } : {}),
        ...(typeof v.accounts === 'string' ? { accounts: list(v.accounts) } : {}),
        ...(typeof v.regions === 'string' ? { regions: list(v.regions) } : {}),
      };
    } else if (kind === 'cloudwatch' && what) {
      channel = 'pull.cloudwatch';
      input = {
        ...common,
        logGroup: logGroupName(what),
        ...(typeof v.streams === 'string' ? { streamPrefix: v.streams } : {}),
      };
    } else {
      throw new FlowscopeError(
        'bad_request',
        'Say what to pull: `pull s3 s3://bucket/prefix` or `pull cloudwatch <log-group>`.',
      );
    }
    // A mistyped option must not leave a new, empty workspace behind.
    const { channels } = await import('../../../preload/contract');
    const checked = channels[channel].input.safeParse(input);
    if (!checked.success) {
      throw new FlowscopeError(
        'bad_request',
        checked.error.issues.map((i) => `${i.path.map(String).join('.') || 'input'}: ${i.message}`).join('; '),
      );
    }
    return withEngine({ workspace, create: true }, io, async (engine) => {
      const { job, last } = await followPull(engine, channel, input, io);
      const pulled = job.summary?.pull;
      const out = {
        records: job.summary?.records ?? last?.records ?? 0,
        rejected: job.summary?.rejected ?? last?.rejected ?? 0,
        ...(job.summary?.rejectedEvents ? { rejectedEvents: job.summary.rejectedEvents } : {}),
        ...(job.summary?.rejectedRows ? { rejectedRows: job.summary.rejectedRows } : {}),
        objects: pulled?.objects ?? 0,
        skipped: pulled?.skipped ?? 0,
        failed: pulled?.failed ?? [],
        ...(pulled?.controlMessages ? { controlMessages: pulled.controlMessages } : {}),
        ...(pulled?.heldBefore ? { heldBefore: pulled.heldBefore } : {}),
        ...(pulled?.passedOver ? { passedOver: pulled.passedOver } : {}),
        ...(pulled?.sources ? { sources: pulled.sources } : {}),
        ...(job.state !== 'done' ? { error: job.error ?? `the pull was ${job.state}` } : {}),
      };
      if (job.state !== 'done')
        io.err.write(
          `flowscope pull: ${out.error}${job.state === 'failed' ? ' (what was pulled before this stays in the workspace)' : ''}\n`,
        );
      for (const f of out.failed) io.err.write(`failed  ${f.key}: ${f.error}\n`);
      if (v.json) await write(io.out, `${JSON.stringify(out)}\n`);
      else {
        await write(
          io.out,
          `${thousands(out.records)} records added, ${rejectsCounted(out)} rejected; ${thousands(out.objects)} ${kind === 's3' ? 'objects' : 'stream windows'} imported, ${thousands(out.skipped)} already there, ${out.failed.length} failed` +
            (out.controlMessages ? `; ${thousands(out.controlMessages)} control messages skipped` : '') +
            (out.heldBefore ? `; ${thousands(out.heldBefore)} held already by an earlier import, stored once` : '') +
            (out.passedOver ? `; ${thousands(out.passedOver)} passed over as not flow logs` : '') +
            '.\n' +
            sourcesTable(out.sources ?? []),
        );
      }
      return job.state === 'done' && out.failed.length === 0 ? 0 : 1;
    });
  },
};

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Per account and region, when the keys named any: what an organisation's bucket gave. */
function sourcesTable(sources: readonly SourceCounts[]): string {
  if (!sources.some((s) => s.account !== null || s.region !== null)) return '';
  const rows = [
    ['account', 'region', 'objects', 'already there', 'failed', 'records added'],
    ...sources.map((s) => [
      s.account ?? '-',
      s.region ?? '-',
      thousands(s.objects),
      thousands(s.skipped),
      thousands(s.failed),
      thousands(s.records),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
    .map((line) => `${line.trimEnd()}\n`)
    .join('');
}

/** Starts the pull job, prints its notices and progress, and waits for it; Ctrl-C cancels it cleanly. */
async function followPull(
  engine: Engine,
  channel: Channel,
  input: Record<string, unknown>,
  io: Io,
): Promise<{ job: JobInfo; last: JobProgress | undefined }> {
  const bar = new ProgressBar(io.err);
  let jobId: string | undefined;
  let last: JobProgress | undefined;
  // Notices the job gives before its id reaches us here (it starts at once) wait for the id.
  const early: { jobId: string; message: string }[] = [];
  const say = (message: string) => {
    bar.clear();
    io.err.write(`${message}\n`);
  };
  const off = engine.on(({ event, payload }) => {
    if (event === 'job.progress' && payload.jobId === jobId) {
      last = payload;
      bar.draw(payload);
    } else if (event === 'pull.notice') {
      if (jobId === undefined) early.push(payload);
      else if (payload.jobId === jobId) say(payload.message);
    }
  });
  const interrupt = () => {
    if (jobId) void call(engine, 'job.cancel', { jobId });
  };
  process.once('SIGINT', interrupt);
  try {
    ({ jobId } = (await call(engine, channel, input)) as { jobId: string });
    for (const notice of early) if (notice.jobId === jobId) say(notice.message);
    const job = (await call(engine, 'job.wait', { jobId })) as JobInfo;
    return { job, last };
  } finally {
    process.off('SIGINT', interrupt);
    off();
    bar.clear();
  }
}
