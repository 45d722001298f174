/**
 * What an import's rejected records are, by the ledger's source and format, and a job summary's rejects by
 * unit: the words every count of rejects on screen and on the command line uses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsByUnit, rejectUnit } from '../../../preload/contract';
import { rejectsCounted } from '../../../main/cli/output';

test('an import rejects log events when read from JSON or pulled from CloudWatch, rows of Parquet, else lines', () => {
  const cases: [string, string, string][] = [
    ['file', '${version} ${account-id} ${interface-id}', 'line'],
    ['s3', 'default', 'line'],
    ['file', 'parquet', 'row'],
    ['s3', 'ocsf-parquet', 'row'],
    ['file', 'cloudwatch-json default', 'event'],
    ['s3', 'cloudwatch-subscription default | ${version} ${vpc-id}', 'event'],
    ['cloudwatch', 'default', 'event'],
  ];
  for (const [source, format, unit] of cases) assert.equal(rejectUnit(source, format), unit, `${source} ${format}`);
});

test("a summary's rejects by unit: lines are what is not events or rows, and kinds without any are left out", () => {
  assert.deepEqual(rejectsByUnit({ rejected: 0 }), []);
  assert.deepEqual(rejectsByUnit({ rejected: 3 }), [[3, 'line']]);
  assert.deepEqual(rejectsByUnit({ rejected: 5, rejectedRows: 5 }), [[5, 'row']]);
  assert.deepEqual(rejectsByUnit({ rejected: 7, rejectedEvents: 1, rejectedRows: 2 }), [
    [4, 'line'],
    [1, 'event'],
    [2, 'row'],
  ]);
  assert.equal(rejectsCounted({ rejected: 0 }), 'nothing');
  assert.equal(rejectsCounted({ rejected: 1, rejectedEvents: 1 }), '1 event');
  assert.equal(rejectsCounted({ rejected: 2_003, rejectedRows: 3 }), '2,000 lines and 3 rows');
});
