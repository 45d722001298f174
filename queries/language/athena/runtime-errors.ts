/**
 * DuckDB's messages for a translated Athena query that fails as it runs, in Trino's words where Trino's
 * differ, so that the message is the one an Athena user knows (and finds when searching): a cast of text
 * that is not a number names Trino's type ("Cannot cast '10.0.0.5' to INT", not DuckDB's "Could not convert
 * string '10.0.0.5' to INT32"). Any other message is DuckDB's.
 */

/** DuckDB's internal names of the types a cast names, as Trino's messages name them. */
const TRINO_TYPE: Record<string, string> = {
  INT8: 'TINYINT',
  INT16: 'SMALLINT',
  INT32: 'INT',
  INT64: 'BIGINT',
  FLOAT: 'REAL',
  DOUBLE: 'DOUBLE',
  BOOL: 'BOOLEAN',
};

/** The words Trino's "Out of range for …" uses. */
const TRINO_RANGE: Record<string, string> = { INT8: 'tinyint', INT16: 'smallint', INT32: 'integer', INT64: 'bigint' };

const RULES: [RegExp, (m: RegExpExecArray) => string | null][] = [
  [
    /^Conversion Error: Could not convert string '(.*)' to (\w+)$/s,
    (m) => (TRINO_TYPE[m[2]!] ? `Cannot cast '${m[1]}' to ${TRINO_TYPE[m[2]!]}` : null),
  ],
  [
    /^Conversion Error: Could not convert string "(.*)" to DECIMAL\((\d+),(\d+)\)$/s,
    (m) => `Cannot cast VARCHAR '${m[1]}' to DECIMAL(${m[2]}, ${m[3]}). Value is not a number.`,
  ],
  [
    /^Conversion Error: invalid (date|timestamp) field format: "(.*)", expected format is .*$/s,
    (m) => `Value cannot be cast to ${m[1]}: ${m[2]}`,
  ],
  [
    /^Conversion Error: Type \w+ with value (\S+) can't be cast because the value is out of range for the destination type (\w+)$/s,
    (m) => (TRINO_RANGE[m[2]!] ? `Out of range for ${TRINO_RANGE[m[2]!]}: ${m[1]}` : null),
  ],
];

/** Trino's message for DuckDB's `message` where the two differ, else `message`. */
export function athenaRuntimeMessage(message: string): string {
  // DuckDB names the stored column where it pushed the cast into the scan; Trino does not.
  const plain = message.replace(/ when casting from source column \S+$/, '');
  for (const [pattern, trino] of RULES) {
    const m = pattern.exec(plain);
    const said = m && trino(m);
    if (said) return said;
  }
  return message;
}
