/**
 * Time zones named in queries, answered as the services do: CloudWatch Logs Insights' formatDate/parseDate
 * and Sumo's formatDate with a zone, Trino's AT TIME ZONE, at_timezone, with_timezone and from_unixtime with
 * a zone or an offset, and what a zoned timestamp does in Athena (its date parts, text and ordering). The
 * expected answers are worked out by hand: the fixture's record to port 443 is at 2026-03-02T00:00:00Z,
 * when New York is on EST (-5) and Paris on CET (+1); in July they are on EDT (-4) and CEST (+2).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { compileQuery } from '../../../queries/language';
import { openFixture } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

async function run(dialect: string, query: string): Promise<Record<string, CellValue>[]> {
  const out = (await call(fx().engine, 'query.run', { query, dialect, pageSize: 100 })) as Output<'query.run'>;
  return out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!])));
}

/** The one refusal of a query, with where it is. */
function refusal(dialect: 'insights' | 'sumo' | 'athena', query: string) {
  const r = compileQuery(query, { dialect });
  assert.equal(r.sql, null, 'refused when compiled');
  const [d] = r.diagnostics;
  return { message: d!.message, at: query.slice(d!.span.offset, d!.span.offset + d!.span.length) };
}

test('Insights formatDate and parseDate take a time zone: names, aliases, UTC, daylight saving', async () => {
  const [r] = await run(
    'insights',
    'filter dstPort = 443 | fields formatDate(@timestamp, "%Y-%m-%d %H:%M", "America/New_York") as ny, ' +
      'formatDate(@timestamp, "%H:%M", "Asia/Kolkata") as india, formatDate(@timestamp, "%H:%M", "US/Eastern") as us, ' +
      'formatDate(@timestamp, "%H:%M", "Etc/GMT+5") as etc, strftime(@timestamp, "%H:%M", "UTC") as utc, ' +
      'parseDate("2026-07-01 12:00", "yyyy-MM-dd HH:mm", "America/New_York") as summer, ' +
      'parseDate("2026-01-01 12:00", "yyyy-MM-dd HH:mm", "Europe/Paris") as winter',
  );
  assert.deepEqual(r, {
    ny: '2026-03-01 19:00',
    india: '05:30',
    us: '19:00',
    etc: '19:00',
    utc: '00:00',
    summer: Date.UTC(2026, 6, 1, 16),
    winter: Date.UTC(2026, 0, 1, 11),
  });
});

test("Insights formatDate's %z and %Z are the zone's, not UTC's, as strftime writes them", async () => {
  // Before: the wall clock was shifted and then labelled `+00` with an empty zone, a wrong instant.
  const [r] = await run(
    'insights',
    'filter dstPort = 443 | fields formatDate(@timestamp, "%H:%M %z %Z", "America/New_York") as ny, ' +
      'strftime(@timestamp, "%Hh%z", "+05:30") as india, formatDate(@timestamp, "%z %Z %%z", "Europe/Paris") as paris, ' +
      'formatDate(@timestamp, "%H:%M %z %Z") as utc, ' +
      'formatDate(parseDate("2026-07-01 12:00", "yyyy-MM-dd HH:mm"), "%H:%M%z", "America/New_York") as summer',
  );
  assert.deepEqual(r, {
    ny: '19:00 -0500 America/New_York',
    india: '05h+0530',
    paris: '+0100 Europe/Paris %z',
    utc: '00:00 +0000 UTC',
    summer: '08:00-0400',
  });
});

test('an unknown zone is refused when compiled, at the zone, in every dialect', () => {
  const insights = refusal('insights', 'fields formatDate(@timestamp, "%H", "Mars/Olympus") as h');
  assert.equal(insights.at, '"Mars/Olympus"');
  assert.match(insights.message, /`Mars\/Olympus` is not a time zone formatDate\(\) knows/);
  const sumo = refusal('sumo', '_sourceCategory=vpc | formatDate(_messageTime, "HH", "Europe/Pariss") as h');
  assert.equal(sumo.at, '"Europe/Pariss"');
  const athena = refusal('athena', "SELECT from_unixtime(start) AT TIME ZONE 'Europe/Pariss' FROM vpc_flow_logs");
  assert.deepEqual(athena, { message: 'Time zone not supported: Europe/Pariss', at: "'Europe/Pariss'" });
  assert.equal(refusal('athena', "SELECT at_timezone(now(), 'Nowhere') AS t").at, "'Nowhere'");
  assert.equal(refusal('athena', "SELECT from_unixtime(0, 'Nowhere') AS t").at, "'Nowhere'");
});

test("Sumo's formatDate with a zone is unchanged, and a zone of UTC now formats z", async () => {
  const [r] = await run(
    'sumo',
    '_sourceCategory=vpc | where dest_port = 443 | formatDate(_messageTime, "dd HH:mm Z X", "America/New_York") as ny ' +
      '| formatDate(_messageTime, "HH:mm z", "UTC") as utc | fields ny, utc',
  );
  assert.deepEqual(r, { ny: '01 19:00 -0500 -05', utc: '00:00 UTC' });
});

test('Athena: AT TIME ZONE, at_timezone, from_unixtime with a zone or offset answer as Trino prints them', async () => {
  const [r] = await run(
    'athena',
    "SELECT from_unixtime(start) AT TIME ZONE 'Europe/Paris' AS paris, " +
      "at_timezone(from_unixtime(start), 'America/New_York') AS ny, " +
      "from_unixtime(start, 'Asia/Kolkata') AS india, from_unixtime(start, -3, -30) AS newfoundland, " +
      "from_unixtime(start) AT TIME ZONE 'UTC' AS utc, " +
      "TIMESTAMP '2026-07-01 12:00:00' AT TIME ZONE 'Europe/Paris' AS summer " +
      'FROM vpc_flow_logs WHERE dstport = 443',
  );
  assert.deepEqual(r, {
    paris: '2026-03-02 01:00:00.000 Europe/Paris',
    ny: '2026-03-01 19:00:00.000 America/New_York',
    india: '2026-03-02 05:30:00.000 Asia/Kolkata',
    newfoundland: '2026-03-01 20:30:00.000 -03:30',
    // UTC stays a time, as before.
    utc: '2026-03-02T00:00:00.000000Z',
    summer: '2026-07-01 14:00:00.000 Europe/Paris',
  });
});

test("Athena: format_datetime's zone letters are the zone's, as Joda writes them", async () => {
  // Before: New York's wall clock was labelled `UTC +0000 +00:00 UTC`, a wrong instant.
  const [r] = await run(
    'athena',
    "SELECT format_datetime(from_unixtime(start) AT TIME ZONE 'America/New_York', 'yyyy-MM-dd HH:mm Z ZZ ZZZ') AS ny, " +
      "format_datetime(from_unixtime(start, 5, 30), 'HH:mm Z ZZ z') AS india, " +
      "format_datetime(TIMESTAMP '2026-07-01 12:00:00' AT TIME ZONE 'America/New_York', 'HH:mm ZZ') AS summer, " +
      "format_datetime(from_unixtime(start), 'HH:mm z Z') AS utc " +
      'FROM vpc_flow_logs WHERE dstport = 443',
  );
  assert.deepEqual(r, {
    ny: '2026-03-01 19:00 -0500 -05:00 America/New_York',
    india: '05:30 +0530 +05:30 +05:30',
    summer: '08:00 -04:00',
    utc: '00:00 UTC +0000',
  });
  // A named zone's short name (EST, CET) comes from Java's own tables, which are not here: refused, not guessed.
  const z = refusal(
    'athena',
    "SELECT format_datetime(from_unixtime(start) AT TIME ZONE 'Europe/Paris', 'HH:mm z') FROM vpc_flow_logs",
  );
  assert.equal(z.at, "'HH:mm z'");
  assert.match(z.message, /`z`.*Europe\/Paris/);
});

test('Athena: a zoned timestamp reads its own clock, keeps its instant, and orders by it', async () => {
  const [r] = await run(
    'athena',
    "WITH t AS (SELECT from_unixtime(start) AT TIME ZONE 'America/New_York' AS ny, start FROM vpc_flow_logs " +
      'WHERE dstport = 443) ' +
      "SELECT hour(ny) AS h, day(ny) AS d, format_datetime(ny, 'yyyy-MM-dd HH:mm') AS f, " +
      "date_format(ny, '%H:%i') AS m, CAST(ny AS varchar) AS v, CAST(ny AS date) AS dt, " +
      'to_unixtime(ny) = start AS same_instant, to_iso8601(ny) AS iso, ' +
      "date_trunc('day', ny) AS midnight, ny = from_unixtime(start) AS equal, " +
      "with_timezone(TIMESTAMP '2026-07-01 12:00:00', 'America/New_York') AS wall, " +
      "to_unixtime(with_timezone(TIMESTAMP '2026-07-01 12:00:00', 'America/New_York')) AS wall_seconds, " +
      "date_add('day', 1, TIMESTAMP '2026-03-07 12:00:00' AT TIME ZONE 'America/New_York') AS over_dst " +
      'FROM t',
  );
  assert.deepEqual(r, {
    h: 19,
    d: 1,
    f: '2026-03-01 19:00',
    m: '19:00',
    v: '2026-03-01 19:00:00.000 America/New_York',
    dt: '2026-03-01',
    same_instant: true,
    iso: '2026-03-01T19:00:00.000-05:00',
    midnight: '2026-03-01 00:00:00.000 America/New_York',
    equal: true,
    wall: '2026-07-01 12:00:00.000 America/New_York',
    wall_seconds: Date.UTC(2026, 6, 1, 16) / 1000,
    // 07:00 EST + 1 day across the change to EDT on 8 March 2026 is 07:00 EDT, 23 hours later.
    over_dst: '2026-03-08 07:00:00.000 America/New_York',
  });
  // Ordered by the instant, not the text: 23:00 in New York is after 02:00 in Paris.
  const ordered = await run(
    'athena',
    "SELECT t FROM (VALUES TIMESTAMP '2026-01-01 04:00:00' AT TIME ZONE 'America/New_York', " +
      "TIMESTAMP '2026-01-01 01:00:00' AT TIME ZONE 'America/New_York') AS v(t) ORDER BY t",
  );
  assert.deepEqual(
    ordered.map((x) => x.t),
    ['2025-12-31 20:00:00.000 America/New_York', '2025-12-31 23:00:00.000 America/New_York'],
  );
});

test("Athena: a wall time New York's clocks show twice (1 November 2026, 01:00–02:00) keeps the zoned time's own offset", async () => {
  // Trino (Joda's zoned chronology) floors a time to the hour at the instant's own offset, and takes that
  // offset back after a calendar step wherever the wall time is valid with it: 01:30 EDT (05:30Z) truncated
  // is 01:00 EDT (05:00Z), 01:30 EST (06:30Z) is 01:00 EST (06:00Z); 31 October 01:30 EDT plus a day, or
  // 1 October 01:30 EDT plus a month, is 1 November 01:30 EDT. Before, each took the later 01:00 or 01:30 (EST): a truncation 30 minutes
  // after the time it floors, and the two hours of that morning one group.
  const zoned = (seconds: number) => `from_unixtime(${seconds}) AT TIME ZONE 'America/New_York'`;
  const [edt, est, before] = [
    Date.UTC(2026, 10, 1, 5, 30),
    Date.UTC(2026, 10, 1, 6, 30),
    Date.UTC(2026, 9, 31, 5, 30),
  ].map((ms) => zoned(ms / 1000));
  const [r] = await run(
    'athena',
    `SELECT to_unixtime(date_trunc('hour', ${edt})) AS edt_hour, to_unixtime(date_trunc('hour', ${est})) AS est_hour, ` +
      `to_unixtime(date_trunc('minute', ${edt})) AS edt_minute, ` +
      `to_unixtime(date_add('day', 1, ${before})) AS day_later, ` +
      `to_unixtime(${zoned(Date.UTC(2026, 9, 1, 5, 30) / 1000)} + INTERVAL '1' MONTH) AS month_later, ` +
      `to_unixtime(date_add('day', 1, ${zoned(Date.UTC(2026, 9, 31, 6, 30) / 1000)})) AS from_edt_02_30`,
  );
  assert.deepEqual(r, {
    edt_hour: Date.UTC(2026, 10, 1, 5) / 1000,
    est_hour: Date.UTC(2026, 10, 1, 6) / 1000,
    edt_minute: Date.UTC(2026, 10, 1, 5, 30) / 1000,
    day_later: Date.UTC(2026, 10, 1, 5, 30) / 1000,
    month_later: Date.UTC(2026, 10, 1, 5, 30) / 1000,
    // 31 October 02:30 EDT plus a day is 1 November 02:30, which is EST only: 07:30Z.
    from_edt_02_30: Date.UTC(2026, 10, 1, 7, 30) / 1000,
  });
});

test("Athena: text with a zone cast to a timestamp reads as Trino's casts read it", async () => {
  // Trino's VarcharToTimestampWithTimeZoneCast and VarcharToTimestampCast (DateTimes.DATETIME_PATTERN): the
  // zone after the clock is the instant's zone, or is checked and dropped for a plain timestamp. Before:
  // a zone name failed in DuckDB's words (the ICU extension) and an offset was dropped from the instant.
  const [r] = await run(
    'athena',
    "SELECT CAST('2026-03-02 10:00:00 Europe/Paris' AS timestamp with time zone) AS paris, " +
      "CAST('2026-03-02 10:00:00+01:00' AS timestamp with time zone) AS offset, " +
      "to_unixtime(CAST('2026-03-02 10:00:00+01:00' AS timestamp with time zone)) AS offset_seconds, " +
      "CAST('2026-03-02 10:00 UTC' AS timestamp with time zone) AS utc, " +
      "CAST('2026-03-02 10:00:00 America/New_York' AS timestamp) AS wall, " +
      "CAST(CAST('2026-3-2 9:05:01.5 Asia/Kolkata' AS timestamp with time zone) AS varchar) AS text, " +
      "TRY_CAST('2026/03/02 10:00:00' AS timestamp) AS slashes",
  );
  assert.deepEqual(r, {
    paris: '2026-03-02 10:00:00.000 Europe/Paris',
    offset: '2026-03-02 10:00:00.000 +01:00',
    offset_seconds: Date.UTC(2026, 2, 2, 9) / 1000,
    utc: '2026-03-02T10:00:00.000000Z',
    wall: '2026-03-02T10:00:00.000000Z',
    text: '2026-03-02 09:05:01.500 Asia/Kolkata',
    slashes: null,
  });
  // A column of such text: each row's zone gives its instant.
  const rows = await run(
    'athena',
    'SELECT CAST(s AS timestamp with time zone) AS t, CAST(s AS timestamp) AS wall FROM (VALUES ' +
      "'2026-03-02 10:00:00 Europe/Paris', ' 2026-03-02 10:00 -05:30 ', '2026-03-02', 'T') AS v(s) WHERE s <> 'T'",
  );
  assert.deepEqual(rows, [
    { t: '2026-03-02T09:00:00.000000Z', wall: '2026-03-02T10:00:00.000000Z' },
    { t: '2026-03-02T15:30:00.000000Z', wall: '2026-03-02T10:00:00.000000Z' },
    { t: '2026-03-02T00:00:00.000000Z', wall: '2026-03-02T00:00:00.000000Z' },
  ]);
  // What Trino's cast refuses (a layout it does not read, a zone it does not know) fails in its words, placed.
  const slashes = refusal('athena', "SELECT CAST('2026/03/02 10:00:00' AS timestamp) FROM vpc_flow_logs");
  assert.deepEqual(slashes, {
    message: 'Value cannot be cast to timestamp: 2026/03/02 10:00:00',
    at: "CAST('2026/03/02 10:00:00' AS timestamp)",
  });
  const unknown = refusal('athena', "SELECT CAST('2026-03-02 10:00:00 Mars/Olympus' AS timestamp with time zone)");
  assert.equal(unknown.message, 'Value cannot be cast to timestamp: 2026-03-02 10:00:00 Mars/Olympus');
  await assert.rejects(
    run('athena', "SELECT CAST(s AS timestamp) FROM (VALUES '2026-03-02T10:00:00') AS v(s)"),
    (e: Error) => e.message.includes('Value cannot be cast to timestamp: 2026-03-02T10:00:00'),
  );
});
