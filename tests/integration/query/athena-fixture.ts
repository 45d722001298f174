/**
 * A workspace for the Athena dialect's tests: flow-log files laid out as VPC delivers them to S3
 * (`AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/…`), imported by the engine, so that the
 * records' partition columns (date, day, region, account) come from the same places as in Athena.
 * Every record is written out here: the published queries' answers are computed by hand from this list.
 *
 * The days are the ones the published queries filter on (AWS's documentation: 2020-05-04, January to April
 * 2021; the Security Analytics Bootstrap: July 2020), so their filters select something.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';
import type { CellValue, Output } from '../../../preload/contract';
import { Engine } from '../../../main/engine';

export const ACCOUNT = '111122223333';

export const V5_FIELDS =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ' +
  'vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id ' +
  'pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path';
const DEFAULT_FIELDS =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

export interface AthenaRecord {
  /** Start, as an ISO time in UTC; each record lasts 60 s. */
  at: string;
  src: string;
  dst: string;
  sport: number | null;
  dport: number | null;
  proto: number | null;
  packets: number | null;
  bytes: number | null;
  action: string | null;
  status: 'OK' | 'NODATA';
  instance: string | null;
  direction: 'ingress' | 'egress' | null;
  eni: string;
}

export interface AthenaFile {
  region: string;
  /** The v5 custom format (with the v4 `region` field) or the default 14 fields. */
  format: 'v5' | 'default';
  records: AthenaRecord[];
}

const r = (
  at: string,
  src: string,
  dst: string,
  sport: number,
  dport: number,
  proto: number,
  packets: number,
  bytes: number,
  action: 'ACCEPT' | 'REJECT',
  instance: string,
  direction: 'ingress' | 'egress',
  eni = 'eni-0a1',
): AthenaRecord => ({
  at,
  src,
  dst,
  sport,
  dport,
  proto,
  packets,
  bytes,
  action,
  status: 'OK',
  instance,
  direction,
  eni,
});

export const I0 = 'i-000000000000000';

export const FILES: Record<string, AthenaFile> = {
  // A: Monday 2020-05-04, the day AWS's documentation queries.
  A: {
    region: 'us-east-1',
    format: 'v5',
    records: [
      r('2020-05-04T10:00:00Z', '10.117.1.22', '10.0.1.14', 51515, 443, 6, 20, 4000, 'ACCEPT', I0, 'ingress'),
      r('2020-05-04T10:01:00Z', '198.51.100.9', '10.0.1.14', 40000, 22, 6, 3, 180, 'REJECT', I0, 'ingress'),
    ],
  },
  // B: Wednesday 2020-07-15, in the Bootstrap's July 2020 range.
  B: {
    region: 'us-east-1',
    format: 'v5',
    records: [
      r('2020-07-15T08:00:00Z', '192.0.2.1', '203.0.113.2', 443, 50000, 6, 10, 5000, 'ACCEPT', I0, 'egress'),
      r('2020-07-15T08:00:30Z', '203.0.113.2', '192.0.2.1', 50000, 443, 6, 8, 1200, 'ACCEPT', I0, 'ingress'),
      r('2020-07-15T09:00:00Z', '192.0.2.1', '192.0.2.254', 1234, 8080, 6, 4, 400, 'ACCEPT', I0, 'egress'),
      r('2020-07-15T09:00:05Z', '192.0.2.254', '192.0.2.1', 8080, 1234, 6, 4, 300, 'ACCEPT', I0, 'ingress'),
      r(
        '2020-07-15T10:00:00Z',
        '172.16.5.5',
        '172.31.0.9',
        3306,
        45000,
        6,
        6,
        900,
        'ACCEPT',
        'i-1111',
        'egress',
        'eni-0b2',
      ),
      r('2020-07-15T10:00:10Z', '172.16.5.5', '8.8.8.8', 53000, 53, 17, 1, 70, 'ACCEPT', 'i-1111', 'egress', 'eni-0b2'),
      {
        at: '2020-07-15T11:00:00Z',
        src: '-',
        dst: '-',
        sport: null,
        dport: null,
        proto: null,
        packets: null,
        bytes: null,
        action: null,
        status: 'NODATA',
        instance: null,
        direction: null,
        eni: 'eni-0c3',
      },
    ],
  },
  // C: Wednesday 2021-02-10.
  C: {
    region: 'us-east-1',
    format: 'v5',
    records: [
      r('2021-02-10T00:00:00Z', '10.117.1.22', '10.0.1.14', 51516, 443, 6, 12, 2400, 'ACCEPT', I0, 'ingress'),
      r('2021-02-10T00:05:00Z', '10.118.0.1', '10.0.1.14', 41000, 23, 6, 2, 120, 'REJECT', I0, 'ingress'),
    ],
  },
  // D: 2021-03-15 in us-west-2, the default format: no region field, the region comes from the S3 key.
  D: {
    region: 'us-west-2',
    format: 'default',
    records: [
      r(
        '2021-03-15T06:00:00Z',
        '10.117.3.3',
        '10.0.1.99',
        50001,
        443,
        6,
        30,
        9000,
        'ACCEPT',
        '-',
        'ingress',
        'eni-0d4',
      ),
      r(
        '2021-03-15T06:00:20Z',
        '10.0.1.99',
        '10.117.3.3',
        443,
        50001,
        6,
        25,
        30000,
        'ACCEPT',
        '-',
        'egress',
        'eni-0d4',
      ),
    ],
  },
  // E: 2021-04-20.
  E: {
    region: 'us-east-1',
    format: 'v5',
    records: [r('2021-04-20T12:00:00Z', '10.0.1.14', '52.94.0.1', 52000, 443, 6, 7, 700, 'ACCEPT', I0, 'egress')],
  },
  // F: 2021-01-05.
  F: {
    region: 'us-east-1',
    format: 'v5',
    records: [r('2021-01-05T00:00:00Z', '10.1.1.1', '10.0.1.14', 40001, 443, 6, 5, 500, 'ACCEPT', I0, 'ingress')],
  },
};

const seconds = (iso: string) => Date.parse(iso) / 1000;

function line(rec: AthenaRecord, format: AthenaFile['format'], region: string): string {
  const dash = (v: string | number | null) => (v === null ? '-' : String(v));
  const start = seconds(rec.at);
  const base = [
    2,
    ACCOUNT,
    rec.eni,
    rec.src,
    rec.dst,
    dash(rec.sport),
    dash(rec.dport),
    dash(rec.proto),
    dash(rec.packets),
    dash(rec.bytes),
    start,
    start + 60,
    dash(rec.action),
    rec.status,
  ];
  if (format === 'default') return base.join(' ');
  const nodata = rec.status === 'NODATA';
  const v5 = [
    nodata ? '-' : 'vpc-0aa',
    nodata ? '-' : 'subnet-0bb',
    dash(rec.instance),
    nodata ? '-' : 2,
    nodata ? '-' : 'IPv4',
    rec.src,
    rec.dst,
    region,
    nodata ? '-' : 'use1-az1',
    '-',
    '-',
    '-',
    '-',
    dash(rec.direction),
    nodata || rec.direction !== 'egress' ? '-' : 1,
  ];
  return [5, ...base.slice(1), ...v5].join(' ');
}

export interface AthenaFixture {
  engine: Engine;
  close(): Promise<void>;
}

/** The records of FILES, imported from files named and placed as S3 delivers them. */
export async function openAthenaFixture(): Promise<AthenaFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-athena-'));
  const engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  const paths = Object.values(FILES).map((file) => {
    const day = file.records[0]!.at.slice(0, 10);
    const [y, m, d] = day.split('-');
    const key = `AWSLogs/${ACCOUNT}/vpcflowlogs/${file.region}/${y}/${m}/${d}/${ACCOUNT}_vpcflowlogs_${file.region}_fl-0abc_${y}${m}${d}T0000Z_1a2b3c4d.log`;
    const path = join(dir, 'bucket', key);
    mkdirSync(dirname(path), { recursive: true });
    const header = file.format === 'v5' ? V5_FIELDS : DEFAULT_FIELDS;
    writeFileSync(path, `${header}\n${file.records.map((rec) => line(rec, file.format, file.region)).join('\n')}\n`);
    return path;
  });
  const jobId = engine.startImport(paths, {});
  const job = await engine.jobWait({ jobId });
  if (job.state !== 'done') throw new Error(`the Athena fixture did not import: ${JSON.stringify(job)}`);
  return {
    engine,
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The named columns of every row of an answer; a missing column fails, naming the columns there are. */
export function columnsOf(answer: Output<'query.run'>, ...columns: string[]): CellValue[][] {
  const at = columns.map((c) => {
    const i = answer.columns.findIndex((x) => x.name === c);
    assert.ok(i >= 0, `no column ${c} in ${answer.columns.map((x) => x.name).join(', ')}`);
    return i;
  });
  return answer.rows.map((row) => at.map((i) => row[i]!));
}

/** Rows in one order, so that two answers compare whatever order their rows came in. */
export const sorted = (rows: CellValue[][]) =>
  [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
