/**
 * Sumo's `fillmissing` on the hand-written fixture (`fixture.ts`), every answer worked out from its
 * records. Records per hour from T0: 0h at 0, 60, 120, 200, 210 s (ACCEPT ×3, REJECT ×2); 1h at 3600,
 * 3660, 3700 (ACCEPT ×1, REJECT ×2); 2h at 7200, 7300, 7400 (ACCEPT, then NODATA and SKIPDATA, whose
 * action is `-`); 3h at 10800, 10900 (SKIPDATA ×2); none at 4h. The queries are the forms of Sumo's
 * fillmissing reference, written over flow-log fields.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { openFixture, sumoRows, T0 } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

const iso = (offset: number) => new Date((T0 + offset) * 1000).toISOString();
const HOUR = 3600;
/** The first `hours` hours from T0. */
const hours = (n: number, from = 0) => ({ timeRange: { from: iso(from * HOUR), to: iso((from + n) * HOUR) } });

const run = (query: string, extra: Record<string, unknown> = {}) => sumoRows(fx().engine, query, extra);

/** Rows as [hour from T0, …values], times read as hours. */
const byHour = (rows: Record<string, CellValue>[], ...names: string[]) =>
  rows.map((r) => [(Date.parse(String(r._timeslice)) / 1000 - T0) / HOUR, ...names.map((n) => r[n])]);

test('fillmissing timeslice adds the empty slices of the time range with a count of 0, in time order', async () => {
  const q = '_sourceCategory=vpc | timeslice 1h | count by _timeslice';
  assert.deepEqual(byHour(await run(q, hours(5)), '_count'), [
    [0, 5],
    [1, 3],
    [2, 3],
    [3, 2],
  ]);
  assert.deepEqual(byHour(await run(`${q} | fillmissing timeslice(1h)`, hours(5)), '_count'), [
    [0, 5],
    [1, 3],
    [2, 3],
    [3, 2],
    [4, 0],
  ]);
  // An hour before the data too; without a period it takes the timeslice operator's.
  assert.deepEqual(byHour(await run(`${q} | fillmissing timeslice`, hours(6, -1)), '_count'), [
    [-1, 0],
    [0, 5],
    [1, 3],
    [2, 3],
    [3, 2],
    [4, 0],
  ]);
});

test('a finer generator fills between the slices the data has (15 minutes over the first hour)', async () => {
  const r = await run('timeslice 15m | count by _timeslice | fillmissing timeslice(15m)', hours(1));
  assert.deepEqual(byHour(r, '_count'), [
    [0, 5],
    [0.25, 0],
    [0.5, 0],
    [0.75, 0],
  ]);
});

test('without a time range the slices of all the records are filled, not only those between the result’s first and last', async () => {
  // The services always have a range; all time is the records' own (0h to 3h, the last ending at 10960 s).
  const r = await run('timeslice 1h | where log_status = "SKIPDATA" | count by _timeslice | fillmissing timeslice');
  // SKIPDATA at 2h (7400) and 3h (10800, 10900); none at 0h and 1h.
  assert.deepEqual(byHour(r, '_count'), [
    [0, 0],
    [1, 0],
    [2, 1],
    [3, 2],
  ]);
  const gaps = await run('timeslice 1h | where action = "REJECT" | count by _timeslice | fillmissing timeslice');
  // REJECT at 0h and 1h only: the records' 2h and 3h are missing.
  assert.deepEqual(byHour(gaps, '_count'), [
    [0, 2],
    [1, 2],
    [2, 0],
    [3, 0],
  ]);
  // The last slice holds the last record's start (10900 s), not its end (10960 s, the next minute).
  const minutes = await run('timeslice 1m | count by _timeslice | fillmissing timeslice');
  assert.equal(minutes.length, 10860 / 60 + 1);
  assert.deepEqual(byHour(minutes.slice(-1), '_count'), [[10860 / HOUR, 1]]);
  // A range open at one end is the records' at that end.
  const from1h = { timeRange: { from: iso(HOUR), to: null } };
  const dns = await run(
    'timeslice 1h | where dest_port = 53 | count by _timeslice | fillmissing timeslice(1h)',
    from1h,
  );
  // To port 53 at 120 s (0h, before the range) and 7200 s (2h).
  assert.deepEqual(byHour(dns, '_count'), [
    [1, 0],
    [2, 1],
    [3, 0],
  ]);
});

test('values(…) in a field adds the values the result lacks, with the value `with` gives', async () => {
  const r = await run(
    'count by action | fillmissing values("ACCEPT", "REJECT", "-", "SKIP") in action with -1 for _count | sort by action asc',
  );
  // `-` (NODATA and SKIPDATA records) is present, as an empty key; only SKIP is new.
  assert.deepEqual(
    r.map((x) => [x.action, x._count]),
    [
      ['-', 4],
      ['ACCEPT', 5],
      ['REJECT', 4],
      ['SKIP', -1],
    ],
  );
  // A port is a number: "3389" and "8080" are ports 3389 (present) and 8080 (missing).
  const ports = await run('count by dest_port | fillmissing values("3389", "8080") in dest_port | sort by dest_port');
  assert.deepEqual(
    ports.filter((x) => x.dest_port === '3389' || x.dest_port === '8080').map((x) => [x.dest_port, x._count]),
    [
      ['8080', 0],
      ['3389', 1],
    ],
  );
});

test('two generators fill every combination: each hour × each action', async () => {
  const r = await run(
    'timeslice 1h | count by _timeslice, action | fillmissing timeslice(1h), values("ACCEPT", "REJECT") in action | sort by _timeslice asc, action asc',
    hours(3),
  );
  assert.deepEqual(byHour(r, 'action', '_count'), [
    [0, 'ACCEPT', 3],
    [0, 'REJECT', 2],
    [1, 'ACCEPT', 1],
    [1, 'REJECT', 2],
    [2, '-', 2],
    [2, 'ACCEPT', 1],
    [2, 'REJECT', 0],
  ]);
  const all = await run(
    'timeslice 1h | count by _timeslice, action | fillmissing timeslice, values all in action | sort by _timeslice asc, action asc',
    hours(3),
  );
  assert.deepEqual(byHour(all, 'action', '_count'), [
    [0, '-', 0],
    [0, 'ACCEPT', 3],
    [0, 'REJECT', 2],
    [1, '-', 0],
    [1, 'ACCEPT', 1],
    [1, 'REJECT', 2],
    [2, '-', 2],
    [2, 'ACCEPT', 1],
    [2, 'REJECT', 0],
  ]);
});

test('takeLast fills a slice with the value of the slice before it, per group', async () => {
  const r = await run('timeslice 1h | count by _timeslice | fillmissing timeslice(1h) takeLast', hours(6, -1));
  // The hour before the data has none before it: the default 0. 4h repeats 3h's 2.
  assert.deepEqual(byHour(r, '_count'), [
    [-1, 0],
    [0, 5],
    [1, 3],
    [2, 3],
    [3, 2],
    [4, 2],
  ]);
  const grouped = await run(
    'timeslice 1h | count by _timeslice, action | fillmissing timeslice(1h), values("ACCEPT", "REJECT") in action takeLast | sort by _timeslice asc, action asc',
    hours(4),
  );
  assert.deepEqual(
    byHour(grouped, 'action', '_count').filter((x) => x[1] !== '-'),
    [
      [0, 'ACCEPT', 3],
      [0, 'REJECT', 2],
      [1, 'ACCEPT', 1],
      [1, 'REJECT', 2],
      [2, 'ACCEPT', 1],
      [2, 'REJECT', 2],
      [3, 'ACCEPT', 1],
      [3, 'REJECT', 2],
    ],
  );
});

test('after transpose, fillmissing timeslice adds the empty rows, as the Sumo apps write it', async () => {
  const r = await run(
    'timeslice 1h | count by _timeslice, action | transpose row _timeslice column action | fillmissing timeslice(1h)',
    hours(5),
  );
  assert.deepEqual(byHour(r, '-', 'ACCEPT', 'REJECT'), [
    [0, null, 3, 2],
    [1, null, 1, 2],
    [2, 2, 1, null],
    [3, 2, null, null],
    [4, null, null, null],
  ]);
});

test('a transposed result shows its columns biggest total first, not in string order', async () => {
  const out = (await call(fx().engine, 'query.run', {
    query: '_sourceCategory=vpc | timeslice 1h | count by _timeslice, action | transpose row _timeslice column action',
    dialect: 'sumo',
    ...hours(5),
  })) as Output<'query.run'>;
  // ACCEPT 3+1+1, then the tie of 4 ('-' 2+2, REJECT 2+2) in string order.
  assert.deepEqual(
    out.columns.map((c) => c.name),
    ['_timeslice', 'ACCEPT', '-', 'REJECT'],
  );
  assert.deepEqual(
    out.rows.map((r) => r.slice(1)),
    [
      [3, null, 2],
      [1, null, 2],
      [1, 2, null],
      [null, 2, null],
    ],
  );
});

test('fillmissing refuses what it cannot fill, saying where', async () => {
  const refusal = async (query: string) => {
    const out = (await call(fx().engine, 'query.compile', {
      query: `_sourceCategory=vpc | ${query}`,
      dialect: 'sumo',
    })) as Output<'query.compile'>;
    assert.equal(out.diagnostics.length > 0, true, query);
    return out.diagnostics[0]!.message;
  };
  assert.match(await refusal('count by action | fillmissing timeslice'), /No `timeslice` operator with a period/);
  // The length of N buckets' slices is only known from the time range.
  assert.match(
    await refusal('timeslice 10 buckets | count by _timeslice | fillmissing timeslice'),
    /No `timeslice` operator with a period/,
  );
  assert.match(await refusal('fillmissing timeslice(1m)'), /put it after one/);
  assert.match(await refusal('count by action | fillmissing values("x") in acton'), /`acton` is not a field/);
  assert.match(await refusal('count by action | fillmissing timeslice(1m) in action'), /not a time slice/);
  assert.match(await refusal('count by action | fillmissing values("x") in action with 1 for action'), /key field/);
  assert.match(await refusal('count by dest_port | fillmissing values("https") in dest_port'), /holds numbers/);
  assert.match(await refusal('count by action | fillmissing values("x") in action takeLast'), /needs a `timeslice`/);
  assert.match(
    await refusal(
      'timeslice 1h | count by _timeslice, action | transpose row _timeslice column action | fillmissing values("A") in action',
    ),
    /After `transpose`/,
  );
});

test("Insights' fillmissing adds the empty bins of stats … by bin(), empty unless a value is given", async () => {
  const insights = async (query: string) => {
    const out = (await call(fx().engine, 'query.run', {
      query,
      dialect: 'insights',
      pageSize: 1000,
      ...hours(5),
    })) as Output<'query.run'>;
    return out.rows.map((r) => [(Date.parse(String(r[0])) / 1000 - T0) / HOUR, ...r.slice(1)]);
  };
  assert.deepEqual(await insights('stats count(*) as n by bin(1h) | fillmissing'), [
    [0, 5],
    [1, 3],
    [2, 3],
    [3, 2],
    [4, null],
  ]);
  assert.deepEqual((await insights('stats count(*) as n by bin(1h) | fillmissing with 0 for n')).at(-1), [4, 0]);
  // Each bin for each action the result has (ACCEPT, REJECT and `-`).
  const byAction = await insights(
    'stats count(*) as n by bin(1h) as t, action | fillmissing with -1 for n | sort t asc, action asc',
  );
  assert.equal(byAction.length, 15);
  assert.deepEqual(
    byAction.filter((r) => r[0] === 3),
    [
      [3, '-', 2],
      [3, 'ACCEPT', -1],
      [3, 'REJECT', -1],
    ],
  );
});
