/**
 * VPC ranges on real workspace files: inferred from the ENIs' own addresses, set in the workspace, cleared,
 * and what `direction()` answers with them in SQL, Insights and Sumo (and a dashboard panel).
 */
import assert from 'node:assert/strict';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Dialect } from '../../../preload/contract';
import { DEFAULT_VPC_CIDRS } from '../../../queries/catalog/address-ranges';
import { Engine } from '../../../main/engine';
import type { FlowscopeError } from '../../../main/engine/errors';
import { inferredCidrs, usesVpcRanges } from '../../../main/engine/workspace/vpc-ranges';
import { callChannel, refusedChannel } from '../../support/through-dispatch';
import { tempDir } from './helpers';

const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const T0 = Date.UTC(2026, 2, 2) / 1000;

/** Default-format lines (no flow-direction: the ENI's address is the one at either end in most records). */
function flowLog(path: string, records: readonly [eni: string, src: string, dst: string][]): string {
  const lines = records.map(
    ([eni, src, dst], i) =>
      `2 123456789012 ${eni} ${src} ${dst} 40000 443 6 10 1000 ${T0 + i} ${T0 + i + 60} ACCEPT OK`,
  );
  writeFileSync(path, `${HEADER}\n${lines.join('\n')}\n`);
  return path;
}

/** VPC 10.1.0.0/16 (eni-a 10.1.0.5, eni-b 10.1.3.4) and an IPv6 ENI; 10.2.x.x and 172.31.x.x are another network. */
const VPC_A: [string, string, string][] = [
  ['eni-a', '10.2.0.9', '10.1.0.5'],
  ['eni-a', '10.1.0.5', '198.51.100.7'],
  ['eni-a', '10.1.0.5', '10.1.3.4'],
  ['eni-a', '203.0.113.9', '10.1.0.5'],
  ['eni-a', '10.2.0.9', '172.31.0.8'],
  ['eni-b', '10.1.0.5', '10.1.3.4'],
  ['eni-b', '10.1.3.4', '10.1.0.5'],
  ['eni-b', '198.51.100.1', '10.1.3.4'],
  ['eni-c', '2600:1f18:abcd:ef12::5', '2001:db8::1'],
  ['eni-c', '2001:db8::2', '2600:1f18:abcd:ef12::5'],
];
/** The peer's own VPC, logged later: its ENI 10.2.0.9. */
const VPC_B: [string, string, string][] = [
  ['eni-d', '10.2.0.9', '10.1.0.5'],
  ['eni-d', '10.2.0.9', '172.31.0.8'],
];

const INFERRED = ['10.1.0.0/16', '2600:1f18:abcd:ef00::/56'];

/** eni-a's and eni-c's records by source and destination, with their direction relative to INFERRED. */
const EXPECTED: Record<string, string> = {
  '10.2.0.9 > 10.1.0.5': 'inbound', // the private-range default would say internal
  '10.1.0.5 > 198.51.100.7': 'outbound',
  '10.1.0.5 > 10.1.3.4': 'internal',
  '203.0.113.9 > 10.1.0.5': 'inbound',
  '10.2.0.9 > 172.31.0.8': 'external', // the default: internal
  '2600:1f18:abcd:ef12::5 > 2001:db8::1': 'outbound',
  '2001:db8::2 > 2600:1f18:abcd:ef12::5': 'inbound',
};

const QUERIES: Record<Dialect, string> = {
  sql: `SELECT srcaddr, dstaddr, direction(srcaddr, dstaddr) AS d FROM flows WHERE interface_id IN ('eni-a', 'eni-c')`,
  insights: `filter interfaceId in ['eni-a', 'eni-c'] | fields srcAddr, dstAddr, direction(srcAddr, dstAddr) as d`,
  sumo: `_sourceCategory=vpc | where interface_id = "eni-a" or interface_id = "eni-c" | direction(srcaddr, dstaddr) as d | fields srcaddr, dstaddr, d`,
  athena: `SELECT srcaddr, dstaddr, direction(srcaddr, dstaddr) AS d FROM vpc_flow_logs WHERE interface_id IN ('eni-a', 'eni-c')`,
};

async function directions(engine: Engine, dialect: Dialect): Promise<Record<string, string>> {
  const result = await engine.queryRun({ query: QUERIES[dialect], dialect, pageSize: 100 });
  return Object.fromEntries(result.rows.map(([s, d, dir]) => [`${String(s)} > ${String(d)}`, String(dir)]));
}

async function importFile(engine: Engine, path: string): Promise<void> {
  const jobId = engine.startImport([path], {});
  assert.equal((await engine.jobWait({ jobId })).state, 'done');
}

test('an empty workspace uses the private ranges; records give the /16 and /56 of each ENI address', async () => {
  const dir = tempDir();
  const engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  try {
    assert.deepEqual(await callChannel(engine, 'workspace.vpcRanges', {}), {
      cidrs: [...DEFAULT_VPC_CIDRS],
      source: 'default',
    });
    await importFile(engine, flowLog(join(dir, 'a.log'), VPC_A));
    assert.deepEqual(await callChannel(engine, 'workspace.vpcRanges', {}), { cidrs: INFERRED, source: 'data' });
  } finally {
    await engine.close();
  }
});

test('direction() in SQL, Insights and Sumo and in a dashboard panel answers relative to the inferred ranges', async () => {
  const dir = tempDir();
  const engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  try {
    // A direction query before any import puts the default ranges on the pooled connection first.
    assert.deepEqual(await directions(engine, 'sql'), {});
    await importFile(engine, flowLog(join(dir, 'a.log'), VPC_A));
    for (const dialect of ['sql', 'insights', 'sumo', 'athena'] as const)
      assert.deepEqual(await directions(engine, dialect), EXPECTED, dialect);
    const panel = await engine.dashboardRunPanel({
      query: 'stats count(*) as n by direction(srcAddr, dstAddr) as d | sort d',
      dialect: 'insights',
      pageSize: 100,
    });
    assert.deepEqual(panel.rows, [
      ['external', 1],
      ['inbound', 4],
      ['internal', 3],
      ['outbound', 2],
    ]);
    await engine.workspaceSetVpcRanges({ cidrs: ['10.0.0.0/8'] });
    const again = await engine.dashboardRunPanel({
      query: 'stats count(*) as n by direction(srcAddr, dstAddr) as d | sort d',
      dialect: 'insights',
      pageSize: 100,
    });
    assert.equal(again.cached, false, 'new VPC ranges are not answered from the panel cache');
    // 10.0.0.0/8: 10.2.0.9 is inside now, 172.31.0.8 outside, the IPv6 ENI is not in the VPC any more.
    assert.deepEqual(again.rows, [
      ['external', 2],
      ['inbound', 2],
      ['internal', 4],
      ['outbound', 2],
    ]);
  } finally {
    await engine.close();
  }
});

test('an import or a removal changes the inferred ranges and the next answers', async () => {
  const dir = tempDir();
  const engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  try {
    await importFile(engine, flowLog(join(dir, 'a.log'), VPC_A));
    assert.equal((await directions(engine, 'sql'))['10.2.0.9 > 10.1.0.5'], 'inbound');
    await importFile(engine, flowLog(join(dir, 'b.log'), VPC_B));
    assert.deepEqual((await engine.workspaceVpcRanges()).cidrs, ['10.1.0.0/16', '10.2.0.0/16', INFERRED[1]]);
    assert.equal((await directions(engine, 'insights'))['10.2.0.9 > 10.1.0.5'], 'internal');
    assert.equal((await directions(engine, 'sql'))['10.2.0.9 > 172.31.0.8'], 'outbound');
    const { imports } = await engine.workspaceImports({ offset: 0, limit: 10 });
    await engine.workspaceRemoveImport({ importId: imports.find((i) => i.path.endsWith('b.log'))!.id });
    assert.deepEqual((await engine.workspaceVpcRanges()).cidrs, INFERRED);
    assert.equal((await directions(engine, 'sumo'))['10.2.0.9 > 10.1.0.5'], 'inbound');
  } finally {
    await engine.close();
  }
});

test('inferred ranges are kept beside the workspace for the next process, until an import changes the ledger', async () => {
  const dir = tempDir();
  const path = join(dir, 'w.duckdb');
  const kept = join(`${path}.flowscope`, 'vpc-ranges-inferred.json');
  let engine = await Engine.open({ workspace: path, create: true });
  try {
    await importFile(engine, flowLog(join(dir, 'a.log'), VPC_A));
    assert.deepEqual(await directions(engine, 'sql'), EXPECTED);
    const file = JSON.parse(readFileSync(kept, 'utf8')) as { fingerprint: string; cidrs: string[] };
    assert.deepEqual(file.cidrs, INFERRED);
    await engine.close();

    // The next process reads the file rather than the records: a file saying otherwise at the same ledger
    // state is believed (which is how this test tells that nothing was scanned).
    writeFileSync(kept, JSON.stringify({ ...file, cidrs: ['10.2.0.0/16'] }));
    engine = await Engine.open({ workspace: path });
    assert.deepEqual(await engine.workspaceVpcRanges(), { cidrs: ['10.2.0.0/16'], source: 'data' });
    assert.equal((await directions(engine, 'sql'))['10.2.0.9 > 10.1.0.5'], 'outbound');

    // An import changes the fingerprint: inferred again from the records, and kept again.
    await importFile(engine, flowLog(join(dir, 'b.log'), VPC_B));
    const both = ['10.1.0.0/16', '10.2.0.0/16', INFERRED[1]];
    assert.deepEqual((await engine.workspaceVpcRanges()).cidrs, both);
    assert.equal((await directions(engine, 'insights'))['10.2.0.9 > 10.1.0.5'], 'internal');
    assert.deepEqual((JSON.parse(readFileSync(kept, 'utf8')) as { cidrs: string[] }).cidrs, both);
    await engine.close();

    // A damaged file is passed over.
    writeFileSync(kept, '{"fingerprint": 1, "cidrs": [3]');
    engine = await Engine.open({ workspace: path });
    assert.deepEqual((await engine.workspaceVpcRanges()).cidrs, both);
  } finally {
    await engine.close();
  }
});

// Found by an outside probe: the folder beside a workspace travels with it when shared, and the inferred
// ranges were written to `vpc-ranges-inferred.json.<pid>.tmp` there, following a link of that name planted
// in advance (one per likely process id) to overwrite a file elsewhere.
test('keeping the inferred ranges never writes through a link planted beside the workspace', async () => {
  const dir = tempDir();
  const path = join(dir, 'w.duckdb');
  let engine = await Engine.open({ workspace: path, create: true });
  await engine.close();
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'mine');
  const kept = join(`${path}.flowscope`, 'vpc-ranges-inferred.json');
  symlinkSync(victim, `${kept}.${process.pid}.tmp`);
  engine = await Engine.open({ workspace: path });
  try {
    await importFile(engine, flowLog(join(dir, 'a.log'), VPC_A));
    assert.deepEqual(await directions(engine, 'sql'), EXPECTED);
    assert.equal(readFileSync(victim, 'utf8'), 'mine');
    assert.deepEqual((JSON.parse(readFileSync(kept, 'utf8')) as { cidrs: string[] }).cidrs, INFERRED);
  } finally {
    await engine.close();
  }
});

test('ranges set in the workspace apply to the next query, survive reopening, and clearing them brings back the inferred ones', async () => {
  const dir = tempDir();
  const path = join(dir, 'w.duckdb');
  let engine = await Engine.open({ workspace: path, create: true });
  try {
    await importFile(engine, flowLog(join(dir, 'a.log'), VPC_A));
    assert.equal((await directions(engine, 'sql'))['10.2.0.9 > 10.1.0.5'], 'inbound');
    const set = await callChannel(engine, 'workspace.setVpcRanges', {
      cidrs: [' 10.2.0.0/16', '172.31.0.0/16', '10.2.0.0/16'],
    });
    assert.deepEqual(set, { cidrs: ['10.2.0.0/16', '172.31.0.0/16'], source: 'workspace' });
    // The same pooled connection, now with the set ranges.
    assert.equal((await directions(engine, 'sql'))['10.2.0.9 > 10.1.0.5'], 'outbound');
    assert.equal((await directions(engine, 'insights'))['10.2.0.9 > 172.31.0.8'], 'internal');
    await engine.close();

    engine = await Engine.open({ workspace: path });
    assert.deepEqual(await engine.workspaceVpcRanges(), set);
    assert.equal((await directions(engine, 'sumo'))['10.1.0.5 > 198.51.100.7'], 'external');

    assert.deepEqual(await callChannel(engine, 'workspace.setVpcRanges', { cidrs: [] }), {
      cidrs: INFERRED,
      source: 'data',
    });
    assert.deepEqual(await directions(engine, 'sql'), EXPECTED);
    await engine.close();
    engine = await Engine.open({ workspace: path });
    assert.equal((await engine.workspaceVpcRanges()).source, 'data');
  } finally {
    await engine.close();
  }
});

test('a query cancelled while the VPC ranges are still being inferred stops with cancelled', async () => {
  const dir = tempDir();
  const engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  try {
    await importFile(engine, flowLog(join(dir, 'a.log'), VPC_A));
    // The import changed the ledger, so this query first infers the ranges; the cancel arrives meanwhile.
    const running = engine.queryRun({ query: QUERIES.sql, dialect: 'sql', pageSize: 10, queryId: 'q1' });
    assert.deepEqual(await engine.queryCancel({ queryId: 'q1' }), { cancelled: true });
    await assert.rejects(running, (err: FlowscopeError) => err.code === 'cancelled');
    assert.deepEqual(await directions(engine, 'sql'), EXPECTED, 'the next query runs');
  } finally {
    await engine.close();
  }
});

test('a bad CIDR is refused with a coded error naming it, and the stored ranges stay as they were', async () => {
  const dir = tempDir();
  const engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  try {
    await engine.workspaceSetVpcRanges({ cidrs: ['10.9.0.0/16'] });
    for (const bad of ['10.0.0.300/16', '10.0.0.0', '10.0.0.0/33', '2600:1f18::zz/56', '2600:1f18::/129', 'vpc-1']) {
      const error = await refusedChannel(engine, 'workspace.setVpcRanges', { cidrs: ['172.31.0.0/16', bad] });
      assert.equal(error.code, 'bad_request', bad);
      assert.ok(error.message.includes(`"${bad}"`), error.message);
      assert.deepEqual(error.detail, { cidr: bad });
    }
    assert.deepEqual(await engine.workspaceVpcRanges(), { cidrs: ['10.9.0.0/16'], source: 'workspace' });
  } finally {
    await engine.close();
  }
});

test('inferred blocks are de-duplicated and sorted by address, IPv4 first, each /56 as RFC 5952 writes it', () => {
  assert.deepEqual(
    inferredCidrs([
      { block16: 10 * 256 + 1, ip6: null },
      { block16: 9 * 256 + 200, ip6: '2600:1f18:0:1ff::9' },
      { block16: 10 * 256 + 1, ip6: '2600:1f18::5' },
      { block16: null, ip6: '2600:1F18:0000:00AB::1' },
      { block16: null, ip6: '2001:db8:abcd:ef12:1:2:3:4' },
      { block16: null, ip6: '2001:db8:1::5' },
    ]),
    [
      '9.200.0.0/16',
      '10.1.0.0/16',
      '2001:db8:1::/56',
      '2001:db8:abcd:ef00::/56',
      '2600:1f18::/56',
      '2600:1f18:0:100::/56',
    ],
  );
});

test('only queries calling direction or the in_vpc tests wait for the current ranges', () => {
  assert.ok(usesVpcRanges('SELECT direction (srcaddr, dstaddr) FROM flows'));
  assert.ok(usesVpcRanges('SELECT in_vpc4_(src_ip4) FROM flows'));
  assert.ok(!usesVpcRanges('SELECT flow_direction(x), count(*) FROM flows'));
  assert.ok(!usesVpcRanges('SELECT flow_direction FROM flows'));
});
