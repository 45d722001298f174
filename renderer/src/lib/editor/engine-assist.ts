/**
 * The editor's two helpers that ask the engine: completion from `query.complete` (fields, commands and
 * functions with short docs) and errors underlined as you type from `query.compile`'s diagnostics. Both
 * take the engine call as a function, so the editor never knows the transport.
 */
import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import type { Diagnostic } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import type { Dialect, Output, QueryDiagnostic } from '../../../../preload/contract';

type EngineCompletion = Output<'query.complete'>;
type CompletionKind = EngineCompletion['options'][number]['kind'];

/**
 * The icon of each kind of option: a short word in plain letters, drawn by `editor-theme.ts`. CodeMirror's
 * own icons are symbols that many fonts lack (its keyword's is 🔑, which Chromium without an emoji font
 * draws as a missing-glyph box, and a property's □ reads as one).
 */
export const COMPLETION_ICONS: Record<CompletionKind, string> = {
  command: 'cmd',
  field: 'fld',
  function: 'fn',
  keyword: 'kw',
  value: 'val',
};

/** The option's type, which CodeMirror makes a class `cm-completionIcon-<type>`: ours, so none of its icons apply. */
export const completionType = (kind: CompletionKind): string => `flowscope-${kind}`;

/** Commands first, then fields, then functions: the order an analyst reaches for them in. */
const BOOST: Record<CompletionKind, number> = { command: 3, field: 2, function: 1, keyword: 0, value: 0 };

export function toCompletionResult(answer: EngineCompletion): CompletionResult | null {
  if (answer.options.length === 0) return null;
  return {
    from: answer.from,
    to: answer.to,
    options: answer.options.map((o): Completion => ({
      label: o.label,
      type: completionType(o.kind),
      boost: BOOST[o.kind],
      ...(o.detail ? { detail: o.detail } : {}),
      ...(o.doc ? { info: o.doc } : {}),
      ...(o.apply ? { apply: o.apply } : {}),
    })),
    validFor: /^[\w@.$]*$/,
  };
}

export function engineCompletion(
  complete: (query: string, cursor: number, dialect: Dialect | undefined) => Promise<EngineCompletion>,
  dialect: () => Dialect | undefined,
): CompletionSource {
  return async (context: CompletionContext) => {
    const word = context.matchBefore(/[\w@.$]*/);
    // Offer on request anywhere, by itself only while a word is being typed or right after a pipe/space.
    if (
      !context.explicit &&
      (!word || word.from === word.to) &&
      !/[|\s(,]$/.test(context.state.sliceDoc(Math.max(0, context.pos - 1), context.pos))
    )
      return null;
    try {
      const answer = await complete(context.state.doc.toString(), context.pos, dialect());
      return context.aborted ? null : toCompletionResult(answer);
    } catch {
      // No engine right now: no suggestions, the editor keeps working.
      return null;
    }
  };
}

/** Engine diagnostics as CodeMirror ones: a span of at least one character, inside the text. */
export function toEditorDiagnostics(diagnostics: readonly QueryDiagnostic[], length: number): Diagnostic[] {
  return diagnostics.map((d) => {
    const from = Math.min(Math.max(d.span.offset, 0), Math.max(length - 1, 0));
    const to = Math.min(Math.max(d.span.offset + d.span.length, from + 1), length);
    return {
      from,
      to,
      severity: 'error',
      message: d.hint ? `${d.message}\n${d.hint}` : d.message,
      source: 'Flowscope',
    };
  });
}

export function engineDiagnostics(
  compile: (query: string) => Promise<QueryDiagnostic[]>,
): (view: EditorView) => Promise<Diagnostic[]> {
  return async (view) => {
    const text = view.state.doc.toString();
    if (text.trim() === '') return [];
    try {
      return toEditorDiagnostics(await compile(text), text.length);
    } catch {
      return [];
    }
  };
}
