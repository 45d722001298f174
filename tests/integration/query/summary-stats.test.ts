/**
 * Stats answered from the minute summary (`queries/language/summary-stats.ts`): answers worked out by hand
 * from the fixture's records, over time ranges that cut minutes at both ends; the queries the summary must
 * not answer (it would not give the records' answer) checked to go to the records and to answer as the plain
 * form does; and every built-in query that takes it, on the flow-log sample imported as an analyst imports
 * it, against the same query with the eager form (and so the summary) turned off, over several ranges and
 * dashboard filters.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CellValue, Input, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import type { Engine } from '../../../main/engine';
import { compileQuery } from '../../../queries/language';
import { Compiler } from '../../../queries/language/compile';
import { SavedQuery } from '../../../queries/library/saved-query';
import { openFixture, recordOf, ROWS, T0 } from './fixture';
import { openSampleWorkspace } from './sample-workspace';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(() => openFixture());

type Run = Omit<Input<'query.run'>, 'pageSize'>;

async function run(engine: Engine, input: Run): Promise<Output<'query.run'>> {
  return (await call(engine, 'query.run', { ...input, pageSize: 10_000 })) as Output<'query.run'>;
}

const fromSummary = (out: Output<'query.run'>) => /\bmain\.flow_minutes\b/.test(out.sql);
const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

/** The same input's answer with the eager form, and so the summary, turned off in the compiler. */
async function plainAnswer(engine: Engine, input: Run): Promise<Output<'query.run'>> {
  const compiler = Compiler.prototype as unknown as { eager: unknown };
  const form = compiler.eager;
  compiler.eager = () => null;
  try {
    return await run(engine, input);
  } finally {
    compiler.eager = form;
  }
}

/** A result's rows, sorted, a double rounded in its last digits (sums added up in another order). */
function answer(out: Output<'query.run'>): string[] {
  return out.rows
    .map((r) => JSON.stringify(r.map((v: CellValue) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v))))
    .sort();
}

test('counts and bytes by action and minute over a range that cuts minutes at both ends: as worked out from the records', async () => {
  // From 30 s into the first minute to 30 s into the minute at 3660 s: the records at 0 s and 3700 s are out.
  const from = T0 + 30;
  const to = T0 + 3690;
  const out = await run(fx().engine, {
    query: 'stats count(*) as n, sum(bytes) as b by action, bin(1m) as minute',
    dialect: 'insights',
    timeRange: { from: iso(from), to: iso(to) },
  });
  assert.ok(fromSummary(out), out.sql);
  assert.equal((out.sql.match(/FROM main\.flows WHERE/g) ?? []).length, 2, 'the two cut minutes from the records');
  const expected = new Map<string, { n: number; b: number | null }>();
  for (const r of ROWS.map(recordOf).filter((r) => r.start >= from && r.start < to)) {
    const key = `${r.action} ${iso(Math.floor(r.start / 60) * 60)}`;
    const sum = expected.get(key) ?? { n: 0, b: null };
    expected.set(key, { n: sum.n + 1, b: r.bytes === null ? sum.b : (sum.b ?? 0) + r.bytes });
  }
  const at = (name: string) => out.columns.findIndex((c) => c.name === name);
  const got = new Map(
    out.rows.map((r) => [
      `${r[at('action')] as string | null} ${new Date(r[at('minute')] as string).toISOString()}`,
      { n: Number(r[at('n')]), b: r[at('b')] === null ? null : Number(r[at('b')]) },
    ]),
  );
  assert.deepEqual(got, expected);
  assert.ok(
    [...expected.keys()].some((k) => k.endsWith(iso(T0 + 60))) && expected.has(`ACCEPT ${iso(T0 + 3660)}`),
    'whole and cut minutes both counted',
  );
});

test('Sumo counts by action from the summary show the action as logged: "-" for the records without one', async () => {
  const out = await run(fx().engine, {
    query:
      '_sourceCategory=vpc | parse field=message "* * * * * * * * * * * * * *" as version,accountID,interfaceID,src_ip,dest_ip,src_port,dest_port,protocol,Packets,bytes,StartSample,EndSample,Action,status | count by Action',
    dialect: 'sumo',
  });
  assert.ok(fromSummary(out), out.sql);
  const counts = (action: string | null) => ROWS.filter((r) => r[8] === action).length;
  assert.deepEqual(answer(out), [
    JSON.stringify(['-', counts(null)]),
    JSON.stringify(['ACCEPT', counts('ACCEPT')]),
    JSON.stringify(['REJECT', counts('REJECT')]),
  ]);
});

test('not from the summary where it would not give the same answer, and the same answer as the plain form', async () => {
  const range = (a: number, b: number) => ({ from: iso(T0 + a), to: iso(T0 + b) });
  const cases: Run[] = [
    // The first five records only, not all of them.
    { query: 'limit 5 | stats count(*) as n by action', dialect: 'insights' },
    // A condition on a field the summary does not have.
    { query: 'filter srcAddr = "192.0.2.10" | stats count(*) by action', dialect: 'insights' },
    { query: 'stats count(*) by action', dialect: 'insights', filters: { srcAddr: '192.0.2.0/24' } },
    // Buckets narrower than a minute, an aggregate that does not add up.
    { query: 'stats count(*) by bin(30s)', dialect: 'insights' },
    { query: 'stats avg(bytes) by action', dialect: 'insights' },
    // A key the summary does not have.
    { query: 'stats count(*) by action, interfaceId', dialect: 'insights' },
    // A range with no whole minute in it (50 s to 110 s).
    { query: 'stats count(*) by action', dialect: 'insights', timeRange: range(50, 110) },
    // A record for each digit of its message: the rows are no longer the records.
    {
      query: '_sourceCategory=vpc | parse regex "(?<digit>\\d)" multi | count by action',
      dialect: 'sumo',
    },
  ];
  for (const input of cases) {
    const out = await run(fx().engine, input);
    assert.ok(!fromSummary(out), `${input.query}: ${out.sql}`);
    assert.deepEqual(answer(out), answer(await plainAnswer(fx().engine, input)), input.query);
  }
  const limited = await run(fx().engine, cases[0]!);
  assert.equal(
    limited.rows.reduce((n, r) => n + Number(r[limited.columns.findIndex((c) => c.name === 'n')]), 0),
    5,
  );
});

test('a field renamed to a summary column’s name is read as what it holds, and answers as the plain form', async () => {
  const cases: [Run, boolean][] = [
    // `action` holding bytes: not the summary's action.
    [{ query: 'fields bytes as action | stats count(*) as n by action', dialect: 'insights' }, false],
    // A condition that reads a column the summary does not have, beside one it has.
    [{ query: 'filter action = "REJECT" or bytes > 300 | stats count(*) as n by action', dialect: 'insights' }, false],
    // `bytes` holding packets: the summary's sum of packets, not of bytes.
    [{ query: 'fields packets as bytes | stats sum(bytes) as b by action', dialect: 'insights' }, true],
    // A text that names summary columns is a text.
    [{ query: 'filter action != "records minute" | stats count(*) as n by action', dialect: 'insights' }, true],
  ];
  for (const [input, summarized] of cases) {
    const out = await run(fx().engine, input);
    assert.equal(fromSummary(out), summarized, `${input.query}: ${out.sql}`);
    assert.deepEqual(answer(out), answer(await plainAnswer(fx().engine, input)), input.query);
  }
  const packets = await run(fx().engine, cases[2]![0]);
  const accepted = ROWS.map(recordOf).filter((r) => r.action === 'ACCEPT');
  const b = packets.rows.find((r) => r[packets.columns.findIndex((c) => c.name === 'action')] === 'ACCEPT')!;
  assert.equal(
    Number(b[packets.columns.findIndex((c) => c.name === 'b')]),
    accepted.reduce((n, r) => n + (r.packets ?? 0), 0),
  );
});

const sample = openedForFile(() => openSampleWorkspace());
const LIBRARY = new URL('../../../queries/library/', import.meta.url).pathname;

test('every built-in query the summary answers gives the records’ answer, over ranges of whole and cut minutes and with filters', async () => {
  const engine = sample().engine;
  const queries = readdirSync(LIBRARY)
    .filter((f) => f.endsWith('.flowquery.json'))
    .map((f) => SavedQuery.parse(JSON.parse(readFileSync(join(LIBRARY, f), 'utf8'))))
    .filter((q) => q.dialect === 'sumo' || q.dialect === 'insights')
    .filter((q) => /\bflow_minutes\b/.test(compileQuery(q.query, { dialect: q.dialect }).sql ?? ''))
    // Not where ties decide which rows a limit keeps: either form may keep others.
    .filter((q) => !compileQuery(q.query, { dialect: q.dialect }).plan?.stages.some((s) => s.kind === 'limit'));
  assert.ok(queries.length >= 10, `${queries.length} built-in queries take the summary`);
  const [span] = await engine.workspace.all<{ first: Date; last: Date }>(
    'SELECT min(start_time) AS first, max(start_time) AS last FROM flows',
  );
  const first = span!.first.getTime() / 1000;
  const last = span!.last.getTime() / 1000;
  const middle = Math.floor((first + last) / 120) * 60;
  // No range, one past both ends, ranges that cut minutes at both ends; with a dashboard filter on a field
  // the summary has (action, protocol), over a range that cuts minutes.
  const cut = { from: iso(middle - 331), to: iso(middle + 419) };
  const inputs: Omit<Run, 'query' | 'dialect'>[] = [
    {},
    { timeRange: { from: iso(first - 3600), to: iso(last + 3600) } },
    { timeRange: { from: iso(first + 17.5), to: iso(last - 23) } },
    { timeRange: cut },
    { timeRange: cut, filters: { action: 'REJECT' } },
    { timeRange: { from: iso(first + 17.5), to: iso(last - 23) }, filters: { protocol: 'tcp' } },
  ];
  for (const q of queries)
    for (const options of inputs) {
      const input: Run = { query: q.query, dialect: q.dialect, ...options };
      const out = await run(engine, input);
      assert.ok(fromSummary(out), `${q.name} ${JSON.stringify(options)}`);
      assert.deepEqual(answer(out), answer(await plainAnswer(engine, input)), `${q.name} ${JSON.stringify(options)}`);
    }
});
