/**
 * The rule that keeps a spreadsheet from running a result as formulas (CSV injection), for every way a result
 * reaches one: the CSV export (the engine's COPY, in SQL), the CLI's `--format csv`, and rows copied from the
 * grid (tab-separated, which Excel takes as typed cells). Log fields are written by whoever sends the traffic
 * or the log line (a custom format's extra field, CloudWatch's @message, a forged interface id), and Excel,
 * LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return.
 * Such a TEXT cell gets a `'` in front, which the spreadsheet takes as "this is text" and does not display.
 * Never changed: a number column, the `-` a flow log writes for a field without a value (NODATA, SKIPDATA
 * records), and text that is a plain number (`-5`), which a spreadsheet reads as that number, not a formula.
 * A file read back (Flowscope's own export of Logs Insights records, `'@timestamp,'@message,…`) is read through
 * `fromSpreadsheetText`, its inverse. Pure: no Node, DuckDB or DOM.
 */

/** The first characters that make a spreadsheet read a cell as a formula. Same syntax in JS and DuckDB (RE2). */
const FORMULA_START = '^[=+\\-@\\t\\r]';
/** Text a spreadsheet reads as a number: left alone. */
const PLAIN_NUMBER = '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$';

const formulaStart = new RegExp(FORMULA_START);
const plainNumber = new RegExp(PLAIN_NUMBER);

/** The DuckDB type of the columns whose cells the rule applies to: text. */
export const TEXT_TYPE = 'VARCHAR';

/** A text cell as a spreadsheet may open it: `=HYPERLINK(…)` → `'=HYPERLINK(…)`; `-` and `-5` unchanged. */
export function spreadsheetText(text: string): string {
  return formulaStart.test(text) && text !== '-' && !plainNumber.test(text) ? `'${text}` : text;
}

/**
 * A cell as written before `spreadsheetText` guarded it: `'@message` → `@message`, `'- 123` → `- 123`. Only
 * the `'` the guard writes, before a character it guards; any other `'` is the cell's own (`'ok` stays).
 */
export function fromSpreadsheetText(text: string): string {
  return text.startsWith("'") && spreadsheetText(text.slice(1)) === text ? text.slice(1) : text;
}

/** `spreadsheetText` as DuckDB SQL over a text expression (the CSV export's COPY), NULL kept NULL. */
export function spreadsheetTextSql(expr: string): string {
  return (
    `CASE WHEN regexp_matches(${expr}, '${FORMULA_START}') AND ${expr} <> '-' ` +
    `AND NOT regexp_matches(${expr}, '${PLAIN_NUMBER}') THEN '''' || ${expr} ELSE ${expr} END`
  );
}
