/**
 * The shape of a text for Insights `pattern`: its words, each one that varies from record to record
 * replaced by `<*>`. A flow-log record's varying words are numbers, addresses and AWS resource IDs; what
 * stays is what tells records apart by kind (`ACCEPT OK`, `REJECT OK`, `NODATA`, `-` for a missing value).
 * CloudWatch infers its patterns with a model trained on each log group; this rule is the offline stand-in,
 * written so that the same text always has the same pattern.
 */

/** A word that varies: a number, an IPv4 or IPv6 address, or an AWS ID such as `eni-0a1b2c3d`. */
const VARYING_WORD = String.raw`[0-9][0-9.]*|[0-9a-fA-F]*:[0-9a-fA-F:.]*|[a-z]+-[0-9a-f]{8,17}`;

/** SQL for the pattern of the text `textSql`. */
export function patternSql(textSql: string): string {
  return (
    `array_to_string(list_transform(string_split(${textSql}, ' '), ` +
    `w -> CASE WHEN regexp_full_match(w, '${VARYING_WORD}') THEN '<*>' ELSE w END), ' ')`
  );
}
