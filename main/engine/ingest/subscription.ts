/**
 * CloudWatch Logs subscription payloads as files, in the forms teams keep them:
 *  - what Kinesis Data Firehose writes to S3 for a log group's subscription: payloads
 *    (`{"messageType":"DATA_MESSAGE","owner","logGroup","logStream","subscriptionFilters","logEvents":[…]}`)
 *    back to back with no separator, the object gzip'd as a whole or each payload gzip'd on its own, with the
 *    service's `CONTROL_MESSAGE` health checks among them;
 *  - one payload as a subscription's Lambda sees it once decoded;
 *  - the Lambda event itself, `{"awslogs": {"data": "<base64 of the gzip'd payload>"}}`, one or several.
 *
 * DuckDB reads the payloads (its JSON reader takes values back to back, and gzip members one after
 * another) and writes each data message's events as text lines `<n> <owner> <log group> <log stream> <message>`
 * (`n` the event's place in the file, which a rejected line names, with the message as logged)
 * into a staged file per record layout; the text reader then takes them like any flow-log text, with the
 * group's owning account, the group and the stream (URL-encoded, so a space in a stream name stays one field)
 * kept in `extra` as `log-owner`, `log-group` and `log-stream` (Insights' `@log` is `<owner>:<group>`). A log
 * group's layout is the format remembered for it (log-group-formats.ts), else the one given for the import,
 * else the default format. Only the Lambda event's base64 needs Node: DuckDB cannot inflate a value.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { FlowscopeError } from '../errors';
import { sqlString } from '../../../queries/catalog/sql-quote';
import type { SqlRunner } from '../workspace';
import { DEFAULT_LAYOUT, LOG_STREAM_FIELD, parseLogFormat, type LayoutField, type RecordLayout } from './log-format';
import { rememberedFormats } from './log-group-formats';
import { stagingName } from './stage';

export type SubscriptionForm = 'payloads' | 'lambda-event';

/** Which subscription form JSON text begins as, if any (from the first characters of a file). */
export function subscriptionForm(text: string): SubscriptionForm | undefined {
  if (/^\[?\s*\{\s*"awslogs"\s*:/.test(text)) return 'lambda-event';
  if (/^\[?\s*\{\s*"messageType"\s*:/.test(text)) return 'payloads';
  // Re-serialised payloads need not put messageType first.
  if (/"messageType"\s*:\s*"(DATA|CONTROL)_MESSAGE"/.test(text) && text.includes('"logEvents"')) return 'payloads';
  return undefined;
}

/** The provenance fields in front of every staged line. */
const PROVENANCE: LayoutField[] = [
  { kind: 'extra', name: 'log-owner', urlEncoded: true },
  { kind: 'extra', name: 'log-group', urlEncoded: true },
  LOG_STREAM_FIELD,
];

/** The provenance fields' text in front of each event's message: `-` for one a hand-made payload lacks. */
const PROVENANCE_TEXT = ['owner', 'logGroup', 'logStream']
  .map((key) => `coalesce(nullif(url_encode(p.${key}), ''), '-')`)
  .join(" || ' ' || ");

/**
 * The event's number in front of each staged line: its place among the file's log events (every payload's,
 * data messages only, from 1), which a rejected line names instead of the staged file's line. Read past.
 */
const EVENT_NUMBER: LayoutField = { kind: 'skip', name: 'event' };

/** How a staged line is read back for a rejected one: its number first, then the provenance, then the message. */
export const STAGED_EVENTS = { prefix: 1 + PROVENANCE.length, numbered: true, logGroup: true } as const;

/**
 * A staged text file of one layout's events, in file order, and that layout with the event number and the
 * provenance fields in front.
 */
export interface StagedEvents {
  staged: string;
  layout: RecordLayout;
}

export interface SubscriptionPlan {
  /** For the import ledger: `cloudwatch-subscription <layout>[ | <layout>…]`. */
  format: string;
  controlMessages: number;
  /** Writes the staged text files (inside the import's transaction); the caller reads and removes them. */
  stage(tx: SqlRunner, stagingDir: string): Promise<StagedEvents[]>;
}

function refuse(path: string, why: string): FlowscopeError {
  return new FlowscopeError(
    'import_failed',
    `${path} is not a CloudWatch Logs subscription delivery of flow logs: ${why}.`,
    { path },
  );
}

/** The payloads of a file, as a relation with one row per payload. */
function payloadsSql(staged: string, gzip: boolean): string {
  const columns = `{messageType: 'VARCHAR', owner: 'VARCHAR', logGroup: 'VARCHAR', logStream: 'VARCHAR', logEvents: 'STRUCT("timestamp" BIGINT, message VARCHAR)[]'}`;
  // A payload is at most a megabyte or so; the default cap (16 MB) is near enough to matter for hand-made files.
  return `read_json(${sqlString(staged)}, format = 'auto', columns = ${columns}, compression = '${gzip ? 'gzip' : 'uncompressed'}', maximum_object_size = 268435456)`;
}

/**
 * Looks at the payloads once (which log groups, how many control messages, nothing else) and answers how
 * they will be read. `stagedPayloads` is decoded JSON (a Lambda event goes through decodeLambdaEvents first).
 */
export async function planSubscription(
  db: SqlRunner,
  stagedPayloads: string,
  gzip: boolean,
  shownAs: string,
  logFormat: string | undefined,
): Promise<SubscriptionPlan> {
  let rows: Array<{ group: string | null; type: string | null; n: bigint }>;
  try {
    rows = await db.all(
      `SELECT CASE WHEN messageType = 'DATA_MESSAGE' THEN logGroup END AS "group", messageType AS type, count(*) AS n ` +
        `FROM ${payloadsSql(stagedPayloads, gzip)} GROUP BY ALL ORDER BY ALL`,
    );
  } catch (err) {
    throw refuse(shownAs, `its JSON cannot be read (${firstLine(err)})`);
  }
  const strange = rows.find((r) => r.type !== 'DATA_MESSAGE' && r.type !== 'CONTROL_MESSAGE');
  if (strange) {
    throw refuse(
      shownAs,
      strange.type === null
        ? 'it holds JSON without a "messageType"'
        : `it holds a message of type "${strange.type}" (only DATA_MESSAGE and CONTROL_MESSAGE are known)`,
    );
  }
  const groups = rows.filter((r) => r.type === 'DATA_MESSAGE').map((r) => r.group ?? '');
  const controlMessages = rows.filter((r) => r.type === 'CONTROL_MESSAGE').reduce((n, r) => n + Number(r.n), 0);
  if (groups.length === 0 && controlMessages === 0) throw refuse(shownAs, 'it holds no payload');

  const remembered = await rememberedFormats(db, groups);
  const fallback = logFormat ? parseLogFormat(logFormat) : DEFAULT_LAYOUT;
  const byLayout = new Map<string, { layout: RecordLayout; groups: string[] }>();
  for (const group of groups) {
    const format = remembered.get(group);
    const layout = format ? parseLogFormat(format) : fallback;
    const entry = byLayout.get(layout.description) ?? { layout, groups: [] };
    entry.groups.push(group);
    byLayout.set(layout.description, entry);
  }
  const parts = [...byLayout.values()];
  return {
    format: `cloudwatch-subscription ${parts.map((p) => p.layout.description).join(' | ') || 'default'}`,
    controlMessages,
    async stage(tx, stagingDir) {
      const out: StagedEvents[] = [];
      for (const part of parts) {
        const staged = stagingName(stagingDir, '.events.log');
        // One line per event: a message's own line breaks would split its record. Events are numbered in the
        // file's order (the payload's place, WITH ORDINALITY, then the event's in it): the writer connection
        // does not keep the reader's order, and a part holds only some log groups' events.
        const events =
          `SELECT ordinality AS payload, owner, logGroup, logStream, unnest(logEvents) AS e, ` +
          `generate_subscripts(logEvents, 1) AS i FROM ${payloadsSql(stagedPayloads, gzip)} WITH ORDINALITY ` +
          `WHERE messageType = 'DATA_MESSAGE'`;
        await tx.run(
          `COPY (SELECT n || ' ' || line FROM (SELECT row_number() OVER (ORDER BY p.payload, p.i) AS n, ` +
            `coalesce(p.logGroup, '') AS grp, ${PROVENANCE_TEXT} || ' ' || ` +
            `trim(regexp_replace(p.e.message, '[\\r\\n]+', ' ', 'g')) AS line FROM (${events}) AS p) ` +
            `WHERE grp IN (${part.groups.map(sqlString).join(', ')}) ORDER BY n) ` +
            `TO ${sqlString(staged)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\\x1f')`,
        );
        out.push({
          staged,
          layout: { ...part.layout, fields: [EVENT_NUMBER, ...PROVENANCE, ...part.layout.fields] },
        });
      }
      return out;
    },
  };
}

/**
 * The payloads inside Lambda events (one event, an array of them, or one per line), decoded from base64 and
 * inflated, written one after another into a staged file; answers its path.
 */
export async function decodeLambdaEvents(
  stagedPath: string,
  gzip: boolean,
  shownAs: string,
  stagingDir: string,
): Promise<string> {
  let text: string;
  try {
    const bytes = await readFile(stagedPath);
    text = (gzip ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (err) {
    throw refuse(shownAs, `it is not readable gzip (${firstLine(err)})`);
  }
  const events = parseJsonValues(text);
  if (!events) throw refuse(shownAs, 'it is not valid JSON');
  const payloads = events.map((event, i) => {
    const data = (event as { awslogs?: { data?: unknown } } | null)?.awslogs?.data;
    if (typeof data !== 'string') throw refuse(shownAs, `event ${i + 1} has no "awslogs": {"data": …}`);
    try {
      return gunzipSync(Buffer.from(data, 'base64'));
    } catch {
      throw refuse(shownAs, `the data of event ${i + 1} is not base64 of gzip'd JSON`);
    }
  });
  const target = stagingName(stagingDir, '.payloads.json');
  await writeFile(target, Buffer.concat(payloads.flatMap((p) => [p, Buffer.from('\n')])));
  return target;
}

/** One JSON value, an array of them, or one per line. */
function parseJsonValues(text: string): unknown[] | undefined {
  try {
    const whole: unknown = JSON.parse(text);
    return Array.isArray(whole) ? whole : [whole];
  } catch {
    try {
      return text
        .split('\n')
        .filter((l) => l.trim().length > 0)
        .map((l) => JSON.parse(l) as unknown);
    } catch {
      return undefined;
    }
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err))
    .split('\n')[0]!
    .replace(/"[^"]*\/staging\/[^"]*"/g, 'the file');
}
