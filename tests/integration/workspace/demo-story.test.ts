/**
 * The demo workspace tells a story (issue 15): a daily rhythm, an SSH brute force and a port scan from the
 * internet, a NAT gateway, a data transfer burst and an ENI gone quiet, each found by the query an analyst
 * would write, in the workspace `createDemoWorkspace` makes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Engine } from '../../../main/engine';
import { createDemoWorkspace } from '../../../main/engine/demo-workspace';
import { BRUTE_FORCE_SOURCE, EXFIL_PEER, NAT_ENI, SCANNER } from '../../../main/engine/ingest/demo-story';

const RECORDS = 30_000;
let dir: string;
let engine: Engine;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-demo-story-'));
  const workspace = join(dir, 'demo.duckdb');
  const info = await createDemoWorkspace(workspace, { records: RECORDS });
  assert.equal(info.records, RECORDS);
  engine = await Engine.open({ workspace });
});

after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

async function sql(query: string): Promise<Record<string, unknown>[]> {
  const answer = await engine.queryRun({ query, dialect: 'sql', pageSize: 1000 });
  return answer.rows.map((row) => Object.fromEntries(answer.columns.map((c, i) => [c.name, row[i]])));
}

test('records follow a daily rhythm: the afternoon is busier than the night', async () => {
  const [hours] = await sql(
    `SELECT count(*) FILTER (hour(start_time) = 15) AS afternoon, count(*) FILTER (hour(start_time) = 4) AS night FROM flows`,
  );
  assert.ok(Number(hours!.afternoon) > 2 * Number(hours!.night), JSON.stringify(hours));
});

test('an SSH brute force and a port scan come from the internet, rejected', async () => {
  const [ssh] = await sql(
    `SELECT count(*) AS tries, count(*) FILTER (action = 'REJECT') AS rejects, count(DISTINCT dstaddr) AS targets
     FROM flows WHERE srcaddr = '${BRUTE_FORCE_SOURCE}' AND dstport = 22`,
  );
  assert.ok(Number(ssh!.tries) > 100 && Number(ssh!.rejects) > 0.9 * Number(ssh!.tries), JSON.stringify(ssh));
  assert.equal(Number(ssh!.targets), 1);
  const top = await sql(`SELECT srcaddr FROM flows WHERE action = 'REJECT' GROUP BY 1 ORDER BY count(*) DESC LIMIT 2`);
  assert.deepEqual(
    new Set(top.map((r) => r.srcaddr)),
    new Set([BRUTE_FORCE_SOURCE, SCANNER]),
    'the top rejected sources',
  );
  const [scan] = await sql(`SELECT count(DISTINCT dstport) AS ports FROM flows WHERE srcaddr = '${SCANNER}'`);
  assert.ok(Number(scan!.ports) > 200, `${scan!.ports} ports scanned`);
});

test('a NAT gateway carries internet traffic, and one host sends a burst of data out', async () => {
  const [nat] = await sql(
    `SELECT count(*) AS flows, count(DISTINCT pkt_srcaddr) AS hosts FROM flows WHERE interface_id = '${NAT_ENI.id}' AND srcaddr = '${NAT_ENI.ip}'`,
  );
  assert.ok(Number(nat!.flows) > 1000 && Number(nat!.hosts) >= 5, JSON.stringify(nat));
  const [burst] = await sql(
    `SELECT sum(bytes) AS bytes, min(start_time) AS first FROM flows WHERE dstaddr = '${EXFIL_PEER}'`,
  );
  const [all] = await sql(`SELECT sum(bytes) AS bytes FROM flows WHERE dstaddr <> '${EXFIL_PEER}'`);
  assert.ok(Number(burst!.bytes) > Number(all!.bytes), 'the burst outweighs everything else');
});

test('an ENI stops logging for a few hours: NODATA in a window', async () => {
  const rows = await sql(
    `SELECT interface_id, count(*) AS n FROM flows WHERE log_status = 'NODATA' GROUP BY 1 ORDER BY n DESC LIMIT 1`,
  );
  assert.ok(Number(rows[0]!.n) > 50, JSON.stringify(rows));
});
