/**
 * Sumo's `outlier`, running operators and `dedup` as their pages describe them, on workspaces written out here:
 * every expected answer is worked out in plain code from the records, not read from Flowscope.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openFixture, ROWS, sumoRows, T0, type Row } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

/** Records per minute from T0: the last minute's 9 would be an outlier, were it not the most recent one. */
const PER_MINUTE = [2, 3, 2, 9, 2, 3, 9];
const series = openedForFile(() =>
  openFixture({
    rows: PER_MINUTE.flatMap((n, minute) =>
      Array.from({ length: n }, (_, i): Row => [
        '10.0.0.1',
        '10.0.0.2',
        1000 + i,
        443,
        6,
        1,
        100,
        minute * 60 + i,
        'ACCEPT',
        'OK',
        'eni-a',
      ]),
    ),
  }),
);

const close = (actual: unknown, expected: number) =>
  assert.ok(Math.abs(Number(actual) - expected) < 1e-9, `${String(actual)} ≈ ${expected}`);
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleSd = (xs: readonly number[]) =>
  xs.length < 2 ? null : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

test('outlier ignores the most recent time bucket, and its baseline _<field>_std is there to read (outlier page)', async () => {
  const window = 3;
  const threshold = 1;
  const base = `_sourceCategory=vpc | timeslice 1m | count by _timeslice | outlier _count window=${window},threshold=${threshold}`;
  // Each minute against the mean and sample deviation of the 3 before it: only minute 3 (9 after 2, 3, 2) is
  // outside its band; minute 6 (9 after 9, 2, 3: band 0.88–8.45) would be too, but it is the query's last.
  const baseline = PER_MINUTE.map((c, i) => {
    const before = PER_MINUTE.slice(Math.max(0, i - window), i);
    const sd = sampleSd(before);
    return { c, m: before.length ? mean(before) : null, sd };
  });
  const flagged = baseline.map(({ c, m, sd }) => (sd !== null && Math.abs(c - m!) > threshold * sd ? 1 : 0));
  assert.deepEqual(flagged, [0, 0, 0, 1, 0, 0, 1]);
  const rows = await sumoRows(series().engine, `${base} | sort by _timeslice asc`);
  assert.deepEqual(
    rows.map((r) => [r._count, r._count_indicator, r._count_violation]),
    PER_MINUTE.map((c, i) => [c, i === 3 ? 1 : 0, i === 3 ? 1 : 0]),
  );
  // Sumo's result table lists five fields; the baseline's deviation is read by name (the "Outlier Ranking"
  // example), not shown unless named.
  assert.deepEqual(Object.keys(rows[0]!), [
    '_timeslice',
    '_count',
    '_count_error',
    '_count_lower',
    '_count_upper',
    '_count_indicator',
    '_count_violation',
  ]);
  const ranking = await sumoRows(
    series().engine,
    `${base} | where _count_std > 0 | if(_count_violation=1, abs(_count_error)/_count_std, 0) as deviation | ` +
      'fields _timeslice, deviation, _count_std | sort by _timeslice asc',
  );
  const kept = baseline.flatMap((b, i) => (b.sd !== null && b.sd > 0 ? [{ ...b, i }] : []));
  assert.deepEqual(
    ranking.map((r) => Date.parse(String(r._timeslice)) / 1000 - T0),
    kept.map(({ i }) => i * 60),
  );
  for (const [n, { c, m, sd, i }] of kept.entries()) {
    close(ranking[n]!._count_std, sd!);
    close(ranking[n]!.deviation, i === 3 ? Math.abs(c - m!) / sd! : 0);
  }
});

/**
 * The hand-written fixture, whose NODATA and SKIPDATA records log `-` for their bytes, with two of its
 * records delivered twice (the same line again).
 */
const LOGGED = [...ROWS, ROWS[0]!, ROWS[6]!];
const records = openedForFile(() => openFixture({ rows: LOGGED }));
/** The records as Sumo lists them, newest first. */
const newestFirst = [...LOGGED].sort((a, b) => b[7] - a[7]);

test('diff removes the rows whose field is not a number and diffs from the numeric row before (diff page)', async () => {
  const numbers = newestFirst.filter((r) => r[6] !== null);
  assert.ok(numbers.length < newestFirst.length);
  const rows = await sumoRows(records().engine, 'diff bytes as d | fields src_ip, bytes, d');
  assert.deepEqual(
    rows.map((r) => [r.src_ip, Number(r.bytes), r.d]),
    numbers.map((r, i) => [r[0], r[6], i === 0 ? null : r[6]! - numbers[i - 1]![6]!]),
  );
  // Per group, the same: each interface's numeric rows, newest first.
  const grouped = await sumoRows(records().engine, 'diff bytes by interface_id | fields interface_id, bytes, _diff');
  const previous = new Map<string, number>();
  const expected = numbers.map((r) => {
    const before = previous.get(r[10]);
    previous.set(r[10], r[6]!);
    return [r[10], r[6], before === undefined ? null : r[6]! - before];
  });
  assert.deepEqual(
    grouped.map((r) => [r.interface_id, Number(r.bytes), r._diff]),
    expected,
  );
});

test('dedup consecutive keeps the first of each run of the same values, bare dedup one of each record line (dedup page)', async () => {
  const eni = newestFirst.map((r) => r[10]);
  const runs = eni.filter((e, i) => i === 0 || e !== eni[i - 1]);
  assert.ok(new Set(runs).size < runs.length, 'a value comes back after another, and is kept again');
  const consecutive = await sumoRows(records().engine, 'dedup consecutive by interface_id | fields interface_id');
  assert.deepEqual(
    consecutive.map((r) => r.interface_id),
    runs,
  );
  // The first two of each run.
  const two = await sumoRows(records().engine, 'dedup consecutive 2 by interface_id | fields interface_id');
  assert.deepEqual(
    two.map((r) => r.interface_id),
    eni.filter((e, i) => i === 0 || e !== eni[i - 1] || i === 1 || e !== eni[i - 2]),
  );
  // `| dedup` is `| dedup by _raw`: one of each line, so each record delivered twice counts once.
  const lines = new Set(LOGGED.map((r) => JSON.stringify(r)));
  assert.equal(lines.size, LOGGED.length - 2);
  assert.deepEqual(await sumoRows(records().engine, 'dedup | count'), [{ _count: lines.size }]);
  assert.deepEqual(await sumoRows(records().engine, 'dedup by _raw | count'), [{ _count: lines.size }]);
});

test('running operators group by the fields as the dialect names them: _messagetime, src_ip (total page)', async () => {
  // The total page's "Calculate totals by message time": records at the same time are one group.
  const sameTime = (r: Row) => LOGGED.filter((o) => o[7] === r[7]).length;
  assert.ok(LOGGED.some((r) => sameTime(r) > 1));
  const totals = await sumoRows(records().engine, '1 as data | total data by _messagetime | fields _total');
  assert.deepEqual(
    totals.map((r) => r._total),
    newestFirst.map(sameTime),
  );
  for (const name of ['_messageTime', '_messagetime']) {
    // Records at the same time (the same line twice) come in no order among themselves: 1 and 2, either way.
    const running = await sumoRows(records().engine, `1 as data | accum data by ${name} | fields _accum`);
    assert.deepEqual(
      running.map((r) => Number(r._accum)).sort(),
      newestFirst.map((r, i) => newestFirst.slice(0, i + 1).filter((o) => o[7] === r[7]).length).sort(),
    );
  }
  // A field-extraction name: each record's source's bytes summed; a `-` source is a group of no numbers.
  const bySource = await sumoRows(records().engine, 'total bytes by src_ip | fields src_ip, _total');
  assert.deepEqual(
    bySource.map((r) => [r.src_ip, r._total]),
    newestFirst.map((r) => {
      const bytes = LOGGED.filter((o) => o[0] === r[0] && o[6] !== null).map((o) => o[6]!);
      return [r[0] ?? '-', bytes.length ? bytes.reduce((a, b) => a + b, 0) : null];
    }),
  );
});
