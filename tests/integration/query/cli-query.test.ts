import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { flowscopeInProcess } from '../../support/flowscope-cli';
import { openFixture, type Fixture } from './fixture';

let fx: Fixture;
before(async () => {
  fx = await openFixture();
  // The CLI opens the workspace itself.
  await fx.engine.close();
});
after(() => {
  rmSync(fx.dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => flowscopeInProcess(['query', ...args, '--workspace', fx.path]);

test('flowscope query runs Insights by default and prints one JSON array with exact integers', async () => {
  const r = await cli('stats sum(bytes) as b by action | sort b desc', '--format', 'json');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), [
    { action: 'ACCEPT', b: 5680 },
    { action: 'REJECT', b: 1480 },
    // The NODATA/SKIPDATA records' action as logged: `-`, a group whose bytes are none.
    { action: '-', b: null },
  ]);
  const big = await cli('SELECT 9007199254740993::BIGINT AS big', '--format', 'json');
  assert.equal(big.out.trim(), '[{"big":9007199254740993}]');
});

test('--from/--to limit every dialect to the time range', async () => {
  const insights = await cli(
    'stats count(*) as n',
    '--from',
    '2026-03-02T01:00:00Z',
    '--to',
    '2026-03-02T02:00:00Z',
    '--format',
    'json',
  );
  assert.deepEqual(JSON.parse(insights.out), [{ n: 3 }]);
  const sql = await cli(
    'SELECT count(*) AS n FROM flows',
    '--dialect',
    'sql',
    '--from',
    '2026-03-02T01:00:00',
    '--to',
    '2026-03-02T02:00:00',
    '--format',
    'json',
  );
  assert.deepEqual(JSON.parse(sql.out), [{ n: 3 }]);
});

test('a --from after or equal to --to, or a time that is not one, is refused naming the option, before anything runs', async () => {
  const swapped = await cli('stats count(*) as n', '--from', '2026-03-03', '--to', '2026-03-02', '--format', 'json');
  assert.equal(swapped.code, 2);
  assert.equal(swapped.out, '');
  assert.match(swapped.err, /--from 2026-03-03 is after --to 2026-03-02/);
  // The same day twice holds no instant (--to is exclusive): said, with the range meant.
  const same = await cli('stats count(*) as n', '--from', '2026-03-02', '--to', '2026-03-02');
  assert.equal(same.code, 2);
  assert.match(same.err, /are the same instant, so the range is empty: .*the whole day is --to 2026-03-03/);
  const wrong = await cli('stats count(*) as n', '--from', 'yesterday');
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /^flowscope query: --from yesterday: not an ISO 8601 time/);
  assert.doesNotMatch(wrong.err, /query\.run|timeRange/);
  const pull = await flowscopeInProcess([
    'pull',
    's3',
    's3://b/',
    '--workspace',
    fx.path,
    '--from',
    '2026-03-03',
    '--to',
    '2026-03-02T10:00',
  ]);
  assert.equal(pull.code, 2);
  assert.match(pull.err, /--from 2026-03-03 is after --to 2026-03-02T10:00/);
});

test('--explain prints the SQL that would run, and nothing runs', async () => {
  const r = await cli('filter isIpv4InSubnet(srcAddr, "10.0.0.0/8") | stats count(*) by dstPort', '--explain');
  assert.equal(r.code, 0);
  assert.match(
    r.out,
    /^SELECT coalesce\(CAST\("dstport" AS VARCHAR\), '-'\) AS "dstPort", count\(\*\) AS "count\(\*\)" FROM main\.flows WHERE \(?\(src_ip4 IS NOT NULL AND \(src_ip4 BETWEEN 167772160 AND 184549375\)\)\)? GROUP BY "dstport"\n$/,
  );
});

test('a wrong query fails on stderr with its position and a caret, and a non-zero exit', async () => {
  const r = await cli('filter dstprot(1) = 22', '--format', 'json');
  assert.notEqual(r.code, 0);
  assert.equal(r.out, '');
  assert.match(r.err, /line 1, column 8: Unknown function `dstprot`/);
  assert.match(r.err, /\n {2}filter dstprot\(1\) = 22\n {9}\^{7}/);
});

test('an Insights field the records lack is null: the query runs and the warning names the nearest field', async () => {
  const r = await cli('filter dstprot = 22', '--format', 'json');
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.out), []);
  assert.match(
    r.err,
    /warning: line 1, column 8: No field `dstprot` here: it is null in every record\. \(did you mean `dstPort`\?\)/,
  );
});

test('a refused statement and a bad --dialect fail clearly', async () => {
  const refused = await cli("COPY flows TO '/tmp/x.csv'");
  assert.notEqual(refused.code, 0);
  assert.match(refused.err, /refused/);
  const bad = await cli('stats count(*)', '--dialect', 'kql');
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /--dialect must be one of insights, sumo, sql, athena/);
});

test('Athena SQL: detected and said so on stderr, --explain prints the DuckDB SQL, errors point into the Athena text', async () => {
  const run = await cli(
    "SELECT action, count(*) AS n FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY action ORDER BY n DESC",
    '--format',
    'json',
  );
  assert.equal(run.code, 0, run.err);
  assert.match(run.err, /^Read as Athena SQL: it reads from `vpc_flow_logs`, not `flows`\.\n/);
  assert.deepEqual(JSON.parse(run.out), [
    { action: 'ACCEPT', n: 5 },
    { action: 'REJECT', n: 4 },
  ]);
  const explain = await cli('SELECT count(*) FROM vpcflow', '--dialect', 'athena', '--explain');
  assert.equal(explain.code, 0, explain.err);
  assert.equal(explain.out, 'SELECT count(*) AS "_col0" FROM main.flows AS "_r1"\n');
  const wrong = await cli('SELECT sourceadress\nFROM vpcflow', '--dialect', 'athena');
  assert.notEqual(wrong.code, 0);
  assert.match(
    wrong.err,
    /line 1, column 8: Column 'sourceadress' cannot be resolved \(did you mean `sourceaddress`\?\)/,
  );
  assert.match(wrong.err, /\n {2}SELECT sourceadress\n {9}\^{12}/);
  const msck = await cli('MSCK REPAIR TABLE vpc_flow_logs');
  assert.notEqual(msck.code, 0);
  assert.match(msck.err, /MSCK REPAIR TABLE loads partitions into the Athena catalog/);
});
