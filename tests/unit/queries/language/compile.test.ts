import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileQuery, detectDialect } from '../../../../queries/language';
import { parseInsights } from '../../../../queries/language/insights/parser';

const sql = (query: string, timeRange?: { from: string | null; to: string | null }) => {
  const r = compileQuery(query, { timeRange });
  assert.deepEqual(r.diagnostics, []);
  return r.sql!;
};

test('the dialect is detected from the first word: SQL, a Sumo scope, else Insights', () => {
  assert.equal(detectDialect('SELECT 1'), 'sql');
  assert.equal(detectDialect('  -- note\n  with x as (select 1) select * from x'), 'sql');
  assert.equal(detectDialect('from flows'), 'sql');
  assert.equal(detectDialect('SUMMARIZE flows'), 'sql');
  assert.equal(detectDialect('DESCRIBE flows'), 'sql');
  assert.equal(detectDialect('EXPLAIN SELECT 1'), 'sql');
  assert.equal(detectDialect("ATTACH 'x'"), 'sql');
  assert.equal(detectDialect('_sourceCategory=aws/vpc | count'), 'sumo');
  assert.equal(detectDialect('fields @timestamp'), 'insights');
  assert.equal(detectDialect('# comment\nfilter action = "REJECT"'), 'insights');
});

test('a top-talkers query compiles to one SELECT with GROUP BY, ORDER BY and LIMIT', () => {
  const s = sql(
    'stats sum(packets) as packetsTransferred by srcAddr, dstAddr | sort packetsTransferred desc | limit 15',
  );
  assert.equal((s.match(/SELECT/g) ?? []).length, 1);
  // Ordered by the result column's name, so the aggregate is computed once.
  assert.match(s, /GROUP BY "srcaddr", "dstaddr" ORDER BY "packetsTransferred" DESC NULLS LAST LIMIT 15$/);
  assert.match(s, /AS "packetsTransferred"/);
});

test('IPv4 CIDR filters on stored addresses become integer ranges on src_ip4/dst_ip4', () => {
  assert.match(sql('filter isIpv4InSubnet(srcAddr, "192.0.2.0/24")'), /src_ip4 BETWEEN 3221225984 AND 3221226239/);
  assert.match(sql('filter isIpInSubnet(dstaddr, "10.0.0.0/8")'), /dst_ip4 BETWEEN 167772160 AND 184549375/);
});

test('the time range is a condition on start_time in UTC', () => {
  const s = sql('filter action = "REJECT"', { from: '2026-03-02T10:00:00+02:00', to: '2026-03-03T00:00:00' });
  assert.match(s, /start_time >= TIMESTAMP '2026-03-02 08:00:00.000'/);
  assert.match(s, /start_time < TIMESTAMP '2026-03-03 00:00:00.000'/);
});

test('values the user writes are quoted as SQL literals', () => {
  const s = sql(`filter action = "it's" or action = 'x\\'y'`);
  assert.match(s, /'it''s'/);
  assert.match(s, /'x''y'/);
});

test('Athena column names and case variants of Insights names are the same fields', () => {
  assert.equal(sql('stats count(*) by log_status'), sql('stats count(*) by log_status'));
  assert.match(sql('filter LogStatus = "OK"'), /"log_status" = 'OK'/);
  assert.match(sql('filter log_status = "OK"'), /"log_status" = 'OK'/);
});

test('result columns are named as written: by fields, aliases and unaliased aggregates', () => {
  const r = compileQuery('stats count(*), sum(bytes), avg( bytes ) as a by srcAddr, bin(5m)');
  assert.deepEqual(r.columns, ['srcAddr', 'bin(5m)', 'count(*)', 'sum(bytes)', 'a']);
});

test('a filter after stats or a limit wraps the query instead of changing its meaning', () => {
  const s = sql('stats count(*) as n by srcAddr | filter n > 10 | sort n desc');
  assert.match(
    s,
    /^SELECT .* FROM \(SELECT .* GROUP BY "srcaddr"\) AS _s\d+ WHERE \(_c\d+ > 10\) ORDER BY "n" DESC NULLS LAST$/,
  );
  const limited = sql('sort bytes desc | limit 10 | filter srcPort = 443');
  assert.match(limited, /LIMIT 10\) AS _s\d+ WHERE/);
  assert.match(limited, /ORDER BY _o\d+ DESC NULLS LAST$/);
});

test('# comments and several lines are ignored like blanks', () => {
  const plan = parseInsights('# first\nfilter action = "REJECT" # why\n| stats count(*) by srcAddr\n# end');
  assert.deepEqual(
    plan.stages.map((s) => s.kind),
    ['filter', 'stats'],
  );
});

test('sort without a direction is ascending; a logged `-` is text, before every number', () => {
  assert.match(sql('sort bytes'), /"bytes" AS (_o\d+) FROM main\.flows ORDER BY \1 ASC NULLS FIRST/);
  assert.match(sql('sort bytes desc'), /ORDER BY (_o\d+) DESC NULLS LAST/);
});

test('a field the log wrote as `-` is shown as `-`; its order is still the stored number', () => {
  // Records: every default-format field shown as logged, numbers as their text.
  const records = sql('fields srcAddr, dstPort, bytes, action, @timestamp | sort bytes desc | limit 5');
  assert.match(
    records,
    /^SELECT coalesce\("srcaddr", '-'\) AS "srcAddr", coalesce\(CAST\("dstport" AS VARCHAR\), '-'\) AS "dstPort"/,
  );
  assert.match(records, /coalesce\("action", '-'\) AS "action", start_time AS "@timestamp" FROM/);
  // The order is made under the text: DuckDB would read `ORDER BY bytes` as the shown text column.
  assert.match(
    records,
    /"bytes" AS (_o\d+) FROM main\.flows ORDER BY \1 DESC NULLS LAST LIMIT 5\) AS _s\d+ ORDER BY \1 DESC/,
  );
  // A group key, in both pipe dialects; the aggregates stay numbers.
  assert.match(
    sql('stats count(*) as n, sum(bytes) as b by dstPort'),
    /coalesce\(CAST\("dstport" AS VARCHAR\), '-'\) AS "dstPort", count\(\*\) AS "n", sum\("bytes"\) AS "b"/,
  );
  const sumo = compileQuery('_sourceCategory=vpc | count by action | sort by _count', {}).sql!;
  assert.match(
    sumo,
    // (answered from the minute summary: summary-stats.ts)
    /^SELECT coalesce\(_k\d+, '-'\) AS "action", CAST\(sum\(_p\d+\) AS BIGINT\) AS "_count" FROM .* ORDER BY "_count"/,
  );
  // Computed columns and fields beyond the default format are not `-`: NULL there means absent.
  assert.match(
    sql('fields vpcId, concat(srcAddr, ":") as s'),
    /^SELECT "vpc_id" AS "vpcId", concat\(coalesce\("srcaddr", '-'\), ':'\) AS "s"/,
  );
});

test('compiling the AWS documentation queries takes well under 5 ms each', () => {
  const queries = [
    'stats sum(packets) as packetsTransferred by srcAddr, dstAddr | sort packetsTransferred desc | limit 15',
    'filter isIpv4InSubnet(srcAddr, "192.0.2.0/24") | stats sum(bytes) as bytesTransferred by dstAddr | sort bytesTransferred desc | limit 15',
    'filter protocol=17 | stats count(*) by srcAddr',
    'filter logStatus="SKIPDATA" | stats count(*) by bin(1h) as t | sort t',
  ];
  for (const q of queries) compileQuery(q);
  // The process's CPU time, not the clock: other work on a shared machine (a CI run beside it) stretches the
  // clock (5.1 ms under a load of 4), not the work done.
  const started = process.cpuUsage();
  const rounds = 200;
  for (let i = 0; i < rounds; i++) for (const q of queries) compileQuery(q);
  const used = process.cpuUsage(started);
  const perQuery = (used.user + used.system) / 1000 / (rounds * queries.length);
  assert.ok(perQuery < 5, `${perQuery} ms of CPU per query`);
});

test('like CloudWatch, a query of records without a limit answers at most 10,000 (one more asked, to tell)', () => {
  assert.match(
    sql('filter action = "REJECT" | sort bytes desc'),
    /ORDER BY _o\d+ DESC NULLS LAST LIMIT 10001\) AS _s\d+ ORDER BY/,
  );
  assert.equal(compileQuery('filter action = "REJECT"').cap, 10_000);
  assert.equal(compileQuery('filter action = "REJECT" | limit 50').cap, null);
  assert.match(compileQuery('fields srcAddr', { context: { probeCap: false } }).sql ?? '', /LIMIT 10000$/);
  assert.match(sql('filter action = "REJECT" | limit 50'), /LIMIT 50$/);
  assert.doesNotMatch(sql('stats count(*) by srcAddr'), /LIMIT/);
});

test("bin() takes CloudWatch's longer unit names and their plurals", () => {
  for (const [written, ms] of [
    ['5mins', 300_000],
    ['2hrs', 7_200_000],
    ['1hour', 3_600_000],
    ['30secs', 30_000],
    ['500msec', 500],
    ['2days', 172_800_000],
    ['1week', 604_800_000],
  ] as const)
    assert.match(
      sql(`stats count(*) by bin(${written})`),
      // As `time_bucket`, or grouped by bucket numbers of that width (`eager-stats.ts`).
      new RegExp(`time_bucket\\(INTERVAL '${ms} milliseconds'|// ${ms * 1000}\\)`),
      written,
    );
});

test('time buckets come back in time order when the query has no sort of its own', () => {
  assert.match(sql('stats count(*) as n by bin(5m), action'), /GROUP BY .* ORDER BY "bin\(5m\)" ASC NULLS LAST$/);
  const sumo = compileQuery('_sourceCategory=vpc | timeslice 1m | count by _timeslice', {}).sql!;
  assert.match(sumo, /ORDER BY "_timeslice" ASC NULLS LAST$/);
  // A sort of its own wins, and a result without a time key keeps the engine's order.
  assert.match(sql('stats count(*) as n by bin(5m) | sort n desc'), /ORDER BY "n" DESC NULLS LAST$/);
  assert.doesNotMatch(sql('stats count(*) as n by srcAddr'), /ORDER BY/);
});

test('a field built from itself three times a line, thirty lines over, compiles to bounded SQL', () => {
  const lines = Array.from({ length: 30 }, () => '| fields concat(a, a, a) as a');
  const compiled = sql(`fields srcAddr as a ${lines.join(' ')} | fields strlen(a) as n`);
  assert.ok(compiled.length < 500_000, `${compiled.length} characters of SQL`);
});
