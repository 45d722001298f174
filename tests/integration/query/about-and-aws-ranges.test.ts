/**
 * What the app's About view and its address-data settings read through the contract: the version and every
 * data set with its licence and the installed snapshot, and AWS's ip-ranges.json fetched anew from a real
 * HTTP server, after which the same engine's queries answer from the new file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { SOFTWARE } from '../../../queries/catalog/attributions';
import { openFixture, type Fixture } from './fixture';

const require = createRequire(import.meta.url);
const ROOT = new URL('../../../', import.meta.url).pathname;
const FIXTURE = readFileSync(join(ROOT, 'tests/fixtures/aws/ip-ranges.json'), 'utf8');
// The same ranges a day later, 54.239.0.0/16 having moved from EC2 to S3.
const NEWER = FIXTURE.replace('"1772409600"', '"1772496000"')
  .replace('2026-03-02-00-00-00', '2026-03-03-00-00-00')
  .replace('"region": "eu-west-1", "service": "EC2"', '"region": "eu-west-1", "service": "S3"');

let served = FIXTURE;
let server: Server;
let dir: string;
let fx: Fixture;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-about-'));
  server = createServer((req, res) => res.end(req.url === '/ip-ranges.json' ? served : '<html>not it</html>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  fx = await openFixture({
    awsIpRangesFile: join(dir, 'data', 'aws-ip-ranges.json'),
    awsIpRangesUrl: `http://127.0.0.1:${port}/ip-ranges.json`,
    rows: [['10.0.0.6', '54.239.5.5', 40001, 443, 6, 4, 400, 180, 'ACCEPT', 'OK', 'eni-a']],
  });
});
after(async () => {
  await fx.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('app.about names the version and every data set with its licence, attribution and installed snapshot', async () => {
  const about = (await call(fx.engine, 'app.about', {})) as Output<'app.about'>;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };
  assert.equal(about.version, pkg.version);
  assert.equal(about.licence, pkg.license);
  const bySource = (word: string) => about.data.find((d) => d.source.includes(word))!;
  const geo = bySource('geo-whois-asn-country');
  assert.match(geo.licence, /CC0/);
  assert.match(geo.limits ?? '', /city.*null.*GeoLite2 City, whose licence does not allow shipping it/s);
  assert.equal(
    geo.version,
    (require('@ip-location-db/geo-whois-asn-country/package.json') as { version: string }).version,
  );
  const asn = bySource('ip-location-db asn');
  assert.match(asn.licence, /CC BY 4\.0/);
  assert.match(asn.attribution, /DB-IP/);
  assert.ok(asn.links.some((l) => l.url === 'https://db-ip.com/'));
  assert.equal(asn.version, (require('@ip-location-db/asn/package.json') as { version: string }).version);
  assert.match(bySource('Natural Earth').attribution, /Made with Natural Earth/);
  assert.match(bySource('i18n-iso-countries').licence, /MIT/);
  assert.equal(bySource('ip-ranges.json').version, null);
  for (const d of about.data) assert.ok(d.licence && d.attribution && d.licenceUrl.startsWith('https://'), d.data);
});

test("each piece of software's licence in the About is the one its own package declares", () => {
  // The lock file records each package's `license` (Electron's binary is not installed here).
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { license?: string }>;
  };
  for (const s of SOFTWARE) assert.equal(lock.packages[`node_modules/${s.package}`]?.license, s.licence, s.package);
});

async function services(): Promise<CellValue[]> {
  const out = (await call(fx.engine, 'query.run', {
    query: 'fields awsService(dstAddr) as service',
    dialect: 'insights',
    pageSize: 10,
  })) as Output<'query.run'>;
  return out.rows.map((r) => r[0]!);
}

test('AWS ranges: absent, then fetched from the server; a newer fetch is what the next query reads', async () => {
  const none = (await call(fx.engine, 'addressData.awsIpRanges', {})) as Output<'addressData.awsIpRanges'>;
  assert.equal(none.present, false);
  await assert.rejects(services(), /flowscope aws ip-ranges --refresh/);

  const first = (await call(
    fx.engine,
    'addressData.refreshAwsIpRanges',
    {},
  )) as Output<'addressData.refreshAwsIpRanges'>;
  assert.equal(first.present, true);
  assert.equal(first.syncToken, '1772409600');
  assert.equal(first.createDate, '2026-03-02-00-00-00');
  assert.equal(first.ipv6Ranges, 3); // disjoint: the /33 splits the /24 around it
  assert.ok(first.fetchedAt && Math.abs(Date.parse(first.fetchedAt) - Date.now()) < 60_000);
  assert.deepEqual(await services(), ['EC2']);

  served = NEWER;
  const second = (await call(
    fx.engine,
    'addressData.refreshAwsIpRanges',
    {},
  )) as Output<'addressData.refreshAwsIpRanges'>;
  assert.equal(second.syncToken, '1772496000');
  assert.deepEqual(await services(), ['S3']);
});

test('a refresh that gets something else fails clearly and keeps the file it had', async () => {
  served = '<html>captive portal</html>';
  await assert.rejects(
    call(fx.engine, 'addressData.refreshAwsIpRanges', {}),
    /did not answer AWS's ip-ranges\.json: it is not JSON/,
  );
  const kept = (await call(fx.engine, 'addressData.awsIpRanges', {})) as Output<'addressData.awsIpRanges'>;
  assert.equal(kept.syncToken, '1772496000');
  assert.equal(kept.problem, null);
});
