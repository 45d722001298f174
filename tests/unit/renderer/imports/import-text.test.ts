import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLabel, importName, removalOutcome } from '../../../../renderer/src/components/imports/import-text';

test('a format reads in a few words: named, a custom one by its field count, an export by its kind first', () => {
  assert.equal(formatLabel('default'), 'Default');
  assert.equal(formatLabel('ocsf-parquet'), 'OCSF Parquet');
  assert.equal(formatLabel('version srcaddr dstaddr start end'), 'Custom, 5 fields');
  assert.equal(formatLabel('cloudwatch-json default'), 'CloudWatch JSON, Default');
  assert.equal(formatLabel('cloudwatch-export start end srcaddr'), 'CloudWatch export, Custom, 3 fields');
  assert.equal(formatLabel('something-new'), 'something-new');
});

test('an import is named by its file, an S3 object by its key’s end, a CloudWatch window whole', () => {
  assert.equal(importName({ source: 'file', path: 'C:\\logs\\a.log' }), 'a.log');
  assert.equal(importName({ source: 's3', path: 's3://b/AWSLogs/x/y.log.gz' }), 'y.log.gz');
  const window = '/vpc/flow-logs/eni-1-all@1772409600-1772413200';
  assert.equal(importName({ source: 'cloudwatch', path: window }), window);
});

test('a removal says what went, and what stays with later overlapping CloudWatch imports', () => {
  const i = { source: 'file', path: '/tmp/export.json', records: 1234 };
  assert.equal(removalOutcome(i, 1234), 'Removed export.json: 1,234 records the workspace no longer holds.');
  assert.equal(
    removalOutcome(i, 1),
    'Removed export.json: 1 record the workspace no longer holds; the other 1,233 stay, held now by later CloudWatch imports that overlap it.',
  );
});
