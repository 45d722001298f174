/**
 * The wire format every transport carries, and the one rule for values that cross it.
 * Pure: imports nothing from Electron, DuckDB or Node.
 */
import { z } from 'zod';
import { COLUMN_KINDS } from '../../queries/chart/column-kind';
import { IsoTimeText } from '../../queries/catalog/iso-time-schema';

/**
 * The largest message a transport carries, as UTF-8 JSON: the browser host's WebSocket closes a connection
 * that sends more, so clients refuse to send it. Contract messages are small; results come in pages.
 */
export const MAX_MESSAGE_BYTES = 1 << 20;

/**
 * The browser host's two HTTP routes beside its WebSocket, for bytes too large for a message: a file the
 * page holds goes in by `POST UPLOAD_PATH` (its name, URI-encoded, in `UPLOAD_NAME_HEADER`; the answer is
 * `{ handle }`), a finished export comes out by `GET DOWNLOAD_PREFIX<downloadId>`. `main/serve` serves them
 * and the renderer's socket client calls them; nothing else knows them.
 */
export const UPLOAD_PATH = '/upload';
export const UPLOAD_NAME_HEADER = 'x-flowscope-file-name';
export const DOWNLOAD_PREFIX = '/export/';

/** Error codes an engine call can answer with. A caller can branch on them; the message is for people. */
export const ErrorCode = z.enum([
  'bad_request', // the input does not match the channel's schema
  'unknown_channel',
  'not_found',
  'conflict', // a library file changed on disk since the page read it: saving would undo that change
  'workspace_in_use',
  'workspace_incompatible', // newer Flowscope, newer DuckDB storage, or unexpected objects
  'import_failed',
  'query_error', // a query that does not compile, with a position
  'query_refused', // SQL that is not one read-only statement, or reaches outside the workspace
  'query_timeout',
  'cancelled',
  'aws_error',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** A position in a query text, as the query languages define it. */
export { SourceSpan } from '../../queries/language/types';

export const WireError = z.object({
  code: ErrorCode,
  message: z.string(),
  detail: z.unknown().optional(),
});
export type WireError = z.infer<typeof WireError>;

export const RequestMessage = z.object({
  id: z.union([z.number().int(), z.string().max(64)]),
  channel: z.string().max(64),
  input: z.unknown(),
});
export type RequestMessage = z.infer<typeof RequestMessage>;

export type ResponseMessage =
  { id: number | string; ok: true; value: unknown } | { id: number | string; ok: false; error: WireError };

export interface EventMessage {
  event: string;
  payload: unknown;
}

/**
 * Values in result rows. Columns carry their DuckDB type name; each cell is plain JSON by this rule:
 *  - NULL → null; BOOLEAN → boolean; VARCHAR/UUID/ENUM → string;
 *  - integers of any width (TINYINT … HUGEINT, UBIGINT …) → number when it is a safe integer, otherwise
 *    its decimal digits as a string (so nothing is rounded);
 *  - FLOAT/DOUBLE → number (NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity"), a FLOAT the
 *    shortest one that is the same 32-bit value (0.3, not the 0.30000001192092896 it widens to);
 *  - DECIMAL → its exact decimal text as a string;
 *  - TIMESTAMP (UTC) → ISO 8601 text with a Z, to the microsecond ("2026-01-02T03:04:05.000123Z");
 *    DATE → "YYYY-MM-DD"; TIME → "HH:MM:SS[.ffffff]"; INTERVAL → its DuckDB text;
 *  - BLOB → base64 text; LIST/ARRAY → array, STRUCT → object, MAP → array of {key, value}, by the same rule.
 */
export type CellValue = null | boolean | number | string | CellValue[] | { [key: string]: CellValue };
export const CellValue: z.ZodType<CellValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(CellValue), z.record(z.string(), CellValue)]),
);

/** A result column: its name, DuckDB type and, when the query says, what it holds (`queries/chart/column-meaning.ts`). */
export const Column = z.object({
  name: z.string(),
  type: z.string(),
  kind: z.enum(COLUMN_KINDS).optional(),
  /**
   * False where the query says the values are no sums or counts (an average, a maximum, a distinct count), so
   * a chart never adds two of them up into a wider bucket (`queries/chart/chart-data.ts`).
   */
  addsUp: z.literal(false).optional(),
});
export type Column = z.infer<typeof Column>;

/** A time on the wire: ISO 8601 text of a moment that exists (`iso-time.ts`); one without an offset means UTC. */
export const IsoTime = IsoTimeText;

export const TimeRange = z.object({ from: IsoTime.nullable(), to: IsoTime.nullable() });
export type TimeRange = z.infer<typeof TimeRange>;
