/**
 * CloudWatch Logs Insights' calendar periods: `bin()`, `datefloor()` and `dateceil()` take months, quarters
 * and years (`mo`/`mon`/`month`, `q`/`qtr`/`quarter`, `y`/`yr`/`year`, plurals too, as the `stats` page of
 * the Insights reference lists them), and a bin of them starts on the first of its month, quarter or year
 * (UTC). The expected bins below are written out from the records' dates, not from Flowscope's answer.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { openFixture, T0, type Fixture, type Row } from './fixture';

const DAY = 86_400;
/** One record at each offset in days from T0 (2026-03-02), with its bytes. */
const AT: [days: number, bytes: number][] = [
  [0, 100], // 2026-03-02
  [30, 200], // 2026-04-01
  [60, 300], // 2026-05-01
  [100, 400], // 2026-06-10
  [200, 500], // 2026-09-18
  [320, 600], // 2027-01-16
];
const ROWS: Row[] = AT.map(([days, bytes]) => [
  '192.0.2.10',
  '10.0.0.5',
  51000,
  443,
  6,
  1,
  bytes,
  days * DAY + 3723, // 01:02:03 into the day
  'ACCEPT',
  'OK',
  'eni-a',
]);

let fx: Fixture;
before(async () => {
  fx = await openFixture({ rows: ROWS });
});
after(async () => {
  await fx.close();
});

async function rows(query: string): Promise<Record<string, CellValue>[]> {
  const out = (await call(fx.engine, 'query.run', { query, pageSize: 1000 })) as Output<'query.run'>;
  return out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!])));
}
const utc = (y: number, m: number, d = 1) => Date.UTC(y, m - 1, d);
const pairs = (r: Record<string, CellValue>[], time: string, value: string) =>
  r.map((x) => [Date.parse(String(x[time])), x[value]]);

test('the records are where the expected bins assume (T0 is 2026-03-02)', () => {
  assert.equal(new Date(T0 * 1000).toISOString(), '2026-03-02T00:00:00.000Z');
  assert.equal(new Date((T0 + 320 * DAY) * 1000).toISOString().slice(0, 10), '2027-01-16');
});

test('bin(1mo) counts per calendar month, each bin starting on the first', async () => {
  assert.deepEqual(pairs(await rows('stats sum(bytes) as b by bin(1mo) as m | sort m'), 'm', 'b'), [
    [utc(2026, 3), 100],
    [utc(2026, 4), 200],
    [utc(2026, 5), 300],
    [utc(2026, 6), 400],
    [utc(2026, 9), 500],
    [utc(2027, 1), 600],
  ]);
});

test('bin(1q) and bin(1qtr) count per calendar quarter', async () => {
  const expected = [
    [utc(2026, 1), 100],
    [utc(2026, 4), 900],
    [utc(2026, 7), 500],
    [utc(2027, 1), 600],
  ];
  assert.deepEqual(pairs(await rows('stats sum(bytes) as b by bin(1q) as t | sort t'), 't', 'b'), expected);
  assert.deepEqual(pairs(await rows('stats sum(bytes) as b by bin(1qtr) as t | sort t'), 't', 'b'), expected);
});

test('bin(1y), bin(1year) and bin(2months) start on the calendar too', async () => {
  const years = [
    [utc(2026, 1), 1500],
    [utc(2027, 1), 600],
  ];
  assert.deepEqual(pairs(await rows('stats sum(bytes) as b by bin(1y) as t | sort t'), 't', 'b'), years);
  assert.deepEqual(pairs(await rows('stats sum(bytes) as b by bin(1year) as t | sort t'), 't', 'b'), years);
  // Two-month bins from January: Mar–Apr, May–Jun, Sep–Oct, Jan–Feb.
  assert.deepEqual(pairs(await rows('stats sum(bytes) as b by bin(2months) as t | sort t'), 't', 'b'), [
    [utc(2026, 3), 300],
    [utc(2026, 5), 700],
    [utc(2026, 9), 500],
    [utc(2027, 1), 600],
  ]);
});

test('datefloor and dateceil round a time to the calendar month or quarter', async () => {
  const r = await rows(
    'fields datefloor(@timestamp, 1mo) as f, dateceil(@timestamp, 1mo) as c, datefloor(@timestamp, 1q) as q | sort @timestamp | limit 2',
  );
  assert.deepEqual(
    r.map((x) => [Date.parse(String(x.f)), Date.parse(String(x.c)), Date.parse(String(x.q))]),
    [
      [utc(2026, 3), utc(2026, 4), utc(2026, 1)],
      [utc(2026, 4), utc(2026, 5), utc(2026, 4)],
    ],
  );
});

test('fillmissing after a calendar bin is refused, naming why', async () => {
  const out = (await call(fx.engine, 'query.compile', {
    query: 'stats count(*) as n by bin(1mo) | fillmissing',
    dialect: 'insights',
  })) as Output<'query.compile'>;
  assert.match(out.diagnostics[0]?.message ?? '', /fills bins of one fixed length; `bin\(1mo\)` is a calendar period/);
});
