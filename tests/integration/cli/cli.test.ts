import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { writeParquetWithRejects } from '../../support/impossible-parquet';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { tempDir } from '../workspace/helpers';
import { flowscope } from '../../support/flowscope-cli';

const root = new URL('../../../', import.meta.url).pathname;
const dir = tempDir('flowscope-cli-');

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1)!;
}

test('import --json reports each file and what this run added; a re-import adds nothing', async () => {
  const ws = join(dir, 'import.duckdb');
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  await writeFlowLogFile(join(logs, 'a.log.gz'), { records: 2000, gzip: true, seed: 7 });
  writeFileSync(
    join(logs, 'b.log'),
    [
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
      '2 123456789012 eni-0a1 10.0.1.5 52.94.1.1 49152 443 6 10 9007199254740993 1772409600 1772409660 ACCEPT OK',
      '2 123456789012 eni-0a1 - - - - - - - 1772409600 1772409660 - NODATA',
      'this line is not a flow record',
      '',
    ].join('\n'),
  );

  const first = await flowscope('import', logs, '--workspace', ws, '--json');
  assert.equal(first.code, 0, first.stderr);
  const report = JSON.parse(lastLine(first.stdout));
  assert.deepEqual(Object.keys(report), ['files', 'records', 'rejected']);
  const byName = Object.fromEntries(report.files.map((f: { path: string }) => [f.path.split('/').at(-1), f]));
  assert.deepEqual(byName['a.log.gz'], {
    path: join(logs, 'a.log.gz'),
    records: 2000,
    rejected: 0,
    status: 'imported',
  });
  assert.deepEqual(byName['b.log'], { path: join(logs, 'b.log'), records: 2, rejected: 1, status: 'imported' });
  assert.equal(report.records, 2002);
  assert.equal(report.rejected, 1);
  assert.ok(!first.stderr.includes('\u001b['), 'no progress bar when stderr is not a terminal');

  const again = await flowscope('import', logs, '--workspace', ws, '--json');
  assert.equal(again.code, 0, again.stderr);
  const second = JSON.parse(lastLine(again.stdout));
  assert.deepEqual(
    second.files.map((f: { status: string; records: number }) => [f.status, f.records]),
    [
      ['already-imported', 0],
      ['already-imported', 0],
    ],
  );
  assert.equal(second.records, 0);

  const big = await flowscope(
    'query',
    'SELECT bytes FROM flows WHERE bytes > 9007199254740000',
    '--workspace',
    ws,
    '--format',
    'json',
  );
  assert.equal(big.code, 0, big.stderr);
  assert.equal(big.stdout.trim(), '[{"bytes":9007199254740993}]', 'the imported value keeps every digit');
});

test('import names the first rejected lines of each file with their reasons, and where the rest are', async () => {
  const ws = join(dir, 'rejects.duckdb');
  const file = join(dir, 'rejects.log');
  const header =
    'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  const good = (port: string) =>
    `2 123456789012 eni-0r1 10.0.1.5 52.94.1.1 ${port} 443 6 10 500 1772409600 1772409660 ACCEPT OK`;
  writeFileSync(
    file,
    [header, good('40000'), good('70000'), good('80000'), good('90000'), good('99999'), ''].join('\n'),
  );
  const out = await flowscope('import', file, '--workspace', ws);
  assert.equal(out.code, 0, out.stderr);
  // Before: "1 record, 4 rejected", and nothing said why.
  assert.match(out.stdout, /rejected in .*rejects\.log:\n {2}line 3: field "srcport" is 70000: a port is 0 to 65535\n/);
  assert.match(
    out.stdout,
    / {2}… 1 more: flowscope query --workspace ".*rejects\.duckdb" --dialect sql "SELECT line, reason, raw FROM rejected_lines WHERE import_id = \d+"/,
  );
});

test("import counts a Parquet file's rejects as rows, as it numbers them, and its reasons name no spreadsheet", async () => {
  const ws = join(dir, 'parquet-rejects.duckdb');
  const file = join(dir, 'rejects.parquet');
  await writeParquetWithRejects(file);
  const out = await flowscope('import', file, '--workspace', ws);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /\n {2}row 2: field "srcport" is 70000: a port is 0 to 65535\n/);
  assert.match(
    out.stdout,
    /\n {2}row 3: field "packets" is 2.5: not a whole number in digits, as flow logs write it\n/,
  );
  // Before: "1 record imported, 2 lines rejected", of a file that has no lines.
  assert.match(out.stdout, /^1 record imported, 2 rows rejected, 1 file\.$/m);
  assert.doesNotMatch(out.stdout, /spreadsheet|lines? rejected/);
});

test('import --log-format refuses a file whose header names other fields, storing nothing; one that agrees is read', async () => {
  const ws = join(dir, 'header-and-format.duckdb');
  const file = join(dir, 'with-header.log');
  const header =
    'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  const record = '2 123456789012 eni-0r1 10.0.1.5 52.94.1.1 40000 443 6 10 500 1772409600 1772409660 ACCEPT OK';
  writeFileSync(file, `${header}\n${record}\n`);
  const other = '${version} ${srcaddr} ${dstaddr} ${start} ${end}';
  const refused = await flowscope('import', file, '--workspace', ws, '--log-format', other);
  // Before: exit 0, the record read by the header and the format given dropped without a word.
  assert.equal(refused.code, 1, refused.stdout);
  assert.match(
    refused.stdout,
    new RegExp(
      `failed +${file.replaceAll('.', '\\.')}: .*with-header\\.log cannot be imported: its header line names the fields "${header}" ` +
        'but the log format given names "version srcaddr dstaddr start end" \\(field 2 is account-id in the header, srcaddr in the format\\)',
    ),
  );
  const stored = await flowscope(
    'query',
    '--workspace',
    ws,
    '--dialect',
    'sql',
    '--format',
    'json',
    'SELECT (SELECT count(*) FROM flows) AS records, (SELECT count(*) FROM imports) AS imports',
  );
  assert.equal(stored.stdout.trim(), '[{"records":0,"imports":0}]', stored.stderr);
  const same = header
    .split(' ')
    .map((f) => `\${${f}}`)
    .join(' ');
  const read = await flowscope('import', file, '--workspace', ws, '--log-format', same, '--json');
  assert.equal(read.code, 0, read.stderr);
  assert.equal(JSON.parse(lastLine(read.stdout)).records, 1);
});

test('import exits non-zero when a file failed, names the file and why, and imports the others', async () => {
  const ws = join(dir, 'failed.duckdb');
  const good = join(dir, 'good.log');
  const corrupt = join(dir, 'corrupt.log.gz');
  await writeFlowLogFile(good, { records: 50, seed: 3 });
  writeFileSync(corrupt, gzipSync(Buffer.from('version srcaddr\n'.repeat(5000))).subarray(0, 200));
  const run = await flowscope('import', good, corrupt, '--workspace', ws, '--json');
  assert.equal(run.code, 1);
  const report = JSON.parse(lastLine(run.stdout));
  const failed = report.files.find((f: { path: string }) => f.path === corrupt);
  assert.equal(failed.status, 'failed');
  assert.match(failed.error, /corrupt\.log\.gz|gzip|truncated|unexpected end/i);
  assert.equal(report.files.find((f: { path: string }) => f.path === good).status, 'imported');
  assert.equal(report.records, 50);
});

test('query --format json prints exactly one JSON array with every digit of big integers, messages on stderr', async () => {
  const ws = join(dir, 'import.duckdb');
  const run = await flowscope(
    'query',
    `SELECT 9007199254740993::BIGINT AS big, 18446744073709551615::UBIGINT AS u, 1.5::DECIMAL(4,2) AS d, 'a"b' AS s,
            TIMESTAMP '2026-03-02 01:02:03' AS t, NULL AS n FROM range(2)`,
    '--workspace',
    ws,
    '--format',
    'json',
  );
  assert.equal(run.code, 0, run.stderr);
  const row =
    '{"big":9007199254740993,"u":18446744073709551615,"d":1.50,"s":"a\\"b","t":"2026-03-02T01:02:03.000000Z","n":null}';
  assert.equal(run.stdout, `[${row},\n${row}]\n`);
  assert.equal(JSON.parse(run.stdout).length, 2);

  const empty = await flowscope('query', 'SELECT 1 AS x WHERE false', '--workspace', ws, '--format', 'json');
  assert.equal(empty.stdout, '[]\n');

  const csv = await flowscope('query', `SELECT 'x,y' AS a, 2 AS b`, '--workspace', ws, '--format', 'csv');
  assert.equal(csv.stdout, 'a,b\n"x,y",2\n');

  // A query pasted with the comment it was published with is the query, not an unknown option.
  const commented = await flowscope('query', '-- top talkers\nSELECT 7 AS n', '--workspace', ws, '--format', 'csv');
  assert.equal(commented.code, 0, commented.stderr);
  assert.equal(commented.stdout, 'n\n7\n');
});

test("a time range that holds no record says where the workspace's records are", async () => {
  const ws = join(dir, 'import.duckdb');
  const info = await flowscope('info', '--workspace', ws, '--json');
  const span = JSON.parse(lastLine(info.stdout)).timeSpan;
  const later = await flowscope(
    'query',
    'stats count(*) as c',
    '--workspace',
    ws,
    '--from',
    '2030-01-01',
    '--format',
    'csv',
  );
  assert.equal(later.code, 0, later.stderr);
  assert.equal(later.stdout, 'c\n0\n');
  assert.ok(
    later.stderr.includes(`No record in the time range: the workspace's records are from ${span.from} to ${span.to}.`),
    later.stderr,
  );

  const held = await flowscope(
    'query',
    'stats count(*) as c',
    '--workspace',
    ws,
    '--from',
    span.from,
    '--format',
    'csv',
  );
  assert.notEqual(held.stdout, 'c\n0\n');
  assert.doesNotMatch(held.stderr, /No record in the time range/);
});

test('--last 24h is the last day of the data, as the app’s “Last 24 hours of data”; --from -1h points to it', async () => {
  const ws = join(dir, 'last.duckdb');
  assert.equal((await flowscope('demo', '--workspace', ws, '--records', '3000')).code, 0);
  const span = JSON.parse(lastLine((await flowscope('info', '--workspace', ws, '--json')).stdout)).timeSpan;
  const end = Date.parse(span.newestStart) + 1000;
  const count = async (...range: string[]) => {
    const run = await flowscope('query', 'stats count(*) as c', '--workspace', ws, '--format', 'csv', ...range);
    assert.equal(run.code, 0, run.stderr);
    return Number(run.stdout.split('\n')[1]);
  };
  const all = await count();
  const lastDay = await count('--last', '24h');
  assert.ok(lastDay > 0 && lastDay < all, `${lastDay} of ${all}`);
  const from = new Date(end - 86_400_000).toISOString();
  assert.equal(lastDay, await count('--from', from, '--to', new Date(end).toISOString()));

  const dashed = await flowscope('query', 'stats count(*)', '--workspace', ws, '--from', '-1h');
  assert.equal(dashed.code, 2);
  assert.match(dashed.stderr, /--from -1h: --from takes an ISO 8601 time .*for the last 1h, give --last 1h/);
  const bare = await flowscope('query', 'stats count(*)', '--workspace', ws, '--from', '1h');
  assert.match(bare.stderr, /for the last 1h, give --last 1h/);
  const both = await flowscope('query', 'stats count(*)', '--workspace', ws, '--last', '1h', '--to', span.to);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--last is a time range of its own/);
  assert.match(
    (await flowscope('query', 'stats count(*)', '--workspace', ws, '--last', '90s')).stderr,
    /--last 90s: not a span/,
  );
  assert.match(
    (await flowscope('query', 'stats count(*)', '--workspace', ws, '--last=-1h')).stderr,
    /--last -1h: not a span/,
  );
});

test('a failed query exits non-zero with its error on stderr and nothing on stdout', async () => {
  const ws = join(dir, 'import.duckdb');
  const run = await flowscope('query', 'SELECT nope FROM flows', '--workspace', ws, '--format', 'json');
  assert.notEqual(run.code, 0);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /nope/);
  const outside = await flowscope(
    'query',
    `SELECT * FROM read_csv('/etc/passwd')`,
    '--workspace',
    ws,
    '--format',
    'json',
  );
  assert.notEqual(outside.code, 0);
  assert.equal(outside.stdout, '');
});

test('a query that would write, typed or from a shared saved-query file, is refused and changes nothing', async () => {
  const ws = join(dir, 'import.duckdb');
  const count = async () =>
    JSON.parse(
      (await flowscope('query', 'SELECT count(*) AS n FROM main.flows', '--workspace', ws, '--format', 'json')).stdout,
    );
  const before = await count();
  const hostile = "EXPLAIN ANALYZE DELETE FROM main.flows WHERE action = 'REJECT'";
  const typed = await flowscope('query', hostile, '--workspace', ws, '--format', 'json');
  assert.notEqual(typed.code, 0);
  assert.match(typed.stderr, /EXPLAIN runs only on a read-only query/);
  const file = join(dir, 'shared.flowquery.json');
  writeFileSync(file, JSON.stringify({ version: 1, name: 'Shared', dialect: 'sql', query: hostile }));
  const shared = await flowscope('query', '--file', file, '--workspace', ws, '--format', 'json');
  assert.notEqual(shared.code, 0);
  assert.match(shared.stderr, /refused/);
  assert.deepEqual(await count(), before);
});

test('demo creates a workspace of generated logs over a few days that info describes', async () => {
  const ws = join(dir, 'demo.duckdb');
  const demo = await flowscope('demo', '--workspace', ws, '--records', '3000');
  assert.equal(demo.code, 0, demo.stderr);
  assert.match(demo.stdout, /3,000 records/);

  const info = await flowscope('info', '--workspace', ws, '--json');
  assert.equal(info.code, 0, info.stderr);
  const parsed = JSON.parse(info.stdout);
  assert.equal(parsed.records, 3000);
  assert.equal(parsed.imports, 3);
  const days = (Date.parse(parsed.timeSpan.to) - Date.parse(parsed.timeSpan.from)) / 86_400_000;
  assert.ok(days > 2.5 && days <= 3.1, `${days} days`);

  const mix = await flowscope(
    'query',
    `SELECT count(DISTINCT interface_id) AS enis, count(DISTINCT subnet_id) AS subnets, count(*) FILTER (action = 'REJECT') AS rejects,
            count(*) FILTER (log_status = 'NODATA' OR log_status = 'SKIPDATA') AS gaps, count(*) FILTER (dstport IN (22, 443, 53)) AS common
     FROM flows`,
    '--workspace',
    ws,
    '--format',
    'json',
  );
  const [m] = JSON.parse(mix.stdout);
  assert.ok(m.enis >= 3 && m.subnets >= 2 && m.rejects > 0 && m.gaps > 0 && m.common > 0, JSON.stringify(m));

  const ledger = await flowscope(
    'query',
    'SELECT source, path FROM imports ORDER BY path',
    '--workspace',
    ws,
    '--format',
    'json',
  );
  assert.deepEqual(
    JSON.parse(ledger.stdout),
    [1, 2, 3].map((day) => ({ source: 'demo', path: `demo/demo-day-${day}.log.gz` })),
    'the ledger names the demo files, not the temporary paths they were generated under',
  );

  const text = await flowscope('info', '--workspace', ws);
  assert.match(text.stdout, /Records\s+3,000/);
  assert.match(text.stdout, /Time span\s+2026-03-02T/);

  const again = await flowscope('demo', '--workspace', ws);
  assert.equal(again.code, 2, 'the demo never overwrites a workspace');
});

test('the npm script runs the CLI from a checkout, and a wrong command line exits 2 with usage', async () => {
  const run = await promisify(execFile)(
    'npm',
    ['run', '--silent', 'cli', '--', 'info', '--workspace', join(dir, 'demo.duckdb'), '--json'],
    { cwd: root },
  );
  assert.equal(JSON.parse(run.stdout).records, 3000);
  const bad = await flowscope('import', '--no-such-option');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /usage: flowscope import/);
});

test('a command naming a workspace that is not there says how to make one', async () => {
  const missing = join(dir, 'not-yet.duckdb');
  const commands = [
    ['info', '--workspace', missing],
    ['query', 'SELECT 1', '--workspace', missing],
    ['serve', '--workspace', missing],
  ];
  // Side by side: each is a cold start of the CLI, and the file's time is bounded.
  const runs = await Promise.all(commands.map((args) => flowscope(...args)));
  for (const [i, run] of runs.entries()) {
    const args = commands[i]!;
    assert.equal(run.code, 1, args.join(' '));
    const inBrowser =
      args[0] === 'serve'
        ? ` Or make it in the browser: \`flowscope serve --demo --workspaces ${dir}\`, then Switch… → New workspace.`
        : '';
    assert.equal(
      run.stderr,
      `flowscope ${args[0]}: There is no workspace at ${missing}. Make one with \`flowscope import <files or folders> --workspace ${missing}\`, or try \`flowscope demo --workspace ${missing}\` for generated flow logs.${inBrowser}\n`,
    );
  }
  assert.equal(existsSync(missing), false, 'nothing was created');
});
