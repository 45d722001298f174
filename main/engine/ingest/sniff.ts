/**
 * What a file is, from its first bytes: Parquet, CloudWatch JSON (an export, or subscription payloads and
 * Lambda events: see subscription.ts; plain or gzip), or flow-log text (plain or
 * gzip, with or without the AWS header line, or a CloudWatch export to S3 whose lines start with the event's time;
 * or Logs Insights results downloaded as CSV, read as events like the JSON);
 * or comma-separated with a header naming the fields: a spreadsheet's CSV, Athena's downloaded results). Decided before anything is written, so a file that is not a
 * flow log is refused by name and reason without touching the workspace.
 */
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { FlowscopeError } from '../errors';
import {
  DEFAULT_LAYOUT,
  exportLayout,
  layoutRefusal,
  csvValues,
  parseCsvHeader,
  parseHeaderLine,
  parseLogFormat,
  unreadHeader,
  type RecordLayout,
} from './log-format';
import { isInsightsCsv } from './cloudwatch-json';
import type { StagedEventsText } from './flows-sql';
import { subscriptionForm, type SubscriptionForm } from './subscription';

export type FileKind =
  /**
   * `blankLines`: the blank lines the file starts with, before its header or first record; `events`: log
   * events Flowscope staged as text (never sniffed).
   */
  | {
      kind: 'text';
      gzip: boolean;
      header: boolean;
      layout: RecordLayout;
      blankLines?: number;
      events?: StagedEventsText;
    }
  | { kind: 'parquet' }
  | { kind: 'cloudwatch-json'; gzip: boolean }
  | { kind: 'cloudwatch-subscription'; gzip: boolean; form: SubscriptionForm };

const SAMPLE_BYTES = 64 * 1024;
/** How many of the first records must have the layout's field count for a headerless file to count as flow logs. */
const SAMPLE_LINES = 20;
/** A line of a CloudWatch Logs export to S3 (`create-export-task`): the event's time, then its message. */
const EXPORT_LINE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z /;
/** What to do with headerless lines of a custom format. */
const CUSTOM_FORMAT =
  ": if its flow log has a custom format, name its fields in their order (import --log-format '${version} ${interface-id} …')";

export async function sniffFile(path: string, logFormat?: string): Promise<FileKind> {
  // One byte past the sample tells whether the sample is the whole file.
  const head = await readHead(path, SAMPLE_BYTES + 1);
  if (head.length >= 4 && head.toString('latin1', 0, 4) === 'PAR1') return { kind: 'parquet' };
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  return sniffBytes(gzip ? await gunzipHead(path, SAMPLE_BYTES + 1) : head, gzip, logFormat, path);
}

/**
 * Classify the first bytes of a (decompressed) file, from its start (the whole of a small file, or more than
 * the sample, whose first SAMPLE_BYTES are looked at). UTF-16 text, which Windows PowerShell 5.1's `>` writes
 * (`aws logs filter-log-events … > events.json`), starts with its byte-order mark; read as UTF-8 it would be
 * refused as binary, which says nothing of what to do.
 */
export function sniffBytes(start: Buffer, gzip: boolean, logFormat: string | undefined, path: string): FileKind {
  const sample = start.subarray(0, SAMPLE_BYTES);
  const packed = packedAs(start);
  if (packed) throw notFlowLog(path, packed);
  const bom = sample.subarray(0, 2).toString('hex');
  if (bom === 'fffe' || bom === 'feff')
    throw notFlowLog(
      path,
      'it is UTF-16 text (as Windows PowerShell writes with >): save it as UTF-8, e.g. with Out-File -Encoding utf8',
    );
  return sniffText(sample.toString('utf8'), gzip, logFormat, path, start.length > SAMPLE_BYTES);
}

/** Archives and compressions other than gzip, by their first bytes (tar's mark is at 257), with what to do. */
const PACKED: [at: number, magic: string, what: string][] = [
  [0, 'PK\x03\x04', 'it is a ZIP archive: unpack it and import its files or folder'],
  [0, 'PK\x05\x06', 'it is an empty ZIP archive'],
  [257, 'ustar', 'it is a tar archive: unpack it (tar -xf) and import its files or folder'],
  // Only ever the start of a gzip's content: a gzip'd file is read decompressed.
  [0, '\x1f\x8b', "it is gzip'd twice: decompress it once (gunzip) and import what that gives"],
  [0, 'BZh', 'it is compressed with bzip2, and only gzip is read: decompress it first (bunzip2)'],
  [0, '\xfd7zXZ\x00', 'it is compressed with xz, and only gzip is read: decompress it first (unxz)'],
  [0, '\x28\xb5\x2f\xfd', 'it is compressed with zstd, and only gzip is read: decompress it first (unzstd)'],
  [0, '7z\xbc\xaf\x27\x1c', 'it is a 7-Zip archive: unpack it and import its files or folder'],
];

/** What a file's (decompressed) start says it is packed as, when it is an archive or another compression. */
function packedAs(start: Buffer): string | undefined {
  return PACKED.find(([at, magic]) => start.toString('latin1', at, at + magic.length) === magic)?.[2];
}

/**
 * Classify the first characters of a (decompressed) file; `cut`: they are not the whole file. Exported for
 * unit tests.
 */
export function sniffText(
  text: string,
  gzip: boolean,
  logFormat: string | undefined,
  path: string,
  cut = false,
): FileKind {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const form = subscriptionForm(trimmed);
    return form ? { kind: 'cloudwatch-subscription', gzip, form } : { kind: 'cloudwatch-json', gzip };
  }
  // The console's download of Logs Insights results: its `@message` column holds the records.
  if (isInsightsCsv(trimmed)) return { kind: 'cloudwatch-json', gzip };
  if (trimmed.length === 0) throw notFlowLog(path, 'it is empty');
  if (isBinary(text.slice(0, 4096))) throw notFlowLog(path, 'it is binary, not text, JSON or Parquet');
  const all = text.replace(/^\uFEFF/, '').split('\n');
  // The last line of the sample may be cut in the middle. A first line that fills the sample is no flow log's
  // (a header or record is a few hundred bytes), and read as one, its last name cut short, it could look like
  // a header that names a field twice.
  if (all.length > 1) all.pop();
  else if (cut) throw notFlowLog(path, `its first line is longer than ${SAMPLE_BYTES / 1024} KiB`);
  // Blank lines before the header or first record are passed over, as the reader passes over blank lines.
  const blankLines = Math.max(
    0,
    all.findIndex((l) => l.trim() !== ''),
  );
  const lines = all.slice(blankLines);
  const first = (lines[0] ?? '').replace(/\r$/, '');
  let header: RecordLayout | undefined;
  try {
    header = parseHeaderLine(first) ?? parseCsvHeader(first);
  } catch (err) {
    // A header naming a field twice.
    throw notFlowLog(path, (err as Error).message.replace(/^The /, 'the ').replace(/\.$/, ''));
  }
  const unread = header ? undefined : unreadHeader(first);
  if (unread) throw new FlowscopeError('import_failed', `${path} cannot be imported: ${unread}.`, { path });
  const columns = header ? undefined : columnNames(first);
  if (columns) {
    const shown = columns.length > 8 ? `${columns.slice(0, 8).join(', ')}, …` : columns.join(', ');
    throw notFlowLog(
      path,
      `its first line is a header naming the columns ${shown}: not a header of flow-log fields (each named as AWS ` +
        'or Athena name them: version, account_id, srcaddr, start, …), nor Logs Insights results (a header naming @message)',
    );
  }
  const given = logFormat ? parseLogFormat(logFormat) : undefined;
  const disagreement = header && given ? headerDisagreement(header, given) : undefined;
  if (disagreement) throw new FlowscopeError('import_failed', `${path} cannot be imported: ${disagreement}.`, { path });
  const message = header ?? given ?? DEFAULT_LAYOUT;
  const refusal = layoutRefusal(message, path);
  if (refusal) throw refusal;
  const records = lines
    .slice(header ? 1 : 0, (header ? 1 : 0) + SAMPLE_LINES)
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.length > 0);
  const exported = !header && records.length > 0 && records.every((l) => EXPORT_LINE.test(l));
  const layout = exported ? exportLayout(message) : message;
  // The reader takes blanks at a line's end for nothing, not for empty fields.
  const fieldsOf = (l: string) => (layout.csv ? csvValues(l, layout.csv) : l.trimEnd().split(' ')).length;
  if (!header && records.length > 0 && records.every((l) => l.includes(',') && !l.includes(' ')))
    throw notFlowLog(
      path,
      "it is comma-separated (a spreadsheet's CSV?) without a header line naming its fields; save it with its header row",
    );
  if (records.length > 0 && !records.some((l) => fieldsOf(l) === layout.fields.length)) {
    const found = fieldsOf(records[0]!) - (exported ? 1 : 0);
    const format = logFormat ? 'given log format' : 'default format';
    // Only a header or a log format says which fields a custom format's lines hold.
    const custom = header || logFormat ? '' : CUSTOM_FORMAT;
    throw notFlowLog(
      path,
      header
        ? `its records do not have the ${message.fields.length} fields its header names (the first has ${found})`
        : exported
          ? `it is a CloudWatch Logs export whose messages do not have the ${message.fields.length} fields of the ${format} (the first has ${found})${custom}`
          : `its first lines do not have the ${message.fields.length} fields of the ${format} (the first has ${found}) and there is no header line${custom}`,
    );
  }
  return { kind: 'text', gzip, header: header !== undefined, layout, ...(blankLines ? { blankLines } : {}) };
}

/** The fields of a layout as AWS names them, those it reads past (a header's partitions) left out. */
const fieldNames = (layout: RecordLayout) =>
  layout.fields.flatMap((f) => (f.kind === 'known' ? [f.field.aws] : f.kind === 'extra' ? [f.name] : []));

/**
 * How a file's header and the log format given disagree, or undefined when they name the same fields in the
 * same order. The header says what the file's lines hold, so the given format would be dropped without a word:
 * the file is refused instead, saying both (nothing is stored), for the format given is then wrong for this file
 * or the file is not the one meant. There is no warning an import could carry to the CLI and the app.
 */
function headerDisagreement(header: RecordLayout, given: RecordLayout): string | undefined {
  const inHeader = fieldNames(header);
  const inFormat = fieldNames(given);
  const at = inHeader.findIndex((name, i) => name !== inFormat[i]);
  if (at === -1 && inHeader.length === inFormat.length) return undefined;
  const where =
    at === -1
      ? `the format names ${inFormat.length - inHeader.length} more after them`
      : at >= inFormat.length
        ? `the header names ${inHeader.length - inFormat.length} more than the format`
        : `field ${at + 1} is ${inHeader[at]} in the header, ${inFormat[at]} in the format`;
  return (
    `its header line names the fields "${inHeader.join(' ')}" but the log format given names "${inFormat.join(' ')}" ` +
    `(${where}): a file's header says which fields its lines hold, so import it without the log format, or with ` +
    'the one its header names'
  );
}

/**
 * The names of a first line that is a CSV's header (comma- or semicolon-separated, each value a name:
 * isColumnName), or undefined. Called only for a line that is no
 * header Flowscope reads, to say what it saw rather than count its names as one record's fields.
 */
function columnNames(line: string): string[] | undefined {
  for (const separator of [',', ';'] as const) {
    if (!line.includes(separator)) continue;
    const names = csvValues(line.replace(/^\uFEFF/, ''), separator).map((n) => n.trim());
    if (names.length > 1 && names.every(isColumnName)) return names;
  }
  return undefined;
}

/** A CSV header's name: not empty, not a number or `-` (every record holds those), a few words at most (not prose). */
function isColumnName(name: string): boolean {
  return (
    name !== '' && name !== '-' && !/^[-+]?[.0-9]/.test(name) && name.length <= 64 && name.split(/\s+/).length <= 3
  );
}

/**
 * Control characters other than tab, line breaks and form feed do not occur in text logs, nor bytes that
 * are not UTF-8 (read as U+FFFD). A file is binary when it starts with one or they are a tenth of its start
 * (random bytes: about half): a stray NUL in one line makes that line a rejected one (record-checks.ts), not
 * the file binary.
 */
function isBinary(sample: string): boolean {
  const odd = (c: number) => c < 9 || (c > 13 && c < 32) || c === 0xfffd;
  let count = 0;
  for (let i = 0; i < sample.length; i++) if (odd(sample.charCodeAt(i))) count++;
  return odd(sample.charCodeAt(0)) || count * 10 > sample.length;
}

function notFlowLog(path: string, why: string): FlowscopeError {
  return new FlowscopeError('import_failed', `${path} is not a flow log: ${why}.`, { path });
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The first decompressed bytes of a gzip file; a file cut short still yields what it has. */
async function gunzipHead(path: string, bytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  const chunks: Buffer[] = [];
  let have = 0;
  try {
    const gunzip = createGunzip();
    const stream = fh.createReadStream({ highWaterMark: 64 * 1024 });
    await new Promise<void>((resolve, reject) => {
      gunzip.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        have += chunk.length;
        if (have >= bytes) {
          stream.destroy();
          resolve();
        }
      });
      gunzip.on('end', resolve);
      gunzip.on('error', (err) =>
        have > 0
          ? resolve()
          : reject(new FlowscopeError('import_failed', `${path} is not readable gzip: ${err.message}.`, { path })),
      );
      stream.on('error', reject);
      stream.pipe(gunzip);
    });
  } finally {
    await fh.close();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}
