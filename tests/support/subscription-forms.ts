/**
 * CloudWatch Logs subscription deliveries as AWS writes them, built from generated flow-log records:
 * payloads (`messageType`, `owner`, `logGroup`, `logStream`, `subscriptionFilters`, `logEvents`) put back to
 * back by Kinesis Data Firehose (gzip'd whole, or each payload gzip'd as CloudWatch hands it over), the
 * service's CONTROL_MESSAGE among them, and the `{"awslogs": {"data": …}}` event a Lambda receives. The
 * expected counts are computed from the generated text itself, never by Flowscope.
 */
import { gzipSync } from 'node:zlib';
import { FlowLogGenerator } from '../../main/engine/ingest/generator';

export interface StreamEvents {
  group: string;
  stream: string;
  /** Flow-log records as CloudWatch keeps them: one message each, no header. */
  messages: string[];
}

/** Records from the generator as messages, in `fields` (AWS names) or the default format. */
export function generatedMessages(seed: number, count: number, fields?: readonly string[]): string[] {
  const gen = new FlowLogGenerator({ seed, ...(fields ? { fields } : {}) });
  return Array.from({ length: count }, (_, i) => gen.line(i / count));
}

export function dataMessage(s: StreamEvents, owner = '123456789012'): string {
  return JSON.stringify({
    messageType: 'DATA_MESSAGE',
    owner,
    logGroup: s.group,
    logStream: s.stream,
    subscriptionFilters: ['to-firehose'],
    logEvents: s.messages.map((message, i) => ({
      id: `3869${String(i).padStart(52, '0')}`,
      timestamp: Number(message.split(' ')[10] ?? 0) * 1000,
      message,
    })),
  });
}

/** What CloudWatch sends when a subscription is set up or checked. */
export const CONTROL_MESSAGE = JSON.stringify({
  messageType: 'CONTROL_MESSAGE',
  owner: 'CloudwatchLogs',
  logGroup: '',
  logStream: '',
  subscriptionFilters: [],
  logEvents: [
    { id: '', timestamp: 1772409600000, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' },
  ],
});

/**
 * A Firehose object: the payloads with no separator, each gzip'd on its own (as CloudWatch hands them to
 * Firehose, which stores records as they come) or the whole object gzip'd at once.
 */
export function firehoseObject(payloads: readonly string[], gzip: 'each' | 'whole'): Buffer {
  return gzip === 'each' ? Buffer.concat(payloads.map((p) => gzipSync(p))) : gzipSync(payloads.join(''));
}

/** The event a subscription's Lambda receives for one payload. */
export function lambdaEvent(payload: string): string {
  return JSON.stringify({ awslogs: { data: gzipSync(payload).toString('base64') } });
}

/** Records and the sum of `bytes` of default-format messages, counted in JavaScript. */
export function totals(messages: readonly string[], bytesField = 9): { records: number; bytes: number } {
  return {
    records: messages.length,
    bytes: messages.reduce((n, m) => {
      const v = m.split(' ')[bytesField]!;
      return n + (v === '-' ? 0 : Number(v));
    }, 0),
  };
}
