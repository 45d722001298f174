/**
 * Insights' implicit limit: a list of records without stats or `limit` answers at most 10,000 of them, as
 * CloudWatch does, and says so when more matched (`cappedAt`, and a line on the CLI's stderr). An explicit
 * `limit`, an answer of exactly 10,000 records and an aggregate are never flagged.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call } from '../../../main/engine/dispatch';
import type { Input, Output } from '../../../preload/contract';
import { flowscopeInProcess } from '../../support/flowscope-cli';
import { summarizeRecords } from '../../support/summarize-records';
import { openFixture, T0, type Fixture } from './fixture';

/** Records one second apart from T0: the newest 10,000 are those of T0 + 3 s and later. */
const RECORDS = 10_003;
const at = (s: number) => new Date((T0 + s) * 1000).toISOString();

let fx: Fixture;
before(async () => {
  fx = await openFixture({ rows: [] });
  await fx.engine.workspace.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO flow_records (version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets,
         bytes, start, "end", action, log_status, start_time, end_time, src_ip4, dst_ip4, import_id)
       SELECT 2, '123456789012', 'eni-a', '10.0.' || (i // 256) || '.' || (i % 256), '10.1.0.1', 40000, 443, 6, 1,
         100, ${T0} + i, ${T0} + i + 60, 'ACCEPT', 'OK', make_timestamp((${T0} + i) * 1000000),
         make_timestamp((${T0} + i + 60) * 1000000), 167772160 + i, 167837697, 0
       FROM range(${RECORDS}) r(i)`,
    );
  });
  await summarizeRecords(fx.engine.workspace);
});
after(async () => {
  await fx.close();
});

const run = async (input: Input<'query.run'>) => (await call(fx.engine, 'query.run', input)) as Output<'query.run'>;

test('a list of records cut at 10,000 says so and keeps the newest 10,000, in order and sorted', async () => {
  const cut = await run({ query: 'fields @timestamp, srcAddr', pageSize: 1 });
  assert.equal(cut.rowCount, 10_000);
  assert.equal(cut.cappedAt, 10_000);
  assert.equal(cut.rows[0]![0], '2026-03-02T02:46:42.000000Z', 'newest first');
  const tail = (await call(fx.engine, 'query.page', {
    resultId: cut.resultId,
    offset: 9_998,
    limit: 10,
  })) as Output<'query.page'>;
  assert.deepEqual(
    tail.rows.map((r) => r[1]),
    ['10.0.0.4', '10.0.0.3'],
    'the oldest records past the cap are not kept',
  );
  const oldest = (await call(fx.engine, 'query.page', {
    resultId: cut.resultId,
    offset: 0,
    limit: 1,
    sort: [{ column: '@timestamp', descending: false }],
  })) as Output<'query.page'>;
  assert.equal(oldest.rows[0]![1], '10.0.0.3', 'a sort of the kept rows does not find the one past the cap');
  const sorted = await run({ query: 'fields srcAddr | filter ispresent(srcAddr) | sort @timestamp asc' });
  assert.equal(sorted.cappedAt, 10_000, 'with its own sort and filter');
});

test('an explicit limit, exactly 10,000 records and an aggregate are not flagged', async () => {
  const limited = await run({ query: 'fields srcAddr | limit 10003' });
  assert.equal(limited.rowCount, RECORDS);
  assert.equal(limited.cappedAt, undefined);
  const tenThousand = await run({ query: 'fields srcAddr | limit 10000' });
  assert.equal(tenThousand.rowCount, 10_000);
  assert.equal(tenThousand.cappedAt, undefined);
  const exactly = await run({ query: 'fields srcAddr', timeRange: { from: at(3), to: null } });
  assert.equal(exactly.rowCount, 10_000);
  assert.equal(exactly.cappedAt, undefined, 'all 10,000 matching records are there');
  const stats = await run({ query: 'stats count(*) as n by srcAddr' });
  assert.equal(stats.rowCount, RECORDS);
  assert.equal(stats.cappedAt, undefined);
});

const NOTICE =
  '10,000 rows: CloudWatch Logs Insights returns at most 10,000; more records matched (add | limit N to see more)\n';

test('the CLI prints the 10,000 rows and says on stderr that more matched; not for an explicit limit', async () => {
  await fx.engine.close();
  const cli = (...args: string[]) => flowscopeInProcess(['query', ...args, '--workspace', fx.path]);
  const cut = await cli('fields srcAddr', '--format', 'csv');
  assert.equal(cut.code, 0, cut.err);
  assert.equal(cut.out.trimEnd().split('\n').length, 1 + 10_000);
  assert.equal(cut.err, NOTICE);
  const limited = await cli('fields srcAddr | limit 10003', '--format', 'csv');
  assert.equal(limited.out.trimEnd().split('\n').length, 1 + RECORDS);
  assert.equal(limited.err, '');
});
