/**
 * Where a query went wrong, for a terminal: the part of the line around the place with a caret under it.
 * Its own module, loaded when a query runs: `flowscope --help` loads every command and no query code.
 */
import type { QueryDiagnostic } from '../../preload/contract';
import { spanExcerpt } from '../../queries/language/source';
import { FlowscopeError } from '../engine/errors';

/** The query line of a diagnostic with a caret under its span. */
export function pointAt(query: string, d: QueryDiagnostic): string {
  const { line, caret } = spanExcerpt(query, d.span);
  return `  ${line}\n  ${caret}\n`;
}

/** The error with the place of its first diagnostic under its message, where it has one. */
export function withCaret(err: unknown, query: string): unknown {
  if (!(err instanceof FlowscopeError)) return err;
  const diagnostics = (err.detail as { diagnostics?: QueryDiagnostic[] } | undefined)?.diagnostics;
  if (!diagnostics?.[0]) return err;
  return new FlowscopeError(err.code, `${err.message}\n${pointAt(query, diagnostics[0]).trimEnd()}`, err.detail);
}
