/**
 * The query languages' front door: detect the dialect of a text, and compile it to DuckDB SQL or to
 * diagnostics with positions. Pure: the engine prepares and runs what comes out.
 */
import type { Dialect, QueryDiagnostic } from './types';
import { compilePlan, type CompileContext, type TimeBounds } from './compile';
import { INSIGHTS_COMMAND_NAMES, parseInsights } from './insights/parser';
import { looksLikeSumo } from './sumo/detect';
import { SCOPE_METADATA } from './sumo/vocabulary';
import { parseSumo } from './sumo/parser';
import type { PipeDialect } from './functions';
import type { Plan } from './plan';
import type { TransposeSpec } from './series';
import { QueryProblem, SourceText } from './source';
import { bindFlows, leadingWord, looksLikeSql, recordsNamed, recordsRead, wholeTableWarnings } from './sql';
import { compileAthena } from './athena';
import { athenaReason } from './athena/detect';
import { tooDeepForTheStack } from './nesting';

export type { CompileContext, TimeBounds } from './compile';
export type { TransposeSpec } from './series';

/** The parser of each pipe dialect. */
const FRONT_ENDS: Partial<Record<PipeDialect, (text: string) => Plan>> = {
  insights: parseInsights,
  sumo: parseSumo,
};

/** Sumo scope terms that open a query (`_sourceCategory=...`): the text is Sumo. */
const SUMO_SCOPE = new RegExp(`^\\s*(?:\\/\\/[^\\n]*\\n\\s*)*(?:${SCOPE_METADATA.join('|')})\\s*=`, 'i');

/** Statements only Athena has, which open no other dialect's text. */
const ATHENA_WORDS = ['MSCK', 'UNLOAD'];

/** The dialect of a text, and for Athena SQL why (it looks like SQL either way). */
function detectDialectWithReason(text: string): { dialect: Dialect; reason?: string } {
  if (looksLikeSql(text) || ATHENA_WORDS.includes(leadingWord(text).word)) {
    const reason = athenaReason(text);
    return reason ? { dialect: 'athena', reason } : { dialect: 'sql' };
  }
  if (SUMO_SCOPE.test(text) || looksLikeSumo(text)) return { dialect: 'sumo' };
  return { dialect: 'insights' };
}

export function detectDialect(text: string): Dialect {
  return detectDialectWithReason(text).dialect;
}

export interface CompileResult {
  dialect: Dialect;
  sql: string | null;
  /** Result column names, when the compiler knows them (pipe dialects). */
  columns: string[] | null;
  /** Those of `columns` that are text (pipe dialects: a number field shown as logged is). */
  textColumns?: string[];
  diagnostics: QueryDiagnostic[];
  /** Things the query does that the analyst may not expect; it runs all the same. */
  warnings?: QueryDiagnostic[];
  /** SQL that is not one read-only query: refused, not merely wrong. */
  refused?: boolean;
  /** Reshape the result of `sql` this way once it has run (Sumo's transpose, whose columns are values). */
  transpose?: TransposeSpec;
  /** The parsed pipeline (pipe dialects), for what its result columns mean. */
  plan?: Plan;
  /** A count of the records the query matched (pipe dialects; see `CompiledQuery.matchedSql`). */
  matchedSql?: string | null;
  /** The matched records' times and actions, for a list of records (see `CompiledQuery.recordsSql`). */
  recordsSql?: string | null;
  /** Insights' implicit limit, when the SQL asks for one row more than it (see `CompiledQuery.cap`). */
  cap?: number | null;
  /** Which records the query reads (DuckDB SQL; the other dialects read the time range's). */
  reads?: 'range' | 'all' | 'none';
  /** Why the dialect was detected as it was, when that is worth saying (Athena SQL rather than DuckDB SQL). */
  note?: string;
}

export interface CompileOptions {
  dialect?: Dialect | undefined;
  timeRange?: TimeBounds | null | undefined;
  context?: CompileContext | undefined;
}

/** The text compiled; a text too deep for the stack is a diagnostic like any other mistake (nesting.ts). */
export function compileQuery(text: string, options: CompileOptions = {}): CompileResult {
  try {
    return compileText(text, options);
  } catch (err) {
    const problem = tooDeepForTheStack(err, text);
    if (!problem) throw err;
    const dialect = options.dialect ?? detectDialect(text);
    return { dialect, sql: null, columns: null, diagnostics: [problem.toDiagnostic()] };
  }
}

/**
 * Sumo reads the words before the first `|` as a search every record must match, so an Insights query run as
 * Sumo (`stats count(*) by action`) answers no record and says nothing of why: warned when the text opens with
 * an Insights command and reads whole as Insights.
 */
function insightsTextAsSumo(text: string): QueryDiagnostic[] {
  const m = /^\s*([A-Za-z]+)/.exec(text);
  const word = m?.[1];
  if (!word || !INSIGHTS_COMMAND_NAMES.has(word.toLowerCase())) return [];
  try {
    parseInsights(text);
  } catch {
    return [];
  }
  return [
    {
      message: `Sumo reads the words before the first | as a search every record must contain, \`${word}\` among them: this text is a CloudWatch Logs Insights query.`,
      span: new SourceText(text).span(m[0].length - word.length, word.length),
      hint: 'choose Insights to run it as one',
    },
  ];
}

function compileText(text: string, options: CompileOptions): CompileResult {
  const detected = options.dialect ? { dialect: options.dialect } : detectDialectWithReason(text);
  const dialect = detected.dialect;
  // DuckDB reads a statement only up to a NUL: what follows it would be shown but never apply.
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const span = new SourceText(text).span(nul, 1);
    const message = 'The query holds a NUL character (U+0000), which no query language takes; remove it.';
    return { dialect, sql: null, columns: null, diagnostics: [{ message, span }] };
  }
  if (dialect === 'athena') {
    const note = 'reason' in detected ? `Read as Athena SQL: ${detected.reason}.` : undefined;
    const r = compileAthena(text, options.timeRange, options.context?.recordFormats);
    if (r.ok) return { dialect, sql: r.sql, columns: r.columns, diagnostics: [], ...(note ? { note } : {}) };
    return {
      dialect,
      sql: null,
      columns: null,
      diagnostics: [{ message: r.message, span: r.span, ...(r.hint ? { hint: r.hint } : {}) }],
      ...(r.refused ? { refused: true } : {}),
      ...(note ? { note } : {}),
    };
  }
  if (dialect === 'sql') {
    const bound = bindFlows(text, options.timeRange);
    if (bound.ok) {
      const named = recordsNamed(text);
      const warnings = wholeTableWarnings(named, options.timeRange);
      return {
        dialect,
        sql: bound.sql,
        columns: null,
        diagnostics: [],
        reads: recordsRead(named),
        ...(warnings.length ? { warnings } : {}),
      };
    }
    const span = new SourceText(text).span(bound.offset, bound.length);
    return {
      dialect,
      sql: null,
      columns: null,
      diagnostics: [{ message: bound.message, span }],
      refused: true,
    };
  }
  const frontEnd = FRONT_ENDS[dialect];
  if (!frontEnd) {
    return {
      dialect,
      sql: null,
      columns: null,
      diagnostics: [
        { message: `The ${dialect} dialect is not available.`, span: { offset: 0, line: 1, column: 1, length: 0 } },
      ],
    };
  }
  try {
    const plan = frontEnd(text);
    const compiled = compilePlan(plan, options.timeRange, options.context);
    return {
      dialect,
      sql: compiled.sql,
      columns: compiled.columns,
      textColumns: compiled.textColumns,
      diagnostics: [],
      warnings: dialect === 'sumo' ? [...insightsTextAsSumo(text), ...compiled.warnings] : compiled.warnings,
      plan,
      matchedSql: compiled.matchedSql,
      recordsSql: compiled.recordsSql,
      cap: compiled.cap,
      ...(compiled.transpose ? { transpose: compiled.transpose } : {}),
    };
  } catch (err) {
    if (err instanceof QueryProblem) return { dialect, sql: null, columns: null, diagnostics: [err.toDiagnostic()] };
    throw err;
  }
}
