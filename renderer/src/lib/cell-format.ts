/**
 * The one rule for how values read, by what a column means (`columnKind`), not by its name: byte counts
 * in decimal units (kB, MB, GB: 1 kB = 1,000 bytes), counts with thousands separators, ports, protocol
 * numbers and ids as written (no separators) with the service or protocol name beside them, times in the
 * chosen zone. The grid, the dashboard tables, chart axes and tooltips and the big numbers all use it. The
 * raw value stays what is copied and what drill-down filters on.
 */
import type { CellValue, Column } from '../../../preload/contract';
import { protocolName, serviceName } from '../../../queries/catalog/protocols';
import { columnKind, type ColumnKind } from '../../../queries/chart/column-kind';
import { visibleText } from './visible-text';

export type TimeZoneChoice = 'utc' | 'local';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** 1500 → "1.50 kB": SI units (powers of 1,000), labelled as SI (kB, not KB or KiB). */
export function formatBytes(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  let n = Math.abs(value);
  let unit = 0;
  while (n >= 999.5 && unit < UNITS.length - 1) {
    n /= 1000;
    unit++;
  }
  const digits = unit === 0 || n >= 100 ? 0 : n >= 10 ? 1 : 2;
  return `${value < 0 ? '-' : ''}${n.toFixed(digits)} ${UNITS[unit]}`;
}

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
/** Below 1: three significant digits (0.0004, not 0); below a millionth, as a power of ten (1.5E-10). */
const fractions = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const tiny = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3, notation: 'scientific' });

/** The format for a number of this size: a value under 1 keeps its significant digits. */
function formatFor(n: number): Intl.NumberFormat {
  const size = Math.abs(n);
  return size >= 1 || size === 0 ? counts : size >= 1e-6 ? fractions : tiny;
}

/** A number written out in decimal digits, as DuckDB sends one a double would change (BIGINT past 2^53, HUGEINT, DECIMAL). */
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * A count or another quantity: thousands separators, at most three decimals, and a value under 1 with its
 * first three significant digits (a ratio of 0.0004 read 0). A number sent as text is formatted from its
 * digits (Intl reads them exactly), never through a double: 9007199254740993 stays odd.
 */
export function formatNumber(value: number | string): string {
  return numberText(value, undefined);
}

/**
 * `formatNumber` with a column's decimals (`columnDecimals`). Its own function, not a second parameter: a chart
 * hands an axis formatter the label's index as its second argument.
 */
function numberText(value: number | string, decimals: number | undefined): string {
  if (typeof value === 'string' && !DECIMAL_TEXT.test(value)) return value;
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  // A column's decimals, unless a value under 1 would lose its significant digits by them (0.0004 is not 0.00).
  const keeps = Math.abs(n) >= 1 || Number(n.toFixed(decimals)) === Number(n.toPrecision(3));
  const format = decimals !== undefined && keeps ? fixed(decimals) : formatFor(n);
  return typeof value === 'string' ? format.format(value as `${number}`) : format.format(value);
}

const fixedFormats = new Map<number, Intl.NumberFormat>();
function fixed(decimals: number): Intl.NumberFormat {
  let format = fixedFormats.get(decimals);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    fixedFormats.set(decimals, format);
  }
  return format;
}

/** The most decimals a column's numbers are shown with (`formatNumber`'s three), as in `68,337.735`. */
const MAX_DECIMALS = 3;

/**
 * The decimals a column of numbers is shown with: as many as its values need (the first rows, at most three),
 * the same on every row, so that right-aligned digits line up (`68,337.735` over `704.940`, not `704.94`).
 * Undefined for a column of whole numbers, which shows no decimals.
 */
export function columnDecimals(values: Iterable<CellValue>, type = ''): number | undefined {
  // A DECIMAL says its scale: 10.50 and 2.00 of a DECIMAL(18,2) are not 10.5 and 2.
  const scale = /^DECIMAL\(\d+,\s*(\d+)\)$/i.exec(type)?.[1];
  if (scale !== undefined) return Number(scale) > 0 ? Math.min(MAX_DECIMALS, Number(scale)) : undefined;
  let most = 0;
  for (const value of values) {
    const n = asNumber(value);
    if (n === null || !Number.isFinite(n) || Number.isInteger(n)) continue;
    const fraction = counts.format(n).split('.')[1] ?? '';
    most = Math.max(most, Math.min(MAX_DECIMALS, fraction.length));
  }
  return most > 0 ? most : undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The zone times read in, by name: "UTC", or this machine's ("America/New_York"), so a shown time says which. */
export function zoneName(zone: TimeZoneChoice): string {
  return zone === 'utc' ? 'UTC' : Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
}

/** An ISO instant as "2026-01-02 03:04:05" in UTC or in this machine's zone, with milliseconds when it has them. */
export function formatTime(iso: string, zone: TimeZoneChoice): string {
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms);
  const utc = zone === 'utc';
  const parts = utc
    ? [
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCMilliseconds(),
      ]
    : [
        d.getFullYear(),
        d.getMonth() + 1,
        d.getDate(),
        d.getHours(),
        d.getMinutes(),
        d.getSeconds(),
        d.getMilliseconds(),
      ];
  const [y, mo, da, h, mi, s, milli] = parts as [number, number, number, number, number, number, number];
  const fraction = milli ? `.${pad(milli, 3)}` : '';
  const offset = utc ? '' : repeatedWallOffset(ms);
  return `${y}-${pad(mo)}-${pad(da)} ${pad(h)}:${pad(mi)}:${pad(s)}${fraction}${offset}`;
}

/** This machine's UTC offset at an instant, in minutes (New York in summer: -240). */
const localOffset = (ms: number) => -new Date(ms).getTimezoneOffset();

/** Minutes of offset as `+02:00`, `-04:00`. */
export function offsetText(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * In this machine's zone, the offset of an instant whose wall time the zone shows twice (the hour a DST
 * fall-back repeats: 01:30 in New York on 2024-11-03 is 05:30Z and 06:30Z), as " -04:00"; '' for any other
 * instant, whose wall time is one instant only.
 */
export function repeatedWallOffset(ms: number): string {
  const own = localOffset(ms);
  const wall = ms + own * 60_000;
  for (const near of [localOffset(ms - 3 * 3_600_000), localOffset(ms + 3 * 3_600_000)]) {
    if (near !== own && localOffset(wall - near * 60_000) === near) return ` ${offsetText(own)}`;
  }
  return '';
}

function plain(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Characters of a value shown in a cell, a label or a tooltip: a cell 420 pixels wide shows some sixty, and a
 * browser lays out the whole text it is given (a 2 MB value froze the window for seconds). Copying and export
 * take the whole value.
 */
export const SHOWN_CHARACTERS = 2000;

export function cutForShowing(text: string): string {
  return text.length > SHOWN_CHARACTERS ? `${text.slice(0, SHOWN_CHARACTERS)}…` : text;
}

/** What the grid shows for a cell, and a second, quieter part (a name beside a number, shown after a space). */
export interface FormattedCell {
  text: string;
  note?: string;
}

export interface CellContext {
  zone: TimeZoneChoice;
  /** The row's protocol number, so a port is named for its transport (53/udp is domain too, 443/udp is https). */
  protocol?: number | null;
  /** For a number, the decimals its column shows (`columnDecimals`). */
  decimals?: number;
}

function asNumber(value: CellValue): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return null;
}

/**
 * What NULL reads as wherever a value is shown: `NULL`, in the muted italic of `.null-value` and with
 * NULL_TITLE, so it is not taken for the text "null" (or "NULL", which shows upright as written).
 */
export const NULL_TEXT = 'NULL';
export const NULL_TITLE = 'NULL: no value (text is shown upright, as written)';

/** Text that is empty or only blanks, which shown as itself could not be told from nothing (nor from NULL). */
export const isBlankText = (value: CellValue): value is string => typeof value === 'string' && value.trim() === '';

/** How a cell reads (`formatAs`), with what would act on the page shown as marks (`visibleText`). */
export function formatCellFor(kind: ColumnKind, value: CellValue, context: CellContext): FormattedCell {
  const cell = formatAs(kind, value, context);
  return { ...cell, text: visibleText(cell.text) };
}

function formatAs(kind: ColumnKind, value: CellValue, context: CellContext): FormattedCell {
  if (value === null) return { text: '' };
  // Quoted, so '' and '  ' are seen as the text they are: `""`, `"  "`.
  if (isBlankText(value)) return { text: JSON.stringify(value) };
  const n = asNumber(value);
  switch (kind) {
    case 'time':
      return typeof value === 'string'
        ? { text: /^\d{4}-\d\d-\d\dT/.test(value) ? formatTime(value, context.zone) : value }
        : { text: plain(value) };
    case 'bytes':
      return n === null ? { text: plain(value) } : { text: formatBytes(n) };
    case 'protocol': {
      const name = n === null ? null : protocolName(n);
      return name ? { text: plain(value), note: name } : { text: plain(value) };
    }
    case 'port': {
      const name = n === null ? null : serviceName(n, context.protocol ?? 6);
      return name ? { text: plain(value), note: name } : { text: plain(value) };
    }
    case 'number':
      return n !== null && (typeof value === 'number' || typeof value === 'string')
        ? { text: numberText(value, context.decimals) }
        : { text: plain(value) };
    default:
      return { text: cutForShowing(plain(value)) };
  }
}

/**
 * A formatter per column, made once per result, so the grid does no per-cell lookups of names. `sample`: the
 * result's first rows, which set each number column's decimals (`columnDecimals`).
 */
export function cellFormatters(
  columns: readonly Column[],
  zone: TimeZoneChoice,
  sample: readonly (readonly CellValue[])[] = [],
): ((row: readonly CellValue[], index: number) => FormattedCell)[] {
  const kinds = columns.map(columnKind);
  const protocolIndex = kinds.indexOf('protocol');
  return kinds.map((kind, i) => {
    const decimals =
      kind === 'number'
        ? columnDecimals(
            sample.map((row) => row[i] ?? null),
            columns[i]!.type,
          )
        : undefined;
    return (row, index) => {
      const protocol = protocolIndex >= 0 ? asNumber(row[protocolIndex] ?? null) : null;
      return formatCellFor(kind, row[index] ?? null, { zone, protocol, decimals });
    };
  });
}

export { plain as cellText };

/** A cell as one line of text ("22 ssh"), for chart labels, tooltips and anything that is not the grid. */
export function formatValue(kind: ColumnKind, value: CellValue, context: CellContext): string {
  const cell = formatCellFor(kind, value, context);
  return cell.note ? `${cell.text} ${cell.note}` : cell.text;
}
