import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { histogramBars, histogramBucketMs, histogramSql } from '../../../../queries/chart/record-histogram';

describe('records histogram SQL', () => {
  it('draws about one bar per 8 pixels, within bounds', () => {
    assert.equal(histogramBars(800), 100);
    assert.equal(histogramBars(16), 12);
    assert.equal(histogramBars(20_000), 240);
  });

  it('picks a round bucket for the range: a day in 100 bars is 15 minutes, an hour in 100 bars is 1 minute', () => {
    assert.equal(histogramBucketMs(0, 86_400_000, 100), 900_000);
    assert.equal(histogramBucketMs(0, 3_600_000, 100), 60_000);
    assert.equal(histogramBucketMs(5, 5, 100), 1000, 'an empty span still has a width: a second');
  });

  it('counts the records statement it is given per clock-aligned bucket, every action apart', () => {
    const sql = histogramSql('SELECT start_time, action FROM main.flows', 60_000);
    assert.match(sql, /\(epoch_ms\(start_time\) \/\/ 60000\) \* 60000 AS at_ms/);
    assert.match(sql, /FROM \(SELECT start_time, action FROM main\.flows\) GROUP BY at_ms ORDER BY at_ms/);
    assert.match(sql, /action IS NULL OR action NOT IN \('ACCEPT', 'REJECT'\)/);
  });
});
