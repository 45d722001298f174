/**
 * Text from the records as it may be shown: a log field is written by whoever sends the traffic or the line,
 * and characters that are not letters would act on the page instead of reading as themselves. Control
 * characters (NUL, ESC, line breaks, tabs), direction and invisible format characters are shown as their
 * JSON-style escapes (`\u0000`, `\u001B`, `\n`, `\t`, `\u202E`), so a value neither breaks a line nor hides
 * anything, and "invoice\u202Efdp.exe" cannot read "invoiceexe.pdf". Escapes rather than Unicode's control
 * pictures (␀ ␛): fonts on Linux lack those, and they showed as empty boxes. Letters of every script stay as
 * they are. Only what is shown changes: copying, export and drill-down take the value itself.
 */

/** C0 and C1 controls, DEL, direction marks, embeddings, overrides and isolates, separators, invisible spaces. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;
const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const escaped = (c: string) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

export function visibleText(text: string): string {
  return text.replace(HIDDEN, escaped);
}
