/**
 * Queries run where the data lives (`remote.plan`, `remote.run`): the text is compiled by the second back
 * end (`queries/language/trino`), sent through the real SDK client, and its answer kept in the workspace
 * like a local result, with its provenance. A cancel (`query.cancel` with the caller's id) stops the query
 * on the service too.
 *
 * Before an Athena query runs, what it would scan is estimated from the S3 objects of the table's
 * location in the time range's folders (the same listing the pulls use), priced at Athena's published
 * $5 per TB with its 10 MB minimum per query.
 */
import type { Output, ParsedInput, RemoteTarget, ScanEstimate } from '../../../preload/contract';
import { compileTrino, type AthenaTable, type PartitionScheme } from '../../../queries/language/trino';
import { FlowscopeError } from '../errors';
import { athenaClient, s3Client, type AwsTarget } from '../ingest/aws/clients';
import { parseS3Url } from '../ingest/aws/s3-layout';
import { listObjects } from '../ingest/s3';
import type { QueryRunner } from '../workspace/query-runner';
import { athenaTableMetadata, duckdbTypeOf, runAthenaQuery } from './athena';

type AthenaTarget = Extract<RemoteTarget, { engine: 'athena' }>;

/** Athena's price per byte scanned (US regions, $5 per TB) and its minimum of 10 MB per query. */
export const PRICE_PER_TB_USD = 5;
export const MIN_BILLED_BYTES = 10 * 1024 * 1024;
/** Rows an answer keeps at most; the rest stays in Athena's output location. */
export const MAX_REMOTE_ROWS = 1_000_000;

export function costUsd(bytes: number): number {
  return (Math.max(bytes, MIN_BILLED_BYTES) * PRICE_PER_TB_USD) / 1e12;
}

function awsTarget(t: RemoteTarget): AwsTarget {
  return { profile: t.profile, region: t.region, endpointUrl: t.endpointUrl };
}

/** The partition scheme of a table, from its partition keys and projection settings. */
export function partitionScheme(keys: readonly string[], parameters: Record<string, string>): PartitionScheme {
  if (keys.includes('year') && keys.includes('month') && keys.includes('day'))
    return { kind: 'hive', hourly: keys.includes('hour') };
  for (const column of ['day', 'date_partition', 'dt']) {
    const format = parameters[`projection.${column}.format`];
    if (keys.includes(column) && (!format || format === 'yyyy/MM/dd')) return { kind: 'day', column };
  }
  if (keys.includes('date')) return { kind: 'date', column: 'date' };
  return { kind: 'none' };
}

interface Running {
  abort: AbortController;
}

export class RemoteService {
  private readonly running = new Map<string, Running>();

  constructor(private readonly runner: QueryRunner) {}

  private async table(
    target: AthenaTarget,
    signal: AbortSignal,
  ): Promise<{ table: AthenaTable; location: string | null }> {
    const [database, table] = target.table.split('.') as [string, string];
    const client = athenaClient(awsTarget(target));
    const meta = await athenaTableMetadata(client, { ...awsTarget(target), database, table }, signal);
    const regionPartition = meta.columns.includes('region')
      ? undefined
      : meta.partitionKeys.find((k) => k === 'aws-region' || k === 'region' || k === 'region_partition');
    const template = meta.parameters['storage.location.template'];
    const location = meta.parameters.location ?? (template ? template.replace(/\$\{.*$/, '') : null);
    return {
      table: {
        name: target.table,
        partitions: partitionScheme(meta.partitionKeys, meta.parameters),
        ...(regionPartition ? { regionPartition } : {}),
      },
      location,
    };
  }

  private async estimate(
    target: AthenaTarget & { s3EndpointUrl?: string },
    location: string | null,
    range: ParsedInput<'remote.plan'>['timeRange'],
    signal: AbortSignal,
  ): Promise<ScanEstimate | null> {
    if (!location) return null;
    const { bucket, prefix } = parseS3Url(location);
    const client = s3Client({ ...awsTarget(target), endpointUrl: target.s3EndpointUrl ?? target.endpointUrl });
    const bounds = {
      from: range?.from ? Date.parse(range.from) : null,
      to: range?.to ? Date.parse(range.to) : null,
    };
    let objects;
    try {
      objects = await listObjects(client, bucket, prefix, bounds, { signal, profile: target.profile });
    } catch (err) {
      // No estimate is no reason not to run: the caller says so, and Athena's own statistics follow.
      if (err instanceof FlowscopeError && err.code === 'cancelled') throw err;
      return null;
    }
    const bytes = objects.reduce((n, o) => n + o.size, 0);
    return {
      bytes,
      costUsd: costUsd(bytes),
      basis: `${objects.length} object${objects.length === 1 ? '' : 's'} under ${location}${range?.from || range?.to ? ' in the time range' : ''}`,
    };
  }

  async plan(input: ParsedInput<'remote.plan'>): Promise<Output<'remote.plan'>> {
    const signal = new AbortController().signal;
    if (input.target.engine !== 'athena') throw new FlowscopeError('bad_request', 'Only Athena is planned here.');
    const { table, location } = await this.table(input.target, signal);
    const compiled = compileTrino(input.query, { dialect: input.dialect, table, timeRange: input.timeRange ?? null });
    if (compiled.sql === null)
      return { dialect: compiled.dialect, sent: null, estimate: null, diagnostics: compiled.diagnostics };
    const estimate = await this.estimate(input.target, location, input.timeRange, signal);
    return { dialect: compiled.dialect, sent: compiled.sql, estimate, diagnostics: [] };
  }

  async run(input: ParsedInput<'remote.run'>): Promise<Output<'remote.run'>> {
    const started = performance.now();
    const target = input.target;
    if (target.engine !== 'athena')
      throw new FlowscopeError('bad_request', 'CloudWatch Logs Insights is not available yet.');
    const abort = new AbortController();
    const runId = input.queryId;
    if (runId !== undefined) {
      if (this.running.has(runId))
        throw new FlowscopeError('bad_request', `A query with id ${runId} is already running.`);
      this.running.set(runId, { abort });
    }
    try {
      const { table, location } = await this.table(target, abort.signal);
      const compiled = compileTrino(input.query, { dialect: input.dialect, table, timeRange: input.timeRange ?? null });
      const first = compiled.diagnostics[0];
      if (compiled.sql === null || first)
        throw new FlowscopeError(
          compiled.refused ? 'query_refused' : 'query_error',
          first
            ? `line ${first.span.line}, column ${first.span.column}: ${first.message}`
            : 'The query did not compile.',
          { diagnostics: compiled.diagnostics },
        );
      if (target.maxScanBytes !== undefined) {
        const estimate = await this.estimate(target, location, input.timeRange, abort.signal);
        if (estimate && estimate.bytes > target.maxScanBytes)
          throw new FlowscopeError(
            'query_refused',
            `Athena would scan about ${formatBytes(estimate.bytes)} (${estimate.basis}), more than the ${formatBytes(target.maxScanBytes)} allowed: narrow the time range or raise the limit.`,
            { estimate },
          );
      }
      const [database] = target.table.split('.') as [string];
      const answer = await runAthenaQuery(athenaClient(awsTarget(target)), compiled.sql, {
        ...awsTarget(target),
        database,
        workgroup: target.workgroup,
        output: target.output,
        signal: abort.signal,
        maxRows: MAX_REMOTE_ROWS,
      });
      // Athena lower-cases its labels; a plan compiled from Insights or Sumo names its columns as written.
      const names = compiled.columns?.length === answer.columns.length ? compiled.columns : null;
      const columns = answer.columns.map((c, i) => ({ name: names?.[i] ?? c.name, type: duckdbTypeOf(c.type) }));
      const page = await this.runner.keep(columns, answer.rows, input.pageSize);
      return {
        ...page,
        dialect: compiled.dialect,
        sent: compiled.sql,
        elapsedMs: performance.now() - started,
        provenance: {
          engine: 'athena',
          remoteQueryId: answer.queryExecutionId,
          target: target.table,
          scannedBytes: answer.scannedBytes,
          costUsd: costUsd(answer.scannedBytes),
          timeRange: input.timeRange ?? null,
        },
      };
    } finally {
      if (runId !== undefined) this.running.delete(runId);
    }
  }

  /** Stops a remote query by the caller's id; false when none runs under it. */
  cancel(queryId: string): boolean {
    const entry = this.running.get(queryId);
    if (!entry) return false;
    entry.abort.abort();
    return true;
  }

  close(): void {
    for (const entry of this.running.values()) entry.abort.abort();
  }
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
