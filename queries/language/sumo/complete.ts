/**
 * Completion for the Sumo dialect, from the parser's state before the cursor: right after a `|` (or at
 * the start of a scope-less query) the operators; after `lookup … from` the built-in tables; elsewhere the
 * fields in scope at that point (what the finished operators defined, or after an aggregate only its
 * columns) and the functions.
 */
import { Compiler } from '../compile';
import { PREFERRED_FIELD_NAMES, baseField } from '../field-names';
import { functionsOf } from '../functions';
import { LOOKUP_PATHS, describeTable } from './lookup-tables';
import { SumoParser } from './parser';
import { FIELD_EXTRACTION_NAMES, RUNNING_OPERATORS } from './vocabulary';
import type { CompletionOption } from '../types';

/** The field-extraction names Sumo users type, offered beside the flow-log names. */
const SUMO_FIELD_NAMES = FIELD_EXTRACTION_NAMES.map((n) => n.name);

export function sumoOptions(textBeforeWord: string): CompletionOption[] {
  if (/\|\s*$/.test(textBeforeWord)) {
    return RUNNING_OPERATORS.map((o) => ({
      label: o.name,
      kind: 'command',
      detail: o.syntax,
      doc: o.doc,
      apply: `${o.name} `,
    }));
  }
  if (/\blookup\b[^|]*\bfrom\s+$/i.test(textBeforeWord)) {
    return LOOKUP_PATHS.map(({ path, table }) => ({
      label: path,
      kind: 'value',
      detail: describeTable(table),
      doc: path.includes('://')
        ? "Sumo Logic's published table, answered offline from the built-in IANA registry"
        : "Flowscope's built-in IANA registry",
      apply: `${path} on `,
    }));
  }
  const compiler = new Compiler('sumo');
  try {
    const parser = new SumoParser(textBeforeWord);
    try {
      parser.parse();
    } catch {
      // Unfinished text: the operators finished before it still tell what is in scope.
    }
    for (const stage of parser.stages) compiler.stage(stage);
  } catch {
    // A stage that does not compile leaves the scope as the stages before it made it.
  }
  const scope = compiler.scope();
  const names = scope.base ? [...scope.columns, ...SUMO_FIELD_NAMES, ...PREFERRED_FIELD_NAMES] : scope.columns;
  const fields = [...new Set(names)].map((label): CompletionOption => {
    const f = scope.base && !scope.columns.includes(label) ? baseField(label) : undefined;
    return { label, kind: 'field', ...(f ? { detail: f.type, doc: f.doc } : {}) };
  });
  const functions = functionsOf('sumo').map((f): CompletionOption => ({
    label: f.name,
    kind: 'function',
    detail: f.signature,
    doc: f.doc,
    apply: `${f.name}(`,
  }));
  return [...fields, ...functions];
}
