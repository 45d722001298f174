/**
 * One test per Trino function and semantic rule the Athena dialect translates, each run by DuckDB on a
 * real workspace and compared with the value Trino's documentation gives (worked out by hand in the
 * comment beside it), not with what DuckDB happens to answer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { FlowscopeError } from '../../../main/engine/errors';
import { openFixture, ROWS } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

async function rows(query: string): Promise<CellValue[][]> {
  const r = (await call(fx().engine, 'query.run', { query, dialect: 'athena', pageSize: 100 })) as Output<'query.run'>;
  return r.rows;
}

/** The single value of a one-row, one-column query. */
async function value(expr: string): Promise<CellValue> {
  const r = await rows(`SELECT ${expr}`);
  assert.equal(r.length, 1);
  return r[0]![0]!;
}

async function fails(query: string, message: RegExp): Promise<void> {
  await assert.rejects(
    call(fx().engine, 'query.run', { query, dialect: 'athena' }),
    (err: unknown) => err instanceof FlowscopeError && message.test(err.message),
  );
}

test('from_unixtime and to_unixtime convert Unix seconds, in UTC', async () => {
  // 1588586400 = 2020-05-04 10:00:00 UTC; from_unixtime is a timestamp(3) with time zone.
  assert.equal(await value('to_iso8601(from_unixtime(1588586400))'), '2020-05-04T10:00:00.000Z');
  assert.equal(await value('to_iso8601(from_unixtime(1588586400.5))'), '2020-05-04T10:00:00.500Z');
  assert.equal(await value("to_unixtime(TIMESTAMP '2020-05-04 10:00:00')"), 1588586400);
});

test('to_iso8601 and from_iso8601_timestamp read and write ISO 8601', async () => {
  assert.equal(await value("to_iso8601(DATE '2020-05-04')"), '2020-05-04');
  // An offset is kept, as Trino's value keeps it: 12:00 at +02:00 (10:00 UTC).
  assert.equal(
    await value("to_iso8601(from_iso8601_timestamp('2020-05-04T12:00:00+02:00'))"),
    '2020-05-04T12:00:00.000+02:00',
  );
  assert.equal(await value("to_unixtime(from_iso8601_timestamp('2020-05-04T12:00:00+02:00'))"), 1588586400);
  // Without an offset, Athena's session zone, UTC.
  assert.equal(await value("to_iso8601(from_iso8601_timestamp('2020-05-04'))"), '2020-05-04T00:00:00.000Z');
});

test('from_iso8601_timestamp and from_iso8601_date read ISO 8601 as Joda does, and refuse other text in its words', async () => {
  // Joda's ISODateTimeFormat.dateTimeParser reads an hour without minutes and a month without a day.
  // Before: '2026-03-02T10' failed (DuckDB's cast), and text with a space or slashes answered.
  const iso = (text: string) => value(`to_iso8601(from_iso8601_timestamp(${text}))`);
  assert.equal(await iso("'2026-03-02T10'"), '2026-03-02T10:00:00.000Z');
  assert.equal(await iso("'2026-03'"), '2026-03-01T00:00:00.000Z');
  assert.equal(await iso("'2026-03-02T10:00:00,5Z'"), '2026-03-02T10:00:00.500Z');
  // A column's offset gives the instant (its zone, which varies by row, is not carried).
  const [r] = await rows(
    "SELECT to_unixtime(from_iso8601_timestamp(s)) FROM (VALUES '2026-03-02T10:30-05:00') AS v(s)",
  );
  assert.deepEqual(r, [Date.UTC(2026, 2, 2, 15, 30) / 1000]);
  // Joda's FormatUtils.createErrorMessage, at the one call that can have failed.
  await fails(
    "SELECT from_iso8601_timestamp('2026-03-02 10:00:00')",
    /^line 1, column 8: Invalid format: "2026-03-02 10:00:00" is malformed at " 10:00:00"$/,
  );
  await fails(
    "SELECT from_iso8601_date(s) FROM (VALUES '2026/03/02') AS v(s)",
    /^line 1, column 8: Invalid format: "2026\/03\/02" is malformed at "\/03\/02"$/,
  );
});

test("date_parse and parse_datetime of text their pattern does not read fail in Joda's words, at the call", async () => {
  // Trino parses with Joda: FormatUtils.createErrorMessage names where the text stops matching. The common
  // slip, a '2026/03/02' day partition read with dashes, read DuckDB's 'Could not parse string … according
  // to format specifier "%Y-%m-%d"' with its own caret, and no place in the query.
  await fails(
    "SELECT date_parse(day, '%Y-%m-%d') FROM vpc_flow_logs",
    /^line 1, column 8: Invalid format: "2026\/03\/0\d" is malformed at "\/03\/0\d"$/,
  );
  await fails(
    "SELECT parse_datetime('2026-03-02 10', 'yyyy-MM-dd')",
    /^line 1, column 8: Invalid format: "2026-03-02 10" is malformed at " 10"$/,
  );
  await fails("SELECT date_parse('2026-03', '%Y-%m-%d')", /^line 1, column 8: Invalid format: "2026-03" is too short$/);
});

test('date_format and date_parse use MySQL specifiers; Trino refuses %D', async () => {
  // 2020-05-04 is a Monday, day 125 of a leap year.
  assert.equal(
    await value("date_format(TIMESTAMP '2020-05-04 09:05:07', '%Y/%m/%d %H:%i:%s %e %c %k %l %p %W %M %a %b %j')"),
    '2020/05/04 09:05:07 4 5 9 9 AM Monday May Mon May 125',
  );
  assert.equal(await value("date_format(date_parse('2020/05/04 09:05', '%Y/%m/%d %H:%i'), '%T')"), '09:05:00');
  await fails("SELECT date_format(TIMESTAMP '2020-05-04 09:05:07', '%D')", /%D not supported in date format string/);
});

test('format_datetime writes Joda patterns as Trino: the unpadded ISO week, fractions of any length', async () => {
  // 2021-01-02 is a Saturday in ISO week 53 of week-year 2020; strftime has neither `%-V` nor a 1- or 4-digit fraction.
  assert.equal(
    await value("format_datetime(TIMESTAMP '2021-01-02 03:04:05.678', 'w ww xxxx-S-SS-SSS-SSSS EEE ''w''')"),
    '53 53 2020-6-67-678-6780 Sat w',
  );
  assert.equal(await value("format_datetime(TIMESTAMP '2021-03-08 00:00:00', 'w')"), '10');
  assert.equal(await value("format_datetime(TIMESTAMP '2021-03-08 00:00:00', '')"), '');
});

test("format_datetime writes Joda's clock hour k (1-24), half-day hour K (0-11), era G and century C", async () => {
  // Midnight is hour 24 of the clock, 0 of the half day; 13:00 is 13 and 1; 2021 is in the 20th century of AD.
  assert.equal(await value("format_datetime(TIMESTAMP '2021-03-08 00:05:00', 'kk:mm K G C')"), '24:05 0 AD 20');
  assert.equal(await value("format_datetime(TIMESTAMP '2021-03-08 13:00:00', 'k KK CCC')"), '13 01 020');
});

test("parse_datetime reads the offset or zone Joda's Z, ZZ and ZZZ name, so the instant is the text's", async () => {
  // Trino parses withOffsetParsed(): 10:05 at +01:00 is 09:05 UTC. Before: Z was read as the literal text
  // '+0000', so any other offset failed with DuckDB's 'Could not parse string', and ZZZ as the text 'UTC'.
  const at = (text: string, pattern: string) => value(`to_unixtime(parse_datetime('${text}', '${pattern}'))`);
  assert.equal(await at('2026-03-02 10:05:00 +0100', 'yyyy-MM-dd HH:mm:ss Z'), Date.UTC(2026, 2, 2, 9, 5) / 1000);
  assert.equal(await at('2026-03-02 10:05:00 -05:30', 'yyyy-MM-dd HH:mm:ss ZZ'), Date.UTC(2026, 2, 2, 15, 35) / 1000);
  assert.equal(
    await at('2026-03-02 10:05:00 Europe/Paris', 'yyyy-MM-dd HH:mm:ss ZZZ'),
    Date.UTC(2026, 2, 2, 9, 5) / 1000,
  );
  assert.equal(await at('02/Mar/2026:10:05:00 +0000', 'dd/MMM/yyyy:HH:mm:ss Z'), Date.UTC(2026, 2, 2, 10, 5) / 1000);
  // Without a zone in the pattern, Athena's session zone, UTC.
  assert.equal(await at('2026-03-02 10:05:00', 'yyyy-MM-dd HH:mm:ss'), Date.UTC(2026, 2, 2, 10, 5) / 1000);
});

test('a number and a time do not cast to each other, as Trino has no such cast: its analyzer refuses them', async () => {
  // Trino's ExpressionAnalyzer: "Cannot cast %s to %s" where no cast operator exists, TRY_CAST alike. Before:
  // CAST(start AS timestamp) failed in DuckDB's words ('Unimplemented type for cast (BIGINT -> TIMESTAMP)').
  await fails(
    'SELECT CAST(start AS timestamp) FROM vpc_flow_logs',
    /^line 1, column 8: Cannot cast bigint to timestamp\(3\)$/,
  );
  await fails(
    'SELECT TRY_CAST(from_unixtime(start) AS bigint) FROM vpc_flow_logs',
    /^line 1, column 8: Cannot cast timestamp\(3\) with time zone to bigint$/,
  );
  await fails("SELECT CAST(DATE '2026-03-02' AS integer)", /^line 1, column 8: Cannot cast date to integer$/);
  assert.equal(await value('to_unixtime(from_unixtime(1588586400))'), 1588586400);
});

test("an interval reads as Trino writes it, in an answer and cast to text: '0 00:00:49.000', '1-2'", async () => {
  // Trino's IntervalDayTime.formatMillis ('%s%d %02d:%02d:%02d.%03d') and IntervalYearMonth.formatMonths
  // ('%s%d-%d'). Before: DuckDB's text, '00:00:49', '3 days 00:00:53', '1 year 2 months'.
  const [r] = await rows(
    "SELECT TIMESTAMP '2026-03-02 10:00:49' - TIMESTAMP '2026-03-02 10:00:00', " +
      "CAST(TIMESTAMP '2026-03-02 10:00:00' - TIMESTAMP '2026-03-05 10:00:53.5' AS varchar), " +
      "interval '14' month, CAST(interval '-2' year AS varchar), interval '1' day",
  );
  assert.deepEqual(r, ['0 00:00:49.000', '-3 00:00:53.500', '1-2', '-2-0', '1 00:00:00.000']);
  // Still ordered as intervals, not as text: 1 day after 0 days 23 hours.
  const ordered = await rows(
    "SELECT d FROM (VALUES interval '1' day, interval '23' hour, interval '2' minute) AS v(d) ORDER BY d DESC",
  );
  assert.deepEqual(ordered, [['1 00:00:00.000'], ['0 23:00:00.000'], ['0 00:02:00.000']]);
});

test('a timestamp is named with its precision, as Trino names it: typeof and the refusals say timestamp(3)', async () => {
  // Trino's from_unixtime, date_parse and current_timestamp are timestamp(3) [with time zone]; its messages
  // name the types so ("'>' cannot be applied to timestamp(3) with time zone, varchar(19)"). Before: 'timestamp'.
  const [r] = await rows(
    "SELECT typeof(from_unixtime(1772445600)), typeof(date_parse('2026/03/02', '%Y/%m/%d')), typeof(current_timestamp)",
  );
  assert.deepEqual(r, ['timestamp(3) with time zone', 'timestamp(3)', 'timestamp(3) with time zone']);
  await fails(
    "SELECT count(*) FROM vpc_flow_logs WHERE from_unixtime(start) > '2026-03-02 10:00:00'",
    /'>' cannot be applied to timestamp\(3\) with time zone, varchar/,
  );
});

test('date_add adds units, keeping a DATE a DATE and clamping to the end of the month', async () => {
  assert.equal(await value("date_add('day', -30, DATE '2020-07-31')"), '2020-07-01');
  // January 31 plus one month is the last day of February (2020 is a leap year).
  assert.equal(await value("date_add('month', 1, DATE '2020-01-31')"), '2020-02-29');
  assert.equal(
    await value("to_iso8601(date_add('hour', 3, TIMESTAMP '2020-05-04 22:30:00'))"),
    '2020-05-05T01:30:00.000',
  );
  assert.equal(await value("typeof(date_add('day', 1, DATE '2020-07-31'))"), 'date');
});

test('date_diff counts whole units from the first time to the second', async () => {
  assert.equal(await value("date_diff('day', TIMESTAMP '2020-07-01 00:00:00', TIMESTAMP '2020-07-31 12:00:00')"), 30);
  assert.equal(await value("date_diff('day', TIMESTAMP '2020-07-31 12:00:00', TIMESTAMP '2020-07-01 00:00:00')"), -30);
  // 1 h 59 min is one whole hour (DuckDB's own date_diff would count the two hour boundaries crossed).
  assert.equal(await value("date_diff('hour', TIMESTAMP '2020-07-01 00:30:00', TIMESTAMP '2020-07-01 02:29:00')"), 1);
  assert.equal(await value("date_diff('month', DATE '2020-01-31', DATE '2020-02-28')"), 0);
});

test('date_trunc truncates to the unit; a week starts on Monday', async () => {
  assert.equal(
    await value("to_iso8601(date_trunc('month', TIMESTAMP '2020-05-04 10:00:00'))"),
    '2020-05-01T00:00:00.000',
  );
  assert.equal(await value("date_trunc('week', DATE '2020-05-07')"), '2020-05-04');
});

test('day_of_week is ISO (Monday 1 … Sunday 7), as are week and year_of_week', async () => {
  assert.deepEqual(
    await rows("SELECT day_of_week(DATE '2020-05-03'), dow(DATE '2020-05-04'), day_of_year(DATE '2020-05-04')"),
    [[7, 1, 125]],
  );
  // 2021-01-01 (a Friday) belongs to ISO week 53 of 2020.
  assert.deepEqual(await rows("SELECT week(DATE '2021-01-01'), year_of_week(DATE '2021-01-01')"), [[53, 2020]]);
  assert.deepEqual(await rows("SELECT extract(DOW FROM DATE '2020-05-03'), extract(YEAR FROM DATE '2020-05-03')"), [
    [7, 2020],
  ]);
});

test("current_date and intervals: current_date - interval '7' day is a DATE seven days back", async () => {
  assert.deepEqual(
    await rows(
      "SELECT date_diff('day', current_date - interval '7' day, current_date), typeof(current_date - interval '7' day)",
    ),
    [[7, 'date']],
  );
  assert.equal(
    await value("to_iso8601(TIMESTAMP '2020-05-04 10:00:00' + INTERVAL '90' MINUTE)"),
    '2020-05-04T11:30:00.000',
  );
  assert.equal(await value("DATE '2020-01-15' + INTERVAL '1-2' YEAR TO MONTH"), '2021-03-15');
  assert.equal(
    await value("to_iso8601(TIMESTAMP '2020-05-04 00:00:00' + INTERVAL '1 02:03:04' DAY TO SECOND)"),
    '2020-05-05T02:03:04.000',
  );
});

test('split_part is 1-based and NULL past the last field', async () => {
  assert.deepEqual(
    await rows("SELECT split_part('10.117.1.22', '.', 2), split_part('a.b', '.', 5), split_part('a..b', '.', 2)"),
    [['117', null, '']],
  );
  await fails("SELECT split_part('a.b', '.', 0)", /Index must be greater than zero/);
});

test('regexp_like matches anywhere, case-sensitively; regexp_extract is NULL without a match', async () => {
  assert.deepEqual(
    await rows(
      "SELECT regexp_like('10.117.1.22', '^10\\.117\\.'), regexp_like('eni-0a1', 'ENI'), regexp_like('eni-0a1', '0a')",
    ),
    [[true, false, true]],
  );
  assert.deepEqual(await rows("SELECT regexp_extract('eni-0a1', '[0-9]+'), regexp_extract('eni', '[0-9]+')"), [
    ['0', null],
  ]);
  assert.equal(await value("regexp_replace('10.0.0.1', '(\\d+)\\.(\\d+)', '$2.$1')"), '0.10.1.0');
});

test('array_agg keeps NULLs; approx_distinct and approx_percentile answer small sets exactly', async () => {
  const data = 'FROM (VALUES (3), (NULL), (1), (3)) AS t(x)';
  assert.deepEqual(await rows(`SELECT array_agg(x ORDER BY x) ${data}`), [[[1, 3, 3, null]]]);
  assert.deepEqual(await rows(`SELECT approx_distinct(x), approx_distinct(x, 0.0040625) ${data}`), [[2, 2]]);
  // Exact, so within Trino's 2.3% standard error at any size (DuckDB's estimate of 1,028 values was 1,249).
  assert.deepEqual(
    await rows('SELECT approx_distinct(x), approx_distinct(x, 0.26) FROM UNNEST(sequence(1, 1028)) AS t(x)'),
    [[1028, 1028]],
  );
  await fails(`SELECT approx_distinct(x, 0.3) ${data}`, /Max standard error must be in \[0.0040625, 0.26\]: 0.3/);
  const nine = 'FROM (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS t(x)';
  assert.deepEqual(await rows(`SELECT approx_percentile(x, 0.5), approx_percentile(x, ARRAY[0.0, 1.0]) ${nine}`), [
    [5, [1, 9]],
  ]);
});

test('count_if counts the rows where the condition is true', async () => {
  assert.deepEqual(
    await rows('SELECT count_if(x > 2), count_if(x IS NULL) FROM (VALUES (1), (3), (5), (NULL)) AS t(x)'),
    [[2, 1]],
  );
});

test('CAST(x AS IPADDRESS) orders addresses as numbers and prints them as Trino does', async () => {
  assert.deepEqual(
    await rows(
      "SELECT CAST('10.0.0.1' AS IPADDRESS), CAST('2001:DB8:0:0:0:0:0:1' AS IPADDRESS), CAST(CAST('0:0:0:0:0:0:0:1' AS IPADDRESS) AS VARCHAR)",
    ),
    [['10.0.0.1', '2001:db8::1', '::1']],
  );
  // As text '10.0.0.10' < '10.0.0.9'; as addresses it is greater.
  assert.deepEqual(
    await rows("SELECT CAST('10.0.0.10' AS IPADDRESS) > CAST('10.0.0.9' AS IPADDRESS), '10.0.0.10' > '10.0.0.9'"),
    [[true, false]],
  );
  await fails("SELECT CAST('-' AS IPADDRESS)", /Cannot cast value to IPADDRESS: -/);
  assert.equal(await value("TRY_CAST('-' AS IPADDRESS)"), null);
});

test('text of IPv6 ending in dotted IPv4 casts to IPADDRESS as its literal does (it failed the query)', async () => {
  const printed: [string, string][] = [
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
  ];
  for (const [text, shown] of printed)
    assert.deepEqual(
      await rows(
        `SELECT CAST(CAST(x AS IPADDRESS) AS VARCHAR), CAST(IPADDRESS '${text}' AS VARCHAR) FROM (VALUES '${text}') AS t(x)`,
      ),
      [[shown, shown]],
    );
  await fails(
    "SELECT CAST(x AS IPADDRESS) FROM (VALUES '::ffff:10.0.0.256') AS t(x)",
    /Cannot cast value to IPADDRESS: ::ffff:10\.0\.0\.256/,
  );
});

test('an IPADDRESS output column orders as addresses, by position, name, DISTINCT or a WITH query', async () => {
  // The fixture's destinations: 8.8.8.8 is the lowest address, though '8.8.8.8' is the last text.
  const ok = "FROM vpc_flow_logs WHERE log_status = 'OK'";
  const lowest = [['8.8.8.8'], ['10.0.0.5'], ['10.0.0.6']];
  assert.deepEqual(await rows(`SELECT CAST(dstaddr AS IPADDRESS) ip ${ok} GROUP BY 1 ORDER BY 1 LIMIT 3`), lowest);
  assert.deepEqual(await rows(`SELECT CAST(dstaddr AS IPADDRESS) ip ${ok} GROUP BY 1 ORDER BY ip LIMIT 3`), lowest);
  assert.deepEqual(await rows(`SELECT DISTINCT CAST(dstaddr AS IPADDRESS) ip ${ok} ORDER BY ip LIMIT 3`), lowest);
  assert.deepEqual(
    await rows(
      `WITH t AS (SELECT CAST(dstaddr AS IPADDRESS) ip ${ok}) SELECT DISTINCT ip FROM t ORDER BY ip DESC LIMIT 3`,
    ),
    [['2001:db8::2'], ['192.0.2.10'], ['10.0.0.7']],
  );
});

test('IPADDRESS literals compare, IPv4 equal to its IPv4-mapped IPv6 form', async () => {
  assert.deepEqual(
    await rows(
      "SELECT IPADDRESS '10.0.0.1' < IPADDRESS '10.0.0.2', IPADDRESS '::ffff:10.0.0.1' = IPADDRESS '10.0.0.1', IPADDRESS '10.0.0.1' < IPADDRESS '2001:db8::1'",
    ),
    [[true, true, true]],
  );
  await fails("SELECT IPADDRESS '10.0.0.256'", /Cannot cast value to IPADDRESS: 10.0.0.256/);
});

test("contains('10.0.0.0/8', ip) tests CIDR membership, IPv4 and IPv6", async () => {
  assert.deepEqual(
    await rows(
      "SELECT contains('10.0.0.0/8', IPADDRESS '10.255.0.1'), contains('10.0.0.0/8', IPADDRESS '11.0.0.1'), contains('2001:db8::/32', IPADDRESS '2001:db8::1'), contains('2001:db8::/32', IPADDRESS '10.0.0.1')",
    ),
    [[true, false, true, false]],
  );
  // On stored addresses: the fixture's 10.0.0.5 and 10.0.0.6 (both directions of its traffic).
  assert.deepEqual(
    await rows(
      "SELECT count(*) FROM vpc_flow_logs WHERE log_status = 'OK' AND contains('10.0.0.0/24', CAST(srcaddr AS IPADDRESS))",
    ),
    [[2]],
  );
  assert.equal(await value('contains(ARRAY[1, 2], 2)'), true);
});

test('contains() takes its network from a column: a join to a list of CIDRs (it needed a literal)', async () => {
  const nets =
    "WITH nets(cidr, name) AS (VALUES ('192.0.2.0/24', 'doc'), ('10.0.0.0/8', 'ten'), ('2001:db8::/32', 'v6'), ('0.0.0.0/0', 'all4'), (NULL, 'none'))";
  // The fixture's addresses: 192.0.2.10 (twice), .20, .255; 10.0.0.5, 10.0.0.6; 198.51.100.7; 2001:db8::1, 2001:db9::1.
  assert.deepEqual(
    await rows(
      `${nets} SELECT name, count(*) FROM vpc_flow_logs JOIN nets ON contains(nets.cidr, CAST(srcaddr AS IPADDRESS)) WHERE log_status = 'OK' GROUP BY name ORDER BY name`,
    ),
    [
      ['all4', 7],
      ['doc', 4],
      ['ten', 2],
      ['v6', 1],
    ],
  );
  // NULL for a NULL network; an IPv4 address is in no IPv6 network, ::/0 included (the literal's range held it).
  assert.deepEqual(
    await rows(
      "SELECT contains(n, IPADDRESS '10.1.1.1'), contains(n, IPADDRESS '2001:db8::1'), contains('::/0', IPADDRESS '10.1.1.1') FROM (VALUES ('::/0'), ('10.0.0.0/8'), (NULL)) AS t(n)",
    ),
    [
      [false, true, false],
      [true, false, false],
      [null, null, false],
    ],
  );
  // Trino's errors for a network that is not a CIDR, at the call; try() makes them NULL.
  const network = (n: string) => `SELECT contains(n, IPADDRESS '10.1.1.1') FROM (VALUES ('${n}')) AS t(n)`;
  await fails(network('10.0.0.1/8'), /^line 1, column 8: Invalid CIDR$/);
  await fails(network('10.0.0.0'), /^line 1, column 8: Invalid CIDR$/);
  await fails(network('10.0.0.0/33'), /^line 1, column 8: Prefix length exceeds address length$/);
  await fails(network('x/8'), /^line 1, column 8: Invalid network IP address$/);
  assert.deepEqual(await rows("SELECT try(contains(n, IPADDRESS '10.1.1.1')) FROM (VALUES ('x/8')) AS t(n)"), [[null]]);
  // A literal network fails as a column's does (Flowscope masked 10.0.0.1/8 into 10.0.0.0/8 and answered);
  // Trino checks an IPv4 network's host bits only, and masks an IPv6 one's.
  await fails("SELECT contains('10.0.0.1/8', IPADDRESS '10.1.1.1')", /^line 1, column 8: Invalid CIDR$/);
  await fails(
    "SELECT count(*) FROM vpc_flow_logs WHERE log_status = 'OK' AND contains('192.0.2.1/24', CAST(srcaddr AS IPADDRESS))",
    /^line 1, column 64: Invalid CIDR$/,
  );
  assert.deepEqual(
    await rows(
      "SELECT try(contains('10.0.0.1/8', IPADDRESS '10.1.1.1')), contains('2001:db8::1/32', IPADDRESS '2001:db8::5')",
    ),
    [[null, true]],
  );
  // A stored IPv4 address against IPv4 networks is a test of integers; a network Trino refuses still fails.
  const joined = (cidr: string) =>
    `WITH nets(cidr) AS (VALUES ('${cidr}')) SELECT count(*) FROM vpc_flow_logs JOIN nets ON contains(nets.cidr, CAST(srcaddr AS IPADDRESS)) WHERE log_status = 'OK'`;
  assert.deepEqual(await rows(joined('192.0.2.0/25')), [[3]]);
  assert.deepEqual(await rows(joined('192.0.2.255/32')), [[1]]);
  await fails(joined('192.0.2.1/24'), /Invalid CIDR$/);
});

test("format() is Java's Formatter, as Trino's: its documented examples, numbers with %s (DuckDB's printf refused them)", async () => {
  // Trino's documentation (functions/conversion): each example and the answer it gives.
  assert.deepEqual(
    await rows(
      "SELECT format('%s%%', 123), format('%.5f', pi()), format('%03d', 8), format('%,.2f', 1234567.89), format('%-7s,%7s', 'hello', 'world'), format('%2$s %3$s %1$s', 'a', 'b', 'c')",
    ),
    [['123%', '3.14159', '008', '1,234,567.89', 'hello  ,  world', 'b c a']],
  );
  // Java's %f rounds the shortest decimal half up (C's printf gave 1.00 and 0.2); %s of a double is
  // Double.toString; a NULL argument is `null`; every integer is a Long, so -1 in hex has 16 digits.
  assert.deepEqual(
    await rows(
      "SELECT format('%.2f|%.1f|%s|%s|%S|%x|%#X|%,d|%s|%<s', 1.005e0, 0.25e0, 1e7, NULL, 'ab', -1, 255, 1234567, DATE '2026-03-03')",
    ),
    [['1.01|0.3|1.0E7|null|AB|ffffffffffffffff|0XFF|1,234,567|2026-03-03|2026-03-03']],
  );
  const [[record] = []] = await rows(
    "SELECT format('%s:%d', srcaddr, srcport) FROM vpc_flow_logs WHERE srcaddr = '10.0.0.5'",
  );
  assert.equal(record, '10.0.0.5:443');
  // What Java refuses, in Trino's words; what Flowscope does not write, by name.
  await fails(
    "SELECT format('%d', 'x')",
    /^line 1, column 8: Invalid format string: %d \(IllegalFormatConversion: d != java\.lang\.String\)$/,
  );
  await fails(
    "SELECT format('%s %s', 1)",
    /^line 1, column 8: Invalid format string: %s %s \(MissingFormatArgument: Format specifier '%s'\)$/,
  );
  await fails("SELECT format('%q', 1)", /Invalid format string: %q \(UnknownFormatConversion: Conversion = 'q'\)$/);
  await fails("SELECT format('%tY', current_date)", /^line 1, column 8: Flowscope's format\(\) does not write %tY/);
});

test("format()'s %s of a time is java.time's text, as Trino hands it to Java (Flowscope refused it)", async () => {
  // Trino's own tests (TestFormatFunction): a LocalDateTime without zero seconds, a ZonedDateTime with its
  // offset and zone; a fraction in groups of three digits and a LocalTime as java.time writes them.
  assert.deepEqual(
    await rows(
      "SELECT format('%s', TIMESTAMP '1969-07-20 16:17:00'), format('%s', TIMESTAMP '1969-07-20 16:17:03'), format('%s', TIMESTAMP '1969-07-20 16:17:00 America/New_York'), format('%s', TIMESTAMP '1969-07-20 20:17:00 UTC'), format('%s', TIMESTAMP '2024-01-01 00:00:00.5'), format('%s', TIME '16:17:13'), format('%S|%<s', from_unixtime(0) AT TIME ZONE '+05:30')",
    ),
    [
      [
        '1969-07-20T16:17',
        '1969-07-20T16:17:03',
        '1969-07-20T16:17-04:00[America/New_York]',
        '1969-07-20T20:17Z[UTC]',
        '2024-01-01T00:00:00.500',
        '16:17:13',
        '1970-01-01T05:30+05:30|1970-01-01T05:30+05:30',
      ],
    ],
  );
  await fails(
    "SELECT format('%s', ARRAY[8])",
    /^line 1, column 21: Type not supported for formatting: array\(integer\)$/,
  );
  await fails("SELECT format('%d', TIME '16:17:13')", /IllegalFormatConversion: d != java\.time\.LocalTime\)$/);
});

test('Trino functions flow-log queries use that were refused: bytes and hashes, bits, JSON, maps, listagg, grouping', async () => {
  // md5 hashes bytes, as in Trino: text goes through to_utf8 (md5('a') is Trino's type error).
  assert.deepEqual(
    await rows(
      "SELECT to_hex(md5(to_utf8('a'))), to_base64(to_utf8('a')), from_utf8(from_base64('YQ==')), bitwise_xor(5, 3), bitwise_not(5), levenshtein_distance('kitten', 'sitting'), normalize('abc'), json_extract_scalar('{\"a\": {\"b\": [1, \"x\"]}}', '$.a.b[1]'), json_extract_scalar('{\"a\": {}}', '$.a')",
    ),
    [['0CC175B9C0F1B6A831C399E269772661', 'YQ==', 'a', 6, -6, 3, 'abc', 'x', null]],
  );
  await fails("SELECT md5('a')", /^line 1, column 8: Unexpected parameters \(varchar\) for function md5$/);
  // map_agg keeps one value of a key and leaves NULL keys out; approx_most_frequent counts the top values.
  const pairs = "FROM (VALUES ('a', 1), ('a', 2), (NULL, 3), ('b', 4), ('b', 5), ('b', 6)) AS t(k, v)";
  assert.deepEqual(
    await rows(
      `SELECT element_at(map_agg(k, v), 'a'), cardinality(map_agg(k, v)), element_at(approx_most_frequent(1, k, 10), 'b') ${pairs}`,
    ),
    [[1, 2, 3]],
  );
  assert.deepEqual(
    await rows(
      `SELECT listagg(DISTINCT k, ',') WITHIN GROUP (ORDER BY k DESC), bitwise_or_agg(v), bitwise_and_agg(v) ${pairs}`,
    ),
    [['b,a', 7, 0]],
  );
  // grouping() says which rows ROLLUP added: bit 1 for a key not grouped.
  assert.deepEqual(
    await rows(`SELECT k, grouping(k), sum(v) ${pairs} WHERE k IS NOT NULL GROUP BY ROLLUP (k) ORDER BY 2, 1`),
    [
      ['a', 0, 3],
      ['b', 0, 15],
      [null, 1, 18],
    ],
  );
  // A Trino function Flowscope lacks is named as Flowscope's gap, not Athena's ("not registered").
  await fails(
    "SELECT url_extract_host('https://example.com/')",
    /^line 1, column 8: Flowscope does not translate Trino's function 'url_extract_host'\.$/,
  );
});

test("a double cast to varchar is Java's text, and a sum of integer additions checks each for overflow, as Trino's", async () => {
  // Trino's cast is Double.toString: scientific from 10^7 and below 10^-3 (DuckDB wrote 10000000.0).
  assert.deepEqual(
    await rows(
      "SELECT CAST(1e7 AS varchar), CAST(123456789.0e0 AS varchar), CAST(0.5e0 AS varchar), CAST(0.00099e0 AS varchar), CAST(REAL '1.1' AS varchar)",
    ),
    [['1.0E7', '1.23456789E8', '0.5', '9.9E-4', '1.1']],
  );
  // srcport is an INTEGER: 51000 + 2147483000 passes 2^31 - 1 (DuckDB's sum(x + c) rewrite added it up unchecked).
  await fails(
    'SELECT sum(srcport + 2147483000) FROM vpc_flow_logs',
    /^line 1, column 12: integer addition overflow: \d+ \+ 2147483000$/,
  );
});

test("an array subscript outside the array, and CASE or COALESCE values of no common type, fail in Trino's words at their place", async () => {
  // DuckDB's "Array subscript out of bounds" named neither the index nor the place.
  await fails(
    'SELECT ARRAY[1, 2, 3][4]',
    /^line 1, column 8: Array subscript must be less than or equal to array length: 4 > 3$/,
  );
  await fails("SELECT split(srcaddr, '.')[0] FROM vpc_flow_logs", /^line 1, column 28: SQL array indices start at 1$/);
  await fails(
    'SELECT ARRAY[1, 2, 3][dstport] FROM vpc_flow_logs WHERE dstport = 443',
    /^line 1, column 8: Array subscript must be less than or equal to array length: 443 > 3$/,
  );
  assert.deepEqual(await rows('SELECT try(ARRAY[1, 2, 3][dstport]) FROM vpc_flow_logs WHERE dstport = 443 LIMIT 1'), [
    [null],
  ]);
  // Trino refuses these as it compiles; DuckDB cast 'x' to INT as it ran, or answered 443.
  await fails(
    "SELECT CASE WHEN dstport = 22 THEN 1 ELSE 'x' END FROM vpc_flow_logs",
    /^line 1, column 8: All CASE results must be the same type or coercible to a common type\. Cannot find common type between integer and varchar/,
  );
  await fails(
    "SELECT coalesce(dstport, 'none') FROM vpc_flow_logs",
    /^line 1, column 8: All COALESCE operands must be the same type or coercible to a common type\./,
  );
});

test('TRY_CAST answers NULL where CAST fails', async () => {
  assert.deepEqual(await rows("SELECT TRY_CAST('abc' AS INTEGER), TRY_CAST('12' AS INTEGER)"), [[null, 12]]);
  await fails("SELECT CAST('abc' AS INTEGER)", /abc/);
  // A failed cast says so in Trino's words, naming Trino's type (DuckDB: "Could not convert string … to INT32").
  const first = "FROM vpc_flow_logs WHERE srcaddr = '10.0.0.5' LIMIT 1";
  await fails(`SELECT CAST(srcaddr AS INTEGER) ${first}`, /^line 1, column 8: Cannot cast '10\.0\.0\.5' to INT$/);
  await fails(`SELECT CAST(srcaddr AS BIGINT) ${first}`, /^line 1, column 8: Cannot cast '10\.0\.0\.5' to BIGINT$/);
  await fails(`SELECT CAST(srcaddr AS int) ${first}`, /^line 1, column 8: Cannot cast '10\.0\.0\.5' to INT$/);
  await fails(
    `SELECT CAST(srcaddr AS DECIMAL(20,2)) ${first}`,
    /^line 1, column 8: Cannot cast VARCHAR '10\.0\.0\.5' to DECIMAL\(20, 2\)\. Value is not a number\.$/,
  );
  await fails(`SELECT CAST(srcaddr AS DATE) ${first}`, /^line 1, column 8: Value cannot be cast to date: 10\.0\.0\.5$/);
  await fails('SELECT CAST(3000000000 AS INTEGER)', /^line 1, column 8: Out of range for integer: 3000000000$/);
  // A fraction becomes an integer rounding half away from zero.
  assert.deepEqual(await rows('SELECT CAST(2.5E0 AS INTEGER), CAST(-2.5E0 AS INTEGER)'), [[3, -3]]);
});

test("text Trino's casts do not read fails, or is NULL for TRY_CAST, though DuckDB's casts read it", async () => {
  // DuckDB's cast read '1.5' as 2, ' 12 ' as 12, '0x10' as 16, 'yes' as true and '2026/03/03' as a date.
  const texts = ['1.5', ' 12 ', '0x10', '1e3', '5.'];
  for (const text of texts) {
    assert.deepEqual(
      await rows(`SELECT TRY_CAST('${text}' AS INTEGER), TRY_CAST('${text}' AS BIGINT)`),
      [[null, null]],
      text,
    );
    await fails(
      `SELECT CAST('${text}' AS INTEGER)`,
      new RegExp(`^line 1, column 8: Cannot cast '${text.replace('.', '\\.')}' to INT$`),
    );
  }
  assert.deepEqual(
    await rows("SELECT CAST('+12' AS INTEGER), CAST('-7' AS TINYINT), CAST('TRUE' AS BOOLEAN), CAST('0' AS BOOLEAN)"),
    [[12, -7, true, false]],
  );
  await fails("SELECT CAST('yes' AS BOOLEAN)", /^line 1, column 8: Cannot cast 'yes' to BOOLEAN$/);
  assert.deepEqual(await rows("SELECT CAST(' 2026-03-03 ' AS DATE), TRY_CAST('2026/03/03' AS DATE)"), [
    ['2026-03-03', null],
  ]);
  await fails(
    "SELECT CAST('2026-03-03 10:00:00' AS DATE)",
    /^line 1, column 8: Value cannot be cast to date: 2026-03-03 10:00:00$/,
  );
});

test('try() answers NULL where its argument fails: a zero divisor, a failed cast, an IPADDRESS cast', async () => {
  // 10 / 2 + NULL + 9 / 3.
  assert.deepEqual(await rows('SELECT sum(try(x / y)) FROM (VALUES (10, 2), (5, 0), (9, 3)) AS t(x, y)'), [[8]]);
  assert.deepEqual(
    await rows("SELECT try(1.0 / 0), try(CAST('x' AS integer)), try(ARRAY[1][2]), try(CAST('-' AS IPADDRESS))"),
    [[null, null, null, null]],
  );
  // The fixture's four records without an address (NODATA, SKIPDATA) read '-', which is not one.
  assert.deepEqual(await rows('SELECT count(*) FROM vpc_flow_logs WHERE try(CAST(srcaddr AS IPADDRESS)) IS NULL'), [
    [4],
  ]);
  assert.equal(await value("try(CAST('2001:DB8::1' AS IPADDRESS))"), '2001:db8::1');
});

test('UNNEST makes rows of an array, WITH ORDINALITY numbers them, and joins laterally', async () => {
  assert.deepEqual(await rows('SELECT x, n FROM UNNEST(ARRAY[10, 20, 30]) WITH ORDINALITY AS t(x, n)'), [
    [10, 1],
    [20, 2],
    [30, 3],
  ]);
  assert.deepEqual(
    await rows(
      "SELECT octet, count(*) AS n FROM vpc_flow_logs CROSS JOIN UNNEST(split(srcaddr, '.')) AS t(octet) WHERE srcaddr = '192.0.2.10' GROUP BY octet ORDER BY octet",
    ),
    [
      ['0', 2],
      ['10', 2],
      ['192', 2],
      ['2', 2],
    ],
  );
  // Unaliased, its columns have no name: SELECT * names them as Trino does, by their place (_col0, _col1).
  const unnamed = (await call(fx().engine, 'query.run', {
    query: 'SELECT * FROM UNNEST(ARRAY[10, 20]) WITH ORDINALITY',
    dialect: 'athena',
  })) as Output<'query.run'>;
  assert.deepEqual(
    [unnamed.columns.map((c) => c.name), unnamed.rows],
    [
      ['_col0', '_col1'],
      [
        [10, 1],
        [20, 2],
      ],
    ],
  );
});

test('integer division truncates toward zero and a zero divisor fails', async () => {
  // 7.0 is DECIMAL(2,1), so 7.0 / 2 is the decimal 3.5 (decimals are shown as text, exactly).
  assert.deepEqual(await rows('SELECT 7 / 2, -7 / 2, 7 % -2, -7 % 2, 7.0 / 2'), [[3, -3, 1, -1, '3.5']]);
  await fails('SELECT x / 0 FROM (VALUES (1)) AS t(x)', /Division by zero/);
  // sum of integers is a BIGINT, so an average written as sum/count truncates too: (1000+500)/2.
  assert.deepEqual(
    await rows("SELECT sum(bytes) / count(*) FROM vpc_flow_logs WHERE interface_id = 'eni-a' AND dstport IN (22, 443)"),
    [[750]],
  );
});

test('decimal division keeps the larger scale and rounds half up to it, as Trino does', async () => {
  // 1.0 is DECIMAL(2,1): 1/3 to one decimal is 0.3, 1.00/3 to two 0.33; 2/3 rounds up to 0.7; -1/4 = -0.25
  // rounds away from zero to -0.3.
  assert.deepEqual(await rows('SELECT 1.0 / 3, 1.00 / 3, 2.0 / 3, 1.0 / -4, 2.5 / 0.5, typeof(1.0 / 3)'), [
    ['0.3', '0.33', '0.7', '-0.3', '5.0', 'decimal(2,1)'],
  ]);
  // Each step rounds: 70930000000 / 1024.0 = 69267578.1, / 1024.0 = 67644.1, / 1024.0 = 66.1 (66.0586… exactly);
  // round to 2 places keeps the decimal's one place.
  assert.deepEqual(
    await rows(
      "SELECT x / 1024.0 / 1024.0 / 1024.0, round(x / 1024.0 / 1024.0 / 1024.0, 2) FROM (VALUES (BIGINT '70930000000')) AS t(x)",
    ),
    [['66.1', '66.1']],
  );
  // 4 of the fixture's 13 records are REJECTs: 400.0 / 13 = 30.769… is 30.8; its 7160 bytes / 1024.0 = 6.99… is 7.0.
  assert.deepEqual(
    await rows("SELECT 100.0 * count_if(action = 'REJECT') / count(*), sum(bytes) / 1024.0 FROM vpc_flow_logs"),
    [['30.8', '7.0']],
  );
  // A cast's scale is kept: 248936 / 3 = 82978.666… to two places.
  assert.equal(await value('CAST(248936 AS decimal(20,2)) / 3'), '82978.67');
  // * adds the scales, + and - keep the larger, % too; an average of decimals is of their type, rounded half up.
  assert.deepEqual(await rows("SELECT 1.5 * 1.5, 1.5 + 0.25, 1.5 - 0.25, 7.5 % 2, DECIMAL '1.50', round(1.25, 1)"), [
    ['2.25', '1.75', '1.25', '1.5', '1.50', '1.30'],
  ]);
  assert.equal(await value('avg(x) FROM (VALUES (1.0), (2.0), (2.0)) AS t(x)'), '1.7');
  // A double stays a double.
  assert.deepEqual(await rows('SELECT 7 / 2e0, CAST(7 AS double) / 2, 1.0 / 4e0'), [[3.5, 3.5, 0.25]]);
  await fails('SELECT x / 0.0 FROM (VALUES (1.5)) AS t(x)', /Division by zero/);
  await fails('SELECT x % 0.0 FROM (VALUES (1.5)) AS t(x)', /Division by zero/);
});

test('NULL propagates as in Trino: comparisons, ||, concat, greatest; aggregates skip it', async () => {
  assert.deepEqual(
    await rows(
      "SELECT NULL = NULL, 'a' || NULL, concat('a', NULL), greatest(1, NULL), coalesce(NULL, 2), NULL IN (1, NULL), 1 NOT IN (2, NULL)",
    ),
    [[null, null, null, null, 2, null, null]],
  );
  assert.deepEqual(await rows('SELECT count(x), sum(x), count(*) FROM (VALUES (1), (NULL)) AS t(x) WHERE x IS NULL'), [
    [0, null, 1],
  ]);
});

test('a missing text field reads "-", as in a text table; a missing number is NULL', async () => {
  // The fixture's NODATA and SKIPDATA records have no addresses or ports.
  assert.deepEqual(await rows("SELECT srcaddr, action, srcport FROM vpc_flow_logs WHERE log_status = 'NODATA'"), [
    ['-', '-', null],
  ]);
  assert.deepEqual(await rows("SELECT count(*) FROM vpc_flow_logs WHERE srcaddr = '-'"), [[4]]);
  assert.deepEqual(await rows("SELECT count(*) FROM vpc_flow_logs WHERE srcaddr <> '-'"), [[9]]);
});

/** The error a query fails with, its message and the text it points at (null without a place). */
async function failure(query: string): Promise<{ message: string; at: string | null }> {
  try {
    await call(fx().engine, 'query.run', { query, dialect: 'athena' });
  } catch (err) {
    assert.ok(err instanceof FlowscopeError && err.code === 'query_error', String(err));
    const span = (err.detail as { diagnostics?: { span: { offset: number; length: number } }[] } | undefined)
      ?.diagnostics?.[0]?.span;
    return { message: err.message, at: span ? query.slice(span.offset, span.offset + span.length) : null };
  }
  assert.fail(`${query} ran`);
}

test("run-time failures read in Trino's words, at the one place in the text they can come from", async () => {
  // Before: "Out of Range Error: Overflow in multiplication of INT64 (1000 * 9223372036854775807)!", no place.
  const product = await failure('SELECT sum(bytes * 9223372036854775807) FROM vpc_flow_logs');
  assert.match(product.message, /^line 1, column 12: bigint multiplication overflow: \d+ \* 9223372036854775807$/);
  assert.equal(product.at, 'bytes * 9223372036854775807');
  // Two products: the one holding the literal DuckDB names.
  const second = await failure('SELECT bytes * 2, dstport * 1 - 9223372036854775807 * 2 AS x FROM vpc_flow_logs');
  assert.match(second.message, /bigint multiplication overflow: 9223372036854775807 \* 2$/);
  assert.equal(second.at, '9223372036854775807 * 2');
  const integer = await failure('SELECT CAST(x AS INTEGER) + 2147483647 FROM (VALUES (1)) AS t(x)');
  assert.equal(integer.message, 'line 1, column 8: integer addition overflow: 1 + 2147483647');
  // A sum of bigints past 2^63 - 1: Trino's sum adds in a bigint and fails as it passes it.
  const sum = await failure('SELECT sum(x) FROM (VALUES (9223372036854775807), (1)) AS t(x)');
  assert.equal(sum.message, 'line 1, column 8: bigint addition overflow: the sum reaches 9223372036854775808');
  assert.equal(sum.at, 'sum(x)');
  // A number past the integer type it is cast to: Trino's message at the cast (before: no place).
  assert.deepEqual(await failure('SELECT CAST(3000000000 AS integer)'), {
    message: 'line 1, column 8: Out of range for integer: 3000000000',
    at: 'CAST(3000000000 AS integer)',
  });
  assert.deepEqual(await failure('SELECT max(bytes), CAST(max(bytes) * 100 AS smallint) FROM vpc_flow_logs'), {
    message: 'line 1, column 20: Out of range for smallint: 400000',
    at: 'CAST(max(bytes) * 100 AS smallint)',
  });
  assert.deepEqual(await failure('SELECT x / 2, x / 0 FROM (VALUES (1)) AS t(x)'), {
    message: 'line 1, column 15: Division by zero',
    at: 'x / 0',
  });
  // The fixture's SKIPDATA records have no address: `-` is not one, as in Athena.
  const cast = await failure("SELECT count_if(contains('10.0.0.0/8', CAST(srcaddr AS IPADDRESS))) FROM vpc_flow_logs");
  assert.deepEqual(cast, {
    message: 'line 1, column 40: Cannot cast value to IPADDRESS: -',
    at: 'CAST(srcaddr AS IPADDRESS)',
  });
  // Two divisions by a column: either may be the one, so the message alone.
  assert.deepEqual(await failure('SELECT x / y, y / x FROM (VALUES (1, 0)) AS t(x, y)'), {
    message: 'Division by zero',
    at: null,
  });
});

test("substr, sequence, element_at and typeof answer at their edges as Trino's do", async () => {
  // DuckDB's substring took a start of 0 as before the first character and a negative length backwards.
  assert.deepEqual(
    await rows(
      "SELECT substr('abcdef', 0, 3), substr('abcdef', 2, -1), substr('abc', -5), substr('abcdef', 2, 3), substr('abcdef', -2)",
    ),
    [['', '', '', 'bcd', 'ef']],
  );
  // DuckDB's series went nowhere from 5 down to 1, and made timestamps of dates.
  assert.deepEqual(
    await rows(
      "SELECT sequence(5, 1), sequence(1, 5, 2), sequence(DATE '2026-03-01', DATE '2026-03-03'), sequence(DATE '2026-03-02', DATE '2026-03-01')",
    ),
    [
      [
        [5, 4, 3, 2, 1],
        [1, 3, 5],
        ['2026-03-01', '2026-03-02', '2026-03-03'],
        ['2026-03-02', '2026-03-01'],
      ],
    ],
  );
  await fails('SELECT sequence(1, 5, 0)', /^line 1, column 8: step must not be zero$/);
  await fails('SELECT sequence(5, 1, 1)', /^line 1, column 8: sequence stop value should be greater than or equal/);
  await fails("SELECT element_at(split('10.0.1.31', '.'), 0)", /^line 1, column 44: SQL array indices start at 1$/);
  await fails(
    "SELECT element_at(split(srcaddr, '.'), dstport - dstport) FROM vpc_flow_logs",
    /^line 1, column 8: SQL array indices start at 1$/,
  );
  assert.deepEqual(await rows("SELECT element_at(split('10.0.1.31', '.'), -1)"), [['31']]);
  // The type of an aggregate is one row, as the aggregate's query is (the constant made it one per record).
  assert.deepEqual(await rows('SELECT typeof(count(*)) FROM vpc_flow_logs'), [['bigint']]);
});

test('try() around aggregates guards a ratio, as Athena queries write it (DuckDB refused an aggregate in TRY)', async () => {
  const [[ratio, byZero] = []] = await rows(
    "SELECT try(sum(bytes) / sum(packets)), try(sum(bytes) / 0) FROM vpc_flow_logs WHERE log_status = 'OK'",
  );
  assert.ok(Number(ratio) > 0);
  assert.equal(byZero, null);
});

test("min, max, min_by and max_by with a count, and the statistics of two numbers, are Trino's (they were refused)", async () => {
  const nine = 'FROM (VALUES (1, 10), (2, 30), (3, 20)) AS t(x, y)';
  assert.deepEqual(await rows(`SELECT max(y, 2), min(y, 2), max_by(x, y, 2), min_by(x, y, 1), max_by(x, y) ${nine}`), [
    [[30, 20], [10, 20], [2, 3], [1], 2],
  ]);
  const [[corr, slope] = []] = await rows(`SELECT corr(x, y), regr_slope(y, x) ${nine}`);
  assert.ok(Math.abs(Number(corr) - 0.5) < 1e-9 && Math.abs(Number(slope) - 5) < 1e-9, `${corr} ${slope}`);
  await fails(
    `SELECT max(y, 0) ${nine}`,
    /^line 1, column 15: The count of max must be a positive integer constant\.$/,
  );
});

test('a timestamp literal with a zone name or an offset is the instant its clocks show (it failed: ICU)', async () => {
  assert.deepEqual(
    await rows(
      "SELECT to_unixtime(TIMESTAMP '2026-03-03 00:00:00 America/New_York'), to_unixtime(TIMESTAMP '2026-03-03 05:30:00 +05:30'), hour(TIMESTAMP '2026-03-03 10:00:00 Europe/Paris')",
    ),
    [[1772514000, 1772496000, 10]],
  );
  await fails(
    "SELECT TIMESTAMP '2026-03-03 00:00:00 Mars/Base'",
    /^line 1, column 8: Time zone not supported: Mars\/Base$/,
  );
});

test("from_iso8601_timestamp of a literal keeps its offset, which hour() and date_format read (they read UTC's)", async () => {
  const t = "from_iso8601_timestamp('2026-03-03T10:00:00+02:00')";
  assert.deepEqual(await rows(`SELECT hour(${t}), date_format(${t}, '%H:%i'), to_unixtime(${t})`), [
    [10, '10:00', 1772524800],
  ]);
});

test('from_unixtime(start) beside GROUP BY start is grouped, as Trino sees it (DuckDB refused it, unplaced)', async () => {
  // The fixture's records start at T0 + 0, 60 and 120 (2026-03-02 00:00, 00:01, 00:02); each is its own group.
  // Before: Binder Error: column "start_time" must appear in the GROUP BY clause, in DuckDB's words.
  const first = (q: string) => rows(`${q} ORDER BY 1 LIMIT 3`);
  const expected = [
    ['2026-03-02T00:00:00.000Z', 1],
    ['2026-03-02T00:01:00.000Z', 1],
    ['2026-03-02T00:02:00.000Z', 1],
  ];
  const iso = 'to_iso8601(from_unixtime("start"))';
  assert.deepEqual(await first(`SELECT ${iso}, count(*) FROM vpc_flow_logs GROUP BY "start"`), expected);
  assert.deepEqual(
    await first(`SELECT to_iso8601(from_unixtime(starttime)), count(*) FROM vpc_flow_logs GROUP BY starttime`),
    expected,
  );
  // The Trino rule behind it: GROUP BY "start" names the column, not the output of that name.
  assert.deepEqual(
    await first(
      `SELECT date_trunc('hour', from_unixtime("start")) AS "start", count(*) FROM vpc_flow_logs GROUP BY "start"`,
    ),
    expected.map(([, n]) => ['2026-03-02T00:00:00.000000Z', n]),
  );
  // Under ROLLUP the rolled-up start reads NULL, as its time does.
  const rolled = await rows(
    `SELECT from_unixtime("start"), count(*) FROM vpc_flow_logs GROUP BY ROLLUP ("start") ORDER BY 1 NULLS FIRST LIMIT 1`,
  );
  assert.deepEqual(rolled, [[null, ROWS.length]]);
});

test('CAST(srcaddr AS IPADDRESS) beside GROUP BY srcaddr is grouped, as in Trino (DuckDB refused it, unplaced)', async () => {
  // The fixture's sources in 10.0.0.0/8: 10.0.0.5 and 10.0.0.6, one record each; 192.0.2.10 has two.
  // Before: Binder Error: column "src_ip4" must appear in the GROUP BY clause, in DuckDB's words.
  assert.deepEqual(
    await rows(
      "SELECT CAST(srcaddr AS IPADDRESS) AS ip, contains('10.0.0.0/8', CAST(srcaddr AS IPADDRESS)), count(*) FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY srcaddr ORDER BY ip LIMIT 3",
    ),
    [
      ['10.0.0.5', true, 1],
      ['10.0.0.6', true, 1],
      ['192.0.2.10', false, 2],
    ],
  );
  // Grouped by the cast itself, with a HAVING testing the address (before: the same Binder Error).
  assert.deepEqual(
    await rows(
      "SELECT CAST(srcaddr AS IPADDRESS) AS ip, count(*) FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY CAST(srcaddr AS IPADDRESS) HAVING contains('10.0.0.0/8', CAST(srcaddr AS IPADDRESS)) OR CAST(srcaddr AS IPADDRESS) > IPADDRESS '198.51.100.0' ORDER BY ip",
    ),
    [
      ['10.0.0.5', 1],
      ['10.0.0.6', 1],
      ['198.51.100.7', 1],
      ['2001:db8::1', 1],
      ['2001:db9::1', 1],
    ],
  );
  // The Bootstrap's name for it, and a HAVING on the address.
  assert.deepEqual(
    await rows(
      "SELECT sourceaddress, count(*) FROM vpc_flow_logs WHERE logstatus = 'OK' GROUP BY sourceaddress HAVING contains('10.0.0.0/8', CAST(sourceaddress AS IPADDRESS)) ORDER BY 1",
    ),
    [
      ['10.0.0.5', 1],
      ['10.0.0.6', 1],
    ],
  );
});

test('a partition tested beside GROUP BY that partition is read over the key, as Trino reads it (DuckDB refused it, unplaced)', async () => {
  // Every fixture record starts on 2026-03-02 (T0 + at most 3 hours), which is its day.
  // Before: Binder Error on start_time (date, day) or import_id (the account partition), in DuckDB's words.
  assert.deepEqual(
    await rows(
      "SELECT date, date = DATE '2026-03-02', date BETWEEN DATE '2026-03-01' AND DATE '2026-03-01', count(*) FROM vpc_flow_logs GROUP BY date",
    ),
    [['2026-03-02', true, false, ROWS.length]],
  );
  assert.deepEqual(await rows("SELECT day, count(*) FROM vpc_flow_logs GROUP BY day HAVING day >= '2026/03/02'"), [
    ['2026/03/02', ROWS.length],
  ]);
  assert.deepEqual(await rows("SELECT day, count(*) FROM vpc_flow_logs GROUP BY day HAVING day < '2026/03/02'"), []);
  const [[account, own, other] = []] = await rows(
    `SELECT "aws-account-id", "aws-account-id" = account_id, "aws-account-id" IN ('000000000000') FROM vpc_flow_logs GROUP BY "aws-account-id", account_id`,
  );
  assert.equal(typeof account, 'string');
  assert.deepEqual([own, other], [true, false]);
});

test("a window's RANGE frame may be an interval from the current row's time, as Trino's (it was refused as no frame bound)", async () => {
  // The fixture's OK records start at T0 + 0, 60, 120, 200, 210, 3600, 3660, 3700 and 7200 s; each counts those
  // at most a minute before it, itself included.
  const counts = await rows(
    `SELECT count(*) OVER (ORDER BY from_unixtime("start") RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW)
     FROM vpc_flow_logs WHERE log_status = 'OK' ORDER BY "start"`,
  );
  assert.deepEqual(
    counts.map(([n]) => n),
    [1, 2, 2, 1, 2, 1, 2, 2, 1],
  );
});

test('a WINDOW clause names a window that OVER w uses, as in Trino (OVER w was refused: Expected `(`)', async () => {
  // The fixture's records from 192.0.2.10: to port 443 at T0, to port 22 at T0 + 60 s.
  assert.deepEqual(
    await rows(
      `SELECT dstport, row_number() OVER w, lag(dstport) OVER w, sum(bytes) OVER w FROM vpc_flow_logs
       WHERE srcaddr = '192.0.2.10' WINDOW w AS (PARTITION BY srcaddr ORDER BY "start") ORDER BY "start"`,
    ),
    [
      [443, 1, null, 1000],
      [22, 2, 443, 1500],
    ],
  );
  await fails(
    'SELECT rank() OVER x FROM vpc_flow_logs WINDOW w AS (ORDER BY "start")',
    /^line 1, column 20: Window 'x' is not defined in the WINDOW clause\.$/,
  );
});
