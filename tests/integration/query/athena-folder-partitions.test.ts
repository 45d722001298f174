/**
 * Athena's day and hour partitions are the S3 folder a record was delivered into, not the record's start:
 * AWS writes a file every 5 minutes into the folder of its delivery time, so records starting just before
 * midnight are in the next day's folder. Files saved under their S3 key read the same; any other file
 * keeps its records' own start. (An outside tester found `day = '2026/01/02'` answering 0 where Athena
 * answers 20.)
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import type { Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { Engine } from '../../../main/engine';
import { openedForFile } from '../../support/opened-for-file';

const ACCOUNT = '123456789012';
const NAME = `${ACCOUNT}_vpcflowlogs_us-east-1_fl-0abc_20260102T0005Z_aaaa.log`;

/** Where each file lies, and how many records (one a minute from its start, each its own source address) it holds. */
const FILES = [
  // The tester's file: 20 records from 23:55 on the 1st, in the folder of the 2nd.
  { key: `AWSLogs/${ACCOUNT}/vpcflowlogs/us-east-1/2026/01/02/${NAME}`, from: '2026-01-01T23:55:00Z', n: 20, net: 1 },
  // Hourly partitions: the hour folder 00 of the 2nd.
  { key: `AWSLogs/${ACCOUNT}/vpcflowlogs/us-east-1/2026/01/02/00/${NAME}`, from: '2026-01-01T23:58:00Z', n: 3, net: 2 },
  // Hive-compatible prefixes, hourly.
  {
    key: `AWSLogs/aws-account-id=${ACCOUNT}/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=01/day=02/hour=00/${NAME}`,
    from: '2026-01-01T23:59:00Z',
    n: 2,
    net: 3,
  },
  // A file under a name of its own: its records' start.
  { key: 'exports/flows.log', from: '2026-01-01T23:50:00Z', n: 4, net: 4 },
];

function lines(from: string, n: number, net: number): string {
  const start = Date.parse(from) / 1000;
  const out = [
    'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
  ];
  for (let i = 0; i < n; i++) {
    const s = start + 60 * i;
    out.push(`2 ${ACCOUNT} eni-0a1 10.${net}.0.${i + 1} 10.0.0.9 40000 443 6 1 100 ${s} ${s + 60} ACCEPT OK`);
  }
  return `${out.join('\n')}\n`;
}

const fx = openedForFile(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-athena-folders-'));
  const engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  const paths = FILES.map((f) => {
    const path = join(dir, 'bucket', f.key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, lines(f.from, f.n, f.net));
    return path;
  });
  const job = await engine.jobWait({ jobId: engine.startImport(paths, {}) });
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

/** The networks (`10.<net>.…`) a filter selects, with their counts. */
const networks = (where: string) =>
  rows(
    `SELECT split_part(srcaddr, '.', 2) AS net, count(*) AS n FROM vpc_flow_logs WHERE ${where} GROUP BY 1 ORDER BY 1`,
  );

test("the tester's file: records of 23:55 on the 1st are in the 2nd's day partition, as in Athena", async () => {
  assert.deepEqual(
    await rows("SELECT count(*) FROM vpc_flow_logs WHERE day = '2026/01/02' AND srcaddr LIKE '10.1.%'"),
    [[20]],
  );
  assert.deepEqual(
    await rows(
      "SELECT day, date, dt, date_partition, count(*) FROM vpc_flow_logs WHERE srcaddr LIKE '10.1.%' GROUP BY 1, 2, 3, 4",
    ),
    [['2026/01/02', '2026-01-02', '2026-01-02', '2026/01/02', 20]],
  );
});

test('an hour folder and a Hive-style prefix give the hour and the day', async () => {
  assert.deepEqual(
    await rows(
      "SELECT split_part(srcaddr, '.', 2) AS net, year, month, day, hour, count(*) FROM vpc_flow_logs WHERE srcaddr NOT LIKE '10.1.%' GROUP BY 1, 2, 3, 4, 5 ORDER BY 1",
    ),
    [
      ['2', '2026', '01', '02', '00', 3],
      ['3', '2026', '01', '02', '00', 2],
      ['4', '2026', '01', '01', '23', 4],
    ],
  );
});

test('a file with no S3 key in its path keeps the day its records start', async () => {
  assert.deepEqual(await rows("SELECT DISTINCT day FROM vpc_flow_logs WHERE srcaddr LIKE '10.4.%'"), [['2026/01/01']]);
});

test('a partition filter near midnight selects by folder, its start_time range widened', async () => {
  assert.deepEqual(await networks("day = '2026/01/02'"), [
    ['1', 20],
    ['2', 3],
    ['3', 2],
  ]);
  assert.deepEqual(await networks("date_partition = '2026/01/01'"), [['4', 4]]);
  assert.deepEqual(await networks("dt < '2026-01-02'"), [['4', 4]]);
  assert.deepEqual(await networks("day > '2026/01/01'"), [
    ['1', 20],
    ['2', 3],
    ['3', 2],
  ]);
  assert.deepEqual(await networks("day <= '2026/01/01'"), [['4', 4]]);
  assert.deepEqual(await networks("day >= '2026/01/02'"), [
    ['1', 20],
    ['2', 3],
    ['3', 2],
  ]);
  assert.deepEqual(await networks("date = DATE '2026-01-02'"), [
    ['1', 20],
    ['2', 3],
    ['3', 2],
  ]);
  assert.deepEqual(await networks("date_partition BETWEEN '2026/01/01' AND '2026/01/01'"), [['4', 4]]);
  // The filter still bounds start_time, so DuckDB skips the row groups far from that day.
  const compiled = (await call(fx().engine, 'query.compile', {
    query: "SELECT count(*) FROM vpc_flow_logs WHERE day = '2026/01/02'",
  })) as Output<'query.compile'>;
  assert.match(compiled.sql ?? '', /start_time >= \(TIMESTAMP '2026-01-02' - INTERVAL 1 DAY\)/);
});

test('"$path" is the object (or file) each record was read from, and `SELECT *` does not show it', async () => {
  const byPath = await rows('SELECT "$path" AS p, count(*) AS n FROM vpc_flow_logs GROUP BY 1 ORDER BY 2 DESC');
  assert.deepEqual(
    byPath.map(([p, n]) => [String(p).split('/bucket/')[1], n]),
    FILES.map((f) => [f.key, f.n]).sort((a, b) => Number(b[1]) - Number(a[1])),
  );
  const star = (await call(fx().engine, 'query.run', {
    query: 'SELECT * FROM vpc_flow_logs WHERE "$path" LIKE \'%/exports/%\'',
    pageSize: 100,
  })) as Output<'query.run'>;
  assert.equal(star.rows.length, 4);
  assert.ok(!star.columns.some((c) => c.name === '$path'));
});
