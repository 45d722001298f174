/**
 * The CloudWatch Logs Insights queries AWS documents for VPC flow logs, run exactly as published on a
 * workspace imported from the flow-log sample; each answer is checked against one the independent reader
 * computes from the sample's lines (a NODATA record's fields are the text `-`, as CloudWatch reads them).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PUBLISHED_INSIGHTS_QUERIES } from '../../fixtures/published/insights-vpc-queries';
import {
  assertRows,
  assertTop,
  groupBy,
  num,
  readLogged,
  slice,
  sum,
  type Logged,
  type Row,
} from '../../support/logged-records';
import { openSampleWorkspace, type SampleWorkspace } from './sample-workspace';

/** The default format under the names CloudWatch Logs Insights discovers for it. */
const INSIGHTS_NAMES = [
  'version',
  'accountId',
  'interfaceId',
  'srcAddr',
  'dstAddr',
  'srcPort',
  'dstPort',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'logStatus',
];

const text = (id: string) => PUBLISHED_INSIGHTS_QUERIES.find((q) => q.id === id)!.text;
const inSubnet24 = (ip: string) => /^192\.0\.2\.\d+$/.test(ip);
const lineOf = (r: Logged) => INSIGHTS_NAMES.map((n) => r[n]).join(' ');

describe('the CloudWatch Logs Insights queries AWS documents for VPC flow logs', () => {
  let ws: SampleWorkspace;
  let records: Logged[];
  before(async () => {
    ws = await openSampleWorkspace();
    records = readLogged(ws.text, INSIGHTS_NAMES);
  });
  after(() => ws?.close());
  const rows = (id: string) => ws.rows(text(id), { dialect: 'insights' });
  const sumBy = (rs: Logged[], keys: string[], field: string, as: string): Row[] =>
    groupBy(
      rs,
      (r) => keys.map((k) => r[k]!),
      (g) => ({ ...Object.fromEntries(keys.map((k) => [k, g[0]![k]!])), [as]: sum(g.map((r) => num(r[field]))) }),
    );

  test('top 15 packet transfers across hosts', async () => {
    // The NODATA records' `-` → `-` group has no packets to add up: it is never among the largest.
    const candidates = sumBy(records, ['srcAddr', 'dstAddr'], 'packets', 'packetsTransferred').filter(
      (r) => r.srcAddr !== '-',
    );
    assertTop(await rows('aws-top-packet-transfers'), candidates, 15, 'packetsTransferred', ['srcAddr', 'dstAddr']);
  });

  test('top 15 byte transfers from a subnet', async () => {
    const candidates = sumBy(
      records.filter((r) => inSubnet24(r.srcAddr!)),
      ['dstAddr'],
      'bytes',
      'bytesTransferred',
    );
    assert.ok(candidates.length > 0);
    assertTop(await rows('aws-subnet-byte-transfers'), candidates, 15, 'bytesTransferred', ['dstAddr']);
  });

  test('the 2019 edition compares the address with a CIDR text, which no address equals', async () => {
    assert.deepEqual(await rows('aws-host-byte-transfers-2019'), []);
  });

  test('addresses sending UDP', async () => {
    const expected = groupBy(
      records.filter((r) => r.protocol === '17'),
      (r) => [r.srcAddr!],
      (g) => ({ srcAddr: g[0]!.srcAddr!, 'count(*)': g.length }),
    );
    assertRows(await rows('aws-udp-sources'), expected);
  });

  test('SKIPDATA records per hour, in time order', async () => {
    const expected = groupBy(
      records.filter((r) => r.logStatus === 'SKIPDATA'),
      (r) => [slice(Number(r.start), 3600)],
      (g) => ({ t: slice(Number(g[0]!.start), 3600), 'count(*)': g.length }),
    ).sort((a, b) => Number(a.t) - Number(b.t));
    assert.ok(expected.length > 1);
    assertRows(await rows('aws-skipdata-per-hour'), expected, { ordered: true });
  });

  test('the 25 most recent records, each its line as logged', async () => {
    const actual = await rows('aws-latest-25');
    assert.equal(actual.length, 25);
    const latest = [...records].sort((a, b) => Number(b.start) - Number(a.start));
    const cut = Number(latest[24]!.start);
    for (const [i, row] of actual.entries()) {
      assert.ok(Number(row['@timestamp']) >= cut * 1000, `row ${i} is among the latest`);
      if (i > 0) assert.ok(Number(actual[i - 1]!['@timestamp']) >= Number(row['@timestamp']), 'newest first');
      const line = records.find((r) => lineOf(r) === row['@message']);
      assert.ok(line, `${String(row['@message'])} is a line of the file`);
      assert.equal(Number(line.start) * 1000, row['@timestamp']);
    }
  });
});
