/**
 * One query on CloudWatch Logs Insights: StartQuery over the log groups and time range, GetQueryResults
 * polled with backoff until the query is Complete (the service answers the rows found so far while it runs,
 * the whole answer at the end), StopQuery when the caller cancels. The answer is at most 10,000 rows, which
 * the caller is told. A query that ends at a time limit (the service's status Timeout, or the caller's own
 * `timeLimit`) after finding rows answers those, marked partial, as the CloudWatch console shows them.
 *
 * Insights answers every value as text and leaves out a row's empty fields; the columns are the fields in
 * the order they first appear (`@ptr`, the service's pointer to each log event, among them: the caller
 * keeps it where the query asks for it), and each column's type is what all its values read as without
 * changing (else text).
 */
import { randomUUID } from 'node:crypto';
import {
  DescribeQueriesCommand,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  MalformedQueryException,
  StartQueryCommand,
  type QueryInfo,
  StopQueryCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { SourceText } from '../../../queries/language/source';
import { FlowscopeError } from '../errors';
import type { AwsTarget } from '../ingest/aws/clients';
import { LOGS_REQUESTS_PER_SECOND } from '../ingest/aws/retry';
import {
  DEFAULT_POLL,
  mayHaveStarted,
  naming,
  pollUntil,
  QueryEnded,
  remoteCaller,
  stoppingOnFailure,
  stopStartedUnheard,
  type PollTiming,
  type RemoteCall,
} from './remote-call';
import type { RemoteRetry } from './retry-notice';

/** CloudWatch Logs Insights answers at most this many rows. */
const INSIGHTS_MAX_ROWS = 10_000;

/** Polls in a row (some 20 seconds with the default backoff) a query may be in status Unknown. */
const UNKNOWN_POLLS = 8;

export interface InsightsAnswer {
  queryId: string;
  columns: { name: string; type: string }[];
  rows: (string | null)[][];
  bytesScanned: number;
  /** The answer stopped at the service's 10,000 rows. */
  capped: boolean;
  /**
   * The answer is the rows found before a time limit stopped the query, not the whole answer: the service's
   * (status Timeout) or the caller's `timeLimit`.
   */
  partial?: 'service-limit' | 'time-limit';
}

export interface InsightsRunOptions extends AwsTarget {
  logGroups: string[];
  fromMs: number;
  toMs: number;
  signal: AbortSignal;
  /** Each call's retries: how many and how soon, and who hears of them. */
  retry?: RemoteRetry | undefined;
  /**
   * Aborted (with `signal`) when the caller's time limit passes: the query is stopped, and the rows found so
   * far are the answer where there are some, rather than an error.
   */
  timeLimit?: AbortSignal;
  poll?: PollTiming;
}

type Results = GetQueryResultsCommandOutput & { partial?: InsightsAnswer['partial'] };

/** Whether a GetQueryResults answer holds rows: the ones found so far while the query runs. */
const hasRows = (got: GetQueryResultsCommandOutput | undefined): got is GetQueryResultsCommandOutput =>
  (got?.results?.length ?? 0) > 0;

/** The largest and smallest BIGINT, which DuckDB reads a digit run as. */
const BIGINT_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const;

/**
 * Whether a value is an integer written as its own shortest form: no sign but `-`, no leading zero, no
 * space, in BIGINT's range. Anything else (`012345678901`, an account id) reads back as another text.
 */
function isInteger(v: string): boolean {
  if (!/^-?\d{1,19}$/.test(v)) return false;
  const n = BigInt(v);
  return n.toString() === v && n >= BIGINT_RANGE[0] && n <= BIGINT_RANGE[1];
}

/**
 * Whether a value is a decimal number that a DOUBLE holds and prints back as written: digits, at most one
 * point, no leading or trailing zero, no exponent or prefix (`0x1A`, `1e5`, ` 7` are JS numbers that DuckDB
 * reads otherwise, or not at all).
 */
function isDecimal(v: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(v) && String(Number(v)) === v;
}

/**
 * The DuckDB type every value of a column reads as without changing: integers, numbers, Insights' times,
 * else text. CloudWatch answers text; a column is typed only where the text is a number's own spelling, so
 * what is shown and grouped on is the value CloudWatch gave.
 */
function insightsColumnType(values: readonly (string | null)[]): string {
  const present = values.filter((v): v is string => v !== null);
  if (present.length === 0) return 'VARCHAR';
  if (present.every(isInteger)) return 'BIGINT';
  if (present.every(isDecimal)) return 'DOUBLE';
  if (present.every((v) => /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(v))) return 'TIMESTAMP';
  return 'VARCHAR';
}

/**
 * A query CloudWatch cannot compile, refused at the place it names (`queryCompileError.location`, character
 * offsets in the text sent), so it is shown with a caret as a local compile error is; else as it came.
 */
function compileError(err: unknown, query: string): unknown {
  if (!(err instanceof MalformedQueryException)) return err;
  const { location, message } = err.queryCompileError ?? {};
  const start = location?.startCharOffset;
  if (start === undefined || start < 0 || start > query.length) return err;
  const end = Math.min(Math.max(location?.endCharOffset ?? start, start), query.length);
  const span = new SourceText(query).span(start, end - start);
  const why = message ?? err.message;
  return new FlowscopeError(
    'query_error',
    `CloudWatch Logs Insights cannot run the query: line ${span.line}, column ${span.column}: ${why}`,
    { diagnostics: [{ message: why, span }] },
  );
}

/**
 * A comment line that makes this run's query text its own (Insights ignores what follows `#`), appended so
 * that the service's error offsets still fall in the analyst's text; it also names Flowscope in the
 * account's query history.
 */
function runTag(): string {
  return `# flowscope run ${randomUUID()}`;
}

/** DescribeQueries pages (1,000 queries each, the most it answers) read at most in looking for a run's tag. */
const MAX_LISTED_PAGES = 10;

/** The run's tag is not among the queries listed before the look-up stopped: it may have started unseen. */
class TagNotListed extends FlowscopeError {}

/**
 * The query started with this run's tag, if the service lists one (not one cancelled); else undefined. The
 * service documents no order, so every page is read, up to `MAX_LISTED_PAGES`: past that the query may yet
 * have started, and starting another would run it twice, so that is an error that says what to look for.
 */
async function taggedQuery(
  client: CloudWatchLogsClient,
  call: RemoteCall,
  logGroupName: string,
  tag: string,
  signal?: AbortSignal,
): Promise<QueryInfo | undefined> {
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_LISTED_PAGES; page++) {
    const listed = await call(
      'DescribeQueries',
      (abortSignal) =>
        client.send(new DescribeQueriesCommand({ logGroupName, maxResults: 1000, nextToken }), { abortSignal }),
      signal,
    );
    const found = listed.queries?.find((q) => q.queryString?.includes(tag) && q.status !== 'Cancelled');
    if (found || !listed.nextToken) return found;
    nextToken = listed.nextToken;
  }
  throw new TagNotListed(
    'aws_error',
    `CloudWatch Logs Insights: a StartQuery whose answer was lost may have started the query, and it is not among the ${(MAX_LISTED_PAGES * 1000).toLocaleString('en-US')} queries of ${logGroupName} looked through, so no other was started: stop the one ending '${tag}' if it runs, and run again.`,
  );
}

/** An error the service answered (a denial, a refusal), as the retry leaves it: not one given up on. */
function refusedByService(err: unknown): boolean {
  return (
    err instanceof FlowscopeError &&
    !(err instanceof TagNotListed) &&
    err.code !== 'cancelled' &&
    (err.detail as { name?: string } | undefined)?.name !== undefined
  );
}

/**
 * The start failed (cancelled, or given up) after an attempt that may have started the query unheard of: the
 * query found by the run's tag is stopped, on a signal of its own as a cancel's stop is, and the error says
 * so; a query Flowscope no longer waits for would run on, and be billed.
 */
async function stopUnheard(
  client: CloudWatchLogsClient,
  call: RemoteCall,
  logGroupName: string,
  tag: string,
  err: unknown,
): Promise<unknown> {
  const signal = new AbortController().signal;
  const service = 'CloudWatch Logs Insights';
  let found: QueryInfo | undefined;
  if (err instanceof TagNotListed) return err;
  try {
    found = await taggedQuery(client, call, logGroupName, tag, signal);
  } catch {
    return naming(err, undefined, `It may have started the query: stop the one ending '${tag}' on ${service}.`);
  }
  if (!found?.queryId) return err;
  const queryId = found.queryId;
  if (found.status !== 'Running' && found.status !== 'Scheduled')
    return naming(err, queryId, `The query ${queryId} had started and ended (${found.status}) on ${service}.`);
  return stopStartedUnheard(
    service,
    queryId,
    (stopSignal) =>
      call('StopQuery', (abortSignal) => client.send(new StopQueryCommand({ queryId }), { abortSignal }), stopSignal),
    err,
  );
}

export async function runInsightsQuery(
  client: CloudWatchLogsClient,
  query: string,
  opts: InsightsRunOptions,
): Promise<InsightsAnswer> {
  const call = remoteCaller(opts, 'CloudWatch Logs Insights', opts.signal, () => LOGS_REQUESTS_PER_SECOND);
  const tag = runTag();
  const sent = `${query}\n${tag}`;
  const logGroup = opts.logGroups[0]!;
  let unheard = false;
  let started;
  try {
    started = await call('StartQuery', async (abortSignal) => {
      // An attempt whose answer was lost (a 500, a dropped connection, no answer in time) may have started the
      // query: StartQuery has no idempotency token, so the retry first looks for the run's own tag among the
      // log group's queries and takes that query rather than start (and pay for) a second one. Each page of
      // the listing is retried on its own; one not allowed (logs:DescribeQueries) or otherwise refused by the
      // service starts the query anew, one given up on (or a tag not listed) is the start's failure.
      const earlier = unheard
        ? await taggedQuery(client, call, logGroup, tag, abortSignal).catch((err: unknown) => {
            if (!refusedByService(err)) throw err;
            return undefined;
          })
        : undefined;
      if (earlier?.queryId) return { queryId: earlier.queryId };
      return client
        .send(
          new StartQueryCommand({
            logGroupNames: opts.logGroups,
            // Events start on whole seconds: from 10:00:00.5 the first is 10:00:01, as on the workspace.
            startTime: Math.ceil(opts.fromMs / 1000),
            // The service counts endTime's second (its range is inclusive), the other engines stop before `to`:
            // flow-log events are whole seconds, so the last second before `to` is the same records.
            endTime: Math.ceil(opts.toMs / 1000) - 1,
            queryString: sent,
            // Without it the service stops at 1,000 rows.
            limit: INSIGHTS_MAX_ROWS,
          }),
          { abortSignal },
        )
        .catch((err: unknown) => {
          unheard ||= mayHaveStarted(err);
          throw compileError(err, query);
        });
    });
  } catch (err) {
    throw unheard ? await stopUnheard(client, call, logGroup, tag, err) : err;
  }
  const queryId = started.queryId;
  if (!queryId)
    throw new FlowscopeError('aws_error', 'CloudWatch Logs Insights accepted the query without a query id.');
  let unknown = 0;
  /** The last answer of the rows found so far, kept if the caller's time limit passes before the end. */
  let sofar: GetQueryResultsCommandOutput | undefined;
  const stop = (signal: AbortSignal) =>
    call('StopQuery', (abortSignal) => client.send(new StopQueryCommand({ queryId }), { abortSignal }), signal);
  const done: Results = await stoppingOnFailure(
    'CloudWatch Logs Insights',
    queryId,
    () =>
      pollUntil<Results>(opts.signal, opts.poll ?? DEFAULT_POLL, async () => {
        const got = await call('GetQueryResults', (abortSignal) =>
          client.send(new GetQueryResultsCommand({ queryId }), { abortSignal }),
        );
        unknown = got.status === 'Unknown' ? unknown + 1 : 0;
        switch (got.status) {
          case 'Complete':
            return got;
          case 'Failed':
            throw new QueryEnded('query_error', `CloudWatch Logs Insights could not run the query (${queryId}).`, {
              queryId,
            });
          case 'Timeout':
            // What it found before its limit is what the console shows, with a notice: kept, marked partial.
            if (hasRows(got)) return { ...got, partial: 'service-limit' };
            throw new QueryEnded(
              'query_error',
              `CloudWatch Logs Insights stopped the query at its 60-minute limit (${queryId}): narrow the time range or the log groups.`,
              { queryId },
            );
          case 'Cancelled':
            throw new QueryEnded('cancelled', `The query was cancelled on CloudWatch Logs Insights (${queryId}).`);
          case 'Unknown':
            // The service has lost track of the query; waiting on would wait forever.
            if (unknown >= UNKNOWN_POLLS)
              throw new FlowscopeError(
                'aws_error',
                `CloudWatch Logs Insights answered the status Unknown for the query ${UNKNOWN_POLLS} times in a row.`,
              );
            return undefined;
          default:
            // Scheduled, Running: the rows so far are not the answer, unless the time limit passes.
            if (hasRows(got)) sofar = got;
            return undefined;
        }
      }).catch(async (err: unknown) => {
        // The caller's time limit passed with rows found: the query is stopped (it would run on, and be
        // billed) and they are the answer, as the service's own limit leaves them.
        if (!opts.timeLimit?.aborted || !sofar) throw err;
        // A stop that fails leaves the error as it was: stoppingOnFailure tries again and says where it runs.
        await stop(new AbortController().signal).catch(() => {
          throw err;
        });
        return { ...sofar, partial: 'time-limit' as const };
      }),
    stop,
  );
  const names: string[] = [];
  const records = (done.results ?? []).map((row) => {
    const record = new Map<string, string>();
    for (const f of row) {
      if (!f.field || f.value === undefined) continue;
      if (!names.includes(f.field)) names.push(f.field);
      record.set(f.field, f.value);
    }
    return record;
  });
  const rows = records.map((r) => names.map((n) => r.get(n) ?? null));
  return {
    queryId,
    columns: names.map((name, i) => ({ name, type: insightsColumnType(rows.map((r) => r[i]!)) })),
    rows,
    bytesScanned: done.statistics?.bytesScanned ?? 0,
    // Exactly 10,000 rows is the whole answer when no more records matched.
    capped: rows.length >= INSIGHTS_MAX_ROWS && (done.statistics?.recordsMatched ?? Infinity) > rows.length,
    ...(done.partial ? { partial: done.partial } : {}),
  };
}
