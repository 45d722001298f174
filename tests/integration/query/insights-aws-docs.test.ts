/**
 * The CloudWatch Logs Insights queries AWS documents for VPC flow logs, run exactly as published on a
 * workspace imported from the flow-log sample; each answer is checked against one the independent reader
 * computes from the sample's lines (a NODATA record's fields are the text `-`, as CloudWatch reads them).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { DEFAULT_FORMAT, FLOW_FIELDS } from '../../../queries/catalog/fields';
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
import { tempDir } from '../workspace/helpers';
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
  /** Before the import started and after it finished: when `@ingestionTime` says the records arrived. */
  let importedAfter: number;
  let importedBefore: number;
  before(async () => {
    importedAfter = Date.now();
    ws = await openSampleWorkspace();
    importedBefore = Date.now();
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

  test('@ingestionTime is when the import finished, and @log the file every record came from', async () => {
    const [row] = await ws.rows(
      'stats count(*) as n, min(@ingestionTime) as first, max(@ingestionTime) as last, count_distinct(@log) as logs, earliest(@log) as log',
      { dialect: 'insights' },
    );
    assert.equal(row!.n, records.length);
    assert.equal(row!.first, row!.last, 'one import, one time');
    const at = Number(row!.first);
    // Whole milliseconds either side: the ledger keeps the time to the microsecond.
    assert.ok(
      at >= importedAfter - 1 && at <= importedBefore + 1,
      `${at} within [${importedAfter}, ${importedBefore}]`,
    );
    assert.equal(row!.logs, 1);
    assert.match(String(row!.log), /vpc-flow\.log$/);
    // Sumo's _receiptTime is that time too (when the records reached the workspace), not the record's own.
    const [sumo] = await ws.rows(
      '_sourceCategory=vpc | toMillis(_receiptTime) as r | min(r) as first, max(r) as last',
      {
        dialect: 'sumo',
      },
    );
    assert.deepEqual([Number(sumo!.first), Number(sumo!.last)], [at, at]);
  });

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

describe('the knowledge-center query for a custom-format log group', () => {
  const query = text('aws-kc-latest-custom');
  /** The 27 names its parse gives, in the order of the log group's format. */
  const names = /as (.*)$/m
    .exec(query)![1]!
    .split(',')
    .map((n) => n.trim());
  let ws: SampleWorkspace;
  let records: Logged[];
  before(async () => {
    const path = join(tempDir('flowscope-kc-'), 'custom.log');
    const fields = names.map((n) => n.replace(/_/g, '-'));
    await writeFlowLogFile(path, { seed: 1213, records: 600, fields, span: 3 * 3600 });
    const file = readFileSync(path, 'utf8');
    ws = await openSampleWorkspace(file);
    records = readLogged(file.slice(file.indexOf('\n') + 1), names);
  });
  after(() => ws?.close());

  test('the two latest records, every field as its line holds it', async () => {
    const actual = await ws.rows(query, { dialect: 'insights' });
    assert.equal(actual.length, 2);
    const starts = records.map((r) => Number(r.start)).sort((a, b) => b - a);
    // A number field beyond the default format that the line writes as `-` reads as absent; a text field, as
    // the default format's, reads `-` (ARCHITECTURE.md, "The record as each dialect sees it").
    const logged = new Set([
      ...DEFAULT_FORMAT.map((f) => f.replace(/-/g, '_')),
      ...FLOW_FIELDS.filter((f) => f.type === 'VARCHAR').map((f) => f.column),
    ]);
    for (const row of actual) {
      assert.ok(Number(row.start) >= starts[1]!, `${String(row.start)} is one of the two latest`);
      const near = records.find((r) => r.start === String(row.start) && r.interface_id === row.interface_id);
      assert.ok(near, `a line starting at ${String(row.start)} on ${String(row.interface_id)}`);
      for (const n of names) {
        const expected: string = near[n]!;
        const shown = row[n] === null ? '-' : String(row[n]);
        if (expected === '-' && !logged.has(n)) assert.equal(row[n], null, n);
        else assert.equal(shown, expected, n);
      }
    }
  });

  test('a NODATA record reads `-` in the fields its parse names', async () => {
    const nodata = records.filter((r) => r.log_status === 'NODATA' || r.log_status === 'SKIPDATA');
    assert.ok(nodata.length > 0);
    const actual = await ws.rows(
      `${query.split('| sort')[0]!.trim()} | filter action = "-" | stats count(*) as n by log_status`,
      {
        dialect: 'insights',
      },
    );
    assertRows(
      actual,
      groupBy(
        nodata,
        (r) => [r.log_status!],
        (g) => ({ log_status: g[0]!.log_status!, n: g.length }),
      ),
    );
  });
});
