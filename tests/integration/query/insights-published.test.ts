/**
 * Held-out acceptance: Insights queries over VPC flow logs as AWS and analysts published them
 * (`tests/fixtures/published/insights-vpc-queries.ts`) run unchanged on the query fixture, or are refused
 * naming the function CloudWatch itself lacks; several answers are checked by hand against the fixture's rows.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { FlowscopeError } from '../../../main/engine/errors';
import {
  MORE_PUBLISHED_INSIGHTS_QUERIES,
  PUBLISHED_INSIGHTS_QUERIES,
  type PublishedQuery,
} from '../../fixtures/published/insights-vpc-queries';
import { openFixture, ROWS, T0 } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

type Rows = Record<string, CellValue>[];

async function run(q: PublishedQuery): Promise<Output<'query.run'>> {
  return (await call(fx().engine, 'query.run', {
    query: q.text,
    dialect: 'insights',
    pageSize: 1000,
  })) as Output<'query.run'>;
}

function rowsOf(out: Output<'query.run'>): Rows {
  return out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!])));
}

const byId = (id: string) => PUBLISHED_INSIGHTS_QUERIES.find((q) => q.id === id)!;
const answers = new Map<string, Output<'query.run'>>();

test('at least 23 of the 25 published queries run unchanged; the others are refused naming the function', async () => {
  assert.equal(PUBLISHED_INSIGHTS_QUERIES.length, 25);
  let ran = 0;
  for (const q of PUBLISHED_INSIGHTS_QUERIES) {
    try {
      answers.set(q.id, await run(q));
      assert.equal(q.refused, undefined, `${q.id} ran, but CloudWatch has no ${q.refused}`);
      ran++;
    } catch (err) {
      assert.ok(err instanceof FlowscopeError, `${q.id}: ${String(err)}`);
      assert.ok(q.refused, `${q.id} was refused: ${err.message}`);
      assert.equal(err.code, 'query_error');
      assert.match(err.message, new RegExp(`Unknown function \`${q.refused}\`: neither CloudWatch Logs Insights`));
    }
  }
  assert.ok(ran >= 23, `${ran} ran`);
});

const answer = (id: string): Rows => {
  const out = answers.get(id);
  assert.ok(out, `${id} did not run`);
  return rowsOf(out);
};

test('AWS top packet transfers: largest pairs first', () => {
  assert.deepEqual(answer('aws-top-packet-transfers').slice(0, 2), [
    { srcAddr: '192.0.2.10', dstAddr: '10.0.0.5', packetsTransferred: 10 },
    { srcAddr: '10.0.0.5', dstAddr: '192.0.2.10', packetsTransferred: 8 },
  ]);
});

test('the 2019 AWS example compares srcAddr with the CIDR text, which no address equals: no rows, as in CloudWatch', () => {
  assert.deepEqual(answer('aws-host-byte-transfers-2019'), []);
});

test('the knowledge-center custom-format query binds its 27 names to the fields: the two latest records', () => {
  const r = answer('aws-kc-latest-custom');
  assert.deepEqual(
    r.map((x) => [x.start, x.interface_id, x.log_status, x.srcaddr]),
    [
      // Fields of the default format are shown as logged: text, `-` where the record has none.
      [String(T0 + 10900), 'eni-d', 'SKIPDATA', '-'],
      [String(T0 + 10800), 'eni-d', 'SKIPDATA', '-'],
    ],
  );
  assert.equal(answers.get('aws-kc-latest-custom')!.columns.length, 28);
});

test('a 29-field custom parse in alphabetical order still reads each field by its name', () => {
  assert.deepEqual(answer('kr-custom-pairs'), [
    { srcaddr: '10.0.0.5', dstaddr: '192.0.2.10', flow_direction: null, Data_Transferred: 4000 },
    { srcaddr: '192.0.2.10', dstaddr: '10.0.0.5', flow_direction: null, Data_Transferred: 1000 },
  ]);
  assert.deepEqual(answer('tf-custom-pairs').slice(0, 2), answer('kr-custom-pairs'));
});

test('sort on a field the records lack (HitCount) is null there: the query runs and warns', () => {
  const out = answers.get('kr-ports-hitcount')!;
  assert.equal(out.warnings?.[0]?.message, 'No field `HitCount` here: it is null in every record.');
  const r = rowsOf(out);
  // Ports 443, 22 (twice: two pairs) and 80 (two pairs); 53, 51000 and 3389 are left out.
  assert.deepEqual(
    r.map((x) => [x.dstPort, x.srcAddr, x.Destination, x.records]).sort((a, b) => String(a).localeCompare(String(b))),
    [
      ['22', '192.0.2.10', '10.0.0.6', 1],
      ['22', '198.51.100.7', '10.0.0.5', 1],
      ['443', '192.0.2.10', '10.0.0.5', 1],
      ['80', '2001:db8::1', '2001:db8::2', 1],
      ['80', '2001:db9::1', '2001:db8::2', 1],
    ],
  );
});

test('rejections by source: one each for the four rejected sources', () => {
  const r = answer('es-rejections-by-source');
  assert.deepEqual(r.map((x) => x.srcAddr).sort(), ['192.0.2.10', '192.0.2.255', '198.51.100.7', '2001:db9::1']);
  assert.ok(r.every((x) => x.numRejections === 1));
});

test('traffic volume in 5-minute buckets: the first bucket sums the first five records', () => {
  const r = answer('ou-volume-5m');
  assert.equal(Date.parse(String(r[0]!.timeWindow)), T0 * 1000);
  assert.equal(r[0]!.totalBytes, 2200);
});

test('the acceptance ratio sums true tests as ones; no source has over 100 records here', () => {
  assert.deepEqual(answer('ou-accept-ratio'), []);
});

test('a filter after sort and limit applies to the five latest records only', () => {
  assert.deepEqual(answer('kr-filter-after-limit'), []);
  assert.equal(byId('kr-filter-after-limit').refused, undefined);
});

describe('the published queries gathered after the first 25', () => {
  const more = new Map<string, Rows>();
  before(async () => {
    for (const q of MORE_PUBLISHED_INSIGHTS_QUERIES) more.set(q.id, rowsOf(await run(q)));
  });
  const fixtureRows = ROWS.map(([src, dst, , dport, proto, , bytes, , action]) => ({
    src,
    dst,
    dport,
    proto,
    bytes,
    action,
  }));

  test('every one runs unchanged', () => {
    assert.equal(more.size, MORE_PUBLISHED_INSIGHTS_QUERIES.length);
  });

  test('rejections by source (Well-Architected Labs): each rejected source once; none from inside 10.0.0.0/8', () => {
    const rejected = fixtureRows.filter((r) => r.action === 'REJECT').map((r) => r.src);
    assert.deepEqual(
      more
        .get('wa-rejections-by-source')!
        .map((r) => [r.srcAddr, r.numRejections])
        .sort(),
      [...new Set(rejected)].map((s) => [s, rejected.filter((x) => x === s).length]).sort(),
    );
    assert.deepEqual(more.get('wa-rejections-inside-vpc'), []);
  });

  test('the console sample: average, smallest and largest bytes of each pair', () => {
    const pairs = new Map<string, number[]>();
    for (const r of fixtureRows) {
      const key = `${r.src ?? '-'} ${r.dst ?? '-'}`;
      pairs.set(key, [...(pairs.get(key) ?? []), ...(r.bytes === null ? [] : [r.bytes])]);
    }
    const answer = more.get('console-avg-min-max')!;
    assert.equal(answer.length, pairs.size);
    for (const r of answer) {
      const b = pairs.get(`${String(r.srcAddr)} ${String(r.dstAddr)}`)!;
      const avg = b.length ? b.reduce((s, x) => s + x, 0) / b.length : null;
      assert.deepEqual(
        [r['avg(bytes)'], r['min(bytes)'], r['max(bytes)']],
        [avg, b.length ? Math.min(...b) : null, b.length ? Math.max(...b) : null],
      );
    }
  });

  test('the NAT gateway texts with their placeholders left in match nothing, as in CloudWatch', () => {
    for (const id of ['aws-nat-top-senders', 'aws-nat-to-and-from', 'aws-nat-uploads', 'aws-nat-downloads'])
      assert.deepEqual(more.get(id), [], id);
  });

  test('the 29-field workshop query sums the rejected SSH bytes per source', () => {
    const ssh = fixtureRows.filter((r) => r.action === 'REJECT' && r.proto === 6 && r.dport === 22);
    const sums = new Map<string, number>();
    for (const r of ssh) sums.set(r.src!, (sums.get(r.src!) ?? 0) + r.bytes!);
    assert.deepEqual(
      more.get('kr-workshop-rejected-ssh')!.map((r) => [r.srcaddr, r.SSH_Traffic_Volume]),
      [...sums].sort((a, b) => b[1] - a[1]).slice(0, 2),
    );
  });
});
