import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cappedNote, provenanceParts, usd } from '../../../../renderer/src/lib/remote-format';

test('a cost reads in cents, or with enough digits to see a fraction of a cent', () => {
  assert.equal(usd(1.234), '$1.23');
  assert.equal(usd((10 * 1024 * 1024 * 5) / 1e12), '$0.000052');
});

test("a remote result's provenance names the engine, where it ran, the service's id, what it scanned and when", () => {
  const parts = provenanceParts({
    engine: 'athena',
    remoteQueryId: 'q-1',
    target: 'flowlogs.vpc_flow_logs',
    scannedBytes: 19_700,
    costUsd: 0.000052,
    timeRange: { from: '2026-03-02T10:00:00.000Z', to: null },
  });
  assert.deepEqual(
    parts.map((p) => `${p.label}: ${p.value}`),
    [
      'Engine: Athena',
      'Table: flowlogs.vpc_flow_logs',
      'Query execution id: q-1',
      'Data scanned: 19.7 kB',
      'Cost: about $0.000052',
      'Time range: 2026-03-02 10:00 UTC to now',
    ],
  );
  const cloudwatch = provenanceParts({
    engine: 'cloudwatch',
    remoteQueryId: 'q-2',
    target: '/vpc/flow-logs',
    scannedBytes: 48_000,
    timeRange: null,
  });
  assert.deepEqual(
    cloudwatch.map((p) => p.label),
    ['Engine', 'Log groups', 'Query id', 'Data scanned', 'Time range'],
  );
});

test("an answer cut at its engine's cap says so, Athena's as CloudWatch's", () => {
  const p = { remoteQueryId: 'q-1', target: 't', scannedBytes: 1, timeRange: null };
  assert.equal(cappedNote({ ...p, engine: 'athena', capped: false }), null);
  assert.match(cappedNote({ ...p, engine: 'athena', capped: true }) ?? '', /first 1,000,000 rows of an Athena answer/);
  assert.match(
    cappedNote({ ...p, engine: 'cloudwatch', capped: true }) ?? '',
    /answers at most 10,000 rows: this answer stopped there/,
  );
});
