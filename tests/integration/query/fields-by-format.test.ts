/**
 * Which fields a record has depends on its flow log's format, and Insights and Sumo read a field as its line
 * wrote it: `-` where the line has the field and no value, absent (null) where the line has no such field.
 * Two workspaces of custom formats only: one of a version 5 format and a format without `action` and
 * `account-id` (both with `tcp-flags`), one of a Transit-Gateway-like seven-field format. Every answer is worked
 * out from the lines below.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { CellValue, Dialect, Output } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { openedForFile } from '../../support/opened-for-file';

const V5 = {
  header:
    'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr ' +
    'pkt-dstaddr protocol bytes packets start end action tcp-flags log-status az-id sublocation-type sublocation-id ' +
    'pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path',
  lines: [
    '5 vpc-1 subnet-1 i-1 eni-x 123456789012 IPv4 10.0.1.5 52.94.1.1 33000 443 10.0.1.5 52.94.1.1 6 2000 4 1767225620 1767225680 ACCEPT 19 OK use1-az1 - - - AMAZON egress 8',
    '5 vpc-1 subnet-1 i-1 eni-x 123456789012 IPv6 2600:1f18::5 2a05:d018::9 33000 443 2600:1f18::5 2a05:d018::9 6 100 1 1767225640 1767225680 REJECT 2 OK use1-az1 - - - - egress 1',
    '5 vpc-2 subnet-2 - eni-y 123456789012 IPv4 10.0.9.9 10.0.1.5 5000 22 192.168.1.1 10.0.1.5 6 60 1 1767225700 1767225730 REJECT 2 OK use1-az2 - - - - ingress -',
    '5 - - - eni-z 123456789012 - - - - - - - - - - 1767225800 1767225860 - - NODATA use1-az2 - - - - - -',
  ],
};
/** No `action`, no `account-id`; `tcp-flags` as in the version 5 lines. */
const NO_ACTION = {
  header: 'version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end tcp-flags log-status',
  lines: [
    '5 eni-q 10.0.4.4 10.0.5.5 1000 22 6 3 180 1767225620 1767225680 2 OK',
    '5 eni-q 10.0.4.5 10.0.5.5 1001 22 6 3 180 1767225620 1767225680 - OK',
    '5 eni-r - - - - - - - 1767225700 1767225760 - NODATA',
  ],
};
/** Seven fields: no interface, ports, protocol, packets or log status. */
const SEVEN = {
  header: 'version srcaddr dstaddr bytes start end action',
  lines: ['2 10.0.1.1 10.0.2.2 500 1767225620 1767225680 ACCEPT', '2 - - - 1767225700 1767225760 -'],
};

const dir = mkdtempSync(join(tmpdir(), 'flowscope-fields-by-format-'));

function workspace(name: string, files: { header: string; lines: string[] }[]) {
  return async () => {
    const paths = files.map((f, i) => {
      const path = join(dir, `${name}-${i}.log`);
      writeFileSync(path, `${f.header}\n${f.lines.join('\n')}\n`);
      return path;
    });
    const engine = await Engine.open({ workspace: join(dir, `${name}.duckdb`), create: true });
    const job = await engine.jobWait({ jobId: engine.startImport(paths, {}) });
    assert.equal(job.state, 'done');
    return engine;
  };
}
const mixed = openedForFile(workspace('mixed', [V5, NO_ACTION]));
const seven = openedForFile(workspace('seven', [SEVEN]), dir);

async function run(engine: Engine, query: string, dialect: Dialect = 'insights') {
  const out = (await call(engine, 'query.run', { query, dialect, pageSize: 1000 })) as Output<'query.run'>;
  return { rows: out.rows.map((r) => JSON.stringify([...r] as CellValue[])).sort(), warnings: out.warnings ?? [] };
}
const rows = async (engine: Engine, query: string, dialect?: Dialect) => (await run(engine, query, dialect)).rows;

test('a number field every format has reads its logged `-` as `-`, not as null', async () => {
  // tcp-flags: 19, 2, 2, - in the version 5 lines; 2, -, - in the others.
  assert.deepEqual(await rows(mixed(), 'stats count(*) as n by tcpFlags'), ['["-",3]', '["19",1]', '["2",3]']);
  assert.deepEqual(await rows(mixed(), 'filter tcpFlags = "-" | stats count(*) as n'), ['[3]']);
  assert.deepEqual(await rows(mixed(), 'filter tcpFlags = 2 | stats count(*) as n'), ['[3]']);
  assert.deepEqual(await rows(mixed(), '_sourceCategory=vpc | where tcp_flags = "-" | count', 'sumo'), ['[3]']);
});

test('a default field some formats leave out is `-` where the line wrote `-` and absent in the others', async () => {
  assert.deepEqual(await rows(mixed(), 'stats count(*) as n by action'), [
    '["-",1]',
    '["ACCEPT",1]',
    '["REJECT",2]',
    '[null,3]',
  ]);
  assert.deepEqual(await rows(mixed(), 'filter action = "-" | stats count(*) as n'), ['[1]']);
  assert.deepEqual(await rows(mixed(), 'filter ispresent(accountId) | stats count(*) as n'), ['[4]']);
  // A field both formats have keeps its `-` for either: the NODATA records' addresses.
  assert.deepEqual(await rows(mixed(), 'filter srcAddr = "-" | stats count(*) as n'), ['[2]']);
});

test('a default field no format has is absent: null in every record, and the query says so', async () => {
  const byInterface = await run(seven(), 'stats count(*) as n by interfaceId');
  assert.deepEqual(byInterface.rows, ['[null,2]']);
  assert.match(byInterface.warnings.map((w) => w.message).join('\n'), /No field `interfaceId` here.*interface-id/);
  assert.deepEqual(await rows(seven(), 'filter dstPort != 22 | stats count(*) as n'), ['[0]']);
  assert.deepEqual(await rows(seven(), 'filter logStatus = "-" | stats count(*) as n'), ['[0]']);
  // The fields it has still read `-` as logged.
  assert.deepEqual(await rows(seven(), 'filter action = "-" | stats count(*) as n'), ['[1]']);
  assert.deepEqual((await run(seven(), 'stats count(*) as n by action')).warnings, []);
});

test('Athena reads a column the line does not have as NULL and a logged `-` as `-` (it read `-` for both)', async () => {
  const athena = (q: string) => rows(mixed(), q, 'athena');
  // Athena's text reader leaves the columns past a shorter line NULL; the workspace holds both formats' records.
  assert.deepEqual(await athena('SELECT action, count(*) FROM vpc_flow_logs GROUP BY action'), [
    '["-",1]',
    '["ACCEPT",1]',
    '["REJECT",2]',
    '[null,3]',
  ]);
  assert.deepEqual(await athena("SELECT count(*) FROM vpc_flow_logs WHERE action = '-'"), ['[1]']);
  assert.deepEqual(await athena('SELECT count(DISTINCT action), count(action) FROM vpc_flow_logs'), ['[3,4]']);
  assert.deepEqual(await athena("SELECT count(*) FROM vpc_flow_logs WHERE action IN ('REJECT', 'ACCEPT')"), ['[3]']);
  assert.deepEqual(await athena('SELECT count(*) FROM vpc_flow_logs WHERE account_id IS NULL'), ['[3]']);
  // A field every record's format has keeps its `-`: the NODATA records' addresses.
  assert.deepEqual(await athena("SELECT count(*) FROM vpc_flow_logs WHERE srcaddr = '-'"), ['[2]']);
  assert.deepEqual(await rows(seven(), 'SELECT interface_id, count(*) FROM vpc_flow_logs GROUP BY 1', 'athena'), [
    '[null,2]',
  ]);
});

/** A Parquet file with a field beyond the default format (`vpc_id`), beside a text log of a custom format. */
const parquetAndText = openedForFile(async () => {
  const parquet = join(dir, 'with-vpc.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(
    "COPY (SELECT 5 AS version, '123456789012' AS account_id, 'eni-p' AS interface_id, '10.0.0.1' AS srcaddr, " +
      "'10.0.0.2' AS dstaddr, 1000 AS srcport, 443 AS dstport, 6 AS protocol, 2 AS packets, 100 AS bytes, " +
      `1767225620 AS start, 1767225680 AS "end", 'ACCEPT' AS action, 'OK' AS log_status, 'vpc-parquet' AS vpc_id) ` +
      `TO '${parquet}' (FORMAT parquet)`,
  );
  c.closeSync();
  const text = join(dir, 'v5-beside-parquet.log');
  writeFileSync(text, `${V5.header}\n${V5.lines.join('\n')}\n`);
  const engine = await Engine.open({ workspace: join(dir, 'parquet-and-text.duckdb'), create: true });
  const job = await engine.jobWait({ jobId: engine.startImport([parquet, text], {}) });
  assert.equal(job.state, 'done');
  return engine;
}, dir);

test("a Parquet record's field beyond the default format reads as stored beside a custom format's (was null)", async () => {
  const expected = ['["-",1]', '["vpc-1",2]', '["vpc-2",1]', '["vpc-parquet",1]'];
  assert.deepEqual(await rows(parquetAndText(), 'stats count(*) as n by vpcId'), expected);
  assert.deepEqual(await rows(parquetAndText(), '_sourceCategory=vpc | count by vpc_id', 'sumo'), expected);
  assert.deepEqual(await rows(parquetAndText(), 'SELECT vpc_id, count(*) FROM t GROUP BY 1', 'athena'), expected);
});

/** The default format and a field AWS added after Flowscope's catalog, which it keeps in `extra` as logged. */
const NEWER = {
  header:
    'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status encryption-status',
  lines: [
    '2 123456789012 eni-n 10.0.1.5 10.0.2.6 443 50000 6 10 900 1767225620 1767225680 ACCEPT OK 1',
    '2 123456789012 eni-n 10.0.2.6 10.0.1.5 50000 443 6 10 800 1767225620 1767225680 ACCEPT OK 0',
    '2 123456789012 eni-n - - - - - - - 1767225700 1767225760 - NODATA -',
  ],
};
const newer = openedForFile(workspace('newer', [NEWER, SEVEN]), dir);

test('a field Flowscope does not know is read by its name in every dialect, as logged (was null, or unknown)', async () => {
  // Before: Insights said "null in every record", Sumo "Unknown field", Athena "cannot be resolved".
  const expected = ['["-",1]', '["0",1]', '["1",1]', '[null,2]'];
  const byStatus = await run(newer(), 'stats count(*) as n by encryptionStatus');
  assert.deepEqual([byStatus.rows, byStatus.warnings], [expected, []]);
  assert.deepEqual(await rows(newer(), '_sourceCategory=vpc | count by encryption_status', 'sumo'), expected);
  assert.deepEqual(
    await rows(newer(), 'SELECT encryption_status, count(*) FROM vpc_flow_logs GROUP BY 1', 'athena'),
    expected,
  );
  assert.deepEqual(await rows(newer(), 'filter encryptionStatus = "1" | fields bytes'), ['["900"]']);
  // A name no format has is still absent, and said so.
  const typo = await run(newer(), 'stats count(*) as n by encryptionStatuss');
  assert.match(typo.warnings.map((w) => w.message).join('\n'), /No field `encryptionStatuss` here/);
});
