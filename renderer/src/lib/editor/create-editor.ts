/**
 * The query editor: CodeMirror 6 with the dialect's highlighting, engine completion and live errors,
 * bracket matching and closing, undo history, and Ctrl/Cmd+Enter to run (or Enter, when the analyst
 * chose so; Shift+Enter then breaks the line). Tab indents; Esc then Tab leaves the editor (CodeMirror's
 * own escape from the Tab trap, which the workbench shows under the editor). It is mounted inside a shadow
 * root: CodeMirror adds its styles as constructed style sheets there, where in the page itself it would
 * need inline `<style>` elements, which the renderer's CSP (`style-src 'self'`) refuses.
 */
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
  completionStatus,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab, insertNewlineAndIndent } from '@codemirror/commands';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { forEachDiagnostic, linter, lintGutter, lintKeymap, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorSelection, EditorState, Prec } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view';
import type { Dialect, Output, QueryDiagnostic } from '../../../../preload/contract';
import { engineCompletion, engineDiagnostics, toEditorDiagnostics } from './engine-assist';
import { dialectLanguage } from './languages';
import { editorTheme } from './editor-theme';

export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  dialect: Dialect;
  /** What the user picked: a dialect, or undefined to let the engine detect it. */
  chosenDialect: () => Dialect | undefined;
  onChange: (text: string) => void;
  onRun: () => void;
  /** Whether a plain Enter runs the query (asked at each press: the analyst can switch it any time). */
  runOnEnter?: () => boolean;
  complete: (query: string, cursor: number, dialect: Dialect | undefined) => Promise<Output<'query.complete'>>;
  compile: (query: string) => Promise<QueryDiagnostic[]>;
  /** Pause after typing before the query is compiled for errors. */
  lintDelayMs?: number;
  /** The height its lines take (wrapped lines counted), told whenever it changes: the editor may grow to it. */
  onContentHeight?: (px: number) => void;
}

export interface QueryEditorHandle {
  view: EditorView;
  setDialect(dialect: Dialect): void;
  setText(text: string): void;
  select(offset: number, length: number): void;
  focus(): void;
  /** Underlines more errors now (a remote engine refused the text) beside the compiler's, until the next edit. */
  addDiagnostics(diagnostics: readonly QueryDiagnostic[]): void;
  destroy(): void;
}

export function createEditor(options: EditorOptions): QueryEditorHandle {
  const language = new Compartment();
  const host = options.parent.attachShadow({ mode: 'open' });
  const run = () => {
    options.onRun();
    return true;
  };
  const view = new EditorView({
    root: host,
    parent: host,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        placeholder('Ask the flow logs: fields, filter, stats … | or SQL'),
        language.of(dialectLanguage(options.dialect)),
        autocompletion({
          override: [engineCompletion(options.complete, options.chosenDialect)],
          activateOnTypingDelay: 80,
        }),
        linter(engineDiagnostics(options.compile), { delay: options.lintDelayMs ?? 350 }),
        lintGutter(),
        Prec.highest(
          keymap.of([
            { key: 'Mod-Enter', run, preventDefault: true },
            {
              key: 'Enter',
              // An open completion list takes Enter for itself.
              run: (v) => Boolean(options.runOnEnter?.()) && completionStatus(v.state) !== 'active' && run(),
            },
            { key: 'Shift-Enter', run: (v) => Boolean(options.runOnEnter?.()) && insertNewlineAndIndent(v) },
          ]),
        ),
        keymap.of([
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...historyKeymap,
          ...completionKeymap,
          ...lintKeymap,
          indentWithTab,
        ]),
        EditorView.lineWrapping,
        // What the hint under the editor shows, told to a screen reader too: here Tab does not leave.
        EditorView.contentAttributes.of({
          'aria-label': 'Query',
          'aria-multiline': 'true',
          'aria-description': 'Control+Enter runs the query. Tab indents; Escape then Tab leaves the editor.',
          'aria-keyshortcuts': 'Control+Enter Meta+Enter',
          spellcheck: 'false',
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
          if (update.heightChanged || update.geometryChanged) options.onContentHeight?.(update.view.contentHeight);
        }),
        editorTheme,
      ],
    }),
  });
  return {
    view,
    setDialect: (dialect) => view.dispatch({ effects: language.reconfigure(dialectLanguage(dialect)) }),
    setText(text) {
      if (text !== view.state.doc.toString())
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    select(offset, length) {
      const from = Math.min(offset, view.state.doc.length);
      view.dispatch({
        selection: EditorSelection.single(from, Math.min(from + Math.max(length, 1), view.state.doc.length)),
        scrollIntoView: true,
      });
      view.focus();
    },
    focus: () => view.focus(),
    addDiagnostics(diagnostics) {
      const shown: Diagnostic[] = [];
      forEachDiagnostic(view.state, (d, from, to) => shown.push({ ...d, from, to }));
      const added = toEditorDiagnostics(diagnostics, view.state.doc.length);
      view.dispatch(setDiagnostics(view.state, [...shown, ...added]));
    },
    destroy: () => view.destroy(),
  };
}
