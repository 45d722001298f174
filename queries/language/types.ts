/**
 * The shapes the query languages define and the contract carries: the dialects, a position in a query
 * text, a diagnostic, a completion option. They live here, in the lowest layer, and `preload/contract`
 * re-exports them, so the languages never import the contract (the arrows run one way).
 */
import { z } from 'zod';

export const Dialect = z.enum(['insights', 'sumo', 'sql', 'athena']);
export type Dialect = z.infer<typeof Dialect>;

/** A position in a query text: 1-based line and column, length in characters, and the 0-based offset. */
export const SourceSpan = z.object({
  offset: z.number().int().min(0),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  length: z.number().int().min(0),
});
export type SourceSpan = z.infer<typeof SourceSpan>;

export const QueryDiagnostic = z.object({
  message: z.string(),
  hint: z.string().optional(),
  span: SourceSpan,
});
export type QueryDiagnostic = z.infer<typeof QueryDiagnostic>;

export const CompletionOption = z.object({
  label: z.string(),
  kind: z.enum(['field', 'command', 'function', 'keyword', 'value']),
  detail: z.string().optional(),
  doc: z.string().optional(),
  apply: z.string().optional(),
});
export type CompletionOption = z.infer<typeof CompletionOption>;
