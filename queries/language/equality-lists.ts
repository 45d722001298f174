/**
 * `x = a OR x = b OR …` written as `x IN (a, b, …)`, and `x <> a AND x <> b AND …` as `x NOT IN (a, b, …)`.
 * DuckDB tests every term of such a chain on every record (an indicator list of 300 addresses over 1 M records:
 * 0.73 s, of 3,000: about 9 s) where it answers a list of constants with one lookup (0.02 s). A compiler
 * writes each comparison of an expression with a constant through `equality`/`inequality` and joins two
 * conditions through `merged`: where both sides are such comparisons, or lists made here, with constants of
 * one kind, they become lists; `negation` turns the NOT of a list of equalities (Sumo's `!a !b`, an exclusion
 * list) into one of inequalities. A list may test several expressions (Sumo's scope reads an address as
 * `srcaddr = a OR dstaddr = a`, so a list of addresses is one IN list per column). The answer is the same,
 * NULLs included: `x IN (a, b)` is `x = a OR x = b`, an OR's or an AND's terms may come in any order, and
 * `x NOT IN (a, b)` is `x <> a AND x <> b`; an inequality that also holds where the field was logged as `-`
 * (`(x IS NULL OR x <> a)`, the pipe dialects), or where it is missing under a NOT, keeps that test in front
 * of its list. The chain being a balanced tree (nesting.ts), its halves are lists by the time they meet.
 */
interface ValueList {
  /** Tests joined by OR, `subject IN (…)`; or joined by AND, `(orNull IS NULL OR subject NOT IN (…))`. */
  negated: boolean;
  /** What kind of constant every value is (a compiler's own word), so that no list mixes types. */
  kind: string;
  /** Each subject's constants, in the order met. */
  lists: Map<string, string[]>;
  /** A negated list's subjects: the expression whose NULL passes the test too, or null. */
  orNull: Map<string, string | null>;
}

function listSql({ negated, lists, orNull }: ValueList): string {
  const tests = [...lists].map(([subject, values]) => {
    if (!negated) return values.length === 1 ? `(${subject} = ${values[0]})` : `(${subject} IN (${values.join(', ')}))`;
    const test = values.length === 1 ? `(${subject} <> ${values[0]})` : `(${subject} NOT IN (${values.join(', ')}))`;
    const nullable = orNull.get(subject);
    return nullable ? `(${nullable} IS NULL OR ${test})` : test;
  });
  return tests.length === 1 ? tests[0]! : `(${tests.join(negated ? ' AND ' : ' OR ')})`;
}

/** Two lists' subjects and constants together, the first's order first. */
function joined(a: ValueList, b: ValueList): Map<string, string[]> {
  const lists = new Map([...a.lists].map(([subject, values]) => [subject, [...values]]));
  for (const [subject, values] of b.lists) lists.set(subject, [...(lists.get(subject) ?? []), ...values]);
  return lists;
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
    return this.noted({ negated: false, kind, lists: new Map([[subject, [value]]]), orNull: new Map() });
  }

  /** `(subject <> value)`, or `(orNull IS NULL OR (subject <> value))`, noted as a list of one. */
  inequality(subject: string, value: string, kind: string, orNull: string | null): string {
    return this.noted({
      negated: true,
      kind,
      lists: new Map([[subject, [value]]]),
      orNull: new Map([[subject, orNull]]),
    });
  }

  /**
   * `NOT coalesce(sql, FALSE)` (a missing value fails a test, so passes its negation) as a negated list where
   * `sql` is a list of equalities: `(x IS NULL OR x NOT IN (…))`, one per subject, joined by AND. Else null.
   */
  negation(sql: string): string | null {
    const list = this.known.get(sql);
    if (!list || list.negated) return null;
    const orNull = new Map([...list.lists.keys()].map((subject) => [subject, subject]));
    return this.noted({ ...list, negated: true, orNull });
  }

  /** `left op right` as lists where both sides are lists that `op` joins, with constants of one kind; else null. */
  merged(op: 'and' | 'or', left: string, right: string): string | null {
    const a = this.known.get(left);
    const b = this.known.get(right);
    if (!a || !b || a.kind !== b.kind || a.negated !== b.negated || a.negated !== (op === 'and')) return null;
    // Two tests of one subject join only where NULL passes both or neither.
    for (const [subject, nullable] of b.orNull)
      if (a.orNull.has(subject) && a.orNull.get(subject) !== nullable) return null;
    return this.noted({ ...a, lists: joined(a, b), orNull: new Map([...a.orNull, ...b.orNull]) });
  }
}
