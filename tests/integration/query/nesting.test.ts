/**
 * Long and deep queries (`queries/language/nesting.ts`): an indicator list of thousands of addresses joined
 * by `or` answers in every dialect, nesting up to the limit answers, and past it, or past what the stack
 * can follow, the analyst gets a query error at the place to fix, never an internal error. Before: 3,000
 * `or` terms, 1,000 parentheses or 3,000 `+` overflowed the stack in the parser or the compiler.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Dialect, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { MAX_NESTING } from '../../../queries/language/nesting';
import { compileTrino } from '../../../queries/language/trino';
import { compileQuery } from '../../../queries/language';
import { openFixture, queryError, ROWS } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

async function count(dialect: Dialect, query: string): Promise<number> {
  const out = (await call(fx().engine, 'query.run', { query, dialect, pageSize: 10 })) as Output<'query.run'>;
  assert.equal(out.rows.length, 1, query.slice(0, 80));
  return Number(out.rows[0]![0]);
}

/** 3,000 addresses, two of them sources in the fixture (three records), the others in no record. */
const INDICATORS = [
  '192.0.2.10',
  ...Array.from({ length: 2998 }, (_, i) => `203.0.${113 + (i >> 8)}.${i & 255}`),
  '198.51.100.7',
];
const EXPECTED = ROWS.filter(([src]) => src === '192.0.2.10' || src === '198.51.100.7').length;

test('an indicator list of 3,000 addresses joined by or answers in every dialect', async () => {
  assert.equal(EXPECTED, 3);
  const either = (field: string, quote: string, or: string) =>
    INDICATORS.map((a) => `${field} = ${quote}${a}${quote}`).join(` ${or} `);
  assert.equal(await count('insights', `filter ${either('srcAddr', '"', 'or')} | stats count(*) as n`), EXPECTED);
  assert.equal(await count('sumo', `_sourceCategory=vpc | where ${either('src_ip', '"', 'or')} | count`), EXPECTED);
  assert.equal(
    await count('athena', `SELECT count(*) AS n FROM vpc_flow_logs WHERE ${either('srcaddr', "'", 'OR')}`),
    EXPECTED,
  );
  // Sumo's scope, as its users search for indicators: an address is either end of a record.
  const eitherEnd = ROWS.filter(
    ([src, dst]) => INDICATORS.includes(src ?? '') || INDICATORS.includes(dst ?? ''),
  ).length;
  assert.equal(eitherEnd, 4);
  const scope = `_sourceCategory=vpc (${INDICATORS.join(' OR ')}) | count`;
  assert.equal(await count('sumo', scope), eitherEnd);
  assert.equal(
    compileQuery(scope, { dialect: 'sumo' }).sql!.match(/ IN \(/g)?.length,
    2,
    'one list per address column',
  );
  // The same list as a chain of `and`: the records from none of them (to Insights a NODATA record's source
  // is `-`, as logged, which is none of them either).
  const all = INDICATORS.map((a) => `srcAddr != "${a}"`).join(' and ');
  const others = ROWS.filter(([src]) => !INDICATORS.includes(src ?? '-')).length;
  assert.equal(others, ROWS.length - EXPECTED);
  assert.equal(await count('insights', `filter ${all} | stats count(*) as n`), others);
});

test(`nesting ${MAX_NESTING} deep answers; deeper is a query error at the parenthesis that passed the limit`, async () => {
  const deep = (n: number, inner: string) => `${'('.repeat(n)}${inner}${')'.repeat(n)}`;
  const within = MAX_NESTING - 2;
  const bigger = ROWS.filter(([, , , , , , bytes]) => bytes !== null && bytes > 500).length;
  assert.equal(await count('insights', `filter ${deep(within, 'bytes > 500')} | stats count(*) as n`), bigger);
  assert.equal(await count('sumo', `_sourceCategory=vpc | where ${deep(within, 'bytes > 500')} | count`), bigger);
  assert.equal(
    await count('athena', `SELECT count(*) AS n FROM vpc_flow_logs WHERE ${deep(within, 'bytes > 500')}`),
    bigger,
  );
  for (const [dialect, prefix] of [
    ['sumo', '_sourceCategory=vpc '],
    ['insights', 'filter '],
    ['sumo', '_sourceCategory=vpc | where '],
    ['athena', 'SELECT count(*) FROM vpc_flow_logs WHERE '],
  ] as const) {
    const err = await queryError(fx().engine, dialect, `${prefix}${deep(1000, 'bytes > 500')}`);
    assert.match(err.message, new RegExp(`nests more than ${MAX_NESTING} levels deep`), dialect);
    // The parenthesis at which the limit was passed: the text's first columns are the prefix.
    const column = Number(/column (\d+)/.exec(err.message)?.[1]);
    assert.ok(column > prefix.length + MAX_NESTING - 2 && column <= prefix.length + MAX_NESTING + 2, err.message);
  }
});

test('a chain too long for the stack to follow is a query error, not an internal one', async () => {
  const terms = Array.from({ length: 45_000 }, () => '1').join('+');
  for (const [dialect, query] of [
    ['insights', `fields ${terms} as x | limit 1`],
    ['sumo', `_sourceCategory=vpc | ${terms} as x | count by x`],
    ['athena', `SELECT ${terms} AS x FROM vpc_flow_logs`],
  ] as const) {
    const err = await queryError(fx().engine, dialect, query);
    assert.match(err.message, /nested or chained too deeply to compile/, dialect);
  }
});

test("the same queries for Athena's own engine: the list compiles, the chain too long is refused", () => {
  const table = { name: 'flowlogs.vpc_flow_logs', partitions: { kind: 'day' as const, column: 'day' } };
  const list = INDICATORS.map((a) => `srcAddr = "${a}"`).join(' or ');
  const sql = INDICATORS.map((a) => `srcaddr = '${a}'`).join(' OR ');
  for (const [dialect, query] of [
    ['insights', `filter ${list} | stats count(*) as n`],
    ['athena', `SELECT count(*) AS n FROM vpc_flow_logs WHERE ${sql}`],
    ['sql', `SELECT count(*) AS n FROM flows WHERE ${sql}`],
  ] as const) {
    const r = compileTrino(query, { dialect, table });
    assert.ok(r.sql?.includes("'198.51.100.7'"), `${dialect}: ${JSON.stringify(r.diagnostics)}`);
  }
  const terms = Array.from({ length: 45_000 }, () => '1').join('+');
  for (const [dialect, query] of [
    ['athena', `SELECT ${terms} AS x FROM vpc_flow_logs`],
    ['sql', `SELECT ${terms} AS x FROM flows`],
  ] as const) {
    const r = compileTrino(query, { dialect, table });
    assert.equal(r.sql, null, dialect);
    assert.match(r.diagnostics[0]!.message, /nested or chained too deeply to compile/, dialect);
  }
});

test('an or of one field equal to constants is one IN list, an and of != one NOT IN list, with the same answers', async () => {
  const list = (dialect: Dialect, query: string) => {
    const sql = compileQuery(query, { dialect }).sql!;
    return { in: / IN \(/.test(sql), or: / OR /.test(sql) };
  };
  const indicators = INDICATORS.map((a) => `srcAddr = "${a}"`).join(' or ');
  assert.deepEqual(list('insights', `filter ${indicators} | stats count(*) as n`), { in: true, or: false });
  const sumo = INDICATORS.map((a) => `src_ip = "${a}"`).join(' or ');
  assert.deepEqual(list('sumo', `_sourceCategory=vpc | where ${sumo} | count`), { in: true, or: false });
  const athena = INDICATORS.map((a) => `srcaddr = '${a}'`).join(' OR ');
  assert.deepEqual(list('athena', `SELECT count(*) FROM vpc_flow_logs WHERE ${athena}`), { in: true, or: false });
  // An exclusion list: `!=` joined by `and` is one NOT IN list.
  const none = (dialect: Dialect, query: string) => / NOT IN \(/.test(compileQuery(query, { dialect }).sql!);
  const excluded = INDICATORS.map((a) => `srcAddr != "${a}"`).join(' and ');
  assert.ok(none('insights', `filter ${excluded} | stats count(*) as n`));
  const sumoExcluded = INDICATORS.map((a) => `src_ip != "${a}"`).join(' and ');
  assert.ok(none('sumo', `_sourceCategory=vpc | where ${sumoExcluded} | count`));
  const athenaExcluded = INDICATORS.map((a) => `srcaddr <> '${a}'`).join(' AND ');
  assert.ok(none('athena', `SELECT count(*) FROM vpc_flow_logs WHERE ${athenaExcluded}`));

  // What must not become one list, each answer worked out from the fixture's records.
  const where = (test: (r: (typeof ROWS)[number]) => boolean) => ROWS.filter(test).length;
  const cases: [Dialect, string, number][] = [
    // Two fields: an OR.
    [
      'insights',
      'filter srcAddr = "192.0.2.10" or dstAddr = "8.8.8.8"',
      where(([s, d]) => s === '192.0.2.10' || d === '8.8.8.8'),
    ],
    // A number and a text: never one list of mixed types.
    ['insights', 'filter dstPort = 22 or dstPort = "443"', where((r) => r[3] === 22 || r[3] === 443)],
    // `-` is the logged text of a NODATA record's action, not a stored value.
    ['insights', 'filter action = "-" or action = "REJECT"', where((r) => r[8] === null || r[8] === 'REJECT')],
    ['sumo', '_sourceCategory=vpc | where action = "-" or action = "REJECT" or action = "ACCEPT"', ROWS.length],
    [
      'athena',
      "SELECT count(*) FROM vpc_flow_logs WHERE action = '-' OR action = 'REJECT'",
      where((r) => r[8] === null || r[8] === 'REJECT'),
    ],
    // `!=` and `=` together, mixed types, and `-`: not one list either.
    ['insights', 'filter srcAddr != "192.0.2.10" and srcAddr = "192.0.2.20"', where(([s]) => s === '192.0.2.20')],
    ['insights', 'filter dstPort != 22 and dstPort != "443"', where((r) => r[3] !== 22 && r[3] !== 443)],
    ['insights', 'filter action != "-" and action != "REJECT"', where((r) => r[8] === 'ACCEPT')],
    [
      'sumo',
      '_sourceCategory=vpc | where dest_port != 22 and dest_port != 443',
      where((r) => r[3] !== 22 && r[3] !== 443),
    ],
    [
      'athena',
      "SELECT count(*) FROM vpc_flow_logs WHERE action <> '-' AND action <> 'REJECT'",
      where((r) => r[8] === 'ACCEPT'),
    ],
    [
      'athena',
      'SELECT count(*) FROM vpc_flow_logs WHERE dstport <> 22 AND dstport <> 443',
      where((r) => r[3] !== null && r[3] !== 22 && r[3] !== 443),
    ],
    // Under NOT: none of them.
    ['insights', 'filter not (dstPort = 22 or dstPort = 443)', where((r) => r[3] !== 22 && r[3] !== 443)],
    [
      'athena',
      'SELECT count(*) FROM vpc_flow_logs WHERE NOT (dstport = 22 OR dstport = 443)',
      where((r) => r[3] !== null && r[3] !== 22 && r[3] !== 443),
    ],
  ];
  for (const [dialect, query, expected] of cases) {
    const counted = dialect === 'athena' ? query : `${query} | ${dialect === 'sumo' ? 'count' : 'stats count(*) as n'}`;
    assert.equal(await count(dialect, counted), expected, query);
  }
});

test('a query over 100,000 characters is refused saying so, and what to do with a long list', async () => {
  const list = Array.from({ length: 6000 }, (_, i) => `srcAddr = "10.0.${i >> 8}.${i & 255}"`).join(' or ');
  await assert.rejects(call(fx().engine, 'query.run', { query: `filter ${list}`, pageSize: 10 }), {
    code: 'bad_request',
    message:
      'Bad input for query.run: query: A query has at most 100,000 characters here; a long list of addresses is better kept as a lookup table (Reference data).',
  });
});
