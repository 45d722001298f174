import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  histogramChart,
  histogramPick,
  histogramTotal,
  type RecordHistogram,
} from '../../../../renderer/src/lib/record-histogram';

const h: RecordHistogram = {
  bucketMs: 300_000,
  from: '2026-03-02T00:00:00.000Z',
  to: '2026-03-02T01:00:00.000Z',
  buckets: [
    { at: '2026-03-02T00:00:00.000Z', accept: 3, reject: 1, other: 0 },
    { at: '2026-03-02T00:10:00.000Z', accept: 0, reject: 0, other: 2 },
  ],
  undated: 1,
};

describe('the records histogram as a chart', () => {
  it('stacks ACCEPT, REJECT and Other per bucket, leaving out empty parts', () => {
    assert.deepEqual(histogramChart(h).rows, [
      ['2026-03-02T00:00:00.000Z', 'ACCEPT', 3],
      ['2026-03-02T00:00:00.000Z', 'REJECT', 1],
      ['2026-03-02T00:10:00.000Z', 'Other', 2],
    ]);
  });

  it('counts every record it stands for, those without a time too', () => {
    assert.equal(histogramTotal(h), 7);
  });

  it('reads a click on a bar as its bucket', () => {
    const at = Date.parse('2026-03-02T00:10:00.000Z');
    assert.deepEqual(histogramPick(h, { value: [at, 2] }), [at, at + 300_000]);
    assert.deepEqual(histogramPick(h, { name: '2026-03-02T00:12:00.000Z' }), [at, at + 300_000]);
    assert.equal(histogramPick(h, { name: 'ACCEPT' }), null);
  });
});
