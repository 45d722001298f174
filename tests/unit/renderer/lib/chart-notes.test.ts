import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeReductions } from '../../../../renderer/src/lib/chart-notes';

test('a map names how much of its measure has no place on it, beside the whole', () => {
  assert.equal(
    describeReductions([{ kind: 'unplaced', rows: 1, value: 104_140, of: 150_000 }], {
      type: 'map',
      x: 'country_code',
      y: '_count',
    }),
    'Not on the map: 104,140 of 150,000 _count in 1 row with no country_code (private or unknown addresses)',
  );
});

test('every cut is said, one after the other', () => {
  assert.equal(
    describeReductions(
      [
        { kind: 'top', what: 'series', shown: 10, of: 11, other: true },
        { kind: 'rebinned', points: 864, bucketMs: 600_000 },
      ],
      { type: 'area', x: 't', y: 'n', series: 'srcAddr' },
    ),
    'Top 10 of 11 srcAddr series, the rest as Other · 864 points added up into 10-minute buckets',
  );
});

test('rows whose measure is not a finite number are said to be left out, naming the measures', () => {
  assert.equal(
    describeReductions([{ kind: 'not-finite', rows: 2 }], { type: 'bar', x: 'action', y: ['ratio', 'bytes'] }),
    'Not drawn: 2 rows whose ratio or bytes is not a finite number (Infinity or NaN)',
  );
  assert.equal(
    describeReductions([{ kind: 'not-finite', rows: 1 }], { type: 'pie', x: 'action', y: 'ratio' }),
    'Not drawn: 1 row whose ratio is not a finite number (Infinity or NaN)',
  );
});

test('a re-binned measure that does not add up is said to be the highest of each bucket', () => {
  const spec = { type: 'bar' as const, x: 't', y: ['m', 'c'] };
  assert.equal(
    describeReductions([{ kind: 'rebinned', points: 4320, bucketMs: 1_800_000, highest: ['m', 'c'] }], spec),
    '4,320 points: the highest m and c of each 30-minute bucket',
  );
  assert.equal(
    describeReductions([{ kind: 'rebinned', points: 4320, bucketMs: 1_800_000, highest: ['m'] }], spec),
    '4,320 points added up into 30-minute buckets, except the highest m of each 30-minute bucket',
  );
});

test('rows without a time are said to be left out of a time series', () => {
  assert.equal(
    describeReductions([{ kind: 'no-time', rows: 5 }], { type: 'line', x: 't', y: 'v' }),
    'Not drawn: 5 rows with no t',
  );
});

test('a pie says how many rows below zero it has no slice for', () => {
  assert.equal(
    describeReductions([{ kind: 'negative', rows: 1 }], { type: 'pie', x: 'k', y: 'v' }),
    'Not drawn: 1 row whose v is below zero (a pie has no slice for it)',
  );
});

test("a heat map's cuts name the fields of its columns and rows, not the result's columns and rows", () => {
  assert.equal(
    describeReductions(
      [
        { kind: 'top', what: 'columns', shown: 25, of: 212, other: false },
        { kind: 'top', what: 'rows', shown: 25, of: 1029, other: false },
      ],
      { type: 'heatmap', x: 'srcaddr', y: 'n', series: 'dstport' },
    ),
    'Top 25 of 212 srcaddr values · Top 25 of 1,029 dstport values',
  );
});

test('a heat map or Sankey says how many rows it drew with another of the same keys, and how it combined them', () => {
  const spec = { type: 'heatmap', x: 'srcaddr', series: 'dstaddr', y: 'a' } as const;
  assert.equal(
    describeReductions([{ kind: 'merged', rows: 12, highest: true }], spec),
    '12 rows merged into cells of the same srcaddr and dstaddr: the highest a shown',
  );
  assert.equal(
    describeReductions([{ kind: 'merged', rows: 1, highest: false }], { ...spec, type: 'sankey', y: 'n' }),
    '1 row merged into links of the same srcaddr and dstaddr: n added up',
  );
});
