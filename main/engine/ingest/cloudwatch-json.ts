/**
 * CloudWatch Logs exports as files: the JSON `aws logs filter-log-events` and `get-log-events` print (and a
 * bare `logEvents` list, or its events one per line). Each event's message is one flow-log record. Subscription deliveries (Firehose
 * objects, Lambda events) are recognised first and read by DuckDB instead: see subscription.ts.
 */
import { FlowscopeError } from '../errors';

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
        : typeof obj.message === 'string'
          ? [obj]
          : undefined;
    if (!list)
      throw refuse(
        'it has neither "events" (filter-log-events, get-log-events) nor "logEvents" (a subscription payload), ' +
          'nor is it events (objects with a "message")',
      );
    for (const [i, e] of list.entries()) {
      const ev = e as Record<string, unknown> | null;
      if (!ev || typeof ev.message !== 'string') throw refuse(`event ${i + 1} has no message`);
      const id = typeof ev.eventId === 'string' ? ev.eventId : typeof ev.id === 'string' ? ev.id : undefined;
      const stream = nonEmpty(ev.logStreamName) ?? nonEmpty(obj.logStream);
      events.push({
        ...(id ? { id } : {}),
        timestamp: Number(ev.timestamp ?? 0),
        message: ev.message,
        ...(stream ? { stream } : {}),
      });
    }
  }
  return events;
}

/** One JSON document, or several: pages of `--output json` written one after another or one per line. */
function parseDocuments(text: string): unknown[] | undefined {
  try {
    const whole: unknown = JSON.parse(text);
    if (!Array.isArray(whole)) return [whole];
    // A bare list of events, as `--query events` prints it.
    const bare =
      whole.length > 0 && whole.every((e) => typeof (e as { message?: unknown } | null)?.message === 'string');
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
