/**
 * A record's line as it was logged, in the format of its file: CloudWatch shows a custom-format record's
 * `@message` as the line the flow log wrote, and Sumo parses and searches that line. Two files are imported,
 * one in the default format and one in a version 5 custom format (its fields in AWS's console order, not the
 * default's), each with a NODATA record, and CloudWatch exports (JSON, and to S3) of default-format messages;
 * every answer is worked out from the lines below.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CellValue, Dialect, Output } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { compileTrino } from '../../../queries/language/trino';
import { openedForFile } from '../../support/opened-for-file';

const DEFAULT_LINES = [
  '2 123456789012 eni-a 10.0.1.5 10.0.2.9 443 51000 6 10 1500 1767225610 1767225660 ACCEPT OK',
  '2 123456789012 eni-c - - - - - - - 1767226200 1767226260 - NODATA',
];
const V5_FIELDS =
  'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr ' +
  'pkt-dstaddr protocol bytes packets start end action tcp-flags log-status az-id sublocation-type sublocation-id ' +
  'pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path';
const V5_LINES = [
  '5 vpc-1 subnet-1 i-1 eni-x 123456789012 IPv4 10.0.1.5 52.94.1.1 33000 443 10.0.1.5 52.94.1.1 6 2000 4 1767225620 1767225680 ACCEPT 19 OK use1-az1 - - - AMAZON egress 8',
  '5 vpc-1 subnet-1 i-1 eni-x 123456789012 IPv6 2600:1f18::5 2a05:d018::9 33000 443 2600:1f18::5 2a05:d018::9 6 100 1 1767225640 1767225680 REJECT 2 OK use1-az1 - - - - egress 1',
  '5 vpc-2 subnet-2 - eni-y 123456789012 IPv4 10.0.9.9 10.0.1.5 5000 22 192.168.1.1 10.0.1.5 6 60 1 1767225700 1767225730 REJECT 2 OK use1-az2 - - - - ingress -',
  '5 - - - eni-z 123456789012 - - - - - - - - - - 1767225800 1767225860 - - NODATA use1-az2 - - - - - -',
];

/** Records that came through CloudWatch: their messages are the lines, in the default format. */
const CLOUDWATCH_LINES = [
  '2 123456789012 eni-d 10.0.3.3 8.8.8.8 53000 53 17 1 80 1767225900 1767225960 ACCEPT OK',
  '2 123456789012 eni-e 10.0.3.4 8.8.4.4 53001 53 17 1 90 1767225900 1767225960 ACCEPT OK',
];

const dir = mkdtempSync(join(tmpdir(), 'flowscope-message-'));
const fx = openedForFile(async () => {
  const files = [
    [
      join(dir, 'default.log'),
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
      DEFAULT_LINES,
    ],
    [join(dir, 'v5.log'), V5_FIELDS, V5_LINES],
  ] as const;
  for (const [path, header, lines] of files) writeFileSync(path, `${header}\n${lines.join('\n')}\n`);
  // `aws logs filter-log-events` output, and a log stream's file of `aws logs create-export-task`.
  const events = CLOUDWATCH_LINES.slice(0, 1).map((message, i) => ({
    logStreamName: 'eni-d-all',
    timestamp: 1767225900000 + i,
    message,
  }));
  writeFileSync(join(dir, 'events.json'), JSON.stringify({ events }));
  writeFileSync(join(dir, '000000'), `2026-01-01T00:05:00.000Z ${CLOUDWATCH_LINES[1]}\n`);
  const engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  const job = await engine.jobWait({
    jobId: engine.startImport([...files.map(([path]) => path), join(dir, 'events.json'), join(dir, '000000')], {}),
  });
  assert.equal(job.state, 'done');
  return engine;
}, dir);

async function run(query: string, dialect: Dialect): Promise<CellValue[][]> {
  const out = (await call(fx(), 'query.run', { query, dialect, pageSize: 1000 })) as Output<'query.run'>;
  return out.rows.map((r) => [...r]);
}
const byText = (rows: CellValue[][]) => rows.map((r) => JSON.stringify(r)).sort();

test("Insights' @message is each record's line as its file wrote it", async () => {
  const lines = (await run('fields @message', 'insights')).map((r) => r[0]);
  assert.deepEqual([...lines].sort(), [...DEFAULT_LINES, ...V5_LINES, ...CLOUDWATCH_LINES].sort());
  assert.deepEqual(await run('filter @message like /vpc-1/ | stats count(*) as n', 'insights'), [[2]]);
  // A needle without a blank is tested field by field: the custom format's own fields too.
  assert.deepEqual(await run('filter @message like "use1-az2" | stats count(*) as n', 'insights'), [[2]]);
});

test("Sumo's keywords and parse read the line as logged: the custom format's fields in its order", async () => {
  assert.deepEqual(await run('_sourceCategory=vpc egress | count', 'sumo'), [[2]]);
  assert.deepEqual(byText(await run('_sourceCategory=vpc | parse regex "(?<vpc>vpc-\\d+)" | count by vpc', 'sumo')), [
    '["vpc-1",2]',
    '["vpc-2",1]',
  ]);
  const names =
    'version, vpc_id, subnet_id, instance_id, interface_id, account_id, type, src_ip, dest_ip, src_port, ' +
    'dest_port, pkt_src, pkt_dst, protocol, bytes, packets, start, end, action, tcp_flags, status, az, st, sid, ' +
    'pss, pds, flow_direction, traffic_path';
  const stars = Array.from({ length: 28 }, () => '*').join(' ');
  // The default-format lines have 14 fields: the 28-star pattern does not match them, and drops them.
  assert.deepEqual(
    byText(
      await run(
        `_sourceCategory=vpc | parse "${stars}" as ${names} | count by vpc_id, flow_direction, tcp_flags`,
        'sumo',
      ),
    ),
    ['["-","-","-",1]', '["vpc-1","egress","19",1]', '["vpc-1","egress","2",1]', '["vpc-2","ingress","2",1]'],
  );
});

test('a text field beyond the default format reads `-` where its line wrote `-`, and is absent where the format has no such field', async () => {
  // The v5 lines' instance-id is i-1, i-1, - and -: the other records' formats have no instance-id.
  assert.deepEqual(await run('filter instanceId = "-" | stats count(*) as n', 'insights'), [[2]]);
  assert.deepEqual(await run('filter rejectReason != "x" | stats count(*) as n', 'insights'), [[0]]);
  assert.deepEqual(await run('filter flowDirection != "egress" | stats count(*) as n', 'insights'), [[2]]);
  assert.deepEqual(await run('stats count(instanceId) as n, count_distinct(instanceId) as d', 'insights'), [[4, 2]]);
  assert.deepEqual(
    await run('filter ispresent(flowDirection) | dedup flowDirection | stats count(*) as n', 'insights'),
    [[3]],
  );
  assert.deepEqual(byText(await run('stats count(*) as n by flowDirection', 'insights')), [
    '["-",1]',
    '["egress",2]',
    '["ingress",1]',
    '[null,4]',
  ]);
  assert.deepEqual(await run('_sourceCategory=vpc | where instance_id = "-" | count', 'sumo'), [[2]]);
  // A positional parse binds the names to the same fields.
  const names = V5_FIELDS.replace(/-/g, '_').split(' ').join(', ');
  const stars = Array.from({ length: 28 }, () => '*').join(' ');
  assert.deepEqual(
    await run(`parse @message "${stars}" as ${names} | filter instance_id = "-" | stats count(*) as n`, 'insights'),
    [[2]],
  );
});

test("Athena's table has no import ledger: there @message stays the default format's line", () => {
  const table = { name: 'flowlogs.vpc_flow_logs', partitions: { kind: 'day' as const, column: 'day' } };
  const out = compileTrino('filter @message like "vpc-1" | stats count(*)', { dialect: 'insights', table });
  assert.ok(out.sql, JSON.stringify(out.diagnostics));
  assert.doesNotMatch(out.sql, /extra|import_id/);
  // Athena's answer is not cut afterwards: CloudWatch's 10,000 is asked for, not the row the workspace tells by.
  const listed = compileTrino('fields srcAddr', { dialect: 'insights', table });
  assert.match(listed.sql ?? '', /LIMIT 10000\b/);
});
