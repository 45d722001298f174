/**
 * Eager aggregation (`queries/language/eager-stats.ts`): a stats whose key is computed from one stored column
 * groups the records by that column first and computes the key once per group. Each answer is checked
 * against one worked out from the fixture's rows, or against the same query made ineligible (an aggregate
 * that does not split, `count_distinct`, sends it the plain way); each test also checks that the query took
 * the eager form, so that it fails if the form stops applying. Last, every built-in query that takes the form
 * runs both ways on the flow-log sample.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { compileQuery } from '../../../queries/language';
import { Compiler } from '../../../queries/language/compile';
import { SavedQuery } from '../../../queries/library/saved-query';
import { openFixture, recordOf, ROWS, T0, type Row } from './fixture';
import { openSampleWorkspace } from './sample-workspace';
import { openedForFile } from '../../support/opened-for-file';

/**
 * DuckDB's default `time_bucket` origin (2000-01-03 00:00 UTC), which the bins no longer use (they count from
 * the epoch, as CloudWatch and Sumo do): records on both sides of it, to check it is not a slice boundary.
 */
const ORIGIN = 946_857_600;
const AROUND_ORIGIN: Row[] = [
  ['192.0.2.10', '10.0.0.5', 51002, 443, 6, 2, 300, ORIGIN - 30 - T0, 'ACCEPT', 'OK', 'eni-a'],
  ['192.0.2.10', '10.0.0.5', 51003, 443, 6, 2, 300, ORIGIN - 421 - T0, 'ACCEPT', 'OK', 'eni-a'],
  ['192.0.2.20', '10.0.0.5', 53, 53, 17, 1, 90, ORIGIN + 5 - T0, 'ACCEPT', 'OK', 'eni-b'],
];
const ALL = [...ROWS, ...AROUND_ORIGIN];
const fx = openedForFile(() => openFixture({ rows: ALL }));

async function run(query: string, dialect: 'sumo' | 'insights'): Promise<Output<'query.run'>> {
  return (await call(fx().engine, 'query.run', { query, dialect, pageSize: 1000 })) as Output<'query.run'>;
}

const eager = (out: Output<'query.run'>) => /\b_p\d+\b/.test(out.sql);

/** The rows as sorted text lines of the named columns, to compare answers whatever their order. */
function lines(out: Output<'query.run'>, columns: string[]): string[] {
  const at = columns.map((name) => out.columns.findIndex((c) => c.name === name));
  assert.ok(!at.includes(-1), `columns ${columns.join(', ')} in ${out.columns.map((c) => c.name).join(', ')}`);
  return out.rows.map((r) => at.map((i) => JSON.stringify(r[i] as CellValue)).join(' | ')).sort();
}

const SUMO_PROTOCOL_NAMES =
  '_sourceCategory=vpc | parse field=message "* * * * * * * * * * * * * *" as version,accountID,interfaceID,src_ip,dest_ip,src_port,dest_port,protocol,Packets,bytes,StartSample,EndSample,Action,status ' +
  '| if(protocol="6","TCP",protocol) as protocol | if(protocol="17","UDP",protocol) as protocol ';

test('protocol names by a 7-minute timeslice: counted per record as worked out by hand, from the epoch', async () => {
  const out = await run(`${SUMO_PROTOCOL_NAMES}| timeslice 7m | count by protocol, _timeslice`, 'sumo');
  assert.ok(eager(out), out.sql);
  const expected = new Map<string, number>();
  for (const r of ALL.map(recordOf)) {
    const name = r.proto === 6 ? 'TCP' : r.proto === 17 ? 'UDP' : r.proto === null ? '-' : String(r.proto);
    // Rounded down to a multiple of 7 minutes since 1970, as Sumo slices.
    const slice = Math.floor(r.start / 420) * 420;
    const key = `${name} ${new Date(slice * 1000).toISOString()}`;
    expected.set(key, (expected.get(key) ?? 0) + 1);
  }
  const slice = out.columns.findIndex((c) => c.name === '_timeslice');
  const got = new Map(
    out.rows.map((r) => [
      `${String(r[out.columns.findIndex((c) => c.name === 'protocol')])} ${new Date(r[slice] as string).toISOString()}`,
      Number(r[out.columns.findIndex((c) => c.name === '_count')]),
    ]),
  );
  assert.deepEqual(got, expected);
  assert.ok(
    got.has(`TCP ${new Date((ORIGIN - 360) * 1000).toISOString()}`),
    "30 s before DuckDB's origin: the slice from 6 minutes before it (2,254,422 × 420 s since 1970)",
  );
});

test('sums, minima and maxima by a computed key add up their groups to the plain answer', async () => {
  const query = `${SUMO_PROTOCOL_NAMES}| count, sum(bytes) as b, min(packets) as lo, max(packets) as hi`;
  const fast = await run(`${query} by protocol`, 'sumo');
  const plain = await run(`${query}, count_distinct(src_ip) as n by protocol`, 'sumo');
  assert.ok(eager(fast) && !eager(plain), fast.sql);
  const columns = ['protocol', '_count', 'b', 'lo', 'hi'];
  assert.deepEqual(lines(fast, columns), lines(plain, columns));
  const tcp = ALL.map(recordOf).filter((r) => r.proto === 6);
  const row = fast.rows.find((r) => r[0] === 'TCP')!;
  assert.deepEqual(
    row.slice(1).map(Number),
    [tcp.length, tcp.reduce((s, r) => s + r.bytes!, 0), 1, 10],
    'TCP: records, bytes, fewest and most packets',
  );
});

test("Sumo's geolocation lookup counted by country looks each address up once and answers as per record", async () => {
  for (const side of ['src_ip', 'dest_ip']) {
    const query =
      `_sourceCategory=vpc | parse field=message "* * * * * * * * * * * * * *" as version,accountID,interfaceID,src_ip,dest_ip,src_port,dest_port,Protocol,Packets,bytes,StartSample,EndSample,Action,status ` +
      `| lookup latitude, country_code, country_name from geo://location on ip = ${side} | count`;
    const fast = await run(`${query} by latitude, country_code, country_name`, 'sumo');
    const plain = await run(`${query}, count_distinct(status) by latitude, country_code, country_name`, 'sumo');
    assert.ok(eager(fast) && !eager(plain), fast.sql);
    assert.ok(
      fast.sql.includes(`ip_key("${side === 'src_ip' ? 'srcaddr' : 'dstaddr'}")`),
      'grouped by the address text',
    );
    // The code and the name read from one lookup of each address's row, not one lookup each.
    assert.equal(fast.sql.match(/\bgeo_row_k\(/g)?.length, 1, fast.sql);
    assert.ok(!/\bgeo_country(_name)?_k\(/.test(fast.sql), fast.sql);
    const columns = ['latitude', 'country_code', 'country_name', '_count'];
    assert.deepEqual(lines(fast, columns), lines(plain, columns));
    if (side === 'dest_ip')
      assert.ok(
        lines(fast, columns).some((l) => l.includes('"US"')),
        '8.8.8.8 is in the US',
      );
  }
});

test('two values of one data set for one address share its lookup; a single value of another keeps its own', async () => {
  const keys = 'asnNumber(dstAddr) as asn, asnOrg(dstAddr) as org, geoCountry(dstAddr) as cc';
  const fast = await run(`stats count(*) as n, sum(bytes) as b by ${keys}`, 'insights');
  const plain = await run(`stats count(*) as n, sum(bytes) as b, count_distinct(srcAddr) as d by ${keys}`, 'insights');
  assert.ok(eager(fast) && !eager(plain), fast.sql);
  assert.equal(fast.sql.match(/\basn_row_k\(/g)?.length, 1, fast.sql);
  assert.ok(!/\basn_(number|org)_k\(/.test(fast.sql), fast.sql);
  assert.ok(/\bgeo_country_k\(/.test(fast.sql) && !fast.sql.includes('geo_row_k('), fast.sql);
  const columns = ['asn', 'org', 'cc', 'n', 'b'];
  assert.deepEqual(lines(fast, columns), lines(plain, columns));
  assert.ok(
    lines(fast, ['asn', 'org', 'cc']).some((l) => l.startsWith('15169 | "Google LLC" | "US"')),
    lines(fast, columns).join('\n'),
  );
});

test('Insights: a field computed from one column, with its NULLs, groups as the plain query does', async () => {
  const query = 'fields replace(action, "ACCEPT", "ok") as a | stats count(*) as n, sum(bytes) as b';
  const fast = await run(`${query} by a`, 'insights');
  const plain = await run(`${query}, count_distinct(srcAddr) as d by a`, 'insights');
  assert.ok(eager(fast) && !eager(plain), fast.sql);
  assert.deepEqual(lines(fast, ['a', 'n', 'b']), lines(plain, ['a', 'n', 'b']));
  const accepted = ALL.map(recordOf).filter((r) => r.action === 'ACCEPT');
  assert.ok(
    lines(fast, ['a', 'n']).includes(`"ok" | ${JSON.stringify(accepted.length)}`),
    lines(fast, ['a', 'n']).join('\n'),
  );
});

test('a time series alone is grouped by bucket numbers, with the same answer', async () => {
  const query = 'stats count(*) as n, sum(bytes) as b by bin(7m) as t';
  const fast = await run(query, 'insights');
  const plain = await run(`${query.replace(' by', ', count_distinct(srcAddr) as d by')}`, 'insights');
  assert.ok(eager(fast) && !eager(plain), fast.sql);
  assert.deepEqual(lines(fast, ['t', 'n', 'b']), lines(plain, ['t', 'n', 'b']));
  assert.equal(fast.rows.length, new Set(ALL.map((r) => Math.floor((recordOf(r).start - ORIGIN) / 420))).size);
});

test('a text that reads like SQL (a window, the records) is a text: the key stays eager, with the same answer', async () => {
  const query = `fields concat(action, " OVER main.flows.') ") as a | stats count(*) as n`;
  const fast = await run(`${query} by a`, 'insights');
  const plain = await run(`${query}, count_distinct(srcAddr) as d by a`, 'insights');
  assert.ok(eager(fast) && !eager(plain), fast.sql);
  assert.deepEqual(lines(fast, ['a', 'n']), lines(plain, ['a', 'n']));
  assert.ok(lines(fast, ['a']).includes(JSON.stringify("ACCEPT OVER main.flows.') ")), lines(fast, ['a']).join());
});

test('not eager where it gains nothing or would not add up', async () => {
  // A key read as stored, an average, a key from two columns, a bin by months, a key from a subquery over the
  // records (not a function of the record's own columns).
  for (const query of [
    'stats count(*) by srcAddr',
    'fields srcAddr in (filter action = "REJECT" | stats count(*) by srcAddr) as rejected | stats count(*) by rejected',
    'fields replace(action, "ACCEPT", "ok") as a | stats avg(bytes) by a',
    'fields concat(srcAddr, dstAddr) as pair | stats count(*) by pair',
    'stats count(*) by bin(1mo)',
  ])
    assert.ok(!eager(await run(query, 'insights')), query);
});

const sample = openedForFile(() => openSampleWorkspace());
const LIBRARY = new URL('../../../queries/library/', import.meta.url).pathname;

/** A result's rows in an order that does not depend on the last digits of a double. */
function answer(out: Output<'query.run'>): CellValue[][] {
  const key = (r: CellValue[]) => JSON.stringify(r.map((v) => (typeof v === 'number' ? Math.round(v * 1e6) : v)));
  return [...out.rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The same rows, a double allowed to differ in its last digits (a regression's sums in another order). */
function sameAnswer(a: CellValue[][], b: CellValue[][], name: string): void {
  assert.equal(a.length, b.length, name);
  a.forEach((row, i) =>
    row.forEach((v, j) => {
      const w = b[i]![j]!;
      if (typeof v === 'number' && typeof w === 'number')
        assert.ok(Math.abs(v - w) <= 1e-9 * Math.max(1, Math.abs(v), Math.abs(w)), `${name}: ${v} and ${w}`);
      else assert.deepEqual(v, w, name);
    }),
  );
}

test('every built-in Insights and Sumo query in the eager form answers as in the plain form, on the flow-log sample', async () => {
  const queries = readdirSync(LIBRARY)
    .filter((f) => f.endsWith('.flowquery.json'))
    .map((f) => SavedQuery.parse(JSON.parse(readFileSync(join(LIBRARY, f), 'utf8'))))
    .filter((q) => q.dialect === 'sumo' || q.dialect === 'insights')
    .filter((q) => {
      const eager = compileQuery(q.query, { dialect: q.dialect });
      const plain = compileQuery(q.query, { dialect: q.dialect, context: { eager: false } });
      // Not where ties decide which rows a limit keeps: either form may keep others.
      const limited = eager.plan?.stages.some((s) => s.kind === 'limit' || s.kind === 'topk');
      return eager.sql !== null && eager.sql !== plain.sql && !limited;
    });
  assert.ok(queries.length >= 20, `${queries.length} built-in queries take the eager form`);
  const answers = async () => {
    const out: CellValue[][][] = [];
    for (const q of queries)
      out.push(
        answer(
          (await call(sample().engine, 'query.run', {
            query: q.query,
            dialect: q.dialect,
            pageSize: 10_000,
          })) as Output<'query.run'>,
        ),
      );
    return out;
  };
  const eager = await answers();
  // The same queries through the same engine, the compiler's eager form turned off.
  const compiler = Compiler.prototype as unknown as { eager: unknown };
  const form = compiler.eager;
  compiler.eager = () => null;
  let plain: CellValue[][][];
  try {
    plain = await answers();
  } finally {
    compiler.eager = form;
  }
  queries.forEach((q, i) => sameAnswer(eager[i]!, plain[i]!, q.name));
});
