/**
 * Sumo Logic's `replace(text, search, with)`. A quoted search is the text itself (`replace(ip, ".", "-")`
 * turns 10.0.0.5 into 10-0-0-5); only the regex form, `/re/` (which the parser reads in that place only),
 * is a regular expression, whose replacement refers to its groups as Java's does: `$1`, `${name}`, `$0`
 * for the whole match, `\$` for a dollar sign. DuckDB's RE2 writes those `\1` and `\0`.
 */
import { text, type ScalarArgs } from '../builtin-functions';
import { namedGroups } from '../expression-parser';
import type { FunctionContext, FunctionDef } from '../functions';
import type { Expr } from '../plan';

type StringExpr = Extract<Expr, { kind: 'string' }>;

/**
 * A Java replacement as an RE2 rewrite: `$n` takes as many digits as still name a group (Java's rule),
 * `${name}` the number of its group, `\x` is x; a backslash of the text is doubled for RE2.
 */
function rewrite(replacement: StringExpr, groups: number, named: Map<string, number>, ctx: FunctionContext): string {
  const s = replacement.value;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      const next = s[++i]!;
      out += next === '\\' ? '\\\\' : next;
    } else if (c === '$') {
      const name = /^\{([A-Za-z][A-Za-z0-9]*)\}/.exec(s.slice(i + 1));
      let group: number | undefined;
      if (name) {
        group = named.get(name[1]!);
        if (group === undefined)
          throw ctx.problem(`The regular expression has no group named \`${name[1]}\`.`, replacement.span);
        i += name[0].length;
      } else if (/[0-9]/.test(s[i + 1] ?? '')) {
        group = Number(s[++i]);
        while (/[0-9]/.test(s[i + 1] ?? '') && group * 10 + Number(s[i + 1]) <= groups)
          group = group * 10 + Number(s[++i]);
      }
      if (group === undefined || group > groups)
        throw ctx.problem(
          'A `$` in the replacement names a group the regular expression does not have.',
          replacement.span,
          'refer to a group as $1 or ${name}, the whole match as $0; write a dollar sign as \\\\$',
        );
      // RE2's rewrite knows \0 to \9 only.
      if (group > 9) throw ctx.problem('Flowscope replaces with groups 0 to 9 only.', replacement.span);
      out += `\\${group}`;
    } else out += c === '\\' ? '\\\\' : c;
  }
  return out;
}

const replaceSql: FunctionDef['compile'] = ([source, search, replacement], ctx) => {
  if (search!.expr.kind !== 'string' || !search!.expr.regex)
    return `replace(${text(source!)}, ${text(search!)}, ${text(replacement!)})`;
  if (replacement!.expr.kind !== 'string')
    throw ctx.problem(
      'The replacement of a regular expression must be a quoted text here.',
      replacement!.expr.span,
      'for example: replace(url, /[0-9]{5,}/, "<id>") as url',
    );
  const span = search!.expr.span;
  const re = { kind: 'regex' as const, value: search!.expr.value, span };
  const { regex, names, numbers, groups } = namedGroups(re, { span: () => span }, true);
  const named = new Map(names.map((n, i) => [n.name, numbers[i]!]));
  const rewritten = rewrite(replacement!.expr, groups, named, ctx);
  return `regexp_replace(${text(source!)}, ${ctx.literal(regex)}, ${ctx.literal(rewritten)}, 'g')`;
};

export const REPLACE: ScalarArgs = [
  'replace',
  3,
  3,
  'replace(text, "search" | /regex/, "with")',
  'The text with every occurrence of the search text, or every match of the /regex/, replaced',
  'string',
  replaceSql,
];
