/**
 * Sumo's `lookup` over the built-in tables, compiled and run on a real in-memory DuckDB with the
 * enrichment tables and macros the engine installs, including the published Sumo Logic app lines that look
 * protocols and ports up in Sumo Logic's public CSVs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DERIVED_COLUMNS, FLOW_FIELDS } from '../../../../../queries/catalog/fields';
import { enrichmentSql } from '../../../../../queries/catalog/sql-macros';
import { compileQuery } from '../../../../../queries/language/index';
import { SUMMARY_COLUMNS, SUMMARY_TABLE, summarizeSql } from '../../../../../queries/catalog/minute-summary';

const PROTOCOL_NUMBERS = 'https://s3.amazonaws.com/sumologic-app-data/protocol-numbers.csv';
const PORT_NUMBERS = 'https://s3.amazonaws.com/sumologic-app-data/port-numbers.csv';
const PARSE = `| json "logStream", "logGroup", "message" as logStream, logGroup, msg
| parse field=msg "* * * * * * * * * * * * * *" as version, account_id, interface_id, src_ip, dest_ip, src_port, dest_port, Protocol, packets, bytes, start, end, action, log_status`;
/** The PCI app's "Allowed Network Activity by Transport and Internet Layer Protocol" panel, as published. */
const PCI_PROTOCOLS = `_sourceCategory = Labs/AWS/VPC ACCEPT
${PARSE}
| where action="ACCEPT"
| timeslice 1m
|count by _timeslice, protocol | protocol as Protocol_Val
| lookup Keyword from ${PROTOCOL_NUMBERS} on Decimal=Protocol_val `;

/** [protocol, dstport, action, bytes]: ACCEPTed TCP 22 ×2, TCP 443, UDP 53, ICMP; a REJECTed UDP 53. */
const RECORDS: [number, number, string, number][] = [
  [6, 22, 'ACCEPT', 100],
  [6, 22, 'ACCEPT', 200],
  [6, 443, 'ACCEPT', 300],
  [17, 53, 'ACCEPT', 40],
  [1, 0, 'ACCEPT', 84],
  [17, 53, 'REJECT', 40],
];

let conn: DuckDBConnection;

function compile(query: string): string {
  const r = compileQuery(query, { dialect: 'sumo' });
  if (r.sql === null) assert.fail(`${query}\n→ ${JSON.stringify(r.diagnostics)}`);
  return r.sql;
}

async function rows(query: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(compile(query))).getRowObjectsJS();
}

function problem(query: string) {
  const r = compileQuery(query, { dialect: 'sumo' });
  assert.equal(r.sql, null, `expected an error for ${query}`);
  return r.diagnostics[0]!;
}

describe('Sumo lookup', () => {
  before(async () => {
    const db = await DuckDBInstance.create(':memory:');
    conn = await db.connect();
    await conn.run(enrichmentSql().join(';\n'));
    const columns = [...FLOW_FIELDS.map((f) => [f.column, f.type]), ...Object.entries(DERIVED_COLUMNS)];
    await conn.run(`CREATE TABLE flows (${columns.map(([c, t]) => `"${c}" ${t}`).join(', ')})`);
    const values = RECORDS.map(
      ([p, port, action, bytes], i) =>
        `(${p}, ${port}, '${action}', ${bytes}, 1, '10.0.0.${i + 1}', '10.0.1.1', TIMESTAMP '2026-11-27 10:00:00')`,
    );
    await conn.run(
      `INSERT INTO flows (protocol, dstport, action, bytes, packets, srcaddr, dstaddr, start_time) VALUES ${values.join(', ')}`,
    );
    // Counts by protocol come from the minute summary, as in a workspace (summary-stats.ts).
    await conn.run(`CREATE TABLE ${SUMMARY_TABLE} (${SUMMARY_COLUMNS.map(([c, t]) => `"${c}" ${t}`).join(', ')})`);
    await conn.run(summarizeSql('flows', 'TRUE'));
  });
  after(() => conn.closeSync());

  test("the PCI app's published protocol-numbers.csv lookup names 6, 17 and 1 TCP, UDP and ICMP", async () => {
    const result = await rows(PCI_PROTOCOLS);
    const byProtocol = Object.fromEntries(result.map((r) => [Number(r.Protocol_Val), [r.Keyword, Number(r._count)]]));
    assert.deepEqual(byProtocol, { 6: ['TCP', 3], 17: ['UDP', 1], 1: ['ICMP', 1] });
  });

  test('the Protocol column is the IANA description, and `as` renames what it adds', async () => {
    const result = await rows(
      `_sourceCategory=v | sum(bytes) by protocol
| lookup Keyword as name, Protocol as description from ${PROTOCOL_NUMBERS} on Decimal=protocol | sort by protocol asc`,
    );
    assert.deepEqual(
      result.map((r) => [Number(r.protocol), r.name, r.description, Number(r._sum)]),
      [
        [1, 'ICMP', 'Internet Control Message', 84],
        [17, 'UDP', 'User Datagram', 80],
        [6, 'TCP', 'Transmission Control', 600],
      ],
    );
    assert.ok(!('Keyword' in result[0]!), 'the renamed column is not also added under its own name');
  });

  test('the key may be written on either side of `on` and in any case', async () => {
    const result = await rows(
      `_sourceCategory=v ${PARSE} | count by Protocol | lookup keyword from ${PROTOCOL_NUMBERS} on Protocol=decimal`,
    );
    assert.deepEqual(Object.fromEntries(result.map((r) => [Number(r.Protocol), r.keyword])), {
      1: 'ICMP',
      6: 'TCP',
      17: 'UDP',
    });
  });

  test("the PCI app's port-numbers.csv lookup names the destination ports, then later operators still run", async () => {
    const result = await rows(
      `_sourceCategory = Labs/AWS/VPC ACCEPT ${PARSE}
| count as count by dest_port
| lookup Keyword from ${PORT_NUMBERS} on Decimal=dest_port | where !isNull(Keyword) | sort by dest_port asc`,
    );
    assert.deepEqual(
      result.map((r) => [Number(r.dest_port), r.Keyword, Number(r.count)]),
      [
        // A port Sumo parsed is text: it sorts as text (443 before 53) unless cast.
        [22, 'ssh', 2],
        [443, 'https', 1],
        [53, 'domain', 1],
      ],
    );
  });

  test('two lookups and a filter on one line all run (a URL is no comment)', async () => {
    const result = await rows(
      `_sourceCategory=v | count by protocol, dest_port | lookup Keyword from ${PROTOCOL_NUMBERS} on Decimal=protocol | lookup Keyword as service from ${PORT_NUMBERS} on Decimal=dest_port | where Keyword = "UDP"`,
    );
    assert.deepEqual(
      result.map((r) => [Number(r.dest_port), r.service, Number(r._count)]),
      [[53, 'domain', 2]],
    );
  });

  test("Flowscope's own protocols table has its description column too", async () => {
    const result = await rows(
      '_sourceCategory=v | count by protocol | lookup name, description from protocols on protocol | where protocol = 6',
    );
    assert.deepEqual(
      result.map((r) => [r.name, r.description]),
      [['TCP', 'Transmission Control']],
    );
  });

  test('a column the built-in copy lacks is named, with the columns it has', () => {
    const missing = problem(`_sourceCategory=v | lookup Reference from ${PROTOCOL_NUMBERS} on Decimal=protocol`);
    assert.match(missing.message, /`Reference`.*protocol-numbers\.csv.*not built into Flowscope/);
    assert.match(missing.hint ?? '', /Keyword, Protocol.*Decimal/);
    assert.equal(missing.span.column, '_sourceCategory=v | lookup '.length + 1);
    const typo = problem(`_sourceCategory=v | lookup Keywrd from ${PROTOCOL_NUMBERS} on Decimal=protocol`);
    assert.match(typo.message, /no column `Keywrd`/);
    assert.match(typo.hint ?? '', /Keyword, Protocol/);
    const key = problem(`_sourceCategory=v | lookup Keyword from ${PROTOCOL_NUMBERS} on Number=protocol`);
    assert.match(key.message, /`Number=protocol` names no key column/);
    assert.match(key.hint ?? '', /Decimal/);
  });

  test('any other URL fails: it cannot be fetched offline, and the built-in tables are listed', () => {
    const url = 'https://s3.amazonaws.com/sumologic-app-data/emoji.csv';
    const other = problem(`_sourceCategory=v | lookup utf as Result from ${url} on shortname=icon`);
    assert.match(other.message, /emoji\.csv.*offline.*cannot fetch lookup tables over HTTP\(S\)/);
    assert.equal(other.span.column, `_sourceCategory=v | lookup utf as Result from `.length + 1);
    assert.equal(other.span.length, url.length);
    for (const table of ['protocols', 'services', PROTOCOL_NUMBERS, PORT_NUMBERS]) {
      assert.ok(other.hint?.includes(table), `${table} in ${other.hint}`);
    }
    const saved = problem('_sourceCategory=v | lookup status_code from shared/statusupdates on status = code');
    assert.match(saved.message, /shared\/statusupdates.*not built into Flowscope.*offline/);
    assert.match(saved.hint ?? '', /protocol-numbers\.csv/);
  });
});
