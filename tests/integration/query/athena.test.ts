/**
 * The Athena dialect on published queries: AWS's documentation and the Security Analytics Bootstrap,
 * unchanged, on the records of `athena-fixture.ts`. Their answers are worked out by hand from that list.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { FlowscopeError } from '../../../main/engine/errors';
import { TRINO_ONLY_FUNCTIONS } from '../../../queries/language/athena/detect';
import { PUBLISHED_QUERIES } from '../../fixtures/athena/published-queries';
import { columnsOf, I0, openAthenaFixture, sorted } from './athena-fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openAthenaFixture);

function published(title: string): string {
  const found = PUBLISHED_QUERIES.find((p) => p.title === title);
  assert.ok(found, title);
  return found.query;
}

async function run(query: string, extra: Record<string, unknown> = {}): Promise<Output<'query.run'>> {
  return (await call(fx().engine, 'query.run', { query, pageSize: 1000, ...extra })) as Output<'query.run'>;
}

/** The named columns of every row. */
async function table(query: string, ...columns: string[]): Promise<CellValue[][]> {
  const r = await run(query);
  return columnsOf(r, ...columns);
}

test('published queries are detected as Athena SQL and say why', async () => {
  const r = await run(published('Flow logs of a day (date partition)'));
  assert.equal(r.dialect, 'athena');
  assert.equal(r.note, 'Read as Athena SQL: it reads from `vpc_flow_logs`, not `flows`.');
});

test('AWS docs: the flow logs of 2020-05-04, by the DATE partition', async () => {
  // File A: the two records of that day.
  assert.deepEqual(await table(published('Flow logs of a day (date partition)'), 'srcaddr', 'dstport', 'date'), [
    ['10.117.1.22', 443, '2020-05-04'],
    ['198.51.100.9', 22, '2020-05-04'],
  ]);
});

test('a `date` compared with text is the projected `yyyy/MM/dd` string the published table makes of it', async () => {
  // The OneUptime blog's table projects `date string` as yyyy/MM/dd; its queries, run on 2020/05/04 (file A).
  const blog = published('Protocol distribution of a day (date string partition)').replace('2026/02/12', '2020/05/04');
  assert.deepEqual(sorted(await table(blog, 'protocol_name', 'flow_count')), [['TCP', 2]]);
  assert.deepEqual(
    await table(
      "SELECT date, count(*) AS n FROM t WHERE date BETWEEN '2020/05/04' AND '2020/05/04' GROUP BY date",
      'date',
      'n',
    ),
    [['2020/05/04', 2]],
  );
  // Text with dashes reads the partition with dashes; `dt` compared with slashes reads slashes.
  assert.deepEqual(await table("SELECT count(*) AS n FROM t WHERE date = '2020-05-04'", 'n'), [[2]]);
  assert.deepEqual(await table("SELECT dt, count(*) AS n FROM t WHERE dt = '2020/05/04' GROUP BY dt", 'dt', 'n'), [
    ['2020/05/04', 2],
  ]);
  // AWS's DATE partition is unchanged where the query compares it with a DATE.
  assert.deepEqual(await table("SELECT date FROM t WHERE date = DATE('2020-05-04') LIMIT 1", 'date'), [['2020-05-04']]);
});

test('AWS docs: rejected TCP connections with their ISO day of the week', async () => {
  // A2 on Monday 2020-05-04 (1) and C2 on Wednesday 2021-02-10 (3).
  assert.deepEqual(
    sorted(await table(published('Rejected TCP connections with their day of the week'), 'day', 'date', 'srcaddr')),
    [
      [1, '2020-05-04', '198.51.100.9'],
      [3, '2021-02-10', '10.118.0.1'],
    ],
  );
});

test('AWS docs: HTTPS packets per destination in March 2021, from the day partition', async () => {
  // D1 is the only record to port 443 between 2021/03/01 and 2021/03/31: 30 packets to 10.0.1.99.
  assert.deepEqual(
    await table(published('Top 10 HTTPS destinations of a period (projection table)'), 'packetcount', 'dstaddr'),
    [[30, '10.0.1.99']],
  );
});

test('AWS docs: ISO 8601 start and end times of April 2021', async () => {
  // E1 starts 2021-04-20 12:00:00 UTC and lasts 60 s.
  assert.deepEqual(
    await table(published('Logs of a period with ISO 8601 times'), 'srcaddr', 'start_time', 'end_time'),
    [['10.0.1.14', '2021-04-20T12:00:00.000Z', '2021-04-20T12:01:00.000Z']],
  );
});

test('AWS docs: sources in 10.117.0.0/16 by split_part', async () => {
  // A1, C1 and D1 come from 10.117.x.x; 10.118.0.1 (C2) does not match the second octet.
  assert.deepEqual(sorted(await table(published('Sources in 10.117.0.0/16 (split_part)'), 'srcaddr', 'bytes')), [
    ['10.117.1.22', 2400],
    ['10.117.1.22', 4000],
    ['10.117.3.3', 9000],
  ]);
});

test('Bootstrap: source/destination pairs of July 2020 by number of records, region from the record', async () => {
  // File B's seven records, each its own group; the NODATA record reads '-' for its instance and addresses.
  assert.deepEqual(
    sorted(
      await table(
        published('Source/destination pairs by number of records'),
        'region',
        'instanceid',
        'sourceaddress',
        'destinationaddress',
        'record_count',
      ),
    ),
    sorted([
      ['us-east-1', I0, '192.0.2.1', '203.0.113.2', 1],
      ['us-east-1', I0, '203.0.113.2', '192.0.2.1', 1],
      ['us-east-1', I0, '192.0.2.1', '192.0.2.254', 1],
      ['us-east-1', I0, '192.0.2.254', '192.0.2.1', 1],
      ['us-east-1', 'i-1111', '172.16.5.5', '172.31.0.9', 1],
      ['us-east-1', 'i-1111', '172.16.5.5', '8.8.8.8', 1],
      ['us-east-1', '-', '-', '-', 1],
    ]),
  );
});

test('Bootstrap: bytes between 192.0.2.1 and 203.0.113.2, largest first', async () => {
  // B1 (5000 bytes out) and B2 (1200 bytes back).
  assert.deepEqual(
    await table(
      published('Records between a source/destination pair by bytes'),
      'sourceaddress',
      'destinationaddress',
      'byte_count',
    ),
    [
      ['192.0.2.1', '203.0.113.2', 5000],
      ['203.0.113.2', '192.0.2.1', 1200],
    ],
  );
});

test('Bootstrap: bytes to port 443 of one instance in July 2020 (not the May record to port 443)', async () => {
  assert.deepEqual(
    await table(published('Bytes sent to port 443 by one instance'), 'sourceaddress', 'destinationport', 'byte_count'),
    [['203.0.113.2', 443, 1200]],
  );
});

test('Bootstrap: flow records between two IPs in time order, with from_unixtime and flow_direction', async () => {
  // B3 at 09:00:00 then B4 at 09:00:05.
  assert.deepEqual(
    await table(
      published('Flow records between two IPs with flow_direction'),
      'sourceaddress',
      'flow_direction',
      'start_time',
    ),
    [
      ['192.0.2.1', 'egress', '2020-07-15T09:00:00.000000Z'],
      ['192.0.2.254', 'ingress', '2020-07-15T09:00:05.000000Z'],
    ],
  );
});

test('Bootstrap: sources first and last seen on service ports, with array_agg(DISTINCT …)', async () => {
  // Destination ports under 32768: B2 (443), B3 (8080), B4 (1234), B6 (53); by first start time.
  const r = await run(published('Source IPs first and last seen'));
  assert.deepEqual(
    r.columns.map((c) => c.name),
    ['sourceaddress', 'first_seen', 'last_seen', '_col3', '_col4', '_col5'],
  );
  assert.deepEqual(r.rows, [
    ['203.0.113.2', 1594800030, 1594800090, ['192.0.2.1'], [I0], [443]],
    ['192.0.2.1', 1594803600, 1594803660, ['192.0.2.254'], [I0], [8080]],
    ['192.0.2.254', 1594803605, 1594803665, ['192.0.2.1'], [I0], [1234]],
    ['172.16.5.5', 1594807210, 1594807270, ['8.8.8.8'], ['i-1111'], [53]],
  ]);
});

test('Bootstrap: private-to-public traffic with IPADDRESS comparisons', async () => {
  // Only B6 goes from a private address (172.16.5.5) to a public one (8.8.8.8); 192.0.2.x is not private.
  assert.deepEqual(
    await table(
      published('Traffic between a private and a public address (IPADDRESS)'),
      'sourceaddress',
      'destinationaddress',
    ),
    [['172.16.5.5', '8.8.8.8']],
  );
});

test('Bootstrap: contains() on 172.16.0.0/12, and its negation; logstatus keeps NODATA out of the casts', async () => {
  assert.deepEqual(
    await table(
      published('Internal-to-internal records in 172.16.0.0/12 (contains)'),
      'sourceaddress',
      'destinationaddress',
    ),
    [['172.16.5.5', '172.31.0.9']],
  );
  const rest = await table(published('All but internal-to-internal records in 172.16.0.0/12'), 'sourceaddress');
  assert.deepEqual(
    sorted(rest),
    sorted([['192.0.2.1'], ['203.0.113.2'], ['192.0.2.1'], ['192.0.2.254'], ['172.16.5.5']]),
  );
  // Without the logstatus filter Trino stops at the NODATA record's '-'; as a filter on a stored address the
  // dialect leaves that record out (it tests the stored integer), and elsewhere fails as Trino does.
  assert.deepEqual(
    await table(
      "SELECT sourceaddress FROM vpcflow WHERE contains('172.16.0.0/12', cast(sourceaddress as IPADDRESS)) AND date_partition = '2020/07/15'",
      'sourceaddress',
    ),
    [['172.16.5.5'], ['172.16.5.5']],
  );
  await assert.rejects(
    run("SELECT contains('172.16.0.0/12', cast(sourceaddress as IPADDRESS)) FROM vpcflow"),
    /Cannot cast value to IPADDRESS: -/,
  );
});

test('partition columns come from each record: region from the S3 key where the record has none', async () => {
  // File D (us-west-2) is in the default format, without the region field.
  assert.deepEqual(
    sorted(
      await table(
        'SELECT DISTINCT region_partition, "aws-region" FROM vpcflow WHERE date_partition = \'2021/03/15\'',
        'region_partition',
        'aws-region',
      ),
    ),
    [['us-west-2', 'us-west-2']],
  );
  assert.deepEqual(
    await table(
      "SELECT year, month, day, hour FROM vpc_flow_logs_parquet WHERE year = '2021' AND month = '04'",
      'year',
      'month',
      'day',
      'hour',
    ),
    [['2021', '04', '20', '12']],
  );
  assert.deepEqual(await table("SELECT count(*) AS n FROM t WHERE dt BETWEEN '2020-07-01' AND '2020-07-31'", 'n'), [
    [7],
  ]);
});

test('`day` compared with text is what that text shows, whatever other partitions the query names', async () => {
  // A projected day with an hour partition: `day` was Hive's day of the month as soon as `hour` appeared,
  // and `day = '2021/04/20' AND hour = '12'` found nothing.
  const count = async (where: string) =>
    Number((await table(`SELECT count(*) AS n FROM t WHERE ${where}`, 'n'))[0]![0]);
  const day = await count("day = '2021/04/20'");
  assert.ok(day > 0);
  assert.equal(await count("day = '2021/04/20' AND hour = '12'"), day);
  assert.equal(await count("day BETWEEN '2021-04-20' AND '2021-04-20'"), day);
  assert.equal(await count("year = '2021' AND month = '04' AND day = '20'"), day);
  assert.equal(await count("day = '20' AND month = '04'"), day);
});

test('self-joins and sub-queries of the same table', async () => {
  const rows = await table(
    `WITH talkers AS (SELECT srcaddr, sum(bytes) AS total FROM vpc_flow_logs GROUP BY srcaddr)
     SELECT f.srcaddr, f.dstaddr, t.total
     FROM vpc_flow_logs f JOIN talkers t ON t.srcaddr = f.srcaddr
     WHERE t.total > (SELECT avg(total) FROM talkers) AND f.srcaddr <> '-'
     ORDER BY t.total DESC, f.dstaddr`,
    'srcaddr',
    'dstaddr',
    'total',
  );
  // Sums by source: 10.0.1.99 30000, 10.117.3.3 9000, 10.117.1.22 6400, 192.0.2.1 5400, … (12 sources, the
  // NODATA record's '-' with NULL); the average of the 12 non-NULL totals is 57840 / 12 = 4820.
  assert.deepEqual(rows, [
    ['10.0.1.99', '10.117.3.3', 30000],
    ['10.117.3.3', '10.0.1.99', 9000],
    ['10.117.1.22', '10.0.1.14', 6400],
    ['10.117.1.22', '10.0.1.14', 6400],
    ['192.0.2.1', '192.0.2.254', 5400],
    ['192.0.2.1', '203.0.113.2', 5400],
  ]);
});

test('another table name is another table, which a workspace does not hold: an error at it, not the records again', async () => {
  // Read as the records, a join to a block list matched every record and a UNION of two tables counted twice.
  const cases: [string, RegExp][] = [
    [
      'SELECT count(*) FROM vpc_flow_logs f WHERE f.srcaddr IN (SELECT srcaddr FROM threat_intel_blocklist)',
      /^line 1, column 78: Table 'threat_intel_blocklist' does not exist: vpc_flow_logs is the flow-log table here/,
    ],
    [
      'SELECT count(*) FROM (SELECT * FROM flowlogs_prod UNION ALL SELECT * FROM flowlogs_dev)',
      /^line 1, column 75: Table 'flowlogs_dev' does not exist/,
    ],
    [
      'SELECT count(*) FROM prod.vpc_flow_logs a JOIN dev.vpc_flow_logs b ON a.srcaddr = b.srcaddr',
      /^line 1, column 48: Table 'dev.vpc_flow_logs' does not exist/,
    ],
    // Athena's catalog, alone in FROM, counted the flow records.
    [
      "SELECT count(*) FROM information_schema.columns WHERE table_name = 'vpc_flow_logs'",
      /^line 1, column 22: 'information_schema\.columns' is Athena's catalog, which a workspace does not have/,
    ],
    ['SELECT * FROM system.runtime.queries', /^line 1, column 15: 'system\.runtime\.queries' is Athena's catalog/],
  ];
  for (const [query, message] of cases)
    await assert.rejects(
      run(query, { dialect: 'athena' }),
      (err: unknown) => err instanceof FlowscopeError && message.test(err.message),
      query,
    );
  // The same table qualified or not is one table; a WITH query is no table.
  const [[n] = []] = await table(
    'WITH x AS (SELECT srcaddr FROM vpc_flow_logs) SELECT count(*) AS n FROM flowlogs.vpc_flow_logs v WHERE v.srcaddr IN (SELECT srcaddr FROM x)',
    'n',
  );
  assert.ok(Number(n) > 0);
});

test('every published query runs unchanged, or is refused naming what Athena itself would not find', async () => {
  const refused: string[] = [];
  for (const p of PUBLISHED_QUERIES) {
    try {
      await run(p.query);
    } catch (err) {
      assert.ok(err instanceof FlowscopeError, String(err));
      refused.push(`${p.title}: ${err.message.replace(/\. Read as Athena SQL: .*$/, '')}`);
    }
  }
  // These name columns no published table has (AWS's DDLs have no `time`; the Bootstrap's has no `event_date`).
  assert.deepEqual(refused, [
    "Logs of a period ordered by TIME (2021 revision): line 4, column 10: Column 'time' cannot be resolved",
    "Logs of a period ordered by TIME, DAY in capitals (2021 revision): line 4, column 10: Column 'time' cannot be resolved",
    "Daily transfer report on the top 10 internal IPs: line 1, column 8: Column 'vpcflow.event_date' cannot be resolved",
  ]);
  assert.ok(PUBLISHED_QUERIES.length - refused.length >= 40);
});

test('the time range limits every reference to the table, self-joins included', async () => {
  const range = { timeRange: { from: '2020-07-15T09:00:00Z', to: '2020-07-15T10:00:00Z' } };
  const r = await run('SELECT count(*) FROM vpcflow a JOIN vpcflow b ON a.sourceaddress = b.destinationaddress', range);
  // B3 (192.0.2.1 → 192.0.2.254) and B4 (back): each one's source is the other's destination.
  assert.deepEqual(r.rows, [[2]]);
});

test('statements Athena runs but a workspace cannot are refused with the reason', async () => {
  for (const [query, reason] of [
    ['MSCK REPAIR TABLE vpc_flow_logs_parquet', /MSCK REPAIR TABLE loads partitions/],
    [
      "ALTER TABLE vpc_flow_logs ADD PARTITION (`date`='2020-05-04') LOCATION 's3://b/p/'",
      /ALTER changes Athena's catalog/,
    ],
    ["CREATE EXTERNAL TABLE IF NOT EXISTS vpcflow (version INT) LOCATION 's3://b/'", /CREATE changes Athena's catalog/],
    ["UNLOAD (SELECT * FROM vpcflow) TO 's3://b/out/' WITH (format = 'PARQUET')", /UNLOAD writes a result to S3/],
    ['INSERT INTO vpcflow SELECT * FROM vpcflow', /Writes are refused/],
    ['DROP TABLE vpcflow', /DROP changes Athena's catalog/],
  ] as const) {
    await assert.rejects(
      call(fx().engine, 'query.run', { query, dialect: 'athena' }),
      (err: unknown) => err instanceof FlowscopeError && err.code === 'query_refused' && reason.test(err.message),
      query,
    );
  }
  await assert.rejects(
    run('SELECT 1; SELECT 2', { dialect: 'athena' }),
    (err: unknown) => err instanceof FlowscopeError && /only one statement can run/.test(err.message),
  );
});

test('mistakes are reported at their line and column in the Athena text', async () => {
  const cases: [string, RegExp][] = [
    [
      'SELECT srcadr FROM vpc_flow_logs',
      /line 1, column 8: Column 'srcadr' cannot be resolved \(did you mean `srcaddr`\?\)/,
    ],
    [
      "SELECT *\nFROM vpc_flow_logs\nWHERE dstport = '443'",
      /line 3, column 15: '=' cannot be applied to integer, varchar/,
    ],
    [
      'SELECT srcaddr, count(*)\nFROM vpcflow GROUP BY dstaddr',
      /line 1, column 8: 'srcaddr' must be an aggregate expression or appear in GROUP BY clause/,
    ],
    [
      'SELECT * FROM vpcflow WHERE count(*) > 1',
      /line 1, column 29: WHERE, ON and GROUP BY clauses cannot contain aggregations/,
    ],
    [
      'SELECT date_fromat(date) FROM vpcflow',
      /line 1, column 8: Function 'date_fromat' not registered \(did you mean `date_format`\?\)/,
    ],
    ['SELECT * FROM vpcflow WHERE', /line 1, column 28: Expected an expression, found the end of the query/],
  ];
  for (const [query, message] of cases)
    await assert.rejects(
      run(query, { dialect: 'athena' }),
      (err: unknown) => err instanceof FlowscopeError && message.test(err.message),
      query,
    );
});

test('the functions detection counts as Trino-only are not DuckDB functions', async () => {
  const duckdb = new Set(
    (await fx().engine.workspace.all('SELECT DISTINCT function_name FROM duckdb_functions()')).map((r) => String(r[0])),
  );
  assert.deepEqual(
    TRINO_ONLY_FUNCTIONS.filter((f) => duckdb.has(f)),
    [],
  );
});

test('count(DISTINCT a text column) counts a missing value once, as Athena reads it (`-`), from the stored column', async () => {
  // The NODATA record's addresses are `-` to Athena: a value like any other.
  const fast = await run(
    'SELECT interface_id, count(DISTINCT dstaddr) AS n, count(DISTINCT srcaddr) AS s FROM vpc_flow_logs GROUP BY interface_id',
  );
  assert.match(fast.sql, /count\(DISTINCT "_r\d+"\."dstaddr"\) \+ CAST\(coalesce\(bool_or\(/);
  const byRows = await table(
    'SELECT interface_id, count(*) AS n FROM (SELECT DISTINCT interface_id, dstaddr FROM vpc_flow_logs) AS d GROUP BY interface_id',
    'interface_id',
    'n',
  );
  assert.deepEqual(sorted(columnsOf(fast, 'interface_id', 'n')), sorted(byRows));
  const dashes = await table("SELECT count(*) AS n FROM vpc_flow_logs WHERE dstaddr = '-'", 'n');
  assert.ok(Number(dashes[0]![0]) > 0, 'the fixture has a record without a destination');
});

test('an ORDER BY expression may name an output that the select list grouped (`x AS srcaddr … ORDER BY lower(srcaddr)`)', async () => {
  // Trino resolves an ORDER BY name to the output first, which is grouped, so the query is valid there.
  const rows = await table(
    "SELECT upper(srcaddr) AS srcaddr, count(*) AS n FROM vpc_flow_logs WHERE srcaddr LIKE '10.117.%' GROUP BY srcaddr ORDER BY length(srcaddr) DESC, srcaddr",
    'srcaddr',
  );
  assert.ok(rows.length > 1, 'the fixture has several such sources');
  const lengths = rows.map(([a]) => String(a).length);
  assert.deepEqual(
    lengths,
    [...lengths].sort((a, b) => b - a),
  );
  // Still refused where an ORDER BY names a column that is not grouped and no output.
  await assert.rejects(
    run('SELECT srcaddr AS s, count(*) AS n FROM vpc_flow_logs GROUP BY srcaddr ORDER BY length(dstaddr)'),
    /'dstaddr' must be an aggregate expression or appear in GROUP BY clause/,
  );
});

test("the VPC console's Athena integration: its named queries answer from the records", async () => {
  // Worked out from FILES. Ascending totals, the NODATA record's NULL last as Trino orders NULLs (`-`, `-`).
  const pairs = await table(
    published('VpcFlowLogsTotalBytesTransferred: pairs by bytes, fewest first'),
    'totalbytes',
    'srcaddr',
    'dstaddr',
  );
  assert.equal(pairs.length, 14);
  assert.deepEqual(pairs[0], [70, '172.16.5.5', '8.8.8.8']);
  assert.deepEqual(pairs.slice(-3), [
    [9000, '10.117.3.3', '10.0.1.99'],
    [30000, '10.0.1.99', '10.117.3.3'],
    [null, '-', '-'],
  ]);
  // Port 22 or 3389 either side: file A's rejected SSH attempt only.
  assert.deepEqual(
    await table(
      published('VpcFlowLogsSshRdpTraffic: SSH and RDP records in time order'),
      'srcaddr',
      'dstport',
      'action',
    ),
    [['198.51.100.9', 22, 'REJECT']],
  );
  assert.deepEqual(
    sorted(
      await table(
        published('VpcFlowLogsTopRejects: rejected pairs by records (count as an alias)'),
        'srcaddr',
        'dstaddr',
        'count',
        'action',
      ),
    ),
    [
      ['10.118.0.1', '10.0.1.14', 1, 'REJECT'],
      ['198.51.100.9', '10.0.1.14', 1, 'REJECT'],
    ],
  );
  // Each address's bytes as source plus as destination; the ten largest (the two of 700 tie at the end).
  assert.deepEqual(
    sorted(
      await table(
        published('VpcFlowLogsAdminPortTraffic: bytes per address, either side (sub-query without a name)'),
        'ip',
        'total_bytes',
      ),
    ),
    sorted([
      ['10.0.1.99', 39000],
      ['10.117.3.3', 39000],
      ['10.0.1.14', 7900],
      ['192.0.2.1', 6900],
      ['10.117.1.22', 6400],
      ['203.0.113.2', 6200],
      ['172.16.5.5', 970],
      ['172.31.0.9', 900],
      ['192.0.2.254', 700],
      ['52.94.0.1', 700],
    ]),
  );
});

test('a text column tested in HAVING beside GROUP BY it is tested as grouped (DuckDB refused it, unplaced)', async () => {
  // `type` is NULL in file D's default-format records and IPv4 (or `-` for the NODATA record) in the others.
  // Before: Binder Error: column type must appear in the GROUP BY clause, as was ROLLUP's HAVING on srcaddr.
  assert.deepEqual(
    await table(
      "SELECT type, count(*) AS n FROM vpc_flow_logs GROUP BY type HAVING type = 'IPv4' OR type IS NULL ORDER BY type",
      'type',
      'n',
    ),
    [
      ['IPv4', 12],
      [null, 2],
    ],
  );
  assert.deepEqual(
    await table(
      "SELECT srcaddr, count(*) AS n FROM vpc_flow_logs GROUP BY ROLLUP (srcaddr) HAVING srcaddr = '172.16.5.5'",
      'srcaddr',
      'n',
    ),
    [['172.16.5.5', 2]],
  );
});
