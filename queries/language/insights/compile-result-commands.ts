/**
 * How the Insights commands that work on the result row by row in its order (`filldown`, `addtotals`,
 * `sessionize`, the interquartile `outlier`; read in `result-commands.ts`) change the SELECT the compiler
 * (`../compile.ts`) is building: each wraps the result so far and adds window columns over it.
 */
import type { Compiler } from '../compile';
import { numeric, text as textSql } from '../builtin-functions';
import type { ValueType } from '../field-names';
import type { SourceSpan, Stage } from '../plan';
import { asLogged, emptyBlock, HIDDEN, orderText, type Column, type OrderKey } from '../select-block';
import { QueryProblem } from '../source';

/** What these commands ask of the compiler. */
type RowCompiler = Pick<
  Compiler,
  'state' | 'counter' | 'wrap' | 'define' | 'lookup' | 'visible' | 'displayColumns' | 'render'
>;

/** The result's order for the commands that work row by row: a sort's, else records newest first, else time. */
function resultOrder(compiler: RowCompiler, span: SourceSpan): OrderKey[] {
  if (compiler.state.block.orderBy.length) return compiler.state.block.orderBy;
  if (compiler.state.base) return [{ sql: compiler.lookup('@timestamp', span).sql, descending: true }];
  const t = compiler.visible().find((c) => c.type === 'time');
  return t ? [{ sql: t.sql, descending: false }] : [];
}

/** The shown columns the names pick (`cpu*` a pattern), or all shown columns of `type` when none are named. */
function picked(
  compiler: RowCompiler,
  names: readonly { name: string; span: SourceSpan }[],
  type?: ValueType,
): Column[] {
  const shown = compiler.displayColumns();
  if (!names.length) return shown.filter((c) => type === undefined || c.type === type);
  return names.flatMap((n) => {
    if (!n.name.endsWith('*')) return [{ ...compiler.lookup(n.name, n.span), name: n.name }];
    const prefix = n.name.slice(0, -1);
    return shown.filter((c) => c.name.startsWith(prefix));
  });
}

/** Insights `filldown`: each null becomes the last value above it that is not; a logged `-` is a value. */
export function filldown(compiler: RowCompiler, stage: Extract<Stage, { kind: 'filldown' }>): void {
  compiler.wrap();
  const order = resultOrder(compiler, stage.span);
  const over = `OVER (${order.length ? `ORDER BY ${order.map((k) => orderText(k)).join(', ')} ` : ''}ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
  for (const c of picked(compiler, stage.fields))
    if (!c.dash && c.type !== 'time') compiler.define({ ...c, sql: `last_value(${c.sql} IGNORE NULLS) ${over}` });
  compiler.state.block.orderBy = order;
  compiler.wrap();
}

/**
 * Insights `addtotals`: the row total is the sum of the row's numbers among the fields (a text that is no
 * number adds nothing); the column totals are one more row, last, with each field's sum and the others empty.
 */
export function addtotals(compiler: RowCompiler, stage: Extract<Stage, { kind: 'addtotals' }>): void {
  compiler.wrap();
  const summed = picked(compiler, stage.fields, 'number');
  const asNumber = (c: Column) => numeric({ ...c, expr: { kind: 'null', span: stage.span } });
  if (stage.row) {
    const sum = summed.length ? summed.map((c) => `coalesce(${asNumber(c)}, 0)`).join(' + ') : '0';
    compiler.define({ name: stage.fieldname, sql: `(${sum})`, type: 'number' });
    if (compiler.state.display !== null && !compiler.state.display.includes(stage.fieldname))
      compiler.state.display.push(stage.fieldname);
  }
  if (!stage.col) return;
  compiler.wrap();
  const shown = compiler.displayColumns().map(asLogged);
  const isSummed = (c: Column) => summed.some((s) => s.name === c.name) || (stage.row && c.name === stage.fieldname);
  const order = compiler.state.block.orderBy;
  const place = `row_number() OVER (${order.length ? `ORDER BY ${order.map((k) => orderText(k)).join(', ')}` : ''})`;
  const rows = compiler.render({ ...compiler.state.block, orderBy: [], limit: compiler.state.block.limit }, [
    ...shown.map((c, i) => ({ sql: isSummed(c) ? asNumber(c) : c.sql, alias: `_t${i}` })),
    { sql: place, alias: '_place' },
  ]);
  const t = `_r${++compiler.counter}`;
  const totals = shown.map((c, i) => (isSummed(c) ? `sum(_t${i})` : 'NULL')).join(', ');
  compiler.state = {
    block: {
      ...emptyBlock(`(SELECT * FROM (${rows}) UNION ALL SELECT ${totals}, NULL FROM (${rows})) AS ${t}`),
      orderBy: [{ sql: '_place', descending: false }],
    },
    columns: shown.map((c, i) => ({
      name: c.name,
      sql: `_t${i}`,
      type: isSummed(c) ? 'number' : c.type,
    })),
    base: false,
    display: null,
    keys: compiler.state.keys,
  };
}

/**
 * Insights `sessionize`: in time order, per combination of the fields, an event more than `maxspan` after
 * the one before starts a new session; sessions are numbered 1, 2, … over the result, by their fields and
 * start.
 */
export function sessionize(compiler: RowCompiler, stage: Extract<Stage, { kind: 'sessionize' }>): void {
  compiler.wrap();
  const time = compiler.state.base
    ? compiler.lookup('@timestamp', stage.span)
    : compiler.visible().find((c) => c.type === 'time');
  if (!time)
    throw new QueryProblem(
      '`sessionize` needs the time of each row: keep @timestamp (or a bin) in the result.',
      stage.span,
    );
  // Each step reads the columns the SELECT before it made, so names are looked up again after a wrap.
  const keys = () =>
    stage.by
      .map((b) => textSql({ ...compiler.lookup(b.name, b.span), expr: { kind: 'null', span: b.span } }))
      .join(', ');
  const at = () => compiler.lookup(time.name, stage.span).sql;
  const order = compiler.state.block.orderBy;
  const starts = `${HIDDEN}starts`;
  compiler.define({
    name: starts,
    sql: `CASE WHEN ${at()} - lag(${at()}) OVER (PARTITION BY ${keys()} ORDER BY ${at()}) <= INTERVAL '${stage.maxspanMs} milliseconds' THEN 0 ELSE 1 END`,
    type: 'number',
  });
  compiler.wrap();
  const session = `${HIDDEN}session`;
  compiler.define({
    name: session,
    sql: `sum(${compiler.lookup(starts, stage.span).sql}) OVER (PARTITION BY ${keys()} ORDER BY ${at()} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`,
    type: 'number',
  });
  compiler.wrap();
  const started = `${HIDDEN}started`;
  compiler.define({
    name: started,
    sql: `min(${at()}) OVER (PARTITION BY ${keys()}, ${compiler.lookup(session, stage.span).sql})`,
    type: 'time',
  });
  compiler.wrap();
  compiler.define({
    name: stage.as.name,
    sql: `dense_rank() OVER (ORDER BY ${keys()}, ${compiler.lookup(started, stage.span).sql})`,
    type: 'number',
  });
  compiler.state.columns = compiler.state.columns.filter((c) => ![starts, session, started].includes(c.name));
  if (compiler.state.display !== null && !compiler.state.display.includes(stage.as.name))
    compiler.state.display.push(stage.as.name);
  compiler.state.block.orderBy = order;
  compiler.wrap();
}

/**
 * Insights `outlier` (interquartile range over the whole result): above Q3 + param × IQR, and with
 * `useLower` below Q1 − param × IQR, a value is an outlier; `remove` drops the row, `transform` puts the
 * bound in its place; `mark` adds `<field>_outlier`, true for such a row.
 */
export function iqrOutlier(compiler: RowCompiler, stage: Extract<Stage, { kind: 'iqrOutlier' }>): void {
  compiler.wrap();
  const fields = stage.fields.map((f) => ({ ...compiler.lookup(f.name, f.span), name: f.name }));
  const bounds = fields.map((f, i) => {
    const v = numeric({ ...f, expr: { kind: 'null', span: stage.span } });
    const q = (p: number) => `quantile_cont(${v}, ${p}) OVER ()`;
    const iqr = `(${q(0.75)} - ${q(0.25)})`;
    const upper = `${HIDDEN}upper${i}`;
    const lower = `${HIDDEN}lower${i}`;
    compiler.define({ name: upper, sql: `(${q(0.75)} + ${stage.param} * ${iqr})`, type: 'number' });
    compiler.define({
      name: lower,
      sql: stage.useLower ? `(${q(0.25)} - ${stage.param} * ${iqr})` : 'NULL',
      type: 'number',
    });
    return { f, v, upper, lower };
  });
  compiler.wrap();
  const conditions: string[] = [];
  for (const { f, upper, lower } of bounds) {
    const v = numeric({ ...compiler.lookup(f.name, stage.span), expr: { kind: 'null', span: stage.span } });
    const u = compiler.lookup(upper, stage.span).sql;
    const l = compiler.lookup(lower, stage.span).sql;
    const outside = `(${v} > ${u} OR ${v} < ${l})`;
    conditions.push(outside);
    if (stage.mark) compiler.define({ name: `${f.name}_outlier`, sql: `coalesce(${outside}, false)`, type: 'boolean' });
    if (stage.action === 'transform')
      compiler.define({
        name: f.name,
        sql: `CASE WHEN ${v} > ${u} THEN ${u} WHEN ${v} < ${l} THEN ${l} ELSE ${v} END`,
        type: 'number',
      });
    if (stage.mark && compiler.state.display !== null && !compiler.state.display.includes(`${f.name}_outlier`))
      compiler.state.display.push(`${f.name}_outlier`);
  }
  if (stage.action === 'remove') compiler.state.block.where.push(`NOT coalesce(${conditions.join(' OR ')}, false)`);
  const hidden = new Set(bounds.flatMap((b) => [b.upper, b.lower]));
  compiler.wrap();
  compiler.state.columns = compiler.state.columns.filter((c) => !hidden.has(c.name));
}
