/**
 * The editor's look, from the page's CSS variables (they reach into the editor's shadow root), so one
 * theme serves light and dark.
 */
import { EditorView } from '@codemirror/view';
import { COMPLETION_ICONS, completionType } from './engine-assist';

/** Each kind of completion's icon: its short word, small, where CodeMirror draws a symbol. */
const completionIcons = Object.fromEntries(
  Object.entries(COMPLETION_ICONS).map(([kind, word]) => [
    `.cm-completionIcon-${completionType(kind as keyof typeof COMPLETION_ICONS)}:after`,
    { content: `'${word}'` },
  ]),
);

export const editorTheme = EditorView.theme({
  '&': {
    height: '100%',
    color: 'var(--color-text)',
    backgroundColor: 'var(--color-surface)',
    fontSize: 'var(--text-md)',
  },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--color-text)', padding: '6px 0' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--color-text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': {
    backgroundColor: 'var(--color-selection)',
  },
  '.cm-activeLine': { backgroundColor: 'var(--color-active-line)' },
  '.cm-gutters': {
    backgroundColor: 'var(--color-surface)',
    color: 'var(--color-text-muted)',
    border: 'none',
    borderRight: '1px solid var(--color-border)',
  },
  '.cm-activeLineGutter': { backgroundColor: 'var(--color-active-line)' },
  '.cm-placeholder': { color: 'var(--color-text-muted)' },
  '&.cm-focused .cm-matchingBracket': {
    backgroundColor: 'var(--color-accent-soft)',
    outline: '1px solid var(--color-accent)',
  },
  '&.cm-focused .cm-nonmatchingBracket': { backgroundColor: 'var(--color-danger-soft)' },
  '.cm-tooltip': {
    color: 'var(--color-text)',
    backgroundColor: 'var(--color-surface)',
    border: '1px solid var(--color-border-strong)',
    borderRadius: '6px',
    boxShadow: '0 6px 20px rgb(0 0 0 / 18%)',
    fontFamily: 'var(--font-ui)',
  },
  '.cm-tooltip-autocomplete > ul': { fontFamily: 'var(--font-mono)', maxHeight: '16em' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--color-accent)', color: '#fff' },
  '.cm-completionDetail': { color: 'var(--color-text-muted)', marginLeft: '1em', fontStyle: 'normal' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected] .cm-completionDetail': { color: 'rgb(255 255 255 / 80%)' },
  '.cm-completionInfo': { padding: '6px 10px', maxWidth: '360px' },
  '.cm-completionIcon': {
    width: '2.4em',
    paddingRight: '0.4em',
    fontSize: '70%',
    textAlign: 'left',
    verticalAlign: 'middle',
    opacity: '0.75',
  },
  ...completionIcons,
  '.cm-diagnostic-error': { borderLeftColor: 'var(--color-danger)', whiteSpace: 'pre-wrap' },
  '.cm-lintRange-error': {
    textDecoration: 'underline wavy var(--color-danger)',
    textUnderlineOffset: '3px',
    backgroundImage: 'none',
  },
});
