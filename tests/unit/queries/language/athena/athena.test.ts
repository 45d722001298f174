import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileQuery, detectDialect } from '../../../../../queries/language';
import { compileAthena } from '../../../../../queries/language/athena';
import { athenaReason } from '../../../../../queries/language/athena/detect';
import { parseSqlStatement } from '../../../../../queries/language/sql-syntax/parser';
import { PUBLISHED_QUERIES } from '../../../../fixtures/athena/published-queries';

function sql(text: string, range?: { from?: string; to?: string }): string {
  const r = compileAthena(text, range);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.sql;
}

function problem(text: string): { message: string; line: number; column: number; refused: boolean } {
  const r = compileAthena(text);
  assert.ok(!r.ok, `${text} compiled`);
  return { message: r.message, line: r.span.line, column: r.span.column, refused: r.refused };
}

test('every published query parses', () => {
  for (const p of PUBLISHED_QUERIES) assert.doesNotThrow(() => parseSqlStatement(p.query), p.title);
});

test('the parser reads Trino forms: typed literals, intervals, CAST, CASE, windows, lambdas, set operations', () => {
  const { statement } = parseSqlStatement(
    `WITH t (a) AS (SELECT 1) SELECT DATE '2020-01-01', IPADDRESS '10.0.0.1', INTERVAL '7' DAY, TRY_CAST(x AS varchar(10)),
       CASE WHEN a THEN 1 ELSE 2 END, row_number() OVER (PARTITION BY a ORDER BY b DESC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       filter(arr, x -> x > 1), count(*) FILTER (WHERE a), array_agg(DISTINCT b ORDER BY b), EXTRACT(HOUR FROM ts),
       a IS NOT DISTINCT FROM b, c NOT BETWEEN 1 AND 2, d NOT LIKE 'x%' ESCAPE '\\', ARRAY[1, 2][1]
     FROM t CROSS JOIN UNNEST(arr) WITH ORDINALITY AS u (v, n) LEFT JOIN (VALUES (1)) AS w (k) ON true
     UNION ALL SELECT * FROM t ORDER BY 1 OFFSET 2 LIMIT 10`,
  );
  assert.equal(statement.query.with?.ctes[0]?.name.name, 't');
  assert.equal(statement.query.body.kind, 'set');
  assert.equal(statement.query.limit?.kind, 'number');
});

test('a backquoted name is refused as Trino refuses it (Athena reads backquotes in DDL only)', () => {
  assert.deepEqual(problem('SELECT `end` FROM vpc_flow_logs'), {
    message: 'backquoted identifiers are not supported; use double quotes to quote identifiers',
    line: 1,
    column: 8,
    refused: false,
  });
});

test('syntax errors point at the offending token', () => {
  assert.deepEqual(problem('SELECT a FROM t WHERE'), {
    message: 'Expected an expression, found the end of the query.',
    line: 1,
    column: 22,
    refused: false,
  });
  const select = problem('SELECT select FROM t');
  assert.match(select.message, /`select` is a reserved word/);
  assert.equal(select.column, 8);
  assert.match(problem("SELECT 'abc").message, /This string is not closed/);
  // What follows a whole query is named for what it is: another statement, or a table function's call.
  const hint = (text: string) => {
    const r = compileAthena(text);
    assert.ok(!r.ok);
    return r.hint;
  };
  assert.equal(hint('SELECT 1; SELECT 2'), 'only one statement can run at a time');
  assert.match(hint("SELECT * FROM read_text('/etc/passwd')")!, /table functions such as read_text\(\) are DuckDB SQL/);
});

test('any table name is the records; WITH names are their queries', () => {
  assert.match(sql('SELECT count(*) FROM "db"."vpcflowlogtable"'), /FROM main\.flows AS "_r\d+"/);
  assert.match(
    sql('WITH x AS (SELECT srcaddr FROM vpcflow) SELECT * FROM x'),
    /WITH "_w\d+" AS \(SELECT .* FROM main\.flows/,
  );
});

test('the time range limits every reference to the records', () => {
  const text = sql('SELECT count(*) FROM t a JOIN t b ON a.srcaddr = b.dstaddr', { from: '2026-03-02T00:00:00Z' });
  assert.equal(text.match(/WHERE start_time >= TIMESTAMP '2026-03-02 00:00:00.000'/g)?.length, 2);
});

test('columns are named as Trino names them', () => {
  const r = compileAthena(
    'SELECT srcaddr, count(*), t.dstport, sum(bytes) AS "Total Bytes" FROM vpc_flow_logs t GROUP BY 1, 3',
  );
  assert.ok(r.ok);
  assert.deepEqual(r.columns, ['srcaddr', '_col1', 'dstport', 'total bytes']);
});

test('partition filters become ranges of the start time widened by the delivery lag, then of the day filed under', () => {
  const range = sql("SELECT * FROM t WHERE day >= '2021/02/01' AND day < '2021/02/28'");
  assert.match(
    range,
    /start_time >= \(TIMESTAMP '2021-02-01' - INTERVAL 1 DAY\)\) AND CASE WHEN "_r\d+"\.import_id IN \(SELECT i\.id FROM main\.imports AS i WHERE [^]*? >= TIMESTAMP '2021-02-01'\)\) ELSE \("_r\d+"\.start_time >= TIMESTAMP '2021-02-01'\) END/,
  );
  assert.match(range, /start_time < \(TIMESTAMP '2021-02-28' \+ INTERVAL 15 MINUTE\)\) AND CASE WHEN /);
  assert.match(
    sql("SELECT * FROM t WHERE date = DATE('2020-05-04')"),
    /start_time >= \(CAST\(CAST\('2020-05-04' AS DATE\) AS TIMESTAMP\) - INTERVAL 1 DAY\)/,
  );
  // Text in another layout is no day: compared as text.
  assert.match(
    sql("SELECT * FROM t WHERE day >= '2021/2/1'"),
    /strftime\(coalesce\([^]*, '%Y\/%m\/%d'\) >= '2021\/2\/1'/,
  );
});

test('text compared with a value other than "-" reads the stored column in filters, not in NOT', () => {
  assert.match(sql("SELECT * FROM t WHERE action = 'REJECT'"), /WHERE \("_r\d+"\."action" = 'REJECT'\)/);
  assert.match(
    sql("SELECT * FROM t WHERE NOT (action = 'REJECT')"),
    /NOT \(coalesce\("_r\d+"\."action", '-'\) = 'REJECT'\)/,
  );
  assert.match(sql("SELECT * FROM t WHERE action <> 'REJECT'"), /coalesce\("_r\d+"\."action", '-'\) <> 'REJECT'/);
});

test('from_unixtime(start) reads the stored start_time', () => {
  assert.match(
    sql("SELECT * FROM t WHERE from_unixtime(start) >= TIMESTAMP '2021-01-01 00:00:00'"),
    /"_r\d+"\.start_time >= TIMESTAMP/,
  );
});

test('Trino type rules are checked, with its messages', () => {
  assert.equal(problem("SELECT * FROM t WHERE srcport = '443'").message, "'=' cannot be applied to integer, varchar");
  assert.equal(
    problem("SELECT * FROM t WHERE start > '2020-01-01'").message,
    "'>' cannot be applied to bigint, varchar",
  );
  // `date` compared with text is the projected string partition (partition-layout.ts), not this error.
  assert.ok(compileAthena("SELECT * FROM t WHERE date > '2020-01-01'").ok);
  assert.match(problem('SELECT srcaddr + 1 FROM t').message, /'\+' cannot be applied to varchar, integer/);
  assert.match(problem("SELECT * FROM t WHERE srcport LIKE '4%'").message, /must evaluate to a varchar/);
  // A percentile outside 0 to 1 (DuckDB takes -1 to 1, and failed with its own Binder Error), at the argument.
  for (const p of ['2', '-0.1', 'ARRAY[0.5, 1.5]']) {
    const at = problem(`SELECT approx_percentile(bytes, ${p}) FROM t`);
    assert.deepEqual([at.message, at.column], ['Percentile must be between 0 and 1', 33], p);
  }
  assert.ok(compileAthena('SELECT approx_percentile(bytes, 0), approx_percentile(bytes, ARRAY[0.5, 1]) FROM t').ok);
  // A LIMIT past BIGINT (DuckDB's cast failed, and its message was read as an overflowing sum).
  const limit = problem('SELECT * FROM t LIMIT 9223372036854775808');
  assert.deepEqual([limit.message, limit.column], ['Invalid numeric literal: 9223372036854775808', 23]);
  assert.ok(compileAthena('SELECT * FROM t LIMIT 9223372036854775807').ok);
});

test('ambiguous and unknown names are errors, with a suggestion', () => {
  assert.match(problem('SELECT srcaddr FROM t a, t b').message, /Column 'srcaddr' is ambiguous/);
  assert.match(problem('SELECT x.srcaddr FROM a').message, /Column 'x.srcaddr' cannot be resolved/);
  const unknown = compileAthena('SELECT sourceadress FROM vpcflow');
  assert.ok(!unknown.ok && unknown.hint === 'did you mean `sourceaddress`?');
});

test('ORDER BY sees output names first, GROUP BY input columns', () => {
  // `day` is the alias in ORDER BY, but the partition column in GROUP BY.
  assert.match(sql('SELECT day_of_week(date) AS day, count(*) FROM t GROUP BY 1 ORDER BY day'), /ORDER BY "day" ASC/);
  assert.match(
    problem('SELECT day_of_week(date) AS day, count(*) FROM t GROUP BY day').message,
    /'date' must be an aggregate expression/,
  );
});

test('under SELECT DISTINCT, ORDER BY takes only what the select list holds, as Trino (Flowscope ordered by merged rows)', () => {
  const refused = problem('SELECT DISTINCT srcaddr FROM t ORDER BY bytes');
  assert.deepEqual(
    [refused.message, refused.column],
    ['For SELECT DISTINCT, ORDER BY expressions must appear in select list', 41],
  );
  assert.equal(problem('SELECT DISTINCT srcport + 1 FROM t ORDER BY srcport').column, 45);
  assert.equal(problem('SELECT DISTINCT action FROM t GROUP BY action ORDER BY count(*)').column, 56);
  // An output's position, its name or alias, the column behind an alias, the same expression, `*`'s columns.
  for (const ok of [
    'SELECT DISTINCT srcaddr, bytes FROM t ORDER BY 2',
    'SELECT DISTINCT srcaddr AS s FROM t ORDER BY s',
    'SELECT DISTINCT srcaddr AS s FROM t ORDER BY srcaddr',
    'SELECT DISTINCT lower(srcaddr) FROM t f ORDER BY lower(f.srcaddr)',
    'SELECT DISTINCT * FROM t ORDER BY bytes',
    'SELECT srcaddr FROM t ORDER BY bytes',
  ])
    assert.ok(compileAthena(ok).ok, ok);
});

test('detection picks Athena SQL for other tables and Trino-only constructs, and says why', () => {
  assert.equal(detectDialect("SELECT * FROM flows WHERE action = 'REJECT'"), 'sql');
  assert.equal(detectDialect('SELECT * FROM main.flows JOIN protocol_names USING (protocol)'), 'sql');
  assert.equal(detectDialect('WITH x AS (SELECT 1) SELECT * FROM x'), 'sql');
  assert.equal(detectDialect('SELECT extract(hour FROM start_time) FROM flows'), 'sql');
  assert.equal(detectDialect('SELECT * FROM range(10)'), 'sql');
  assert.equal(athenaReason('SELECT * FROM vpc_flow_logs'), 'it reads from `vpc_flow_logs`, not `flows`');
  assert.equal(athenaReason('SELECT from_unixtime(start) FROM flows'), 'from_unixtime() is a Trino function');
  assert.equal(athenaReason('SELECT CAST(srcaddr AS IPADDRESS) FROM flows'), 'IPADDRESS is a Trino type');
  assert.equal(athenaReason('MSCK REPAIR TABLE t'), 'MSCK REPAIR TABLE is an Athena statement');
  for (const p of PUBLISHED_QUERIES) assert.equal(detectDialect(p.query), 'athena', p.title);
  const compiled = compileQuery('SELECT count(*) FROM vpcflow');
  assert.equal(compiled.note, 'Read as Athena SQL: it reads from `vpcflow`, not `flows`.');
  assert.equal(compileQuery('SELECT count(*) FROM vpcflow', { dialect: 'athena' }).note, undefined);
});

test('Athena-only statements are refused with a reason, before any parse', () => {
  const msck = compileQuery('MSCK REPAIR TABLE vpc_flow_logs');
  assert.equal(msck.dialect, 'athena');
  assert.equal(msck.refused, true);
  assert.match(msck.diagnostics[0]!.message, /MSCK REPAIR TABLE loads partitions/);
  assert.ok(problem('SHOW PARTITIONS vpcflow').refused);
});

test('EXPLAIN explains the translated query', () => {
  assert.match(sql('EXPLAIN SELECT count(*) FROM vpcflow'), /^EXPLAIN SELECT count\(\*\)/);
});
