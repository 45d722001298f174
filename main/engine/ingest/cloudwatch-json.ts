/**
 * CloudWatch Logs exports as files: the JSON `aws logs filter-log-events` and `get-log-events` print (and a
 * bare `logEvents` list, or its events one per line), and the results of a Logs Insights query the console
 * downloads (`logs-insights-results.csv`/`.json`: a row per event, its `@message` the record). Each event's
 * message is one flow-log record. Subscription deliveries (Firehose objects, Lambda events) are recognised first
 * and read by DuckDB instead: see subscription.ts.
 */
import { fromSpreadsheetText } from '../../../queries/catalog/spreadsheet-text';
import { FlowscopeError } from '../errors';
import { csvValues } from './log-format';

export interface CloudWatchEvent {
  id?: string;
  timestamp: number;
  message: string;
  /** The log stream it was logged to, where the export names it: filter-log-events does, get-log-events not. */
  stream?: string;
}

/** The events of one export, in file order; anything else is refused with the reason. */
export function parseCloudWatchExport(text: string, path: string): CloudWatchEvent[] {
  const refuse = (why: string) =>
    new FlowscopeError('import_failed', `${path} is not a CloudWatch Logs export of flow logs: ${why}.`, { path });
  const names = insightsCsvNames(text);
  if (names) return insightsCsvEvents(text, names, refuse);
  const documents = parseDocuments(text);
  if (!documents) throw refuse('it is not valid JSON');
  const events: CloudWatchEvent[] = [];
  for (const doc of documents) {
    if (!doc || typeof doc !== 'object') throw refuse('it holds JSON that is not an object');
    const obj = doc as Record<string, unknown>;
    if (obj.messageType === 'CONTROL_MESSAGE') continue;
    // A document that is itself an event: one per line, as `jq -c '.events[]'` writes them.
    const list = Array.isArray(obj.events)
      ? obj.events
      : Array.isArray(obj.logEvents)
        ? obj.logEvents
        : isEvent(obj)
          ? [obj]
          : undefined;
    if (!list) throw refuse(insightsFields(obj) ?? NO_EVENTS);
    for (const [i, e] of list.entries()) {
      const ev = e as Record<string, unknown> | null;
      if (!ev || !isEvent(ev)) throw refuse(insightsFields(ev) ?? `event ${i + 1} has no message`);
      if (typeof ev['@message'] === 'string') {
        events.push(insightsEvent(ev['@message'], ev['@timestamp'], ev['@logStream']));
        continue;
      }
      const id = typeof ev.eventId === 'string' ? ev.eventId : typeof ev.id === 'string' ? ev.id : undefined;
      const stream = nonEmpty(ev.logStreamName) ?? nonEmpty(obj.logStream);
      events.push({
        ...(id ? { id } : {}),
        timestamp: Number(ev.timestamp ?? 0),
        message: ev.message as string,
        ...(stream ? { stream } : {}),
      });
    }
  }
  return events;
}

const NO_EVENTS =
  'it has neither "events" (filter-log-events, get-log-events) nor "logEvents" (a subscription payload), ' +
  'nor is it events (objects with a "message", or Logs Insights results with "@message")';

/** An event of an export (`message`) or a row of Logs Insights results (`@message`). */
function isEvent(obj: Record<string, unknown>): boolean {
  return typeof obj.message === 'string' || typeof obj['@message'] === 'string';
}

/** Logs Insights results that left the record out, said so with how to export them with it; else undefined. */
function insightsFields(row: unknown): string | undefined {
  if (!row || typeof row !== 'object') return undefined;
  const names = Object.keys(row);
  return names.some((n) => n.startsWith('@')) ? withoutMessage(names) : undefined;
}

function withoutMessage(names: readonly string[]): string {
  return (
    `it holds Logs Insights results of the fields ${names.join(', ')}, without the records themselves: ` +
    'run the query with `fields @timestamp, @message, @logStream` (no stats) and download that'
  );
}

/** A row of Logs Insights results: `@timestamp` is UTC as `2023-11-14 22:13:20.000`. */
function insightsEvent(message: string, timestamp: unknown, stream: unknown): CloudWatchEvent {
  const time = typeof timestamp === 'string' ? Date.parse(`${timestamp.trim().replace(' ', 'T')}Z`) : NaN;
  const name = nonEmpty(stream);
  return { timestamp: Number.isNaN(time) ? 0 : time, message, ...(name ? { stream: name } : {}) };
}

/**
 * The field names of a CSV of Logs Insights results (its first line, names that start with `@`), or null. A
 * name may carry the `'` a spreadsheet guard puts before `@` (Flowscope's own CSV export writes
 * `'@timestamp,'@message,'@logStream`: see spreadsheet-text.ts), read as the name without it.
 */
function insightsCsvNames(text: string): string[] | null {
  const first = text
    .replace(/^\uFEFF/, '')
    .split('\n', 1)[0]!
    .replace(/\r$/, '');
  if (!/^"?'?@/.test(first)) return null;
  const names = csvValues(first).map((n) => fromSpreadsheetText(n.trim()));
  return names.every((name) => /^@?[\w.]+$/.test(name)) ? names : null;
}

export const isInsightsCsv = (text: string): boolean => insightsCsvNames(text) !== null;

function insightsCsvEvents(text: string, names: string[], refuse: (why: string) => FlowscopeError): CloudWatchEvent[] {
  const rows = text.split('\n').slice(1);
  const column = (name: string) => names.indexOf(name);
  const message = column('@message');
  if (message < 0) throw refuse(withoutMessage(names));
  const events: CloudWatchEvent[] = [];
  for (const [i, row] of rows.entries()) {
    const line = row.replace(/\r$/, '');
    if (line.trim() === '') continue;
    // Cells as logged: a message Flowscope's export guarded (`'- 123 …`, a custom format's first field `-`).
    const values = csvValues(line).map(fromSpreadsheetText);
    if (values.length !== names.length)
      throw refuse(`line ${i + 2} has ${values.length} values where its header names ${names.length}`);
    events.push(insightsEvent(values[message]!, values[column('@timestamp')], values[column('@logStream')]));
  }
  return events;
}

/** One JSON document, or several: pages of `--output json` written one after another or one per line. */
function parseDocuments(text: string): unknown[] | undefined {
  try {
    const whole: unknown = JSON.parse(text);
    if (!Array.isArray(whole)) return [whole];
    // A bare list of events, as `--query events` prints it.
    const bare = whole.length > 0 && whole.every((e) => e !== null && typeof e === 'object' && isEvent(e));
    return bare ? [{ events: whole }] : whole;
  } catch {
    const lines = text.split('\n').filter((l) => l.trim().length > 0);
    try {
      return lines.map((l) => JSON.parse(l) as unknown);
    } catch {
      return undefined;
    }
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Messages as text lines: one record per line, whatever line breaks a message carried; `withStreams`: each
 * after its stream, URL-encoded (LOG_STREAM_FIELD), `-` where the export named none.
 */
export function eventsToText(events: readonly CloudWatchEvent[], withStreams = false): string {
  const stream = (e: CloudWatchEvent) =>
    e.stream === undefined ? '- ' : `${e.stream === '-' ? '%2D' : encodeURIComponent(e.stream)} `;
  return (
    events.map((e) => `${withStreams ? stream(e) : ''}${e.message.replace(/[\r\n]+/g, ' ').trim()}`).join('\n') +
    (events.length ? '\n' : '')
  );
}
