/**
 * Sumo's `split` and `csv` operators on the hand-written fixture (`fixture.ts`): positions of the logged line,
 * checked against the fields the workspace parsed from it, and quoted values, escapes and short texts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileQuery } from '../../../queries/language';
import { openFixture, sumoRows } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

const run = (query: string) => sumoRows(fx().engine, query);

test('split _raw at blanks takes the line’s positions: the same groups as the parsed fields', async () => {
  const split = await run(
    "split _raw delim=' ' extract 4 as src, 5 as dst, _, 7 as port | count by src, port | sort by src, port asc",
  );
  const parsed = await run('srcaddr as src | dstport as port | count by src, port | sort by src, port asc');
  assert.ok(split.length > 1);
  assert.deepEqual(split, parsed);
  // Positional names go on from the last `N as`: 13 as action, status is 14.
  const tail = await run(
    "split _raw delim=' ' extract 13 as act, status2 | count by act, status2 | sort by act, status2 asc",
  );
  const fields = await run('action as act | log_status as status2 | count by act, status2 | sort by act, status2 asc');
  assert.deepEqual(tail, fields);
});

test('a quoted value holds the delimiter, an escaped character is itself, a short text leaves the rest absent', async () => {
  const [row] = await run(
    String.raw`"a,\"b,c\",d\,e" as t | split t extract x, y, z, w | csv t extract 1 as c1, 2 as c2, 9 as c9 | fields x, y, z, w, c1, c2, c9 | limit 1`,
  );
  assert.deepEqual(row, { x: 'a', y: 'b,c', z: 'd,e', w: null, c1: 'a', c2: 'b,c', c9: null });
  // A delimiter outside the Basic Multilingual Plane is one character, as Sumo counts them.
  const [astral] = await run(`"a😀b" as t | split t delim='😀' extract x, y | fields x, y | limit 1`);
  assert.deepEqual(astral, { x: 'a', y: 'b' });
  const [colon] = await run(`"u1:acct:s9" as t | split t delim=':' extract 2 as account | fields account | limit 1`);
  assert.deepEqual(colon, { account: 'acct' });
});

test('split refuses what Sumo refuses, at its place', () => {
  const problem = (q: string) => compileQuery(`_sourceCategory=vpc | ${q}`, { dialect: 'sumo' }).diagnostics[0]!;
  assert.match(problem("split _raw delim=' ' 1 as a").message, /Expected `extract`/);
  assert.match(problem("split _raw delim=' ' quote=' ' extract 1 as a").message, /must all be different/);
  assert.match(problem("split _raw delim='::' extract 1 as a").message, /one character in quotes/);
  assert.match(problem('split _raw extract a, 1 as b').message, /extracted twice, or its position is/);
  assert.match(problem('split _raw extract 256 as far').message, /a position from 1 to 255/);
  assert.match(problem("split _raw delim=' ' extract").message, /The query ends where a name/);
});
