import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addFilter,
  bucketEnd,
  bucketMs,
  filterValue,
  isAggregate,
  namedBucket,
  noRawRecords,
  rawRecordsQuery,
  recordsRange,
  stageBoundaries,
} from '../../../../renderer/src/lib/drill-down';
import { compileQuery } from '../../../../queries/language/index';

const col = (name: string, type: string) => ({ name, type });
const compiles = (query: string, dialect: 'insights' | 'sumo' | 'sql') =>
  assert.deepEqual(compileQuery(query, { dialect }).diagnostics, [], query);

describe('drill-down written into the query', () => {
  it('adds an Insights filter in front, so it narrows the records before stats', () => {
    const query = 'stats count(*) as flows by dstPort\n| sort flows desc';
    const drilled = addFilter(query, 'insights', 'srcAddr', '10.0.0.5');
    assert.equal(drilled, 'filter srcAddr = "10.0.0.5"\n| stats count(*) as flows by dstPort\n| sort flows desc');
    compiles(drilled, 'insights');
    compiles(addFilter(drilled, 'insights', 'dstPort', 443), 'insights');
  });

  it('quotes values so that quotes in the data cannot end the string', () => {
    const drilled = addFilter('fields srcAddr', 'insights', 'action', 'AC"CEPT\\');
    assert.equal(drilled.split('\n')[0], 'filter action = "AC\\"CEPT\\\\"');
    compiles(drilled, 'insights');
    assert.match(addFilter('SELECT srcaddr FROM flows', 'sql', 'srcaddr', "it's"), /WHERE "srcaddr" = 'it''s'$/);
  });

  it('writes a port shown as logged text as the number it is, and `-` as the text', () => {
    const port = { name: 'dstPort', type: 'VARCHAR', kind: 'port' as const };
    assert.equal(filterValue(port, '22'), 22);
    assert.equal(filterValue(port, '-'), '-');
    assert.equal(
      filterValue({ name: 'accountId', type: 'VARCHAR', kind: 'text' as const }, '123456789012'),
      '123456789012',
    );
    const query = 'stats count(*) as n by dstPort';
    assert.equal(
      rawRecordsQuery(query, 'insights', [port], ['22'])!.query,
      'filter dstPort = 22\n| sort @timestamp desc',
    );
    assert.equal(
      rawRecordsQuery(query, 'insights', [port], ['-'])!.query,
      'filter dstPort = "-"\n| sort @timestamp desc',
    );
  });

  it('adds a Sumo where right after the scope', () => {
    const drilled = addFilter('_sourceCategory=vpc | count by dstport', 'sumo', 'srcaddr', '10.0.0.5');
    assert.equal(drilled, '_sourceCategory=vpc\n| where srcaddr = "10.0.0.5"\n| count by dstport');
  });

  it('wraps SQL so the filter applies to its result', () => {
    const drilled = addFilter('SELECT srcaddr, count(*) AS n FROM flows GROUP BY 1;', 'sql', 'srcaddr', '10.0.0.5');
    compiles(drilled, 'sql');
    assert.match(
      drilled,
      /^SELECT \* FROM \(\nSELECT srcaddr, count\(\*\) AS n FROM flows GROUP BY 1\n\) AS drill WHERE "srcaddr" = '10.0.0.5'$/,
    );
  });

  it('finds stage pipes outside strings and comments', () => {
    assert.deepEqual(stageBoundaries('filter a = "x|y" # not | this\n| stats count(*)', 'insights'), [30]);
  });

  it('opens the raw records behind an aggregate row: its filters, its keys and its time bucket', () => {
    const query = 'filter action = "REJECT"\n| stats sum(bytes) as total by bin(5m), srcAddr\n| sort total desc';
    assert.equal(isAggregate(query, 'insights'), true);
    assert.equal(isAggregate('fields srcAddr | limit 5', 'insights'), false);
    const columns = [col('bin(5m)', 'TIMESTAMP'), col('srcAddr', 'VARCHAR'), col('total', 'HUGEINT')];
    const raw = rawRecordsQuery(query, 'insights', columns, ['2026-01-01T00:05:00Z', '10.0.0.9', 99]);
    assert.deepEqual(raw, {
      query: 'filter action = "REJECT"\n| filter srcAddr = "10.0.0.9"\n| sort @timestamp desc',
      timeRange: { from: '2026-01-01T00:05:00.000Z', to: '2026-01-01T00:10:00.000Z' },
    });
    compiles(raw!.query, 'insights');
  });

  it("reads a bucket's records over the part of it the answer's range holds, and the range without a bucket", () => {
    const bucket = { from: '2026-03-03T10:00:00.000Z', to: '2026-03-03T11:00:00.000Z' };
    // The range cuts the bucket at its start (without an offset, a time is UTC) and not at its end.
    assert.deepEqual(recordsRange(bucket, { from: '2026-03-03T10:20:00', to: '2026-03-03T11:40:00Z' }), {
      from: '2026-03-03T10:20:00',
      to: '2026-03-03T11:00:00.000Z',
    });
    assert.deepEqual(recordsRange(bucket, { from: null, to: '2026-03-03T10:30:00+00:00' }), {
      from: '2026-03-03T10:00:00.000Z',
      to: '2026-03-03T10:30:00+00:00',
    });
    assert.deepEqual(recordsRange(bucket, null), bucket);
    const range = { from: '2026-03-03T10:20:00Z', to: null };
    assert.equal(recordsRange(null, range), range);
    assert.equal(recordsRange(null, null), null);
  });

  it('opens raw SQL records from the flows table by their columns', () => {
    const raw = rawRecordsQuery(
      'SELECT dstport, count(*) n FROM flows GROUP BY 1',
      'sql',
      [col('dstport', 'INTEGER'), col('n', 'BIGINT')],
      [443, 7],
    );
    assert.equal(raw!.query, 'SELECT * FROM flows WHERE "dstport" = 443 ORDER BY start_time DESC');
    compiles(raw!.query, 'sql');
    assert.equal(rawRecordsQuery('x', 'sql', [col('n', 'BIGINT')], [1]), null);
  });

  it('reads bucket widths from bin() and timeslice column names', () => {
    assert.equal(bucketMs('bin(5m)'), 300_000);
    assert.equal(bucketMs('_timeslice'), null);
    assert.equal(bucketMs('bin(1h)'), 3_600_000);
    assert.equal(bucketMs('bin(5mins)'), 300_000);
  });

  it('reads the width of a time bucket the query names otherwise: bin(1h) as hour, timeslice 1h, timeslice 15m as slot', () => {
    const sumo = '_sourceCategory=vpc | timeslice 1h | count by _timeslice, action';
    assert.equal(namedBucket(sumo, 'sumo', '_timeslice'), 'timeslice 1h');
    assert.equal(namedBucket('| timeslice 15m as slot | count by slot', 'sumo', 'slot'), 'timeslice 15m');
    assert.equal(namedBucket('| timeslice 15m as slot | count by slot', 'sumo', '_timeslice'), null);
    assert.equal(namedBucket('| TimeSlice by 5m | count by _timeslice', 'sumo', '_Timeslice'), 'timeslice 5m');
    assert.equal(namedBucket('stats count(*) by bin(1h) as hour', 'insights', 'hour'), 'bin(1h)');
    assert.equal(namedBucket('stats count(*) by bin(1h) as hours', 'insights', 'hour'), null);
    const raw = rawRecordsQuery(
      sumo,
      'sumo',
      [col('_timeslice', 'TIMESTAMP'), col('action', 'VARCHAR'), col('_count', 'BIGINT')],
      ['2026-03-03T10:00:00Z', 'REJECT', 3],
    );
    assert.deepEqual(raw?.timeRange, { from: '2026-03-03T10:00:00.000Z', to: '2026-03-03T11:00:00.000Z' });
    const month = rawRecordsQuery(
      'stats count(*) as n by bin(1mo) as m, action',
      'insights',
      [col('m', 'TIMESTAMP'), col('action', 'VARCHAR'), col('n', 'BIGINT')],
      ['2026-02-01T00:00:00Z', 'REJECT', 3],
    );
    assert.deepEqual(month?.timeRange, { from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' });
  });

  it('opens the records of a calendar bin: the month, quarter or year from its start (UTC)', () => {
    assert.equal(bucketMs('bin(1mo)'), null, 'a month has no one width');
    assert.equal(bucketEnd('bin(1mo)', Date.UTC(2026, 1, 1)), Date.UTC(2026, 2, 1));
    assert.equal(bucketEnd('bin(1q)', Date.UTC(2026, 9, 1)), Date.UTC(2027, 0, 1));
    assert.equal(bucketEnd('bin(2years)', Date.UTC(2026, 0, 1)), Date.UTC(2028, 0, 1));
    assert.equal(bucketEnd('bin(5m)', 0), 300_000);
    assert.equal(bucketEnd('total', 0), null);
    const raw = rawRecordsQuery(
      'stats count(*) as n by bin(1mo), action',
      'insights',
      [col('bin(1mo)', 'TIMESTAMP'), col('action', 'VARCHAR'), col('n', 'BIGINT')],
      ['2026-02-01T00:00:00Z', 'REJECT', 3],
    );
    assert.deepEqual(raw?.timeRange, { from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' });
  });

  it("opens the records behind a Sumo answer keyed by Sumo's field names (dest_port, src_ip, Action)", () => {
    const port = { name: 'dest_port', type: 'VARCHAR', kind: 'port' as const };
    const count = col('_count', 'BIGINT');
    const ports = rawRecordsQuery(
      '_sourceCategory=vpc REJECT | count by dest_port | top 10 dest_port by _count',
      'sumo',
      [port, count],
      ['22', 12690],
    );
    assert.equal(ports?.query, '_sourceCategory=vpc REJECT\n| where dest_port = 22');
    compiles(ports!.query, 'sumo');
    const sources = rawRecordsQuery(
      '_sourceCategory=vpc | count by src_ip, Action | sort by _count | limit 5',
      'sumo',
      [col('src_ip', 'VARCHAR'), col('Action', 'VARCHAR'), count],
      ['185.220.101.45', 'REJECT', 6017],
    );
    assert.equal(sources?.query, '_sourceCategory=vpc\n| where src_ip = "185.220.101.45"\n| where Action = "REJECT"');
    compiles(sources!.query, 'sumo');
  });

  it('says why a row has no raw records: its columns name no flow-log field', () => {
    const columns = [col('country', 'VARCHAR'), col('_count', 'BIGINT')];
    assert.equal(rawRecordsQuery('* | count by country', 'sumo', columns, ['DE', 3]), null);
    assert.equal(
      noRawRecords(columns),
      'No raw records to open here: country is not a flow-log field to filter the records on.',
    );
    assert.equal(
      noRawRecords([col('_count', 'BIGINT')]),
      'No raw records to open here: the row has no flow-log field to filter the records on, only measures.',
    );
  });
});
