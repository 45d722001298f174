/**
 * The second back end pinned by the first: every built-in library query (Insights, Sumo, DuckDB SQL) and
 * every published Athena query is compiled to Trino SQL, checked by a maintained Trino grammar
 * (dt-sql-parser), and run back through the Athena dialect on the fixture's records, where it must give
 * the answer the query gives locally. What the compiler refuses is listed with its reason, and only what
 * needs the workspace may be refused.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TrinoSQL } from 'dt-sql-parser';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { SavedQuery } from '../../../queries/library/saved-query';
import { compileQuery } from '../../../queries/language';
import { compileTrino } from '../../../queries/language/trino';
import type { Dialect } from '../../../queries/language/types';
import { openAthenaFixture, V5_FIELDS, type AthenaFixture } from '../query/athena-fixture';
import { PUBLISHED_QUERIES } from '../../fixtures/athena/published-queries';

let data: AthenaFixture;
before(async () => {
  data = await openAthenaFixture();
});
after(async () => {
  await data.close();
});

const table = { name: 'flowlogs.vpc_flow_logs', partitions: { kind: 'day' as const, column: 'day' } };
const range = { from: '2021-01-01T00:00:00Z', to: '2021-05-01T00:00:00Z' };

async function rows(query: string, dialect: Dialect, timeRange?: typeof range): Promise<string[]> {
  const got = (await call(data.engine, 'query.run', {
    query,
    dialect,
    pageSize: 10_000,
    ...(timeRange ? { timeRange } : {}),
  })) as Output<'query.run'>;
  assert.equal(got.rowCount, got.rows.length, 'the fixture answers fit one page');
  const cell = (c: CellValue) => (typeof c === 'number' && !Number.isInteger(c) ? Number(c.toPrecision(9)) : c);
  return got.rows.map((r) => JSON.stringify(r.map(cell))).sort();
}

const LIBRARY = new URL('../../../queries/library/', import.meta.url).pathname;
const builtins = readdirSync(LIBRARY)
  .filter((f) => f.endsWith('.flowquery.json'))
  .sort()
  .map((f) => ({ file: f, ...SavedQuery.parse(JSON.parse(readFileSync(join(LIBRARY, f), 'utf8'))) }));

/** Insights' calendar periods and time-series functions, which the library's queries do not use. */
const INSIGHTS_TIME = [
  'stats sum(bytes) as b by bin(1mo) as t',
  'stats count(*) as n by bin(1q) as t, action',
  'stats count(*) as n by datefloor(@timestamp, 1y) as y, dateceil(@timestamp, 1mo) as c',
  'stats count_over_time(bytes) as n, sum_over_time(bytes) as b by bin(1d) as t offset 1d',
];

/** A projected `date string` partition (the OneUptime blog's table), unqualified so that it can be sent. */
const TEXT_DATE =
  "SELECT date, count(*) AS n FROM vpc_flow_logs WHERE date BETWEEN '2021/02/01' AND '2021/04/30' GROUP BY date";

/**
 * A NODATA record's missing text: the text table holds `-` in its string columns, which the workspace's
 * records read as missing (NULL to SQL, the logged `-` to Insights and Sumo).
 */
const MISSING_TEXT: [string, Dialect][] = [
  ['filter srcAddr = "-" | stats count(*) as c', 'insights'],
  ['filter action != "-" | stats count(*) as c by action', 'insights'],
  ['_sourceCategory=vpc | where src_ip = "-" | count', 'sumo'],
  ['SELECT count(*) AS n FROM flows WHERE srcaddr IS NULL', 'sql'],
  ['SELECT count(srcaddr) AS n, count(DISTINCT action) AS a FROM flows', 'sql'],
];

/**
 * Insights' natural order of text (its `sort` after a stats, `sortsFirst`/`sortsLast`, `min`/`max` of text),
 * over the fixture's ENI ids, addresses and NODATA `-`.
 */
const NATURAL_ORDER = [
  'stats count(*) as n by interfaceId | sort interfaceId',
  'stats count(*) as n by srcAddr | sort srcAddr desc',
  'stats sortsFirst(srcAddr) as f, sortsLast(srcAddr) as l, min(action) as a, max(interfaceId) as m',
  'stats count(*) as n by interfaceId | stats sortsFirst(interfaceId) as f, sortsLast(interfaceId) as l',
];

const cases: { name: string; query: string; dialect: Dialect; answers?: true; range?: typeof range }[] = [
  ...builtins.map((q) => ({ name: q.file, query: q.query, dialect: q.dialect })),
  ...INSIGHTS_TIME.map((query) => ({ name: query, query, dialect: 'insights' as Dialect, answers: true })),
  // Over the fixture's NODATA record of July 2020 too.
  ...MISSING_TEXT.map(([query, dialect]) => ({
    name: query,
    query,
    dialect,
    answers: true as const,
    range: { ...range, from: '2020-07-01T00:00:00Z' },
  })),
  ...NATURAL_ORDER.map((query) => ({ name: query, query, dialect: 'insights' as Dialect, answers: true as const })),
  { name: TEXT_DATE, query: TEXT_DATE, dialect: 'athena' as Dialect, answers: true },
  ...PUBLISHED_QUERIES.map((q) => ({ name: q.title, query: q.query, dialect: 'athena' as Dialect })),
];

for (const c of cases)
  test(`Trino for ${c.name} (${c.dialect}) parses and answers as the local query`, async (t) => {
    const over = c.range ?? range;
    const compiled = compileTrino(c.query, { dialect: c.dialect, table, timeRange: over });
    if (compiled.sql === null) {
      const why = compiled.diagnostics[0]?.message ?? '';
      // A query wrong here is wrong there, for the same reason; otherwise only what needs the workspace.
      const local = compileQuery(c.query, { dialect: c.dialect });
      if (local.sql === null) assert.equal(why, local.diagnostics[0]?.message);
      // What needs the workspace, and what the workspace does after the SQL (Sumo's transpose), or a DuckDB
      // form with no Trino writing yet: each refused with its reason, printed here.
      // A table named with another database (`network_logs.t`) is not the one the query is sent to.
      else assert.match(why, /workspace|IANA|enrichment|no Trino equivalent|is another table/, why);
      t.diagnostic(`refused: ${why}`);
      return;
    }
    assert.deepEqual(new TrinoSQL().validate(compiled.sql), [], compiled.sql);
    const local = await rows(c.query, c.dialect, over);
    if (c.answers) assert.ok(local.length > 0, 'the fixture has records for this query');
    assert.deepEqual(await rows(compiled.sql, 'athena'), local, compiled.sql);
  });

test("on a table of the v5 format, @message is the line of the definition's columns: a search finds a VPC or a direction", async () => {
  // The table as its definition lists it (GetTableMetadata): the v5 fields, then the partition.
  const v5 = { ...table, columns: [...V5_FIELDS.split(' ').map((f) => f.replace(/-/g, '_')), 'day'] };
  for (const [query, dialect] of [
    ['filter @message like "vpc-0aa" | stats count(*) as n', 'insights'],
    ['filter @message like /egress/ | stats count(*) as n', 'insights'],
    ['_sourceCategory=vpc "subnet-0bb" | count', 'sumo'],
  ] as const) {
    const compiled = compileTrino(query, { dialect, table: v5, timeRange: range });
    assert.ok(compiled.sql, JSON.stringify(compiled.diagnostics));
    const local = await rows(query, dialect, range);
    assert.notDeepEqual(local, ['[0]'], `the fixture's v5 records answer ${query}`);
    assert.deepEqual(await rows(compiled.sql, 'athena'), local, compiled.sql);
  }
});

/** The `ROW(…)` constructors of a Trino text, each as its top-level items. */
function rowConstructors(sql: string): string[][] {
  const out: string[][] = [];
  for (let at = sql.indexOf('ROW('); at >= 0; at = sql.indexOf('ROW(', at + 4)) {
    const items: string[] = [];
    let depth = 0;
    let quote = '';
    let start = at + 4;
    for (let i = start; i < sql.length; i++) {
      const ch = sql[i]!;
      if (quote) {
        if (ch === quote) quote = '';
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '(') depth++;
      else if (ch === ',' && depth === 0) {
        items.push(sql.slice(start, i));
        start = i + 1;
      } else if (ch === ')' && depth-- === 0) {
        items.push(sql.slice(start, i));
        break;
      }
    }
    out.push(items);
  }
  return out;
}

test('the keys sent for the value that sorts first or last hold no NULL: Trino before mid-2026 refuses to compare such a ROW', async () => {
  // "ROW comparison not supported for fields with null elements" (trinodb/trino#30013 lifted it in June 2026).
  const query = NATURAL_ORDER[2]!;
  const compiled = compileTrino(query, { dialect: 'insights', table, timeRange: range });
  assert.ok(compiled.sql, JSON.stringify(compiled.diagnostics));
  const [withClause] = compiled.sql.split('\nSELECT ');
  const keys = rowConstructors(compiled.sql);
  assert.equal(keys.length, 4, compiled.sql);
  for (const items of keys) {
    const anyNull = items.map((i) => `(${i}) IS NULL`).join(' OR ');
    const check = `${withClause}\nSELECT count(*) AS n FROM "flows" WHERE ${anyNull}`;
    assert.deepEqual(await rows(check, 'athena'), ['[0]'], check);
  }
});
