/**
 * Writing a field of a CSV line (RFC 4180): the one place it is done, for the CLI's `--format csv` and the
 * country table the workspace loads. A field holding a quote, a comma or a line break goes in double quotes,
 * its quotes doubled; any other field is written as it is.
 */

/** `say "hi", twice` → `"say ""hi"", twice"` */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
