/**
 * An independent reader for checking query answers: flow-log lines read with plain code, every field the
 * text the log wrote (`-` included), as Sumo Logic's `parse "* * …"` and CloudWatch Logs Insights see
 * them. Nothing here uses DuckDB or Flowscope's query code, so an answer computed from it is a second
 * opinion, not a copy of the first.
 */
import assert from 'node:assert/strict';
import type { CellValue } from '../../preload/contract';

/** One record: field name (lower case) → the text as logged. */
export type Logged = Record<string, string>;

/** The default format's fields under the names the Sumo VPC app's parse gives them (lower case). */
export const SUMO_VPC_NAMES = [
  'version',
  'accountid',
  'interfaceid',
  'src_ip',
  'dest_ip',
  'src_port',
  'dest_port',
  'protocol',
  'packets',
  'bytes',
  'startsample',
  'endsample',
  'action',
  'status',
];

/** The lines of a flow-log file (header skipped) as records with `names`. */
export function readLogged(text: string, names: readonly string[] = SUMO_VPC_NAMES): Logged[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('version '))
    .map((line) => {
      const parts = line.split(' ');
      return Object.fromEntries(names.map((n, i) => [n, parts[i]!]));
    });
}

/** A text as a number, or null when it is not one (`-`). */
export function num(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '' || Number.isNaN(Number(text))) return null;
  return Number(text);
}

/** The start of the time slice (of `seconds`) holding Unix time `t`, in milliseconds. */
export function slice(t: number, seconds: number): number {
  return Math.floor(t / seconds) * seconds * 1000;
}

export type Row = Record<string, string | number | null>;

/** Group records by the values of `keys` and compute each group's row with `value`. */
export function groupBy<T>(records: readonly T[], key: (r: T) => (string | number)[], value: (rs: T[]) => Row): Row[] {
  const groups = new Map<string, { key: (string | number)[]; members: T[] }>();
  for (const r of records) {
    const k = key(r);
    const id = JSON.stringify(k);
    const g = groups.get(id) ?? { key: k, members: [] };
    g.members.push(r);
    groups.set(id, g);
  }
  return [...groups.values()].map((g) => value(g.members));
}

export function sum(values: readonly (number | null)[]): number {
  return values.reduce<number>((a, b) => a + (b ?? 0), 0);
}

/** Sort rows by `key` (largest first unless `ascending`), ties by the row's text so the order is fixed. */
export function sortRows(rows: Row[], key: string, ascending = false): Row[] {
  return [...rows].sort((a, b) => {
    const d = Number(a[key]) - Number(b[key]);
    return (ascending ? d : -d) || JSON.stringify(a).localeCompare(JSON.stringify(b));
  });
}

/** A result's rows as objects with Flowscope's cells made comparable: times as milliseconds. */
export function resultRows(columns: readonly { name: string; type?: string }[], rows: readonly CellValue[][]): Row[] {
  return rows.map((r) =>
    Object.fromEntries(
      columns.map((c, i) => {
        const v = r[i] ?? null;
        if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v))
          return [c.name, Date.parse(v)];
        if (typeof v === 'string' && /^-?\d+$/.test(v) && c.type !== undefined && /INT/.test(c.type))
          return [c.name, Number(v)];
        return [c.name, v as string | number | null];
      }),
    ),
  );
}

/** Whether two cells agree: numbers within rounding, a number and the text of that number (Sumo's
 * values are texts, Flowscope keeps computed numbers as numbers). */
function close(a: unknown, b: unknown): boolean {
  const n = (x: unknown) => (typeof x === 'string' && x.trim() !== '' && !Number.isNaN(Number(x)) ? Number(x) : x);
  [a, b] = [n(a), n(b)];
  if (typeof a === 'number' && typeof b === 'number')
    return Number.isInteger(a) && Number.isInteger(b)
      ? a === b
      : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  return a === b;
}

/** The rows as keys, so that two answers can be compared whatever their order. */
function sameRow(actual: Row, expected: Row): boolean {
  return Object.keys(expected).every((k) => close(actual[k] ?? null, expected[k]));
}

/**
 * Asserts that `actual` holds exactly the `expected` rows (columns beyond the expected ones are ignored
 * unless `columns` names them all), in the same order when `ordered`.
 */
export function assertRows(
  actual: Row[],
  expected: Row[],
  options: { ordered?: boolean; columns?: readonly string[] } = {},
): void {
  if (options.columns) assert.deepEqual(Object.keys(actual[0] ?? {}), [...options.columns], 'result columns');
  const show = (rows: Row[]) => JSON.stringify(rows.slice(0, 12), null, 1);
  assert.equal(actual.length, expected.length, `row count\nactual: ${show(actual)}\nexpected: ${show(expected)}`);
  if (options.ordered) {
    expected.forEach((e, i) =>
      assert.ok(sameRow(actual[i]!, e), `row ${i}: ${JSON.stringify(actual[i])} is not ${JSON.stringify(e)}`),
    );
    return;
  }
  const left = [...actual];
  for (const e of expected) {
    const i = left.findIndex((a) => sameRow(a, e));
    assert.ok(i >= 0, `no row ${JSON.stringify(e)} in\n${show(left)}`);
    left.splice(i, 1);
  }
}

/** The nearest-rank percentile: the smallest value with at least `p` percent of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Sumo's `outlier f [window=, threshold=, consecutive=, direction=]` over a series in time order: each
 * point is judged against the mean and standard deviation (sample) of the `window` points before it, except
 * the last, the query's most recent time bucket, which the outlier page says is ignored (it may be partial).
 */
export function outlier(
  series: readonly Row[],
  field: string,
  { window = 10, threshold = 3, consecutive = 1, direction = '+-' } = {},
): Row[] {
  const values = series.map((r) => Number(r[field]));
  let run = 0;
  return series.map((row, i) => {
    const prev = values.slice(Math.max(0, i - window), i);
    const mean = prev.length ? prev.reduce((a, b) => a + b, 0) / prev.length : null;
    const std = prev.length > 1 ? Math.sqrt(prev.reduce((a, b) => a + (b - mean!) ** 2, 0) / (prev.length - 1)) : null;
    const lower = mean === null || std === null ? null : mean - threshold * std;
    const upper = mean === null || std === null ? null : mean + threshold * std;
    const x = values[i]!;
    const high = upper !== null && x > upper && direction.includes('+');
    const low = lower !== null && x < lower && direction.includes('-');
    const indicator = (high || low) && i < series.length - 1 ? 1 : 0;
    run = indicator ? run + 1 : 0;
    return {
      ...row,
      [`${field}_error`]: mean === null ? null : x - mean,
      [`${field}_lower`]: lower,
      [`${field}_upper`]: upper,
      [`${field}_indicator`]: indicator,
      [`${field}_violation`]: run >= consecutive ? 1 : 0,
    };
  });
}

/**
 * Sumo's linear `predict f by <step> forecast=n` over a time series (`_timeslice` in ms): missing slices
 * between the first and the last count as 0, a least-squares line through all points gives
 * `f_predicted`, `f_error` is predicted minus actual, and n forecast rows follow.
 */
export function predictLinear(series: readonly Row[], field: string, stepMs: number, forecast: number): Row[] {
  const byTime = new Map(series.map((r) => [Number(r._timeslice), Number(r[field])]));
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const first = times[0]!;
  const last = times.at(-1)!;
  const points: [number, number][] = [];
  for (let t = first; t <= last; t += stepMs) points.push([(t - first) / stepMs, byTime.get(t) ?? 0]);
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
  const at = (x: number) => my + slope * (x - mx);
  const rows: Row[] = points.map(([x, y]) => ({
    _timeslice: first + x * stepMs,
    [field]: y,
    [`${field}_predicted`]: at(x),
    [`${field}_error`]: at(x) - y,
  }));
  for (let k = 1; k <= forecast; k++) {
    const x = n - 1 + k;
    rows.push({
      _timeslice: first + x * stepMs,
      [field]: null,
      [`${field}_predicted`]: at(x),
      [`${field}_error`]: null,
    });
  }
  return rows;
}

/**
 * Sumo's `transpose row r column c`: one row per value of `r` (in the order they first come), one column
 * per value of `c`, holding `value`; absent cells are null. The columns come biggest total of `value` first
 * (a tie alphabetical), as Flowscope shows them so that a wide table opens on its busiest columns.
 */
export function transpose(rows: readonly Row[], row: string, column: string, value: string): Row[] {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(String(r[column]), (totals.get(String(r[column])) ?? 0) + Number(r[value] ?? 0));
  const columns = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  const out = new Map<string, Row>();
  for (const r of rows) {
    const key = JSON.stringify(r[row]);
    const o = out.get(key) ?? { [row]: r[row] ?? null, ...Object.fromEntries(columns.map((c) => [c, null])) };
    o[String(r[column])] ??= r[value] ?? null;
    out.set(key, o);
  }
  return [...out.values()];
}

/**
 * Checks a `top N … by v` answer against every candidate row, allowing any choice among ties: N rows (or
 * all), each a candidate with its value, largest first, and no candidate left out that beats one kept.
 */
export function assertTop(actual: Row[], candidates: Row[], n: number, value: string, keys: readonly string[]): void {
  const id = (r: Row) => JSON.stringify(keys.map((k) => (r[k] === null ? '-' : String(r[k]))));
  assert.equal(actual.length, Math.min(n, candidates.length), 'row count');
  const byId = new Map(candidates.map((c) => [id(c), c]));
  for (const a of actual) {
    const c = byId.get(id(a));
    assert.ok(c, `${JSON.stringify(a)} is not a candidate`);
    assert.ok(close(a[value], c[value]), `${JSON.stringify(a)}: ${value} should be ${c[value]}`);
  }
  for (let i = 1; i < actual.length; i++)
    assert.ok(Number(actual[i - 1]![value]) >= Number(actual[i]![value]), 'largest first');
  const kept = new Set(actual.map(id));
  const smallest = Math.min(...actual.map((a) => Number(a[value])));
  for (const c of candidates)
    if (!kept.has(id(c))) assert.ok(Number(c[value]) <= smallest, `${JSON.stringify(c)} should be in the top ${n}`);
}
