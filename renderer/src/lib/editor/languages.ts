/**
 * Highlighting for the three dialects. SQL uses CodeMirror's own SQL mode; Insights and Sumo get a
 * streaming tokenizer each, over the same shapes as the engine's lexer: a command where a stage starts
 * (after a pipe), functions before a parenthesis, `@` fields, strings, durations (`5m`), comments (`#` in
 * Insights, `//` in Sumo). Colours are CSS variables, so the editor follows the light or dark theme.
 */
import { PostgreSQL, sql } from '@codemirror/lang-sql';
import {
  HighlightStyle,
  LanguageSupport,
  StreamLanguage,
  syntaxHighlighting,
  type StringStream,
} from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { tags } from '@lezer/highlight';
import type { Dialect } from '../../../../preload/contract';
import { DURATION_UNITS } from '../../../../queries/language/lexer';
import { INSIGHTS_COMMAND_NAMES } from '../../../../queries/language/insights/parser';
import { SUMO_KEYWORDS, SUMO_OPERATORS } from '../../../../queries/language/sumo/vocabulary';

const INSIGHTS_WORDS = ['by', 'as', 'and', 'or', 'not', 'asc', 'desc', 'in', 'like', 'offset'];
interface PipeState {
  /** At the start of a stage, where a command name stands. */
  stageStart: boolean;
}

const DURATION = new RegExp(
  `^\\d+(?:\\.\\d+)?(?:${Object.keys(DURATION_UNITS)
    .sort((a, b) => b.length - a.length)
    .join('|')})\\b`,
);

function pipeLanguage(name: string, commands: readonly string[], words: readonly string[], comment: string) {
  const commandSet = new Set(commands.map((c) => c.toLowerCase()));
  const wordSet = new Set(words);
  return StreamLanguage.define<PipeState>({
    name,
    startState: () => ({ stageStart: true }),
    token(stream: StringStream, state: PipeState): string | null {
      if (stream.eatSpace()) return null;
      if (stream.match(comment)) {
        stream.skipToEnd();
        return 'comment';
      }
      const ch = stream.peek()!;
      if (ch === '"' || ch === "'" || ch === '`') {
        stream.next();
        let escaped = false;
        for (let c = stream.next(); c !== undefined; c = stream.next()) {
          if (c === ch && !escaped) break;
          escaped = !escaped && c === '\\';
        }
        state.stageStart = false;
        return ch === '`' ? 'field' : 'string';
      }
      if (ch === '|') {
        stream.next();
        state.stageStart = true;
        return 'pipe';
      }
      if (stream.match(DURATION) || stream.match(/^\d+(?:\.\d+)?(?:e[+-]?\d+)?/i)) {
        state.stageStart = false;
        return 'number';
      }
      if (stream.match(/^@[\w.$]*/)) {
        state.stageStart = false;
        return 'atField';
      }
      const word = stream.match(/^[A-Za-z_$][\w.$]*/) as RegExpMatchArray | null;
      if (word) {
        const text = word[0];
        const lower = text.toLowerCase();
        const wasStart = state.stageStart;
        state.stageStart = false;
        if (wasStart && commandSet.has(lower)) return 'command';
        if (stream.peek() === '(') return 'fn';
        if (wordSet.has(lower)) return 'word';
        return /^_/.test(text) && name === 'sumo' ? 'atField' : 'field';
      }
      stream.next();
      state.stageStart = false;
      return 'operator';
    },
    languageData: { commentTokens: { line: comment } },
    tokenTable: {
      command: tags.keyword,
      pipe: tags.separator,
      fn: tags.function(tags.variableName),
      word: tags.operatorKeyword,
      field: tags.propertyName,
      atField: tags.special(tags.propertyName),
    },
  });
}

// Every name the parser takes for a command (`filterIndex`, `count_frequent` besides `countFrequent`).
const insights = pipeLanguage('insights', [...INSIGHTS_COMMAND_NAMES.keys()], INSIGHTS_WORDS, '#');
// Every operator Sumo has is highlighted, also one Flowscope refuses (the refusal explains itself).
const sumo = pipeLanguage(
  'sumo',
  SUMO_OPERATORS.map((o) => o.name),
  SUMO_KEYWORDS,
  '//',
);

/** Colours of the token kinds, as CSS variables the theme sets. */
const flowscopeHighlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.operatorKeyword], color: 'var(--syntax-keyword)', fontWeight: '600' },
  { tag: tags.separator, color: 'var(--syntax-pipe)', fontWeight: '700' },
  { tag: tags.function(tags.variableName), color: 'var(--syntax-function)' },
  { tag: [tags.special(tags.propertyName), tags.special(tags.variableName)], color: 'var(--syntax-special)' },
  { tag: [tags.propertyName, tags.variableName], color: 'var(--syntax-field)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--syntax-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--syntax-number)' },
  { tag: tags.comment, color: 'var(--syntax-comment)', fontStyle: 'italic' },
  { tag: [tags.operator, tags.punctuation], color: 'var(--syntax-operator)' },
  { tag: tags.typeName, color: 'var(--syntax-function)' },
]);

/** The language extension of a dialect, with the shared highlighting. */
export function dialectLanguage(dialect: Dialect): Extension {
  const support =
    dialect === 'sql' || dialect === 'athena'
      ? sql({ dialect: PostgreSQL, upperCaseKeywords: true })
      : new LanguageSupport(dialect === 'insights' ? insights : sumo);
  return [support, syntaxHighlighting(flowscopeHighlight)];
}
