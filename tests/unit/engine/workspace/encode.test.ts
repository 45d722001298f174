import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CellValue } from '../../../../preload/contract';
import { describeColumns, encodeCells, isoFromEpoch } from '../../../../main/engine/workspace/encode';

let instance: DuckDBInstance;
let conn: DuckDBConnection;

before(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});
after(() => {
  conn.closeSync();
  instance.closeSync();
});

/** One row of real DuckDB values, encoded by the wire rule. */
async function encode(selectList: string): Promise<{ cells: CellValue[]; types: string[] }> {
  const reader = await conn.runAndReadAll(`SELECT ${selectList}`);
  const types = reader.columnTypes();
  const cells = encodeCells(reader.getRows()[0]!, types);
  for (const c of cells) assert.ok(CellValue.safeParse(c).success, `not a CellValue: ${JSON.stringify(c)}`);
  return { cells, types: describeColumns(reader.columnNames(), types).map((c) => c.type) };
}

test('integers within 2^53 are numbers and beyond it are exact digit strings', async () => {
  const { cells } = await encode(
    `42::TINYINT, 9007199254740991::BIGINT, 9007199254740993::BIGINT, (-9223372036854775807 - 1)::BIGINT,
     18446744073709551615::UBIGINT, 170141183460469231731687303715884105727::HUGEINT, 12::HUGEINT, 4000000000::UINTEGER`,
  );
  assert.deepEqual(cells, [
    42,
    9007199254740991,
    '9007199254740993',
    '-9223372036854775808',
    '18446744073709551615',
    '170141183460469231731687303715884105727',
    12,
    4000000000,
  ]);
});

test('decimals are exact text and non-finite doubles are named strings', async () => {
  const { cells } = await encode(
    `123456789012345678.901234::DECIMAL(24,6), 0.5::DOUBLE, 'NaN'::DOUBLE, 'inf'::DOUBLE, '-inf'::FLOAT, 1.25::FLOAT`,
  );
  assert.deepEqual(cells, ['123456789012345678.901234', 0.5, 'NaN', 'Infinity', '-Infinity', 1.25]);
});

test('a FLOAT is the shortest number that is the same 32-bit value, as DuckDB and Athena write it', async () => {
  const { cells } = await encode(
    `0.3::FLOAT, 0.1::FLOAT, -16777217::FLOAT, 3.4028235e38::FLOAT, 1e-45::FLOAT, 0.1::FLOAT::DOUBLE, [0.3::FLOAT]`,
  );
  assert.deepEqual(cells, [0.3, 0.1, -16777216, 3.4028235e38, 1e-45, 0.10000000149011612, [0.3]]);
});

test('timestamps are ISO 8601 UTC with a Z to the microsecond, whatever their unit', async () => {
  const { cells } = await encode(
    `TIMESTAMP '2026-01-02 03:04:05.000123', TIMESTAMP_S '2026-01-02 03:04:05', TIMESTAMP_MS '2026-01-02 03:04:05.120',
     TIMESTAMPTZ '2026-01-02 03:04:05.5+00', TIMESTAMP '1969-12-31 23:59:59.999999', 'infinity'::TIMESTAMP`,
  );
  assert.deepEqual(cells, [
    '2026-01-02T03:04:05.000123Z',
    '2026-01-02T03:04:05.000000Z',
    '2026-01-02T03:04:05.120000Z',
    '2026-01-02T03:04:05.500000Z',
    '1969-12-31T23:59:59.999999Z',
    'infinity',
  ]);
});

test('dates, times, intervals, UUIDs, booleans and blobs have their text forms', async () => {
  const { cells } = await encode(
    `DATE '2026-03-02', TIME '12:34:56.5', INTERVAL 90 MINUTE, '00000000-0000-0000-0000-000000000001'::UUID, true, 'ab'::BLOB, NULL`,
  );
  assert.deepEqual(cells, [
    '2026-03-02',
    '12:34:56.5',
    '01:30:00',
    '00000000-0000-0000-0000-000000000001',
    true,
    Buffer.from('ab').toString('base64'),
    null,
  ]);
});

test('lists, structs and maps nest by the same rule', async () => {
  const { cells, types } = await encode(
    `[1, 9007199254740993]::BIGINT[], {'a': 1, 'b': TIMESTAMP '2026-01-01'}, MAP {'k': 18446744073709551615::UBIGINT}`,
  );
  assert.deepEqual(cells, [
    [1, '9007199254740993'],
    { a: 1, b: '2026-01-01T00:00:00.000000Z' },
    [{ key: 'k', value: '18446744073709551615' }],
  ]);
  assert.equal(types[0], 'BIGINT[]');
});

test('instants before 1970 keep a positive fraction', () => {
  assert.equal(isoFromEpoch(-1n, 1_000_000n, 6), '1969-12-31T23:59:59.999999Z');
  assert.equal(isoFromEpoch(1_500_000_000n, 1_000_000_000n, 9), '1970-01-01T00:00:01.500000000Z');
});

test('every instant DuckDB holds is written, past the years a JavaScript Date can hold', () => {
  // Within Date's range, the same text as Date writes: one second a day over 600,000 years, and leap days.
  for (let s = -8_640_000_000_000; s <= 8_640_000_000_000; s += 9_999_999_937) {
    const iso = new Date(s * 1000).toISOString().replace('.000Z', '.000000Z');
    assert.equal(isoFromEpoch(BigInt(s) * 1_000_000n, 1_000_000n, 6), iso);
  }
  assert.equal(isoFromEpoch(951_782_400_000_000n, 1_000_000n, 6), '2000-02-29T00:00:00.000000Z');
  // DuckDB's own ends: TIMESTAMP '294247-01-10 04:00:54.775806' and '290309-12-22 (BC) 00:00:00' (year -290308).
  assert.equal(isoFromEpoch(9_223_372_036_854_775_806n, 1_000_000n, 6), '+294247-01-10T04:00:54.775806Z');
  assert.equal(isoFromEpoch(-9_223_372_022_400_000_000n, 1_000_000n, 6), '-290308-12-22T00:00:00.000000Z');
});

test("a date's infinities are written as DuckDB names them", async () => {
  // The client wrote them as the dates next to them: 5881580-07-11 and 5877642-06-24 (BC).
  const { cells } = await encode(`'infinity'::DATE, '-infinity'::DATE, DATE '2026-01-02'`);
  assert.deepEqual(cells, ['infinity', '-infinity', '2026-01-02']);
});
