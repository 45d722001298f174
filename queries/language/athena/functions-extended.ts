/**
 * Trino functions beyond the core table (functions.ts) that flow-log queries reach for: bytes and their
 * hashes (`to_hex(md5(to_utf8(x)))`), bitwise operations and aggregates of TCP flags, a scalar out of JSON
 * text, maps of counts (`map_agg`, `approx_most_frequent`), `listagg`, `grouping`, string distances. Each
 * has Trino's argument and result types: md5 takes and gives a VARBINARY, as in Trino, so text is hashed
 * through to_utf8.
 *
 * Trino's functions that are not translated are named in TRINO_ONLY, so that a query using one is told
 * Flowscope lacks it, not that Athena does (Trino's own "Function 'x' not registered").
 */
import { agg, fn, textArg, unexpected, type AthenaFunction, type Built, type FnContext } from './function-kit';
import type { Tx } from './translate';
import { bindOnce } from './bind-sql';
import { isInteger, isLoose, type SqlType } from './types';

/** A VARBINARY argument (or NULL): Trino's hashes and encodings take bytes, not text. */
function bytesArg(c: FnContext, name: string): Tx {
  const a = c.args[0]!;
  if (!isLoose(a.type) && a.type !== 'varbinary') unexpected(c, `function ${name}`);
  return a;
}

/** A hash of bytes as bytes: DuckDB's hashes answer hex text. */
const hash = (name: string) =>
  fn(1, 1, (c) => ({ sql: `unhex(${name}(${bytesArg(c, name).sql}))`, type: 'varbinary' }));

/** Integer arguments (or NULL), as Trino's bitwise functions take. */
function integers(c: FnContext, name: string): Tx[] {
  if (c.args.some((a) => !isLoose(a.type) && !isInteger(a.type))) unexpected(c, `function ${name}`);
  return c.args;
}

/** An aggregate of integers by DuckDB's function of another name, a BIGINT as Trino's. */
const bitwiseAgg = (name: string, duck: string) =>
  agg(1, 1, (c) => ({ sql: `${duck}(${c.aggregateArgs([integers(c, name)[0]!.sql])})`, type: 'bigint' }));

const keyType = (t: SqlType): SqlType => (typeof t === 'object' && 'map' in t ? t.map[0] : 'any');
const valueType = (t: SqlType): SqlType => (typeof t === 'object' && 'map' in t ? t.map[1] : 'any');

/**
 * Trino's map_agg: a map of each key to one of its values, NULL keys left out. DuckDB's maps refuse a key
 * twice, so the entries are kept at each key's first place.
 */
function mapAgg(c: FnContext): Built {
  const [k, v] = c.args as [Tx, Tx];
  const entries = `list({'key': ${k.sql}, 'value': ${v.sql}}) FILTER (WHERE ${k.sql} IS NOT NULL)`;
  const firsts = `list_filter(e_, lambda x, i: list_position(list_transform(e_, lambda y: y.key), x.key) = i)`;
  return {
    sql: bindOnce(entries, 'e_', `map_from_entries(${firsts})`),
    type: { map: [k.type, v.type] },
  };
}

/**
 * approx_most_frequent(buckets, value, capacity): the `buckets` most frequent values with their counts, as
 * a map. Counted exactly, which is always within Trino's estimate; ties are broken by the value.
 */
function mostFrequent(c: FnContext): Built {
  const [buckets, value] = c.args as [Tx, Tx];
  if (!buckets.constant || !isInteger(buckets.type))
    c.fail('The number of buckets of approx_most_frequent must be an integer constant.', buckets.span);
  const ranked = `list_sort(list_transform(map_entries(histogram(${value.sql})), lambda e: {'n': -e.value, 'key': e.key, 'value': e.value}))`;
  const top = `list_slice(${ranked}, 1, ${buckets.sql})`;
  return {
    sql: `map_from_entries(list_transform(${top}, lambda e: {'key': e.key, 'value': e.value}))`,
    type: { map: [value.type, 'bigint'] },
  };
}

/** json_extract_scalar: a string, number or boolean at the path as text; NULL for an object, an array or bad JSON. */
function jsonScalar(c: FnContext): Built {
  const [json, path] = [textArg(c, 0), textArg(c, 1)];
  return {
    sql: `(CASE WHEN NOT json_valid(${json.sql}) OR json_type(${json.sql}, ${path.sql}) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(${json.sql}, ${path.sql}) END)`,
    type: 'varchar',
  };
}

export const EXTENDED: Record<string, AthenaFunction> = {
  // ── bytes ──
  to_utf8: fn(1, 1, (c) => ({ sql: `encode(${textArg(c, 0).sql})`, type: 'varbinary' })),
  from_utf8: fn(1, 1, (c) => ({ sql: `decode(${bytesArg(c, 'from_utf8').sql})`, type: 'varchar' })),
  from_hex: fn(1, 1, (c) => ({ sql: `unhex(${textArg(c, 0).sql})`, type: 'varbinary' })),
  to_base64: fn(1, 1, (c) => ({ sql: `to_base64(${bytesArg(c, 'to_base64').sql})`, type: 'varchar' })),
  from_base64: fn(1, 1, (c) => ({ sql: `from_base64(${textArg(c, 0).sql})`, type: 'varbinary' })),
  md5: hash('md5'),
  sha1: hash('sha1'),
  sha256: hash('sha256'),

  // ── bits, text, JSON ──
  bitwise_xor: fn(2, 2, (c) => ({
    sql: `xor(${integers(c, 'bitwise_xor')
      .map((a) => a.sql)
      .join(', ')})`,
    type: 'bigint',
  })),
  bitwise_not: fn(1, 1, (c) => ({ sql: `(~${integers(c, 'bitwise_not')[0]!.sql})`, type: 'bigint' })),
  levenshtein_distance: fn(2, 2, (c) => ({
    sql: `levenshtein(${textArg(c, 0).sql}, ${textArg(c, 1).sql})`,
    type: 'bigint',
  })),
  hamming_distance: fn(2, 2, (c) => {
    const [a, b] = [textArg(c, 0).sql, textArg(c, 1).sql];
    const sql = `(CASE WHEN length(${a}) <> length(${b}) THEN ${c.failure('The input strings to hamming_distance function must have the same length')} ELSE hamming(${a}, ${b}) END)`;
    return { sql, type: 'bigint' };
  }),
  // Trino's default form, NFC, is the one DuckDB has.
  normalize: fn(1, 1, (c) => ({ sql: `nfc_normalize(${textArg(c, 0).sql})`, type: 'varchar' })),
  json_extract_scalar: fn(2, 2, jsonScalar),
  current_timezone: fn(0, 0, () => ({ sql: "'UTC'", type: 'varchar' })),

  // ── maps ──
  map_keys: fn(1, 1, (c) => ({ sql: `map_keys(${c.args[0]!.sql})`, type: { array: keyType(c.args[0]!.type) } })),
  map_values: fn(1, 1, (c) => ({
    sql: `map_values(${c.args[0]!.sql})`,
    type: { array: valueType(c.args[0]!.type) },
  })),

  // ── aggregates ──
  bitwise_and_agg: bitwiseAgg('bitwise_and_agg', 'bit_and'),
  bitwise_or_agg: bitwiseAgg('bitwise_or_agg', 'bit_or'),
  map_agg: agg(2, 2, mapAgg),
  approx_most_frequent: agg(3, 3, mostFrequent),
  // listagg(x, separator) WITHIN GROUP (ORDER BY …): the parser hands the order over as the call's own.
  listagg: agg(1, 2, (c) => {
    const sep = c.args[1] ? textArg(c, 1).sql : "''";
    return { sql: `string_agg(${c.aggregateArgs([textArg(c, 0).sql, sep])})`, type: 'varchar' };
  }),
  // The grouping sets a row is of, as a bit mask of the arguments not grouped (DuckDB's is the same).
  grouping: agg(1, 62, (c) => ({ sql: `grouping(${c.args.map((a) => a.sql).join(', ')})`, type: 'bigint' })),
};

/** Trino's functions Flowscope does not translate. */
export const TRINO_ONLY: ReadonlySet<string> = new Set(
  (
    'multimap_agg map map_from_entries map_entries map_concat map_filter transform_keys transform_values ' +
    'numeric_histogram checksum reduce reduce_agg json_parse json_extract json_format json_size ' +
    'json_array_length json_array_get json_array_contains url_extract_host url_extract_path url_extract_port ' +
    'url_extract_query url_extract_parameter url_extract_protocol url_extract_fragment url_encode url_decode ' +
    'regexp_position bitwise_left_shift bitwise_right_shift bitwise_right_shift_arithmetic current_time ' +
    'localtime format_number zip zip_with array_except array_intersect array_union split_to_map ' +
    'split_to_multimap human_readable_seconds to_milliseconds parse_duration parse_data_size word_stem ' +
    'ip_prefix ip_subnet_min ip_subnet_max ip_subnet_range is_subnet_of contains_sequence cosine_similarity ' +
    'entropy approx_set merge empty_approx_set xxhash64 sha512 hmac_sha256 crc32 spooky_hash_v2_32 ' +
    'from_big_endian_64 to_big_endian_64 char2hexint luhn_check soundex translate strrpos'
  ).split(' '),
);
