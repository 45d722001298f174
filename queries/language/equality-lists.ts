/**
 * `x = a OR x = b OR …` written as `x IN (a, b, …)`, and `x <> a AND x <> b AND …` as `x NOT IN (a, b, …)`.
 * DuckDB tests every term of such a chain on every record (an indicator list of 300 addresses over 1 M records:
 * 0.73 s, of 3,000: about 9 s) where it answers a list of constants with one lookup (0.02 s). A compiler
 * writes each comparison of an expression with a constant through `equality`/`inequality` and joins two
 * conditions through `merged`: where both sides are such comparisons, or lists made here, with constants of
 * one kind, they become lists. An OR may mix expressions (Sumo's scope reads an address as `srcaddr = a OR
 * dstaddr = a`, so a list of addresses is one IN list per column); an AND of inequalities has one expression.
 * The answer is the same, NULLs included: `x IN (a, b)` is `x = a OR x = b`, an OR's terms may come in any
 * order, and `x NOT IN (a, b)` is `x <> a AND x <> b`; an inequality that also holds where the field was
 * logged as `-` (`(x IS NULL OR x <> a)`, the pipe dialects) keeps that test in front of its list. The chain
 * being a balanced tree (nesting.ts), its halves are lists by the time they meet.
 */
type ValueList =
  | {
      negated: false;
      /** What kind of constant every value is (a compiler's own word), so that no list mixes types. */
      kind: string;
      /** Each expression's constants, in the order met. */
      lists: Map<string, string[]>;
    }
  | { negated: true; kind: string; subject: string; values: string[]; orNull: string | null };

const inList = (subject: string, values: readonly string[]) =>
  values.length === 1 ? `(${subject} = ${values[0]})` : `(${subject} IN (${values.join(', ')}))`;

function listSql(list: ValueList): string {
  if (!list.negated) {
    const tests = [...list.lists].map(([subject, values]) => inList(subject, values));
    return tests.length === 1 ? tests[0]! : `(${tests.join(' OR ')})`;
  }
  const { subject, values, orNull } = list;
  const test = values.length === 1 ? `(${subject} <> ${values[0]})` : `(${subject} NOT IN (${values.join(', ')}))`;
  return orNull === null ? test : `(${orNull} IS NULL OR ${test})`;
}

export class EqualityLists {
  /** By the SQL text each stands for: the text says exactly that, wherever it is met again. */
  private readonly known = new Map<string, ValueList>();

  private noted(list: ValueList): string {
    const sql = listSql(list);
    this.known.set(sql, list);
    return sql;
  }

  /** `(subject = value)`, noted as a list of one. */
  equality(subject: string, value: string, kind: string): string {
    return this.noted({ negated: false, kind, lists: new Map([[subject, [value]]]) });
  }

  /** `(subject <> value)`, or `(orNull IS NULL OR (subject <> value))`, noted as a list of one. */
  inequality(subject: string, value: string, kind: string, orNull: string | null): string {
    return this.noted({ negated: true, kind, subject, values: [value], orNull });
  }

  /** `left op right` as lists where both sides are lists that `op` joins, with constants of one kind; else null. */
  merged(op: 'and' | 'or', left: string, right: string): string | null {
    const a = this.known.get(left);
    const b = this.known.get(right);
    if (!a || !b || a.kind !== b.kind) return null;
    if (op === 'or' && !a.negated && !b.negated) {
      const lists = new Map([...a.lists].map(([subject, values]) => [subject, [...values]]));
      for (const [subject, values] of b.lists) lists.set(subject, [...(lists.get(subject) ?? []), ...values]);
      return this.noted({ negated: false, kind: a.kind, lists });
    }
    if (op === 'and' && a.negated && b.negated && a.subject === b.subject && a.orNull === b.orNull)
      return this.noted({ ...a, values: [...a.values, ...b.values] });
    return null;
  }
}
