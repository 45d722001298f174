/**
 * The Reference data and About views in Chromium against a `flowscope serve` of the test's own: a lookup
 * table and a threat list imported by choosing CSV files (uploaded, then imported through the contract),
 * refused lines named, AWS's ip-ranges.json fetched from a real HTTP server standing in for AWS, and the
 * About naming every data set with its licence, attribution and the fetched file's date.
 * Screenshots of both views, light and dark, at 1440x900 under test-results/.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOwnServer, type OwnServer } from '../support/own-server';
import { resultsGrid, runQuery, shot, watchCsp } from '../support/workbench-steps';

const ROOT = new URL('../../../', import.meta.url).pathname;
const AWS_FIXTURE = readFileSync(join(ROOT, 'tests/fixtures/aws/ip-ranges.json'), 'utf8');

let awsAnswer = AWS_FIXTURE;
let aws: Server;
let server: OwnServer;
let awsDir: string;

test.beforeAll(async () => {
  aws = createServer((_req, res) => res.end(awsAnswer));
  await new Promise<void>((resolve) => aws.listen(0, '127.0.0.1', resolve));
  const address = aws.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  awsDir = mkdtempSync(join(tmpdir(), 'flowscope-e2e-aws-'));
  server = await startOwnServer({
    env: {
      FLOWSCOPE_AWS_IP_RANGES_URL: `http://127.0.0.1:${port}/ip-ranges.json`,
      FLOWSCOPE_AWS_IP_RANGES: join(awsDir, 'aws-ip-ranges.json'),
    },
  });
});

test.afterAll(async () => {
  await server?.close();
  aws?.close();
  rmSync(awsDir, { recursive: true, force: true });
});

async function chooseCsv(page: Page, button: string, name: string, text: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: button }).click();
  await (await chooser).setFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

test('lookup tables, the threat list and AWS ranges are imported in the app; the About names every data set', async ({
  page,
}, testInfo) => {
  const cspViolations = await watchCsp(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(server.url);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Reference data' }).click();
  const view = page.getByRole('region', { name: 'Reference data' });
  await expect(view).toContainText('No lookup table imported yet.');
  await expect(view).toContainText('No threat list imported');
  await expect(view).toContainText('Not fetched yet');

  // A lookup table, named after its file; then a name that is not one, and a file with a bad line.
  await chooseCsv(
    page,
    'Import CSV…',
    'Asset owners.csv',
    'ip,team,owner\n10.0.1.10,web,"Smith, Alice"\n10.0.2.17,db,bob\n',
  );
  await expect(view.getByRole('status')).toHaveText('Imported table asset_owners: 2 rows.');
  const tables = view.getByRole('table', { name: 'Lookup tables' });
  await expect(tables.getByRole('row')).toHaveCount(2);
  await expect(tables.getByRole('row').nth(1)).toContainText(/asset_owners\s*ip, team, owner\s*2/);

  await view.getByLabel('Table name').fill('my table');
  await view.getByRole('button', { name: 'Import CSV…' }).click();
  await expect(view.getByRole('alert')).toHaveText('A table name is letters, digits and _ (at most 64).');
  await view.getByLabel('Table name').fill('owners2');
  await chooseCsv(page, 'Import CSV…', 'bad.csv', 'ip,team\n10.0.0.1,a\n10.0.0.2\n');
  await expect(view.getByRole('alert')).toContainText('bad.csv, line 3: 1 fields where the header has 2');
  await expect(tables.getByRole('row')).toHaveCount(2);

  // The threat list.
  await chooseCsv(
    page,
    'Import a threat list…',
    'threats.csv',
    'Indicator,Type,Actor,Threat Level\n192.0.2.10,ip_address,FANCY BEAR,High\n8.8.8.8,ip_address,Nobody,Low\n',
  );
  await expect(view.getByRole('status')).toHaveText('Imported the threat list: 2 rows.');
  await expect(view).toContainText('2 indicators, imported');
  await expect(view.getByRole('button', { name: 'Replace the threat list…' })).toBeVisible();

  // AWS's ranges from the stand-in server; a bad answer keeps what was fetched.
  await view.getByRole('button', { name: 'Fetch from AWS' }).click();
  const kept = view.getByRole('definition');
  await expect(view.getByRole('status')).toHaveText('Fetched: created 2026-03-02 00:00 UTC.');
  await expect(kept.nth(1)).toHaveText('1772409600');
  awsAnswer = '<html>captive portal</html>';
  await view.getByRole('button', { name: 'Fetch again' }).click();
  await expect(view.getByRole('alert')).toContainText("did not answer AWS's ip-ranges.json");
  await expect(kept.nth(1)).toHaveText('1772409600');
  await shot(page, testInfo, 'reference-data-light');

  // What was imported answers queries.
  await page.getByRole('link', { name: 'Explore' }).click();
  await runQuery(page, 'SELECT team, owner FROM lookup_asset_owners ORDER BY team', 'SQL');
  await expect(resultsGrid(page).locator('[aria-rowindex="2"]')).toContainText(/db\s*bob/);
  await expect(resultsGrid(page).locator('[aria-rowindex="3"]')).toContainText(/web\s*Smith, Alice/);

  // The About: the version, each data set with its licence and attribution, the fetched file's date.
  await page.getByRole('link', { name: 'About' }).click();
  const about = page.getByRole('region', { name: 'About Flowscope' });
  await expect(about.getByRole('heading', { level: 1 })).toHaveText(/^Flowscope \d+\.\d+\.\d+$/);
  const sets = about.getByRole('list', { name: 'Data sets' }).getByRole('listitem');
  await expect(sets).toHaveCount(6);
  const asn = about.getByRole('listitem', { name: 'Autonomous system of an address' });
  await expect(asn.getByRole('link', { name: 'CC BY 4.0' })).toHaveAttribute(
    'href',
    /creativecommons\.org\/licenses\/by\/4\.0/,
  );
  await expect(asn).toContainText('IP Geolocation by DB-IP');
  await expect(asn).toContainText(/@ip-location-db\/asn \d/);
  const country = about.getByRole('listitem', { name: 'Country of an address' });
  await expect(country).toContainText('CC0 1.0');
  // Why a city, region and postal code are empty: said where the data is named.
  await expect(country).toContainText(
    'Countries only: `lookup … from geo://location` answers every column Sumo Logic returns',
  );
  await expect(country).toContainText('GeoLite2 City, whose licence does not allow shipping it');
  await expect(about.getByRole('listitem', { name: 'World map' })).toContainText('Made with Natural Earth');
  await expect(about.getByRole('listitem', { name: 'Country names' })).toContainText('i18n-iso-countries');
  await expect(about.getByRole('listitem', { name: 'AWS service and region of an address' })).toContainText(
    'created by AWS 2026-03-02 00:00 UTC (sync token 1772409600)',
  );
  await shot(page, testInfo, 'about-light');

  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot(page, testInfo, 'about-dark');
  await page.getByRole('link', { name: 'Reference data' }).click();
  await expect(view.getByRole('table', { name: 'Lookup tables' })).toBeVisible();
  await shot(page, testInfo, 'reference-data-dark');
  await page.getByRole('button', { name: 'Dark theme' }).click();
  expect(await cspViolations()).toEqual([]);
});
