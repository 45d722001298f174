/**
 * Regular expressions run in RE2 (DuckDB's engine). A named group as the services write it, `(?<name>…)`,
 * matches as there (RE2 reads only `(?P<name>…)`); a pattern RE2 cannot read is a query error at the piece at
 * fault in the text the analyst wrote, in every dialect, and what RE2 lacks that the services have is named.
 * Before, both were DuckDB's message alone: "Invalid Input Error: missing ): (a", with no place.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Dialect, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { openFixture, queryError } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

/** The message, and where its diagnostic points: the text under it and its hint. */
async function said(dialect: Dialect, query: string) {
  const err = await queryError(fx().engine, dialect, query);
  const [d] = (err.detail as { diagnostics?: { span: { offset: number; length: number }; hint?: string }[] })
    ?.diagnostics ?? [undefined];
  return {
    message: err.message,
    at: d && query.slice(d.span.offset, d.span.offset + d.span.length),
    hint: d?.hint,
  };
}

test('a pattern RE2 cannot read is an error at its place, in each dialect', async () => {
  assert.deepEqual(await said('insights', 'filter srcAddr like /10\\.0\\y/ | stats count(*)'), {
    message: 'line 1, column 27: The regular expression is not valid: invalid escape sequence at `\\y`.',
    at: '\\y',
    hint: undefined,
  });
  assert.deepEqual(await said('sumo', '_sourceCategory=vpc | where srcaddr matches /[z-a]/ | count'), {
    message: 'line 1, column 47: The regular expression is not valid: invalid character class range at `z-a`.',
    at: 'z-a',
    hint: undefined,
  });
  const athena = await said('athena', "SELECT count(*) FROM vpc_flow_logs WHERE regexp_like(srcaddr, '^(10|192')");
  assert.deepEqual([athena.at, athena.hint], ['^(10|192', undefined]);
  assert.match(
    athena.message,
    /^line 1, column 64: The regular expression is not valid: missing \) at `\^\(10\|192`\.$/,
  );
  const sql = await said('sql', "SELECT count(*) FROM flows WHERE regexp_matches(srcaddr, '10{3,1}')");
  assert.deepEqual([sql.at, sql.hint], ['{3,1}', undefined]);
});

test('what RE2 lacks and the services read is named: lookahead, lookbehind, backreferences', async () => {
  const cases: [Dialect, string, string][] = [
    ['insights', 'filter srcAddr like /(?=10)/', 'has no lookahead'],
    ['insights', 'filter dstAddr like /(?<!10\\.)0/', 'has no lookbehind'],
    ['athena', "SELECT regexp_like(srcaddr, '(?<=10)\\.') FROM vpc_flow_logs", 'has no lookbehind'],
    ['sql', "SELECT regexp_matches(srcaddr, '(1)\\1') FROM flows", 'has no backreferences'],
  ];
  for (const [dialect, query, lack] of cases) {
    const { hint, message } = await said(dialect, query);
    assert.equal(hint, `RE2, which runs regular expressions here, ${lack}`, `${query}: ${message}`);
  }
});

test('a piece found twice in the text is named without a place', async () => {
  const { message, at } = await said('insights', 'filter srcAddr like /a{2,1}/ or dstAddr like /a{2,1}/');
  assert.equal(message, 'The regular expression is not valid: invalid repetition size at `{2,1}`.');
  assert.equal(at, undefined);
});

test('a piece the text has outside its patterns too is placed in the one pattern holding it', async () => {
  // Trino's regexp_extract(srcaddr, '(') : the `(` of the call and the one of the pattern. Before: no place.
  const athena = "SELECT regexp_extract(srcaddr, '(') FROM vpc_flow_logs";
  assert.deepEqual(await said('athena', athena), {
    message: 'line 1, column 33: The regular expression is not valid: missing ) at `(`.',
    at: '(',
    hint: undefined,
  });
  const twice = "SELECT regexp_like(srcaddr, '(') OR regexp_like(dstaddr, '(') FROM vpc_flow_logs";
  assert.equal((await said('athena', twice)).at, undefined);
});

test('a piece of a pattern whose groups have names is found as written: RE2 names it without them', async () => {
  // parse takes the names out of its groups, re2Pattern writes (?P<name>: RE2's piece is neither as written.
  const sumo = await said('sumo', '_sourceCategory=vpc | parse regex "(?<a>\\d+)\\.(?<b>\\d+" | count by a');
  assert.equal(sumo.at, '(?<a>\\d+)\\.(?<b>\\d+');
  assert.match(sumo.message, /^line 1, column 36: The regular expression is not valid: missing \) at `\(\?<a>/);
  const athena = await said('athena', "SELECT regexp_extract(srcaddr, '(?<a>\\d+)\\.(?<b>\\d+') FROM vpc_flow_logs");
  assert.equal(athena.at, '(?<a>\\d+)\\.(?<b>\\d+');
});

test('a named group written (?<name>…), as CloudWatch, Sumo and Trino write it, matches as theirs do', async () => {
  // (Sumo's `matches` takes the whole text.)
  const count = async (dialect: Dialect, query: string) => {
    const out = (await call(fx().engine, 'query.run', { query, dialect, pageSize: 10 })) as Output<'query.run'>;
    return out.rows[0]![0];
  };
  const plain = await count('insights', 'filter srcAddr like /^192\\.0\\.2\\./ | stats count(*)');
  assert.ok(Number(plain) > 0);
  assert.equal(await count('insights', 'filter srcAddr like /^(?<net>192\\.0\\.2)\\./ | stats count(*)'), plain);
  assert.equal(
    await count('sumo', '_sourceCategory=vpc | where srcaddr matches /(?<net>192\\.0\\.2)\\.\\d+/ | count'),
    plain,
  );
  assert.equal(
    await count('athena', "SELECT count(*) FROM vpc_flow_logs WHERE regexp_like(srcaddr, '^(?<net>192\\.0\\.2)\\.')"),
    plain,
  );
  assert.equal(
    await count('athena', "SELECT regexp_extract('10.1.2.3', '(?<a>\\d+)\\.(?<b>\\d+)', 2) FROM vpc_flow_logs LIMIT 1"),
    '1',
  );
});
