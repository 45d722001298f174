/**
 * A whole-line `parse` reads each name's field by name here, where CloudWatch and Sumo read the part at its
 * place in the record's line: the query warns where the workspace's formats put another field at a name's
 * place (the outside tester's A4), and not where names and places agree. The built-in library is run over
 * a small demo workspace for the same warning.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Dialect, Output } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { createDemoWorkspace } from '../../../main/engine/demo-workspace';
import { SavedQuery } from '../../../queries/library/saved-query';
import { openedForFile } from '../../support/opened-for-file';

const DEFAULT_HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
/** The source 203.0.113.4, the destination 10.0.2.2. */
const DEFAULT_LINE = '2 123456789012 eni-a 203.0.113.4 10.0.2.2 443 51000 6 10 1500 1767225610 1767225660 ACCEPT OK';
/** A custom format whose 4th field is the packet's source, as on the tester's w8. */
const CUSTOM_HEADER =
  'version account-id interface-id pkt-srcaddr srcaddr dstaddr pkt-dstaddr srcport dstport protocol packets bytes start end action log-status';
const CUSTOM_LINE =
  '5 123456789012 eni-b 10.9.9.9 10.0.0.5 10.0.1.1 10.0.1.1 33000 443 6 4 2000 1767225620 1767225680 ACCEPT OK';

const dir = mkdtempSync(join(tmpdir(), 'flowscope-parse-positions-'));

async function workspaceOf(name: string, header: string, line: string): Promise<Engine> {
  const file = join(dir, `${name}.log`);
  writeFileSync(file, `${header}\n${line}\n`);
  const engine = await Engine.open({ workspace: join(dir, `${name}.duckdb`), create: true });
  const job = await engine.jobWait({ jobId: engine.startImport([file], {}) });
  assert.equal(job.state, 'done', job.error);
  return engine;
}

const plain = openedForFile(() => workspaceOf('default', DEFAULT_HEADER, DEFAULT_LINE));
const custom = openedForFile(() => workspaceOf('custom', CUSTOM_HEADER, CUSTOM_LINE));
const demo = openedForFile(async () => {
  const path = join(dir, 'demo.duckdb');
  await createDemoWorkspace(path, { records: 300 });
  return Engine.open({ workspace: path, libraryDir: join(dir, 'library') });
}, dir);

async function run(engine: Engine, query: string, dialect: Dialect): Promise<Output<'query.run'>> {
  return engine.queryRun({ query, dialect, pageSize: 100 });
}
const parseWarnings = (out: Output<'query.run'>) =>
  (out.warnings ?? []).map((w) => w.message).filter((m) => m.startsWith('parse:'));

const STARS = '* * * * * * * * * * * * * *';
const SWAPPED = `parse @message "${STARS}" as version, account_id, interface_id, dstaddr, srcaddr, srcport, dstport, protocol, packets, bytes, start, end, action, log_status | fields srcaddr, dstaddr`;
const IN_ORDER = SWAPPED.replace('dstaddr, srcaddr,', 'srcaddr, dstaddr,');
const SUMO_APP = `_sourceCategory=vpc | parse "${STARS}" as version,accountID,interfaceID,src_ip,dest_ip,src_port,dest_port,Protocol,Packets,bytes,StartSample,EndSample,Action,status | sum(bytes) as b by src_ip`;

test("the tester's swapped names warn, naming the place, the name and the field the service would put there", async () => {
  const out = await run(plain(), SWAPPED, 'insights');
  // The by-name reading is kept: srcaddr is the source.
  assert.deepEqual(out.rows, [['203.0.113.4', '10.0.2.2']]);
  assert.deepEqual(parseWarnings(out), [
    'parse: the 4th * is srcaddr in these records\' format, so CloudWatch would put srcaddr\'s value in "dstaddr"; ' +
      'here "dstaddr" reads the dstaddr field (and 1 more such difference).',
  ]);
  assert.equal(out.warnings![0]!.span.column, SWAPPED.indexOf('dstaddr,') + 1);
});

test('names in the order of the records’ fields do not warn, nor names the query never reads', async () => {
  assert.deepEqual(parseWarnings(await run(plain(), IN_ORDER, 'insights')), []);
  assert.deepEqual(
    parseWarnings(await run(plain(), SWAPPED.replace('fields srcaddr, dstaddr', 'stats sum(bytes) as b'), 'insights')),
    [],
  );
  // Names the compiler does not bind to fields are read by place already.
  assert.deepEqual(parseWarnings(await run(plain(), SWAPPED.replace('version,', 'v,'), 'insights')), []);
  const customInOrder = `parse @message "${STARS} * *" as ${CUSTOM_HEADER.replace(/-/g, '_').split(' ').join(', ')} | fields srcaddr`;
  assert.deepEqual(parseWarnings(await run(custom(), customInOrder, 'insights')), []);
  assert.deepEqual(parseWarnings(await run(plain(), SUMO_APP, 'sumo')), []);
});

test("Sumo's 14-star parse over a custom format warns where the format's field at a place is not the default one", async () => {
  const out = await run(custom(), SUMO_APP, 'sumo');
  assert.deepEqual(out.rows, [['10.0.0.5', 2000]]);
  assert.deepEqual(parseWarnings(out), [
    'parse: the 4th * is pkt-srcaddr in these records\' format, so Sumo would put pkt-srcaddr\'s value in "src_ip"; ' +
      'here "src_ip" reads the srcaddr field (and 1 more such difference).',
  ]);
  // The default format's names in order over the custom records: the same warning in CloudWatch's name.
  assert.match(
    parseWarnings(await run(custom(), IN_ORDER, 'insights'))[0] ?? '',
    /the 4th \* is pkt-srcaddr .* CloudWatch would put/,
  );
});

test('over the demo workspace the built-in library warns only where the 14th * holds the rest of its longer line', async () => {
  const library = new URL('../../../queries/library/', import.meta.url).pathname;
  const warned: Record<string, string[]> = {};
  for (const file of readdirSync(library).filter((f) => f.endsWith('.flowquery.json'))) {
    const doc = SavedQuery.parse(JSON.parse(readFileSync(join(library, file), 'utf8')));
    if (doc.dialect !== 'insights' && doc.dialect !== 'sumo') continue;
    const found = parseWarnings(await run(demo(), doc.query, doc.dialect));
    if (found.length) warned[file] = found;
  }
  // The demo's lines have eleven fields after the default fourteen, so Sumo's `status` would be
  // "OK vpc-… subnet-… …": only the two log-status queries read it.
  const status =
    "parse: the 14th * is the rest of the line, log-status to traffic-path, in these records' format, so Sumo would " +
    'put that text in "status"; here "status" reads the log-status field.';
  assert.deepEqual(warned, {
    'sumo-overview-log-status.flowquery.json': [status],
    'sumo-vpc-live-overview-log-status.flowquery.json': [status],
  });
});
