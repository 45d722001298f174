import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandIpv6, IPV4_MAPPED, ipv4Of, ipv6Hex, parseCidr, parseIpv4 } from '../../../../queries/catalog/ip';
import { compileQuery } from '../../../../queries/language';
import { bindFlows, explainSql, leadingWord, readExplain } from '../../../../queries/language/sql';

test('IPv4 addresses and CIDRs become integers and ranges', () => {
  assert.equal(parseIpv4('10.0.0.1'), 167772161);
  assert.equal(parseIpv4('255.255.255.255'), 4294967295);
  assert.equal(parseIpv4('256.0.0.1'), undefined);
  assert.deepEqual(parseCidr('10.1.2.3/8'), { family: 4, lo: 167772160, hi: 184549375 });
  assert.deepEqual(parseCidr('0.0.0.0/0'), { family: 4, lo: 0, hi: 4294967295 });
  assert.deepEqual(parseCidr('192.0.2.7'), { family: 4, lo: 3221225991, hi: 3221225991 });
  assert.equal(parseCidr('10.0.0.0/33'), undefined);
});

test('IPv6 addresses expand to 32 hex digits and CIDRs to ranges of them', () => {
  assert.equal(expandIpv6('2001:db8::1'), '20010db8000000000000000000000001');
  assert.equal(expandIpv6('::'), '0'.repeat(32));
  assert.equal(expandIpv6('fe80::1:2:3:4'), 'fe800000000000000001000200030004');
  assert.equal(expandIpv6('1::2::3'), undefined);
  assert.deepEqual(parseCidr('2001:db8::/32'), {
    family: 6,
    lo: '20010db8000000000000000000000000',
    hi: '20010db8ffffffffffffffffffffffff',
  });
  assert.deepEqual(parseCidr('2001:db8::/31'), {
    family: 6,
    lo: '20010db8000000000000000000000000',
    hi: '20010db9ffffffffffffffffffffffff',
  });
});

test('an IPv6 address with a dotted IPv4 tail is its 128 bits, and an IPv4-mapped one is its IPv4 address', () => {
  assert.equal(ipv6Hex('::ffff:10.0.0.9'), '00000000000000000000ffff0a000009');
  assert.equal(ipv6Hex('64:ff9b::8.8.8.8'), '0064ff9b000000000000000008080808');
  assert.equal(ipv6Hex('::ffff:10.0.0.256'), undefined);
  // A network in mixed notation (CloudWatch's isIpInSubnet refused it as "not a CIDR range").
  assert.deepEqual(parseCidr('::ffff:10.0.0.0/104'), {
    family: 6,
    lo: '00000000000000000000ffff0a000000',
    hi: '00000000000000000000ffff0affffff',
  });
  const mapped = new RegExp(`^(${IPV4_MAPPED})$`);
  for (const text of [
    '::ffff:10.0.0.9',
    '::FFFF:a00:9',
    '0:0:0:0:0:ffff:10.0.0.9',
    '0::ffff:10.0.0.9',
    '::0:0:0:0:ffff:a00:9',
  ]) {
    assert.equal(ipv4Of(text), 167772169, text);
    assert.ok(mapped.test(text), text);
  }
  for (const text of [
    '64:ff9b::10.0.0.9',
    '::ffff:0:a00:9',
    '::10.0.0.9',
    '::0:0:0:0:0:ffff:10.0.0.9',
    '2001:db8::1',
  ]) {
    assert.equal(ipv4Of(text), undefined, text);
    assert.ok(!mapped.test(text), text);
  }
  assert.equal(ipv4Of('10.0.0.9'), 167772169);
});

test('the first word of SQL is found after comments', () => {
  assert.deepEqual(leadingWord('/* a */ -- b\n  select 1'), { word: 'SELECT', offset: 15 });
});

test('flows is bound to the time range in every form of query', () => {
  const range = { from: '2026-03-02T00:00:00Z', to: null };
  const cte =
    "flows AS NOT MATERIALIZED (SELECT * FROM main.flows WHERE start_time >= TIMESTAMP '2026-03-02 00:00:00.000')";
  const bound = (text: string) => {
    const r = bindFlows(text, range);
    assert.ok(r.ok);
    return r.sql;
  };
  assert.equal(bound('SELECT * FROM flows'), `WITH ${cte} SELECT * FROM flows`);
  assert.equal(
    bound('with x as (select 1) select * from x, flows'),
    `WITH ${cte}, x as (select 1) select * from x, flows`,
  );
  assert.equal(bound('WITH RECURSIVE r AS (SELECT 1) SELECT 1'), `WITH RECURSIVE ${cte}, r AS (SELECT 1) SELECT 1`);
  assert.equal(bound('SUMMARIZE flows;'), `SUMMARIZE WITH ${cte} SELECT * FROM flows`);
  // An EXPLAIN is written afresh around the statement it explains, its option list first.
  assert.equal(bound('EXPLAIN ANALYZE SELECT 1'), `EXPLAIN (ANALYZE, FORMAT TEXT) WITH ${cte} SELECT 1`);
  assert.equal(bound('EXPLAIN (FORMAT json) FROM flows'), `EXPLAIN (FORMAT JSON) WITH ${cte} FROM flows`);
  assert.equal(bound('EXPLAIN (SELECT 1)'), `EXPLAIN (FORMAT TEXT) (WITH ${cte} SELECT 1)`);
  assert.deepEqual(bindFlows('SELECT 1', null), { ok: true, sql: 'SELECT 1' });
});

test('SQL reading main.flows over a time range is warned that the range does not apply to it', () => {
  const range = { from: '2026-03-04T23:00:00Z', to: '2026-03-05T00:00:00Z' };
  const text = 'SELECT count(*) AS n\nFROM flows, "Main" . Flows -- main.flows\nWHERE 1';
  const r = compileQuery(text, { dialect: 'sql', timeRange: range });
  assert.deepEqual(
    r.warnings?.map((w) => [w.span.line, w.span.column, text.slice(w.span.offset, w.span.offset + w.span.length)]),
    [[2, 13, '"Main" . Flows']],
  );
  assert.match(r.warnings![0]!.message, /every record .*time range applies to `flows` only/);
  // Without a range it reads what `flows` reads: nothing to say; nor for `flows` alone or a text it cannot read.
  assert.equal(compileQuery(text, { dialect: 'sql' }).warnings, undefined);
  assert.equal(compileQuery('SELECT * FROM flows', { dialect: 'sql', timeRange: range }).warnings, undefined);
  assert.equal(compileQuery("SELECT 'x FROM main.flows", { dialect: 'sql', timeRange: range }).warnings, undefined);
});

test('an EXPLAIN is read as DuckDB reads it: options, nested comments, the statement it explains', () => {
  const read = (text: string) => {
    const e = readExplain(text);
    return e && [e.analyze, e.format, e.statement];
  };
  assert.deepEqual(read('explain analyse select 1'), [true, 'TEXT', 'select 1']);
  assert.deepEqual(read("EXPLAIN (ANALYZE false, FORMAT 'json') SELECT 1"), [false, 'JSON', 'SELECT 1']);
  assert.deepEqual(read('EXPLAIN (ANALYZE, FORMAT json) DELETE FROM x'), [true, 'JSON', 'DELETE FROM x']);
  // Not an option list: the start of the statement.
  assert.deepEqual(read('EXPLAIN (SELECT 1) UNION (SELECT 2)'), [false, 'TEXT', '(SELECT 1) UNION (SELECT 2)']);
  assert.deepEqual(read('EXPLAIN (COSTS off) SELECT 1'), [false, 'TEXT', '(COSTS off) SELECT 1']);
  // DuckDB nests block comments: all of this one is a comment, and the EXPLAIN after it is the statement.
  const hidden = '/* /* */ EXPLAIN ANALYZE SELECT 1 AS "*/ EXPLAIN ANALYZE DELETE FROM x --"';
  assert.deepEqual(read(hidden), [true, 'TEXT', 'DELETE FROM x --"']);
  assert.equal(leadingWord('/* a /* b */ SELECT */ DELETE').word, 'DELETE');
  assert.equal(readExplain('SELECT 1'), null);
  assert.equal(explainSql(readExplain('EXPLAIN ANALYZE (SELECT 1)')!), 'EXPLAIN (ANALYZE, FORMAT TEXT) (SELECT 1)');
});

test('statements that are not queries are refused before DuckDB sees them', () => {
  for (const text of [
    'COPY flows TO x',
    'attach x',
    'PRAGMA version',
    'SET threads=1',
    'INSTALL httpfs',
    'LOAD httpfs',
    'CREATE SECRET x ()',
  ]) {
    const r = bindFlows(text);
    assert.equal(r.ok, false, text);
  }
});
