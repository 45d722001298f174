/**
 * Completion at a cursor, computed from the parser's state there: the parser runs over the text before
 * the word being typed and records what it would accept where that text ends (a command, an operand, a
 * keyword); the stages it finished tell which fields exist at that point (after `stats`, only its columns).
 */
import type { CompletionOption, Dialect } from './types';
import { Compiler } from './compile';
import { BASE_FIELDS, PREFERRED_FIELD_NAMES, baseField } from './field-names';
import { functionsOf } from './functions';
import { INSIGHTS_COMMANDS, InsightsParser, type Expectation } from './insights/parser';
import { detectDialect } from './index';
import { SQL_QUERY_WORDS } from './sql';
import { sumoOptions } from './sumo/complete';
import { athenaOptions } from './athena/complete';
import { SQL_ENRICHMENT_DOCS } from '../catalog/sql-macros';
import { DUCKDB_FUNCTIONS } from '../catalog/generated/duckdb-functions';

export type { CompletionOption };

export interface Completion {
  from: number;
  to: number;
  options: CompletionOption[];
}

const WORD = /[A-Za-z0-9_@.$]*$/;

export function complete(text: string, cursor: number, dialect?: Dialect): Completion {
  const before = text.slice(0, Math.min(cursor, text.length));
  const prefix = WORD.exec(before)![0];
  const from = before.length - prefix.length;
  const chosen = dialect ?? detectDialect(text);
  const options =
    chosen === 'sql'
      ? sqlOptions()
      : chosen === 'athena'
        ? athenaOptions(SQL_KEYWORDS)
        : chosen === 'insights'
          ? insightsOptions(before.slice(0, from))
          : sumoOptions(before.slice(0, from));
  const lower = prefix.toLowerCase();
  const matching = options.filter((o) => o.label.toLowerCase().startsWith(lower));
  matching.sort((a, b) => Number(!a.label.startsWith(prefix)) - Number(!b.label.startsWith(prefix)));
  return { from, to: before.length, options: matching };
}

function insightsOptions(text: string): CompletionOption[] {
  const parser = new InsightsParser(text);
  try {
    parser.parse();
  } catch {
    // The text before the cursor is usually unfinished; what the parser expected at its end is the answer.
  }
  const compiler = new Compiler('insights');
  for (const stage of parser.stages) {
    try {
      compiler.stage(stage);
    } catch {
      break;
    }
  }
  const out: CompletionOption[] = [];
  const seen = new Set<string>();
  const add = (o: CompletionOption) => {
    if (!seen.has(`${o.kind}:${o.label}`)) {
      seen.add(`${o.kind}:${o.label}`);
      out.push(o);
    }
  };
  for (const e of parser.expected) for (const o of optionsFor(e, compiler)) add(o);
  if (parser.expected.length > 0 && parser.expected.every((e) => e.kind === 'keyword'))
    add({ label: '|', kind: 'keyword', detail: 'next command' });
  return out;
}

function optionsFor(e: Expectation, compiler: Compiler): CompletionOption[] {
  switch (e.kind) {
    case 'command':
      return Object.entries(INSIGHTS_COMMANDS).map(([label, c]) => ({
        label,
        kind: 'command',
        detail: c.syntax,
        doc: c.doc,
        apply: `${label} `,
      }));
    case 'keyword':
      return [{ label: e.word, kind: 'keyword' }];
    case 'operand': {
      const scope = compiler.scope();
      const fieldNames = scope.base
        ? [...scope.columns, ...PREFERRED_FIELD_NAMES.filter((n) => !scope.columns.includes(n))]
        : scope.columns;
      const fields: CompletionOption[] = fieldNames.map((label) => {
        const f = baseField(label);
        return {
          label,
          kind: 'field',
          ...(f && scope.base && !scope.columns.includes(label)
            ? { detail: f.type, doc: f.doc }
            : { detail: 'computed' }),
        };
      });
      const functions = functionsOf('insights').filter((f) => f.kind === 'scalar' || e.aggregates);
      return [
        ...fields,
        ...functions.map((f): CompletionOption => ({
          label: f.name,
          kind: 'function',
          detail: f.signature,
          doc: f.doc,
          apply: `${f.name}(`,
        })),
      ];
    }
  }
}

const SQL_KEYWORDS = [
  ...SQL_QUERY_WORDS,
  'WHERE',
  'GROUP BY',
  'ORDER BY',
  'LIMIT',
  'HAVING',
  'AS',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'DESC',
  'ASC',
];

/** DuckDB SQL: the columns, the keywords, Flowscope's enrichment macros and DuckDB's own functions. */
function sqlOptions(): CompletionOption[] {
  const enrichment = new Set(SQL_ENRICHMENT_DOCS.map((d) => d.name));
  const columns = new Map(
    BASE_FIELDS.filter((f) => f.column !== undefined && !f.name.startsWith('@')).map((f) => [f.column!, f]),
  );
  return [
    {
      label: 'flows',
      kind: 'value',
      detail: 'table',
      doc: 'The flow records of the chosen time range (main.flows: all of them)',
    },
    ...[...columns.values()].map((f): CompletionOption => ({
      label: f.column!,
      kind: 'field',
      detail: f.type,
      doc: f.doc,
    })),
    ...SQL_KEYWORDS.map((label): CompletionOption => ({ label, kind: 'keyword' })),
    ...SQL_ENRICHMENT_DOCS.map((d): CompletionOption => ({
      label: d.name,
      kind: d.kind === 'table' ? 'value' : 'function',
      detail: d.signature,
      doc: d.doc,
      ...(d.kind === 'function' ? { apply: `${d.name}(` } : {}),
    })),
    ...DUCKDB_FUNCTIONS.filter(([name]) => !enrichment.has(name)).map(([name, aggregate, doc]): CompletionOption => ({
      label: name,
      kind: 'function',
      detail: aggregate ? 'DuckDB aggregate' : 'DuckDB function',
      ...(doc ? { doc } : {}),
      apply: `${name}(`,
    })),
  ];
}
