/**
 * Time bins are multiples of their width since 1970-01-01 UTC, as CloudWatch's `bin`/`datefloor` and Sumo's
 * `timeslice` make them (the floor of the epoch time divided by the width), not since DuckDB's origin
 * (2000-01-03): the two differ for a width that does not divide a day. Answers worked out by hand from the
 * fixture's records: T0 (2026-03-02 00:00 UTC) is 360 s past a multiple of 7 minutes, so the 7-minute bins
 * around it start at 23:54, 00:01, 00:08, …; epoch weeks start on Thursdays (2026-02-26).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Input, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { Compiler } from '../../../queries/language/compile';
import { openFixture } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(() => openFixture());

async function bins(input: Input<'query.run'>, plain = false): Promise<[unknown, unknown][]> {
  // The plain form, with the eager one (and with it the minute summary) turned off in the compiler.
  const compiler = Compiler.prototype as unknown as { eager: unknown };
  const form = compiler.eager;
  if (plain) compiler.eager = () => null;
  try {
    const out = (await call(fx().engine, 'query.run', input)) as Output<'query.run'>;
    return out.rows.map((r) => [r[0], r[1]]);
  } finally {
    compiler.eager = form;
  }
}

const at = (hhmm: string, day = '02') => `2026-03-${day}T${hhmm}:00.000000Z`;

// Records at 0 s; 60, 120, 200, 210 s; 3600, 3660, 3700 s; 7200, 7300, 7400 s; 10800, 10900 s after T0.
const SEVEN_MINUTES = [
  [at('23:54', '01'), 1], // [-360 s, 60 s)
  [at('00:01'), 4], // [60 s, 480 s)
  [at('00:57'), 3], // [3420 s, 3840 s)
  [at('02:00'), 3], // [7200 s, 7620 s)
  [at('02:56'), 2], // [10560 s, 10980 s)
];

test('bin(7m) counts by multiples of 7 minutes since the epoch, in the eager, summary and plain forms', async () => {
  const query = 'stats count(*) as n by bin(7m) as t | sort t';
  assert.deepEqual(await bins({ query }), SEVEN_MINUTES);
  const summary = (await call(fx().engine, 'query.run', { query })) as Output<'query.run'>;
  assert.match(summary.sql, /\bmain\.flow_minutes\b/, 'whole minutes: answered from the minute summary');
  assert.deepEqual(await bins({ query }, true), SEVEN_MINUTES);
  assert.deepEqual(
    await bins({ query: 'stats count(*) as n by datefloor(@timestamp, 7m) as t | sort t' }),
    SEVEN_MINUTES,
    'datefloor',
  );
  assert.deepEqual(
    await bins({ query: 'fields datefloor(@timestamp, 7m) as t, dateceil(@timestamp, 7m) as c | filter t = c' }),
    [
      [at('02:00'), at('02:00')],
      [at('00:01'), at('00:01')],
    ],
    'dateceil: the records on a bin boundary, 60 s and 7200 s after T0 (4,220,040 × 420 s after the epoch)',
  );
});

test('Sumo timeslice 7m makes the same slices', async () => {
  const out = await bins({
    query: '_sourceCategory=vpc | timeslice 7m | count by _timeslice | sort by _timeslice asc',
  });
  assert.deepEqual(out, SEVEN_MINUTES);
});

test('1w bins start on Thursdays; 5m, 1h and 1d stay where they were', async () => {
  assert.deepEqual(await bins({ query: 'stats count(*) as n by bin(1w) as t' }), [['2026-02-26T00:00:00.000000Z', 13]]);
  const hourly = [
    [at('00:00'), 5],
    [at('01:00'), 3],
    [at('02:00'), 3],
    [at('03:00'), 2],
  ];
  assert.deepEqual(await bins({ query: 'stats count(*) as n by bin(5m) as t | sort t' }), hourly);
  assert.deepEqual(await bins({ query: 'stats count(*) as n by bin(1h) as t | sort t' }), hourly);
  assert.deepEqual(await bins({ query: 'stats count(*) as n by bin(1d) as t' }), [[at('00:00'), 13]]);
  assert.deepEqual(
    await bins({ query: '_sourceCategory=vpc | timeslice 1h | count by _timeslice | sort by _timeslice asc' }),
    hourly,
  );
});
