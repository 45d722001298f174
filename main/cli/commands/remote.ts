/**
 * `flowscope query … --engine athena --table db.table [--workgroup w] [--output s3://…] [--max-scan 100GB]
 * [--run-without-estimate]` and `--engine cloudwatch --log-group /vpc/flow-logs [--log-group …]`: the query
 * runs where the data lives. Before an Athena query is sent, the estimate of what it scans and costs goes to
 * stderr, and a query estimated above `--max-scan` (default 100 GB), or one of which no estimate can be made
 * unless `--run-without-estimate`, is refused; afterwards, what it scanned and cost.
 * Ctrl-C or SIGTERM, and `--timeout` when given, stop the query on the service too (StopQueryExecution,
 * StopQuery), not only here: a second Ctrl-C ends the command at once.
 */
import { randomUUID } from 'node:crypto';
import type { Output, RemoteTarget } from '../../../preload/contract';
import { FlowscopeError } from '../../engine/errors';
import type { Engine } from '../../engine';
import { formatBytes, parseBytes } from '../../engine/remote/scan-bytes';
import { call, logGroupName, type Io, type ParsedArgs } from '../command';

export const remoteOptions = {
  engine: { type: 'string' },
  table: { type: 'string' },
  workgroup: { type: 'string' },
  'max-scan': { type: 'string' },
  'run-without-estimate': { type: 'boolean' },
  'log-group': { type: 'string', multiple: true },
  profile: { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  // Where the table's objects are listed for the scan estimate, when S3 is not at --endpoint-url (Athena's).
  's3-endpoint-url': { type: 'string' },
} as const;

const DEFAULT_MAX_SCAN_BYTES = 100e9;

/** `100GB`, `500 MB`, `16GiB` or a number of bytes: the bytes, and whether the units were decimal or binary. */
function maxScan(text: string): { maxScanBytes: number; maxScanUnits?: 'binary' } {
  const size = parseBytes(text);
  if (!size) throw new FlowscopeError('bad_request', `--max-scan "${text}" is not a size such as 100GB or 64GiB.`);
  return { maxScanBytes: size.bytes, ...(size.units === 'binary' ? { maxScanUnits: 'binary' } : {}) };
}

/** The remote engine the options ask for, or null to run on the workspace. */
export function remoteTarget(args: ParsedArgs, output: string | undefined): RemoteTarget | null {
  const engine = args.values.engine as string | undefined;
  if (engine === undefined || engine === 'local') return null;
  const aws = {
    ...(args.values.profile ? { profile: args.values.profile as string } : {}),
    ...(args.values.region ? { region: args.values.region as string } : {}),
    ...(args.values['endpoint-url'] ? { endpointUrl: args.values['endpoint-url'] as string } : {}),
  };
  if (engine === 'athena') {
    const table = args.values.table as string | undefined;
    if (!table || !/^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/.test(table))
      throw new FlowscopeError('bad_request', '--engine athena needs --table database.table.');
    return {
      engine,
      table,
      ...(args.values.workgroup ? { workgroup: args.values.workgroup as string } : {}),
      ...(output?.startsWith('s3://') ? { output } : {}),
      ...(args.values['max-scan']
        ? maxScan(args.values['max-scan'] as string)
        : { maxScanBytes: DEFAULT_MAX_SCAN_BYTES }),
      ...(args.values['run-without-estimate'] ? { withoutEstimate: true } : {}),
      ...(args.values['s3-endpoint-url'] ? { s3EndpointUrl: args.values['s3-endpoint-url'] as string } : {}),
      ...aws,
    };
  }
  if (engine === 'cloudwatch') {
    const logGroups = ((args.values['log-group'] as string[] | undefined) ?? []).map(logGroupName);
    if (logGroups.length === 0)
      throw new FlowscopeError('bad_request', '--engine cloudwatch needs --log-group <name>.');
    return { engine, logGroups, ...aws };
  }
  throw new FlowscopeError('bad_request', '--engine must be local, athena or cloudwatch.');
}

const usd = (n: number) => `$${n < 0.01 ? n.toFixed(6) : n.toFixed(2)}`;

/** Estimates (Athena), runs, and reports what was scanned; answers the first page like query.run. */
export async function runRemote(
  engine: Engine,
  io: Io,
  input: {
    query: string;
    dialect?: string | undefined;
    timeRange?: unknown;
    target: RemoteTarget;
    timeoutMs?: number | undefined;
    pageSize: number;
  },
): Promise<Output<'remote.run'>> {
  const { target } = input;
  if (target.engine === 'athena') {
    const plan = (await call(engine, 'remote.plan', input)) as Output<'remote.plan'>;
    const problem = plan.diagnostics[0];
    if (problem || plan.sent === null)
      throw new FlowscopeError(
        'query_refused',
        problem
          ? `line ${problem.span.line}, column ${problem.span.column}: ${problem.message}`
          : 'The query cannot be sent to Athena.',
        {
          diagnostics: plan.diagnostics,
        },
      );
    io.err.write(
      plan.estimate
        ? `Athena (${target.table}) will scan about ${formatBytes(plan.estimate.bytes, target.maxScanUnits)} (${plan.estimate.basis}): about ${usd(plan.estimate.costUsd)}.\n`
        : `Athena (${target.table}): no estimate of the data scanned (its S3 location could not be listed).\n`,
    );
  }
  const queryId = `cli-${randomUUID()}`;
  const interrupt = () => {
    io.err.write(`Stopping the query on ${target.engine === 'athena' ? 'Athena' : 'CloudWatch Logs Insights'}…\n`);
    void call(engine, 'query.cancel', { queryId });
  };
  // A terminal's Ctrl-C, and `timeout(1)`'s or a CI job's end (SIGTERM), stop the query on the service.
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  // What the run says before its answer (a retry, the service throttling), as it happens.
  const off = engine.on(({ event, payload }) => {
    if (event === 'remote.notice' && payload.queryId === queryId) io.err.write(`${payload.message}\n`);
  });
  let answer: Output<'remote.run'>;
  try {
    answer = (await call(engine, 'remote.run', { ...input, queryId })) as Output<'remote.run'>;
  } finally {
    off();
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  const p = answer.provenance;
  io.err.write(
    `${p.engine === 'athena' ? 'Athena' : 'CloudWatch Logs Insights'} query ${p.remoteQueryId} on ${p.target}: ` +
      `${formatBytes(p.scannedBytes)} scanned${p.costUsd !== undefined ? `, ${usd(p.costUsd)}` : ''}` +
      `${p.capped ? `; the answer stopped at ${p.engine === 'athena' ? "the first 1,000,000 rows (all of it is in Athena's output location)" : "CloudWatch's 10,000 rows"}` : ''}.\n`,
  );
  if (p.partial) io.err.write(`${p.partial}\n`);
  return answer;
}
