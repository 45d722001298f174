/**
 * Athena's account partition (`"aws-account-id"`, `accid`, `account_partition`) is the account folder each
 * object was delivered to (`AWSLogs/<account>/vpcflowlogs/…`, Hive's `aws-account-id=<account>/…`), for
 * every record of the object, not each record's own `account-id`: that is the owner of the network
 * interface, `unknown` for one an AWS service made and another account's in a shared VPC. An outside probe
 * found `WHERE "aws-account-id" = '111111111111'` summing 100 bytes where Athena sums 700. Records of a file
 * under no such path keep their own account. The query sent to Athena reads the table's own partition.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { Engine } from '../../../main/engine';
import { compileTrino } from '../../../queries/language/trino';
import { openedForFile } from '../../support/opened-for-file';

const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const record = (account: string, src: string, bytes: number) =>
  `2 ${account} eni-0a ${src} 10.0.0.2 1 2 6 1 ${bytes} 1709337600 1709337660 ACCEPT OK`;

/** The probe's object: the owner's record, an AWS service's interface (`unknown`) and a shared VPC's. */
const S3_KEY =
  'AWSLogs/111111111111/vpcflowlogs/us-east-1/2024/03/02/111111111111_vpcflowlogs_us-east-1_fl-0abc_20240302T0005Z_deadbeef.log.gz';
const HIVE_KEY =
  'AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2024/month=03/day=02/123456789012_vpcflowlogs_us-east-1_fl-0abc_20240302T0005Z_1a2b3c4d.log.parquet';
/** An object saved under its own name only: the name says the account folder. */
const FLAT = 'downloads/444444444444_vpcflowlogs_us-east-1_fl-0abc_20240302T0005Z_0f0f0f0f.log';
/** A file of no layout: each record's own account. */
const OTHER = 'exports/flows.log';

const fx = openedForFile(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-athena-account-'));
  const at = (key: string) => {
    const path = join(dir, 'bucket', key);
    mkdirSync(dirname(path), { recursive: true });
    return path;
  };
  const text = (...lines: string[]) => `${[HEADER, ...lines].join('\n')}\n`;
  writeFileSync(
    at(S3_KEY),
    gzipSync(
      text(
        record('111111111111', '10.1.0.1', 100),
        record('unknown', '10.1.0.2', 200),
        record('222222222222', '10.1.0.3', 400),
      ),
    ),
  );
  // Parquet as AWS writes it into a Hive-compatible prefix, one record of another account.
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const row = (account: string, src: string, bytes: number) =>
    `SELECT 2::INT AS version, '${account}' AS account_id, 'eni-0b' AS interface_id, '${src}' AS srcaddr, '10.0.0.2' AS dstaddr, 1::INT AS srcport, 2::INT AS dstport, 6::INT AS protocol, 1::BIGINT AS packets, ${bytes}::BIGINT AS bytes, 1709337600::BIGINT AS start, 1709337660::BIGINT AS "end", 'ACCEPT' AS action, 'OK' AS log_status`;
  await c.run(
    `COPY (${row('123456789012', '10.2.0.1', 1000)} UNION ALL ${row('012345678901', '10.2.0.2', 2000)}) TO '${at(HIVE_KEY)}' (FORMAT parquet)`,
  );
  c.closeSync();
  db.closeSync();
  writeFileSync(at(FLAT), text(record('unknown', '10.3.0.1', 10_000)));
  writeFileSync(at(OTHER), text(record('333333333333', '10.4.0.1', 20_000), record('unknown', '10.4.0.2', 40_000)));
  const engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  const job = await engine.jobWait({
    jobId: engine.startImport([S3_KEY, HIVE_KEY, FLAT, OTHER].map(at), {}),
  });
  assert.equal(job.state, 'done', JSON.stringify(job));
  return {
    engine,
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

async function rows(query: string): Promise<unknown[][]> {
  const r = (await call(fx().engine, 'query.run', { query, pageSize: 100 })) as Output<'query.run'>;
  assert.equal(r.dialect, 'athena');
  return r.rows;
}

test("the probe's query: every record of an object is in its folder's account partition, as in Athena", async () => {
  assert.deepEqual(await rows(`SELECT sum(bytes) FROM vpc_flow_logs WHERE "aws-account-id" = '111111111111'`), [[700]]);
});

test('each account partition name is the folder account, else the record’s own', async () => {
  assert.deepEqual(
    await rows(
      `SELECT srcaddr, account_id, "aws-account-id", accid, account_partition FROM vpc_flow_logs ORDER BY srcaddr`,
    ),
    [
      ['10.1.0.1', '111111111111', '111111111111', '111111111111', '111111111111'],
      ['10.1.0.2', 'unknown', '111111111111', '111111111111', '111111111111'],
      ['10.1.0.3', '222222222222', '111111111111', '111111111111', '111111111111'],
      ['10.2.0.1', '123456789012', '123456789012', '123456789012', '123456789012'],
      ['10.2.0.2', '012345678901', '123456789012', '123456789012', '123456789012'],
      ['10.3.0.1', 'unknown', '444444444444', '444444444444', '444444444444'],
      ['10.4.0.1', '333333333333', '333333333333', '333333333333', '333333333333'],
      ['10.4.0.2', 'unknown', 'unknown', 'unknown', 'unknown'],
    ],
  );
});

test('filters on the account partition select what its values say', async () => {
  const sums = await rows(
    `SELECT
       sum(bytes) FILTER (WHERE accid = '123456789012'),
       sum(bytes) FILTER (WHERE account_partition IN ('444444444444', '333333333333')),
       sum(bytes) FILTER (WHERE "aws-account-id" <> '111111111111'),
       sum(bytes) FILTER (WHERE "aws-account-id" NOT IN ('111111111111', '123456789012')),
       sum(bytes) FILTER (WHERE NOT (accid = 'unknown')),
       sum(bytes) FILTER (WHERE '2' < accid), -- 'unknown' too
       sum(bytes) FILTER (WHERE accid LIKE '1%')
     FROM vpc_flow_logs`,
  );
  assert.deepEqual(sums, [[3000, 30_000, 73_000, 70_000, 33_700, 70_000, 3700]]);
  // A partition filter on the account and its value in the same query agree, record by record.
  assert.deepEqual(
    await rows(
      `SELECT count(*) FROM vpc_flow_logs WHERE (accid = '111111111111') <> (CASE WHEN accid = '111111111111' THEN true ELSE false END)`,
    ),
    [[0]],
  );
});

test('sent to Athena, the account is the table’s own partition, or the folder in "$path"; both answer as locally', async () => {
  const query = `SELECT "aws-account-id", accid, sum(bytes) AS b FROM vpc_flow_logs WHERE account_partition <> 'unknown' GROUP BY 1, 2 ORDER BY 1`;
  const local = await rows(query);
  assert.deepEqual(local, [
    ['111111111111', '111111111111', 700],
    ['123456789012', '123456789012', 3000],
    ['333333333333', '333333333333', 20_000],
    ['444444444444', '444444444444', 10_000],
  ]);
  const day = { kind: 'day' as const, column: 'day' };
  const partitioned = compileTrino(query, {
    dialect: 'athena',
    table: { name: 'flowlogs.vpc_flow_logs', partitions: day, accountPartition: 'aws-account-id' },
  });
  assert.ok(partitioned.sql, JSON.stringify(partitioned.diagnostics));
  for (const name of ['aws-account-id', 'accid', 'account_partition'])
    assert.ok(partitioned.sql.includes(`"aws-account-id" AS "${name}"`), partitioned.sql);
  assert.doesNotMatch(partitioned.sql, /account_id/);
  const unpartitioned = compileTrino(query, {
    dialect: 'athena',
    table: { name: 'flowlogs.vpc_flow_logs', partitions: day },
  });
  assert.ok(unpartitioned.sql, JSON.stringify(unpartitioned.diagnostics));
  assert.match(
    unpartitioned.sql,
    /coalesce\(regexp_extract\("\$path", '[^']+', 1\), "account_id"\) AS "aws-account-id"/,
  );
  // Run back through the Athena dialect on the workspace, as the test Athena server does.
  assert.deepEqual(await rows(partitioned.sql), local);
  assert.deepEqual(await rows(unpartitioned.sql), local);
  // Athena's hidden column is sent as itself (it was sent as the record's account_id).
  const path = compileTrino(`SELECT DISTINCT "$path" FROM vpc_flow_logs`, {
    dialect: 'athena',
    table: { name: 'flowlogs.vpc_flow_logs', partitions: day },
  });
  assert.match(path.sql ?? '', /SELECT "\$path" AS "\$path" FROM/);
});
