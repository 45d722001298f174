import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Channel, Input } from '../../../preload/contract';
import { callChannel, refusedChannel } from '../../support/through-dispatch';
import { Engine } from '../../../main/engine';
import { summarizeRecords } from '../../support/summarize-records';

let dir: string;
let engine: Engine;

// srcaddr, dstaddr, srcport, dstport, protocol, bytes, action, interface_id, start (unix seconds)
const RECORDS: [string, string, number, number, number, number, string, string, number][] = [
  ['10.0.1.5', '8.8.8.8', 40000, 53, 17, 100, 'ACCEPT', 'eni-aaa', 1_767_225_600],
  ['10.0.1.5', '1.1.1.1', 40001, 443, 6, 2000, 'ACCEPT', 'eni-aaa', 1_767_225_660],
  ['203.0.113.9', '10.0.2.7', 51000, 22, 6, 60, 'REJECT', 'eni-bbb', 1_767_225_720],
  ['203.0.113.9', '10.0.2.7', 51001, 22, 6, 60, 'REJECT', 'eni-bbb', 1_767_229_200],
  ['198.51.100.4', '10.0.2.7', 52000, 3389, 6, 80, 'REJECT', 'eni-bbb', 1_767_229_260],
  ['10.0.2.7', '10.0.1.5', 22, 51000, 6, 5000, 'ACCEPT', 'eni-bbb', 1_767_229_320],
];

function ip4(a: string): number {
  return a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-filters-'));
  engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true, libraryDir: join(dir, 'library') });
  for (const [src, dst, sp, dp, proto, bytes, action, eni, start] of RECORDS) {
    await engine.workspace.run(
      `INSERT INTO flow_records (version, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, "end", action, log_status, interface_id, start_time, end_time, src_ip4, dst_ip4)
       VALUES (2, $1, $2, $3, $4, $5, 1, $6, $7, $7 + 60, $8, 'OK', $9, to_timestamp($7)::TIMESTAMP, to_timestamp($7 + 60)::TIMESTAMP, $10, $11)`,
      [src, dst, sp, dp, proto, bytes, start, action, eni, ip4(src), ip4(dst)],
    );
  }
  await summarizeRecords(engine.workspace);
});

after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = <C extends Channel>(channel: C, input: Input<C>) => callChannel(engine, channel, input);

async function total(
  query: string,
  filters?: Input<'query.run'>['filters'],
  timeRange?: Input<'query.run'>['timeRange'],
): Promise<number> {
  const r = await call('query.run', { query, ...(filters ? { filters } : {}), ...(timeRange ? { timeRange } : {}) });
  return Number(r.rows[0]?.[0] ?? 0);
}

const INSIGHTS = 'stats sum(bytes) as total';
const SQL = 'SELECT sum(bytes) AS total FROM flows';

for (const [dialect, query] of [
  ['Insights', INSIGHTS],
  ['SQL', SQL],
] as const) {
  test(`dashboard filters narrow a ${dialect} query to the matching records`, async () => {
    assert.equal(await total(query), 7300);
    assert.equal(await total(query, { action: 'REJECT' }), 200);
    assert.equal(await total(query, { srcAddr: '10.0.0.0/16' }), 7100);
    assert.equal(await total(query, { dstAddr: '10.0.2.7' }), 200);
    assert.equal(await total(query, { port: 22 }), 5120, 'port matches either end');
    assert.equal(await total(query, { protocol: 'udp' }), 100);
    assert.equal(await total(query, { interfaceId: 'eni-aaa' }), 2100);
    assert.equal(await total(query, { action: 'REJECT', port: 22 }), 120);
  });
}

test('filters and the time range apply together', async () => {
  const second = { from: '2026-01-01T01:00:00Z', to: null };
  assert.equal(await total(INSIGHTS, { action: 'REJECT' }, second), 140);
  assert.equal(await total(SQL, { port: 22 }, second), 5060);
});

test('filters apply before aggregation, so grouped panels see only the filtered records', async () => {
  const r = await call('query.run', {
    query: 'stats count(*) as n by dstPort | sort n desc',
    filters: { action: 'REJECT' },
  });
  assert.deepEqual(r.rows, [
    ['22', 2],
    ['3389', 1],
  ]);
});

test('a filter value that is not an address is refused before any SQL is built', async () => {
  const error = await refusedChannel(engine, 'query.run', {
    query: INSIGHTS,
    filters: { srcAddr: "1.1.1.1' OR TRUE --" },
  });
  assert.match(error.message, /filters\.srcAddr/);
});

test('an IPv6 address filter finds the records however the address is spelt', async () => {
  // Stored as logged (compressed, lower case); REJECTed on port 8443 so the other tests' answers keep theirs.
  await engine.workspace.run(
    `INSERT INTO flow_records (version, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, "end", action, log_status, interface_id, start_time, end_time)
     VALUES (2, '2001:db8::7', '2001:db8:1::9', 40000, 8443, 6, 1, 0, 1767225600, 1767225660, 'REJECT', 'OK', 'eni-ccc', to_timestamp(1767225600)::TIMESTAMP, to_timestamp(1767225660)::TIMESTAMP)`,
  );
  await summarizeRecords(engine.workspace);
  const count = 'stats count(*) as n';
  for (const srcAddr of ['2001:db8::7', '2001:DB8:0:0:0:0:0:7', '2001:0db8::0007', '2001:db8::/32'])
    assert.equal(await total(count, { srcAddr, port: 8443 }), 1, srcAddr);
  assert.equal(await total(count, { dstAddr: '2001:db8:1::/48', port: 8443 }), 1);
  assert.equal(await total(count, { srcAddr: '2001:db8::8', port: 8443 }), 0);
});
