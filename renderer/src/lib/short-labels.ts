/**
 * Long labels (IPv6 addresses, ARNs, long host names, endpoint ids) shortened in the middle, never at the end:
 * cut at the end, twenty IPv6 addresses of one /64 all read "2600:1…", and the part that tells them apart
 * is the end. A shortened label keeps its start and its end around "…" (`2600:1f18…9abc:29`), and no two
 * labels of one axis or list read the same: where they would, those labels show more. The whole value stays
 * in the tooltip or title.
 */

const ELLIPSIS = '…';

/** Roughly how wide a character of a 12 px chart label is (digits and lower case of the sans-serif fonts). */
export const LABEL_CHAR_PX = 7;

/** How many characters of a label fit in `px` pixels. */
export function charsIn(px: number): number {
  return Math.max(1, Math.floor(px / LABEL_CHAR_PX));
}

/**
 * `text` in at most `max` characters (the "…" counted as one): its start and its end, `tailShare` of the
 * room going to the end. Text that fits is returned as it is.
 */
export function elideMiddle(text: string, max: number, tailShare = 0.5): string {
  if (text.length <= max) return text;
  const room = Math.max(2, max - 1);
  const tail = Math.min(room - 1, Math.max(1, Math.round(room * tailShare)));
  // The cut moved by a character or two where that makes the start and the end whole groups
  // ("2600:1f18…5678:9abc:29", not "2600:1f1…:5678:9abc:29").
  const at = (i: number) => SEPARATORS.includes(text[i] ?? '');
  const whole = (head: number) =>
    Number(at(head) || at(head - 1)) + Number(at(text.length - room + head) || at(text.length - room + head - 1));
  let head = room - tail;
  for (const shift of [1, -1, 2, -2]) {
    const moved = room - tail + shift;
    if (moved >= 1 && moved <= room - 1 && whole(moved) > whole(head)) head = moved;
  }
  return `${text.slice(0, head)}${ELLIPSIS}${text.slice(text.length - room + head)}`;
}

/** Where an address, ARN or host name falls into groups. */
const SEPARATORS = ':./-_@';

/**
 * How the room is shared between start and end, in the order tried: mostly the end (addresses, ARNs and ids
 * differ there), or mostly the start (host names that share a long domain).
 */
const TAIL_SHARES = [0.6, 0.3] as const;

/** Labels shown as `shown` would make of them, with the characters allowed each; how many read alike. */
function shorten(
  labels: readonly string[],
  budgets: Map<string, number>,
  tailShare: number,
): { shown: Map<string, string>; clashes: string[] } {
  const shown = new Map(labels.map((l) => [l, elideMiddle(l, budgets.get(l)!, tailShare)]));
  const owners = new Map<string, string[]>();
  for (const [label, text] of shown) owners.set(text, [...(owners.get(text) ?? []), label]);
  return { shown, clashes: [...owners.values()].filter((o) => o.length > 1).flat() };
}

/**
 * Each distinct label of one axis shortened to `max` characters in the middle, none two the same: labels that
 * would read alike get a character more at a time until they differ (at worst shown whole).
 */
export function shortLabels(labels: readonly string[], max: number): Map<string, string> {
  const distinct = [...new Set(labels)];
  const start = (share: number) => shorten(distinct, new Map(distinct.map((l) => [l, max])), share);
  // The share that leaves the fewest labels alike, then more room for those still alike.
  const tailShare = TAIL_SHARES.map((share) => ({ share, clashes: start(share).clashes.length })).sort(
    (a, b) => a.clashes - b.clashes,
  )[0]!.share;
  const budgets = new Map(distinct.map((l) => [l, max]));
  for (;;) {
    const { shown, clashes } = shorten(distinct, budgets, tailShare);
    const growing = clashes.filter((l) => budgets.get(l)! < l.length);
    if (growing.length === 0) return shown;
    for (const l of growing) budgets.set(l, budgets.get(l)! + 1);
  }
}

/** The longest of the shown labels, in characters. */
export function longest(shown: Map<string, string>): number {
  return Math.max(0, ...[...shown.values()].map((s) => s.length));
}

/**
 * How many characters at the end of each value to keep in sight where a list cuts its values to its own
 * width (the field list: the start gets what room is left, cut by CSS): the fewest, from `min` to `max`, that
 * tell the values apart; `min` where their ends do not (host names of one domain), so the start has room.
 */
export function distinguishingTail(values: readonly string[], min = 4, max = 10): number {
  const distinct = [...new Set(values)];
  for (let n = min; n <= max; n++) {
    if (new Set(distinct.map((v) => v.slice(-n))).size === distinct.length) return n;
  }
  return min;
}

/**
 * `text` as a start that may be cut and an end kept whole: at least `tail` characters, from the start of
 * their group where it begins a few characters before ("9abc:29", not "bc:29"), at most half of the text.
 */
export function splitTail(text: string, tail: number): { head: string; tail: string } {
  const half = Math.floor(text.length / 2);
  let n = Math.min(tail, half);
  for (let more = n + 1; more <= Math.min(n + 4, half); more++) {
    if (SEPARATORS.includes(text[text.length - more - 1] ?? '')) {
      n = more;
      break;
    }
  }
  return { head: text.slice(0, text.length - n), tail: text.slice(text.length - n) };
}
