/**
 * Country, ASN and AWS service of addresses in every dialect, on a real workspace: the open data is read
 * from the npm packages as installed, AWS's ranges from a fixture in AWS's own format.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Engine } from '../../../main/engine';
import { after, before, test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { FlowscopeError } from '../../../main/engine/errors';
import { openFixture, type Fixture } from './fixture';

const AWS_FIXTURE = new URL('../../fixtures/aws/ip-ranges.json', import.meta.url).pathname;
const require = createRequire(import.meta.url);

/**
 * The first address of every 500th IPv6 range of the country data, with its country, read from the package's
 * CSV by plain code: narrow ranges, whose ends a 64-bit float cannot hold.
 */
function ipv6Sample(): { address: string; cc: string }[] {
  const csv = readFileSync(
    require.resolve('@ip-location-db/geo-whois-asn-country/geo-whois-asn-country-ipv6-num.csv'),
    'utf8',
  );
  return csv
    .split('\n')
    .filter((line, i) => i % 500 === 0 && line.split(',').length === 3)
    .map((line) => {
      const [lo, , cc] = line.split(',');
      const hex = BigInt(lo!).toString(16).padStart(32, '0');
      return { address: hex.match(/.{4}/g)!.join(':'), cc: cc! };
    });
}

let fx: Fixture;
let noAws: Fixture;
before(async () => {
  fx = await openFixture({
    awsIpRangesFile: AWS_FIXTURE,
    rows: [
      ['10.0.0.5', '8.8.8.8', 5353, 53, 17, 1, 80, 0, 'ACCEPT', 'OK', 'eni-a'],
      ['10.0.0.5', '1.1.1.1', 5353, 53, 17, 2, 90, 60, 'ACCEPT', 'OK', 'eni-a'],
      ['10.0.0.6', '52.94.116.5', 40000, 443, 6, 3, 300, 120, 'ACCEPT', 'OK', 'eni-a'],
      ['10.0.0.6', '54.239.5.5', 40001, 443, 6, 4, 400, 180, 'ACCEPT', 'OK', 'eni-a'],
      ['2600:1f18::10', '2001:4860:4860::8888', 1234, 53, 17, 5, 500, 240, 'ACCEPT', 'OK', 'eni-b'],
    ],
  });
  noAws = await openFixture({ awsIpRangesFile: join(fx.dir, 'nowhere', 'ip-ranges.json') });
});
after(async () => {
  await fx.close();
  await noAws.close();
});

async function rows(
  query: string,
  dialect: 'insights' | 'sumo' | 'sql',
  on = fx,
): Promise<Record<string, CellValue>[]> {
  const out = (await call(on.engine, 'query.run', { query, dialect, pageSize: 100 })) as Output<'query.run'>;
  return out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!])));
}

test('SQL: country, country name and autonomous system of known public addresses; none for a private one', async () => {
  const [r] = await rows(
    `SELECT geo_country('8.8.8.8') AS cc, geo_country_name('8.8.8.8') AS name, asn_number('8.8.8.8') AS asn,
            asn_org('8.8.8.8') AS org, asn_number('1.1.1.1') AS cf, asn_org('1.1.1.1') AS cf_org,
            geo_country('2001:4860:4860::8888') AS cc6, asn_number('2001:4860:4860::8888') AS asn6,
            geo_country('10.0.0.5') AS private, asn_number('not an address') AS junk,
            geo_country('198.51.100.7') AS doc2, geo_country_name('203.0.113.9') AS doc3, geo_country('2001:db8::1') AS doc6`,
    'sql',
  );
  assert.deepEqual(r, {
    cc: 'US',
    name: 'United States of America',
    asn: 15169,
    org: 'Google LLC',
    cf: 13335,
    cf_org: 'Cloudflare, Inc.',
    cc6: 'US',
    asn6: 15169,
    private: null,
    junk: null,
    // The documentation ranges of AWS's examples, which the whois data placed in Australia and Japan.
    doc2: null,
    doc3: null,
    doc6: null,
  });
});

test('Insights: the functions read the stored addresses, IPv4 and IPv6', async () => {
  const r = await rows(
    'fields dstAddr, geoCountry(dstAddr) as cc, asnNumber(dstAddr) as asn, asnOrg(dstAddr) as org | sort @timestamp asc',
    'insights',
  );
  // Countries of anycast and cloud addresses follow their registrations, which change: only the stable ones
  // are checked, and the rest must be some country.
  assert.deepEqual(
    r.map((x) => [x.dstAddr, x.asn]),
    [
      ['8.8.8.8', 15169],
      ['1.1.1.1', 13335],
      ['52.94.116.5', 16509],
      ['54.239.5.5', 16509],
      ['2001:4860:4860::8888', 15169],
    ],
  );
  assert.equal(r[0]!.cc, 'US');
  assert.equal(r[4]!.cc, 'US');
  assert.ok(r.every((x) => typeof x.cc === 'string' && /^[A-Z]{2}$/.test(x.cc)));
  assert.equal(r[2]!.org, 'Amazon.com, Inc.');
});

test('lookups on stored addresses, grouped, filtered and on a stats key, answer as the SQL functions on the text', async () => {
  // The compiled lookups read a key column added to the records; the SQL functions parse the text.
  const bySql = await rows(
    `SELECT geo_country(dstaddr) AS cc, asn_org(dstaddr) AS org, sum(bytes) AS b, count(*) AS n FROM flows
     WHERE geo_country(srcaddr) IS NULL GROUP BY ALL ORDER BY b`,
    'sql',
  );
  assert.ok(bySql.length >= 3, 'Google, Cloudflare and Amazon at least: groups to compare');
  const grouped = await rows(
    'filter isBlank(geoCountry(srcAddr)) | stats sum(bytes) as b, count(*) as n by geoCountry(dstAddr) as cc, asnOrg(dstAddr) as org | sort b asc',
    'insights',
  );
  assert.deepEqual(
    grouped.map((r) => [r.cc, r.org, r.b, r.n]),
    bySql.map((r) => [r.cc, r.org, r.b, r.n]),
  );
  const sumo = await rows(
    '_sourceCategory=vpc | lookup country_code, country_name from geo://location on ip=dstaddr | sum(bytes) as b by country_code, country_name | sort by b asc',
    'sumo',
  );
  assert.deepEqual(
    sumo.map((r) => [r.country_code, r.b]),
    (await rows('SELECT geo_country(dstaddr) AS cc, sum(bytes) AS b FROM flows GROUP BY 1 ORDER BY b', 'sql')).map(
      (r) => [r.cc, r.b],
    ),
  );
  assert.ok(sumo.every((r) => r.country_code === null || typeof r.country_name === 'string'));
  // A stats key is its own value: the lookup parses it (there is no record's integer beside it any more).
  const keyed = await rows(
    'stats count(*) as n by dstAddr | fields dstAddr, geoCountry(dstAddr) as cc | sort dstAddr',
    'insights',
  );
  assert.deepEqual(
    keyed.map((r) => [r.dstAddr, r.cc]),
    // Insights' order: a logged `-` first, IPv4 addresses as numbers, then the other texts.
    (
      await rows(
        'SELECT DISTINCT dstaddr, geo_country(dstaddr) AS cc FROM flows ORDER BY dstaddr IS NOT NULL, ip4_to_int(dstaddr) IS NULL, ip4_to_int(dstaddr), dstaddr',
        'sql',
      )
    ).map((r) => [r.dstaddr, r.cc]),
  );
});

test('Sumo: lookup from geo://location and asn://default answer under Sumo column names', async () => {
  const r = await rows(
    `_sourceCategory=vpc
| lookup latitude, longitude, country_code, country_name, region, city, postal_code from geo://location on ip=dstaddr
| lookup asn, organization from asn://default on ip=dstaddr
| where dst_port = 53
| fields dstaddr, latitude, longitude, country_code, country_name, region, city, postal_code, asn, organization`,
    'sumo',
  );
  const google = r.find((x) => x.dstaddr === '8.8.8.8');
  assert.deepEqual(google, {
    dstaddr: '8.8.8.8',
    // Every column Sumo returns; the finer than a country null (the README and the About say why).
    latitude: null,
    longitude: null,
    country_code: 'US',
    country_name: 'United States of America',
    region: null,
    city: null,
    postal_code: null,
    asn: 15169,
    organization: 'Google LLC',
  });
});

/**
 * Where the country data's IPv4 ranges overlap, addresses to ask about and the narrowest range's country
 * for each, from the package's CSV by plain code: each range that starts inside those before it (sorted by
 * start), asked at its start, its end and just past its end; every range holding an address lies in the
 * stretch before it whose running furthest end reaches it.
 */
function overlapSample(): { key: number; cc: string }[] {
  const csv = readFileSync(
    require.resolve('@ip-location-db/geo-whois-asn-country/geo-whois-asn-country-ipv4-num.csv'),
    'utf8',
  );
  const ranges = csv
    .split('\n')
    .filter((line) => line.split(',').length === 3)
    .map((line) => {
      const [lo, hi, cc] = line.split(',');
      return { lo: Number(lo), hi: Number(hi), cc: cc! };
    })
    .sort((a, b) => a.lo - b.lo || b.hi - a.hi);
  const reach: number[] = [];
  ranges.forEach((r, i) => reach.push(Math.max(r.hi, i ? reach[i - 1]! : -1)));
  const narrowest = (key: number, last: number): string | undefined => {
    let best: (typeof ranges)[number] | undefined;
    for (let i = last; i >= 0 && reach[i]! >= key; i--) {
      const r = ranges[i]!;
      if (r.lo <= key && key <= r.hi && (!best || r.hi - r.lo < best.hi - best.lo)) best = r;
    }
    return best?.cc;
  };
  const sample: { key: number; cc: string }[] = [];
  ranges.forEach((r, i) => {
    if (i === 0 || r.lo > reach[i - 1]!) return;
    for (const key of [r.lo, r.hi, r.hi + 1]) {
      let last = i;
      while (last + 1 < ranges.length && ranges[last + 1]!.lo <= key) last++;
      const cc = narrowest(key, last);
      if (cc) sample.push({ key, cc });
    }
  });
  return sample;
}

test("where the data's ranges overlap, the narrowest answers, at its edges too, and a query over such addresses runs", async () => {
  const sample = overlapSample();
  assert.ok(sample.length > 1000, `the installed data has overlapping ranges (${sample.length} addresses)`);
  const wrong: Record<string, CellValue>[] = [];
  for (let i = 0; i < sample.length; i += 3000) {
    const values = sample.slice(i, i + 3000).map((x) => `(${x.key}, '${x.cc}')`);
    wrong.push(
      ...(await rows(
        `SELECT k, want, geo_country_k(k::UHUGEINT) AS got FROM (VALUES ${values.join(', ')}) AS t(k, want) ` +
          `WHERE got IS DISTINCT FROM want`,
        'sql',
      )),
    );
  }
  assert.deepEqual(wrong, [], `of ${sample.length}`);
});

test('AWS service and region from ip-ranges.json in every dialect: the most specific prefix, a named service over AMAZON', async () => {
  const insights = await rows(
    'filter dstPort = 443 | fields dstAddr, awsService(dstAddr) as service, awsRegion(dstAddr) as region | sort dstAddr',
    'insights',
  );
  assert.deepEqual(
    insights.map((x) => [x.dstAddr, x.service, x.region]),
    [
      ['52.94.116.5', 'DYNAMODB', 'us-east-1'],
      ['54.239.5.5', 'EC2', 'eu-west-1'],
    ],
  );
  const [sql] = await rows(
    "SELECT aws_service('52.94.1.1') AS a, aws_service('2600:1f18::10') AS b, aws_region('2600:1f00::1') AS c, aws_service('8.8.8.8') AS d",
    'sql',
  );
  assert.deepEqual(sql, { a: 'AMAZON', b: 'EC2', c: 'GLOBAL', d: null });
  const sumo = await rows('_sourceCategory=vpc | where awsService(srcaddr) = "EC2" | count by srcaddr', 'sumo');
  assert.deepEqual(sumo, [{ srcaddr: '2600:1f18::10', _count: 1 }]);
});

test('without the AWS file, aws_service says how to get it; the other functions still answer', async () => {
  await assert.rejects(rows('fields awsService(dstAddr)', 'insights', noAws), (err: FlowscopeError) => {
    assert.match(err.message, /ip-ranges\.json.*flowscope aws ip-ranges --refresh/);
    return true;
  });
  const [r] = await rows("SELECT geo_country('8.8.8.8') AS cc", 'sql', noAws);
  assert.equal(r!.cc, 'US');
});

test('the filled country and ASN tables are kept as Parquet for the next process, and a damaged one is made again', async () => {
  const on = await openFixture({ rows: [['10.0.0.5', '8.8.8.8', 5353, 53, 17, 1, 80, 0, 'ACCEPT', 'OK', 'eni-a']] });
  const kept = join(`${on.path}.flowscope`, 'staging', 'address-data');
  const ask = async (engine: Engine) =>
    (
      await engine.queryRun({
        query: 'fields geoCountry(dstAddr) as cc, asnOrg(dstAddr) as org',
        dialect: 'insights',
        pageSize: 5,
      })
    ).rows[0];
  const files = () => readdirSync(kept).sort();
  const sample = ipv6Sample();
  const countries = async (engine: Engine) =>
    (
      await engine.queryRun({
        query: `SELECT geo_country(a) AS cc FROM unnest([${sample.map((s) => `'${s.address}'`).join(', ')}]) t(a)`,
        dialect: 'sql',
        pageSize: sample.length,
      })
    ).rows.map((r) => r[0]);
  try {
    assert.ok(sample.length > 100);
    assert.deepEqual(await ask(on.engine), ['US', 'Google LLC']);
    assert.deepEqual(
      await countries(on.engine),
      sample.map((s) => s.cc),
      'from the package',
    );
    assert.deepEqual(
      files().map((f) => f.replace(/-[0-9a-f]{16}\.parquet$/, '')),
      ['asn4', 'asn6', 'geo4', 'geo6'],
    );
    const written = Object.fromEntries(files().map((f) => [f, statSync(join(kept, f)).mtimeMs]));
    await on.engine.close();

    // Reopened (the staging folder is cleared, the kept tables stay): read back, not written again.
    let engine = await Engine.open({ workspace: on.path });
    try {
      assert.deepEqual(await ask(engine), ['US', 'Google LLC']);
      assert.deepEqual(
        await countries(engine),
        sample.map((s) => s.cc),
        'read back: IPv6 range ends kept whole',
      );
      assert.deepEqual(Object.fromEntries(files().map((f) => [f, statSync(join(kept, f)).mtimeMs])), written);
    } finally {
      await engine.close();
    }

    const geo4 = files().find((f) => f.startsWith('geo4'))!;
    writeFileSync(join(kept, geo4), 'not parquet');
    engine = await Engine.open({ workspace: on.path });
    try {
      assert.deepEqual(await ask(engine), ['US', 'Google LLC']);
      assert.equal(readFileSync(join(kept, geo4)).subarray(0, 4).toString(), 'PAR1', 'written again from the package');
    } finally {
      await engine.close();
    }
  } finally {
    await on.close();
  }
});
