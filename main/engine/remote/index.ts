/**
 * Queries run where the data lives (`remote.plan`, `remote.run`): on Athena the text is compiled by the
 * second back end (`queries/language/trino`); on CloudWatch Logs Insights an Insights query is sent as
 * written. Either goes through the real SDK client, and its answer is kept in the workspace like a local
 * result, with its provenance. A cancel (`query.cancel` with the caller's id) stops the query on the
 * service too.
 *
 * Before an Athena query runs, what it would scan is estimated from the S3 objects of the table's
 * location in the time range's folders (the same listing the pulls use), priced at Athena's published
 * $5 per TB with its 10 MB minimum per query.
 */
import type { EventPayload, Output, ParsedInput, RemoteTarget, ScanEstimate } from '../../../preload/contract';
import { resultAddsUp, resultMeanings } from '../../../queries/chart/result-meaning';
import { instantMs } from '../../../queries/language/compile';
import { compileQuery, detectDialect } from '../../../queries/language';
import { ENRICHMENT_FUNCTIONS } from '../../../queries/language/enrichment-functions';
import {
  compileTrino,
  partitionSpan,
  placeAthenaError,
  type AthenaTable,
  type PartitionScheme,
} from '../../../queries/language/trino';
import type { Dialect } from '../../../queries/language/types';
import { FlowscopeError } from '../errors';
import { formatBytes, overLimit } from './scan-bytes';
import { awsTarget } from '../ingest/aws/target';
import { folderSpan, parseKey, parseS3Url } from '../ingest/aws/s3-layout';
import type { QueryRunner } from '../workspace/query-runner';
import { retryNotice } from '../ingest/aws/retry-notice';
import type { RemoteRetry } from './retry-notice';

type AthenaTarget = Extract<RemoteTarget, { engine: 'athena' }>;
type CloudWatchTarget = Extract<RemoteTarget, { engine: 'cloudwatch' }>;
type RunInput = ParsedInput<'remote.run'>;

/** The range an Insights query covers when none is given: the last hour, as the CloudWatch console's default. */
const DEFAULT_INSIGHTS_RANGE_MS = 3_600_000;

const DIALECT_NAMES: Record<Dialect, string> = {
  insights: 'Insights',
  sumo: 'Sumo',
  sql: 'DuckDB SQL',
  athena: 'Athena SQL',
};

/** Flowscope's enrichment in Insights (`protocolName(…)`), which CloudWatch does not have. */
const LOCAL_FUNCTION = new RegExp(
  `\\b(${ENRICHMENT_FUNCTIONS.filter((f) => f.dialects.includes('insights'))
    .map((f) => f.name)
    .join('|')})\\s*\\(`,
);

/**
 * What in an Insights text is not code, where a function name is only characters: quoted text, `#` comments,
 * and regular expressions. A `/` starts one where a value may (after an operator, `(`, `,`, `like`, or
 * `parse <field>`), not after a value, where it divides; the text before it is kept (`before`).
 */
const NOT_CODE =
  /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|#[^\n]*|((?:^|[=~!<>(,|]|\blike|\bparse\s+[^\s/]+)\s*)\/(?:[^/\\\n]|\\.)*\//gi;

/** Refuses, before anything is sent, what CloudWatch Logs Insights cannot run. */
function checkInsightsQuery(query: string, dialect: Dialect): void {
  if (dialect !== 'insights')
    throw new FlowscopeError(
      'query_refused',
      `CloudWatch Logs Insights runs Insights queries only; this one reads as ${DIALECT_NAMES[dialect]}. Write it in Insights, or run it on Athena or in the workspace.`,
    );
  const code = query.replace(NOT_CODE, (_, before: string | undefined) => `${before ?? ''}""`);
  const local = LOCAL_FUNCTION.exec(code);
  if (local)
    throw new FlowscopeError(
      'query_refused',
      `${local[1]}() is Flowscope's enrichment, computed in the workspace; CloudWatch Logs Insights does not have it.`,
    );
}

/** Athena's price per byte scanned (US regions, $5 per TB) and its minimum of 10 MB per query. */
const PRICE_PER_TB_USD = 5;
const MIN_BILLED_BYTES = 10 * 1024 * 1024;
/** Rows an answer keeps at most; the rest stays in Athena's output location. */
const MAX_REMOTE_ROWS = 1_000_000;

function costUsd(bytes: number): number {
  return (Math.max(bytes, MIN_BILLED_BYTES) * PRICE_PER_TB_USD) / 1e12;
}

/** Why an Insights answer holds only the rows found before a time limit, and what to do for the whole. */
function partialNote(cut: 'service-limit' | 'time-limit', timeoutMs: number | undefined): string {
  const why =
    cut === 'service-limit'
      ? 'CloudWatch Logs Insights stopped the query at its 60-minute limit'
      : `the query ran longer than its timeout of ${(timeoutMs ?? 0) / 1000} s and was stopped`;
  return `Partial answer: ${why}, so these are only the rows it had found by then. Narrow the time range or the log groups${cut === 'time-limit' ? ', or allow a longer timeout,' : ''} to get the whole answer.`;
}

/** The partition scheme of a table, from its partition keys and projection settings. */
function partitionScheme(keys: readonly string[], parameters: Record<string, string>): PartitionScheme {
  if (keys.includes('year') && keys.includes('month') && keys.includes('day'))
    return { kind: 'hive', hourly: keys.includes('hour') };
  for (const column of ['day', 'date_partition', 'dt']) {
    const format = parameters[`projection.${column}.format`];
    if (keys.includes(column) && (!format || format === 'yyyy/MM/dd')) return { kind: 'day', column };
  }
  if (keys.includes('date')) return { kind: 'date', column: 'date' };
  return { kind: 'none' };
}

export interface RemoteOptions {
  /** Hears what a running remote query has to say before its answer (a retry, throttling). */
  notice?: (notice: EventPayload<'remote.notice'>) => void;
  /** The retries of every call: the pulls' when absent (tests shorten them). */
  retry?: RemoteRetry['timing'];
}

interface Running {
  abort: AbortController;
}

/** The partition keys that hold the account folder (Hive's, the AWS docs' projection's, the Bootstrap's). */
const ACCOUNT_PARTITIONS = ['aws-account-id', 'accid', 'account_partition'];

/** How long an estimate is kept for the run that follows its plan (the app's confirm, the CLI's print). */
const ESTIMATE_KEPT_MS = 60_000;

export class RemoteService {
  private readonly running = new Map<string, Running>();
  /**
   * The estimates of the last plans, by what was listed, for the run that follows each: it checks its limit
   * against the plan's listing, where it listed the table's objects again (a table of years: every object,
   * twice, before Athena started).
   */
  private readonly estimates = new Map<string, { at: number; estimate: Promise<ScanEstimate | null> }>();

  constructor(
    private readonly runner: QueryRunner,
    private readonly options: RemoteOptions = {},
  ) {}

  /** A run's retries: each said as a notice of that run (the CLI's stderr, the app's running query). */
  private retry(service: string, queryId: string | undefined): RemoteRetry {
    return {
      timing: this.options.retry,
      onRetry: (r) => this.options.notice?.({ ...(queryId ? { queryId } : {}), message: retryNotice(service, r) }),
    };
  }

  private async table(
    target: AthenaTarget,
    signal: AbortSignal,
    retry?: RemoteRetry,
  ): Promise<{ table: AthenaTable; location: string | null }> {
    const [database, table] = target.table.split('.') as [string, string];
    const aws = await import('../aws');
    const client = aws.athenaClient(awsTarget(target));
    const meta = await aws.athenaTableMetadata(client, { ...awsTarget(target), database, table, retry }, signal);
    const regionPartition = meta.columns.includes('region')
      ? undefined
      : meta.partitionKeys.find((k) => k === 'aws-region' || k === 'region' || k === 'region_partition');
    const accountPartition = meta.partitionKeys.find((k) => ACCOUNT_PARTITIONS.includes(k));
    const template = meta.parameters['storage.location.template'];
    const location = meta.parameters.location ?? (template ? template.replace(/\$\{.*$/, '') : null);
    return {
      table: {
        name: target.table,
        partitions: partitionScheme(meta.partitionKeys, meta.parameters),
        ...(regionPartition ? { regionPartition } : {}),
        ...(accountPartition ? { accountPartition } : {}),
        columns: [...meta.columns, ...meta.partitionKeys],
      },
      location,
    };
  }

  /**
   * What Athena would scan: the objects of the partitions the time range's predicates select, which Athena
   * reads whole (the condition on `start` prunes no object). The pulls' listing brings a folder or two more
   * on each side, for late delivery; only folders of the selected span are counted.
   */
  private async estimate(
    target: AthenaTarget & { s3EndpointUrl?: string },
    table: AthenaTable,
    location: string | null,
    range: ParsedInput<'remote.plan'>['timeRange'],
    signal: AbortSignal,
    /** `plan`: listed afresh and kept for the run; `run`: the plan's listing, taken once, if it is recent. */
    by: 'plan' | 'run',
  ): Promise<ScanEstimate | null> {
    if (!location) return null;
    const span = partitionSpan(table, range);
    const endpointUrl = target.s3EndpointUrl ?? target.endpointUrl;
    const key = JSON.stringify([target.profile, target.region, endpointUrl, location, span]);
    const now = Date.now();
    for (const [k, kept] of this.estimates) if (now - kept.at > ESTIMATE_KEPT_MS) this.estimates.delete(k);
    const planned = this.estimates.get(key);
    this.estimates.delete(key);
    if (by === 'run' && planned) return planned.estimate;
    const estimate = this.listEstimate({ ...target, endpointUrl }, location, span, signal);
    if (by === 'plan') this.estimates.set(key, { at: now, estimate });
    return estimate;
  }

  private async listEstimate(
    target: AthenaTarget,
    location: string,
    span: ReturnType<typeof partitionSpan>,
    signal: AbortSignal,
  ): Promise<ScanEstimate | null> {
    const { bucket, prefix } = parseS3Url(location);
    const aws = await import('../aws');
    const client = aws.s3Client(awsTarget(target));
    let listed;
    try {
      ({ objects: listed } = await aws.listObjects(client, bucket, prefix, span, {}, { signal, ...awsTarget(target) }));
    } catch (err) {
      // No estimate is no reason not to run: the caller says so, and Athena's own statistics follow.
      if (err instanceof FlowscopeError && err.code === 'cancelled') throw err;
      return null;
    }
    const objects = listed.filter((o) => {
      const folder = folderSpan(parseKey(o.key));
      return !folder || ((span.to === null || folder.from < span.to) && (span.from === null || folder.to > span.from));
    });
    const bytes = objects.reduce((n, o) => n + o.size, 0);
    return {
      bytes,
      costUsd: costUsd(bytes),
      basis: `${objects.length} object${objects.length === 1 ? '' : 's'} under ${location}${span.from !== null || span.to !== null ? " in the time range's partitions" : ''}`,
    };
  }

  async plan(input: ParsedInput<'remote.plan'>): Promise<Output<'remote.plan'>> {
    const signal = new AbortController().signal;
    if (input.target.engine === 'cloudwatch') {
      const dialect = input.dialect ?? detectDialect(input.query);
      checkInsightsQuery(input.query, dialect);
      return { dialect, sent: input.query, estimate: null, diagnostics: [] };
    }
    const { table, location } = await this.table(input.target, signal);
    const compiled = compileTrino(input.query, { dialect: input.dialect, table, timeRange: input.timeRange ?? null });
    if (compiled.sql === null)
      return { dialect: compiled.dialect, sent: null, estimate: null, diagnostics: compiled.diagnostics };
    const estimate = await this.estimate(input.target, table, location, input.timeRange, signal, 'plan');
    return { dialect: compiled.dialect, sent: compiled.sql, estimate, diagnostics: [] };
  }

  async run(input: RunInput): Promise<Output<'remote.run'>> {
    const started = performance.now();
    const abort = new AbortController();
    const runId = input.queryId;
    if (runId !== undefined) {
      if (this.running.has(runId))
        throw new FlowscopeError('bad_request', `A query with id ${runId} is already running.`);
      this.running.set(runId, { abort });
    }
    // The timeout stops the query as a cancel does, and says it was the timeout (Insights keeps what it found).
    const limit = new AbortController();
    const timer =
      input.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            limit.abort();
            abort.abort();
          }, input.timeoutMs);
    const timedOut = () => limit.signal.aborted;
    try {
      const target = input.target;
      const answer =
        target.engine === 'athena'
          ? await this.runAthena(input, target, abort.signal, this.retry('Athena', runId))
          : await this.runInsights(
              input,
              target,
              abort.signal,
              limit.signal,
              this.retry('CloudWatch Logs Insights', runId),
            );
      return { ...answer, elapsedMs: performance.now() - started };
    } catch (err) {
      // The timeout stops the query as a cancel does; the error says which it was.
      if (timedOut() && err instanceof FlowscopeError && err.code === 'cancelled') {
        const note = (err.detail as { note?: string } | undefined)?.note;
        throw new FlowscopeError(
          'query_timeout',
          `The query ran longer than its timeout of ${input.timeoutMs! / 1000} s and was stopped.${note ? ` ${note}` : ''}`,
          err.detail,
        );
      }
      throw err;
    } finally {
      clearTimeout(timer);
      if (runId !== undefined) this.running.delete(runId);
    }
  }

  private async runAthena(
    input: RunInput,
    target: AthenaTarget,
    signal: AbortSignal,
    retry: RemoteRetry,
  ): Promise<Omit<Output<'remote.run'>, 'elapsedMs'>> {
    const { table, location } = await this.table(target, signal, retry);
    const compiled = compileTrino(input.query, { dialect: input.dialect, table, timeRange: input.timeRange ?? null });
    const first = compiled.diagnostics[0];
    if (compiled.sql === null || first)
      throw new FlowscopeError(
        compiled.refused ? 'query_refused' : 'query_error',
        first ? `line ${first.span.line}, column ${first.span.column}: ${first.message}` : 'The query did not compile.',
        { diagnostics: compiled.diagnostics },
      );
    if (target.maxScanBytes !== undefined) {
      const units = target.maxScanUnits ?? 'decimal';
      const estimate = await this.estimate(target, table, location, input.timeRange, signal, 'run');
      // A limit that cannot be checked is not waived in silence (a missing s3:ListBucket would lift it).
      if (!estimate && !target.withoutEstimate)
        throw new FlowscopeError(
          'query_refused',
          `No estimate of what Athena would scan could be made (${location ? `${location} could not be listed` : 'the table has no S3 location'}), so the limit of ${formatBytes(target.maxScanBytes, units)} cannot be checked: allow listing the location (s3:ListBucket), or run without an estimate (--run-without-estimate).`,
        );
      // A scan of exactly the limit is allowed: the limit is what may be scanned.
      if (estimate && estimate.bytes > target.maxScanBytes) {
        const said = overLimit(estimate.bytes, target.maxScanBytes, units);
        throw new FlowscopeError(
          'query_refused',
          `Athena would scan about ${said.estimate} (${estimate.basis}), more than the ${said.limit} allowed: narrow the time range or raise the limit.`,
          { estimate },
        );
      }
    }
    const [database] = target.table.split('.') as [string];
    const aws = await import('../aws');
    const sql = compiled.sql;
    const answer = await aws.runAthenaQuery(aws.athenaClient(awsTarget(target)), sql, {
      ...awsTarget(target),
      database,
      workgroup: target.workgroup,
      output: target.output,
      signal,
      retry,
      maxRows: MAX_REMOTE_ROWS,
      place: (why) => placeAthenaError(why, sql, input.query, compiled.copied ?? []),
    });
    // Athena lower-cases its labels; a plan compiled from Insights or Sumo names its columns as written.
    const names = compiled.columns?.length === answer.columns.length ? compiled.columns : null;
    const columns = answer.columns.map((c, i) => ({
      name: names?.[i] ?? c.name,
      type: aws.duckdbTypeOf(c.type, c.precision, c.scale),
    }));
    // What the columns mean, as the workspace's answer to the same text says (a pipe query's by its plan).
    const plan =
      compiled.dialect === 'insights' || compiled.dialect === 'sumo'
        ? compileQuery(input.query, { dialect: compiled.dialect }).plan
        : null;
    const page = await this.runner.keep(
      columns,
      answer.rows,
      input.pageSize,
      resultMeanings(input.query, compiled.dialect, plan),
      // An average or maximum Athena answered is re-binned as the workspace's own answer is: never summed.
      resultAddsUp(input.query, compiled.dialect, plan),
    );
    return {
      ...page,
      dialect: compiled.dialect,
      sent: compiled.sql,
      provenance: {
        engine: 'athena',
        remoteQueryId: answer.queryExecutionId,
        target: target.table,
        scannedBytes: answer.scannedBytes,
        costUsd: costUsd(answer.scannedBytes),
        timeRange: input.timeRange ?? null,
        capped: answer.capped,
      },
    };
  }

  private async runInsights(
    input: RunInput,
    target: CloudWatchTarget,
    signal: AbortSignal,
    timeLimit: AbortSignal,
    retry: RemoteRetry,
  ): Promise<Omit<Output<'remote.run'>, 'elapsedMs'>> {
    const dialect = input.dialect ?? detectDialect(input.query);
    checkInsightsQuery(input.query, dialect);
    const toMs = input.timeRange?.to ? instantMs(input.timeRange.to) : Date.now();
    const fromMs = input.timeRange?.from ? instantMs(input.timeRange.from) : toMs - DEFAULT_INSIGHTS_RANGE_MS;
    const aws = await import('../aws');
    const answer = await aws.runInsightsQuery(aws.logsClient(awsTarget(target)), input.query, {
      ...awsTarget(target),
      logGroups: target.logGroups,
      fromMs,
      toMs,
      signal,
      timeLimit,
      retry,
    });
    // The local compile knows the columns' order, and the ones CloudWatch left out because no row had a value.
    const compiled = compileQuery(input.query, { dialect: 'insights' });
    // `@ptr`, CloudWatch's pointer to each log event (what `aws logs get-log-record` opens), comes with every
    // row of events: a column only where the query asks for it and the service gave it, never an empty one.
    const ptr = compiled.columns?.includes('@ptr') === true && answer.columns.some((c) => c.name === '@ptr');
    const shown = (name: string) => name !== '@ptr' || ptr;
    const local = compiled.columns?.filter(shown);
    const given = answer.columns.map((c) => c.name).filter(shown);
    const known = local && given.every((name) => local.includes(name)) ? local : null;
    const order = known ?? given;
    const index = order.map((name) => answer.columns.findIndex((c) => c.name === name));
    // A column the workspace's answer has as text stays text (a port or byte count shown as logged), as
    // CloudWatch answers it: typed by its values, `443` would be a number here and the text "443" there.
    const text = new Set(known ? (compiled.textColumns ?? []) : []);
    const columns = order.map((name, i) => ({
      name,
      type: text.has(name) ? 'VARCHAR' : (answer.columns[index[i]!]?.type ?? 'VARCHAR'),
    }));
    const rows = answer.rows.map((r) => index.map((j) => (j >= 0 ? r[j]! : null)));
    const page = await this.runner.keep(
      columns,
      rows,
      input.pageSize,
      resultMeanings(input.query, 'insights', compiled.plan),
      resultAddsUp(input.query, 'insights', compiled.plan),
    );
    return {
      ...page,
      dialect,
      sent: input.query,
      provenance: {
        engine: 'cloudwatch',
        remoteQueryId: answer.queryId,
        target: target.logGroups.join(', '),
        scannedBytes: answer.bytesScanned,
        timeRange: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() },
        capped: answer.capped,
        ...(answer.partial ? { partial: partialNote(answer.partial, input.timeoutMs) } : {}),
      },
    };
  }

  /** The Athena table that fits a bucket (the app's Pull dialog; `flowscope athena table` on the command line). */
  async athenaTable(input: ParsedInput<'remote.athenaTable'>): Promise<Output<'remote.athenaTable'>> {
    const athena = awsTarget(input);
    const { athenaTable } = await import('../aws');
    const { layout, ddl, keysRead, createdBy } = await athenaTable({
      location: input.location,
      table: input.table,
      create: input.create,
      workgroup: input.workgroup,
      output: input.output,
      athena,
      s3: { ...athena, endpointUrl: input.s3EndpointUrl ?? input.endpointUrl },
      signal: new AbortController().signal,
    });
    const { format, hive, hourly, firstDay, accounts, regions, fields } = layout;
    return { ddl, layout: { format, hive, hourly, firstDay, accounts, regions, fields }, keysRead, createdBy };
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
