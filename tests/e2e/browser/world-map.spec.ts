/**
 * The world-map chart drawn in Chromium: a workspace holding one flow from an address of every country
 * the address data answers (Singapore, Bahrain and the other countries too small for the 1:110m map among
 * them), a query by country, and the map as the page draws it, exported as SVG, where every country of the
 * result must be a region filled from the colour scale. Screenshots light and dark at 1440x900.
 */
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startOwnServer, type OwnServer } from '../support/own-server';
import { resultStatus, runQuery, shot } from '../support/workbench-steps';

const require = createRequire(import.meta.url);
const ROOT = new URL('../../../', import.meta.url).pathname;
const QUERY = 'stats sum(bytes) as b by geoCountry(srcAddr) as cc';

/** An address in the first range of each country, IPv4 where the country has one, else IPv6. */
function addressPerCountry(): Map<string, string> {
  const out = new Map<string, string>();
  const rows = (family: 'ipv4' | 'ipv6') =>
    readFileSync(
      require.resolve(`@ip-location-db/geo-whois-asn-country/geo-whois-asn-country-${family}-num.csv`),
      'utf8',
    )
      .split('\n')
      .map((line) => line.split(','))
      .filter((f) => f.length === 3);
  for (const [lo, , cc] of rows('ipv4')) {
    const n = Number(lo);
    if (!out.has(cc!)) out.set(cc!, [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'));
  }
  for (const [lo, , cc] of rows('ipv6')) {
    if (out.has(cc!)) continue;
    const hex = BigInt(lo!).toString(16).padStart(32, '0');
    out.set(cc!, hex.match(/.{4}/g)!.join(':'));
  }
  return out;
}

function flowscope(...args: string[]): string {
  const r = spawnSync(process.execPath, ['bin/flowscope.mjs', ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`flowscope ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

let server: OwnServer;
let expected: string[] = [];
let resultRows = 0;

test.beforeAll(async () => {
  test.setTimeout(240_000); // three CLI runs and a server start, each loading the address data
  server = await startOwnServer({
    prepare: (workspace, dir) => {
      const start = Date.UTC(2026, 2, 2, 12) / 1000;
      const lines = [...addressPerCountry()].map(
        ([, addr], i) =>
          `2 123456789012 eni-0a1b2c3d4e5f60001 ${addr} 10.0.1.10 443 51000 6 10 ${1000 + i * 37} ${start + i} ${start + i + 60} ACCEPT OK`,
      );
      const file = join(dir, 'world.log');
      writeFileSync(
        file,
        `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n${lines.join('\n')}\n`,
      );
      flowscope('import', file, '--workspace', workspace);
      // What the result holds, asked by the CLI on its own: the countries the map must draw.
      const result = JSON.parse(
        flowscope('query', QUERY, '--workspace', workspace, '--dialect', 'insights', '--format', 'json'),
      ) as {
        cc: string | null;
      }[];
      resultRows = result.length; // the demo's own records, from private addresses, are a row of no country
      expected = result.map((r) => r.cc).filter((cc): cc is string => cc !== null);
    },
  });
});

test.afterAll(async () => {
  await server?.close();
});

/** The map as drawn, as SVG: each region a path, numbered by its place in the chart's data. */
async function drawnSvg(page: Page): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('region', { name: 'Chart' }).getByRole('button', { name: 'SVG' }).click(),
  ]);
  return readFileSync(await download.path(), 'utf8');
}

test('a result by country is drawn on the world map, every country of it filled, small ones as dots', async ({
  page,
}, testInfo) => {
  expect(expected.length).toBeGreaterThan(240);
  expect(expected).toEqual(expect.arrayContaining(['SG', 'HK', 'BH', 'MT', 'MO', 'LU', 'US', 'XK']));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(server.url);
  await runQuery(page, QUERY, 'Logs Insights');
  await expect(resultStatus(page)).toContainText(`${resultRows} rows`);
  const map = page.getByRole('img', { name: 'World map (countries) chart' });
  await expect(map).toHaveAttribute('data-chart-type', 'map');
  await expect(map.locator('canvas')).toBeVisible();

  const svg = await drawnSvg(page);
  const fills = new Map<number, string[]>();
  for (const [path] of svg.matchAll(/<path[^>]*\becmeta_data_index="\d+"[^>]*>/g)) {
    const index = Number(/ecmeta_data_index="(\d+)"/.exec(path)![1]);
    fills.set(index, [...(fills.get(index) ?? []), /\bfill="([^"]+)"/.exec(path)?.[1] ?? '']);
  }
  // The chart's data is the result's countries (indices below their count, in the engine's order);
  // the map's regions without data follow, all in the one colour of no data.
  const noData = new Set([...fills].filter(([i]) => i >= expected.length).flatMap(([, f]) => f));
  expect(noData.size).toBe(1);
  const indices = [...Array(expected.length).keys()];
  expect(indices.filter((i) => !fills.has(i)).length, 'countries of the result with no region').toBe(0);
  expect(indices.filter((i) => fills.get(i)!.some((f) => noData.has(f))).length, 'regions left uncoloured').toBe(0);
  await shot(page, testInfo, 'world-map-light');

  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot(page, testInfo, 'world-map-dark');
  await page.getByRole('button', { name: 'Dark theme' }).click();
});
