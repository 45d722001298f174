/**
 * The query languages' front door: detect the dialect of a text, and compile it to DuckDB SQL or to
 * diagnostics with positions. Pure: the engine prepares and runs what comes out.
 */
import type { Dialect, QueryDiagnostic } from './types';
import { compilePlan, type CompileContext, type TimeBounds } from './compile';
import { parseInsights } from './insights/parser';
import { looksLikeSumo } from './sumo/detect';
import { parseSumo } from './sumo/parser';
import type { PipeDialect } from './functions';
import type { Plan } from './plan';
import { QueryProblem, SourceText } from './source';
import { bindFlows, looksLikeSql } from './sql';

export type { CompileContext, TimeBounds } from './compile';

/** The parser of each pipe dialect. */
export const FRONT_ENDS: Partial<Record<PipeDialect, (text: string) => Plan>> = {
  insights: parseInsights,
  sumo: parseSumo,
};

/** Sumo scope terms that open a query (`_sourceCategory=...`): the text is Sumo. */
const SUMO_SCOPE = /^\s*(?:\/\/[^\n]*\n\s*)*_(?:sourceCategory|source|collector|sourceHost|sourceName|index|view)\s*=/i;

export function detectDialect(text: string): Dialect {
  if (looksLikeSql(text)) return 'sql';
  if (SUMO_SCOPE.test(text) || looksLikeSumo(text)) return 'sumo';
  return 'insights';
}

export interface CompileResult {
  dialect: Dialect;
  sql: string | null;
  params: (string | number | boolean)[];
  /** Result column names, when the compiler knows them (pipe dialects). */
  columns: string[] | null;
  diagnostics: QueryDiagnostic[];
  /** Things the query does that the analyst may not expect; it runs all the same. */
  warnings?: QueryDiagnostic[];
  /** SQL that is not one read-only query: refused, not merely wrong. */
  refused?: boolean;
}

export function compileQuery(
  text: string,
  options: {
    dialect?: Dialect | undefined;
    timeRange?: TimeBounds | null | undefined;
    context?: CompileContext | undefined;
  } = {},
): CompileResult {
  const dialect = options.dialect ?? detectDialect(text);
  if (dialect === 'sql') {
    const bound = bindFlows(text, options.timeRange);
    if (bound.ok) return { dialect, sql: bound.sql, params: [], columns: null, diagnostics: [] };
    const span = new SourceText(text).span(bound.offset, bound.length);
    return {
      dialect,
      sql: null,
      params: [],
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
      params: [],
      columns: null,
      diagnostics: [
        { message: `The ${dialect} dialect is not available.`, span: { offset: 0, line: 1, column: 1, length: 0 } },
      ],
    };
  }
  try {
    const compiled = compilePlan(frontEnd(text), options.timeRange, options.context);
    return {
      dialect,
      sql: compiled.sql,
      params: compiled.params,
      columns: compiled.columns,
      diagnostics: [],
      warnings: compiled.warnings,
    };
  } catch (err) {
    if (err instanceof QueryProblem)
      return { dialect, sql: null, params: [], columns: null, diagnostics: [err.toDiagnostic()] };
    throw err;
  }
}
