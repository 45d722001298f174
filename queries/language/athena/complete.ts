/**
 * Completion for Athena SQL: the record's columns under the names the published DDLs give them, the
 * Trino functions the dialect translates, and the keywords.
 */
import type { CompletionOption } from '../types';
import { recordColumns } from './record';
import { FUNCTION_NAMES } from './functions';
import { typeText } from './types';

const KEYWORDS = ['SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'HAVING', 'LIMIT', 'WITH', 'JOIN', 'UNNEST'];

export function athenaOptions(sqlKeywords: readonly string[]): CompletionOption[] {
  const columns = [...recordColumns(new Set()).values()].map((c): CompletionOption => ({
    label: c.name,
    kind: 'field',
    detail: typeText(c.type),
  }));
  const functions = FUNCTION_NAMES.map((name): CompletionOption => ({
    label: name,
    kind: 'function',
    apply: `${name}(`,
  }));
  const keywords = [...new Set([...KEYWORDS, ...sqlKeywords])].map((label): CompletionOption => ({
    label,
    kind: 'keyword',
  }));
  return [...columns, ...functions, ...keywords];
}
