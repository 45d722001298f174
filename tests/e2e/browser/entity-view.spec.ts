/**
 * The entity view, walked in Chromium against `flowscope serve` on a demo workspace of its own: click the
 * address with the most rejected records in a result, and the page about it shows totals, who owns it and
 * its peers, each figure checked against SQL of this test's own run by the CLI on the same workspace before
 * the server opened it; pivot to its top peer and back; open a panel as a query; look up an ENI and a port.
 * The view is photographed at 1440×900 and 1280×720, light and dark, into the test's artefacts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { TOP_VALUES } from '../../../queries/chart/field-summary';
import { formatBytes, formatNumber, formatTime } from '../../../renderer/src/lib/cell-format';
import { startOwnServer, type OwnServer } from '../support/own-server';
import { setQuery } from '../support/query-editor';
import { cancelOf, recordCalls, type Call } from '../support/socket-calls';
import { atEachSizeAndTheme, LONG_QUERY, watchCsp } from '../support/workbench-steps';

const ROOT = new URL('../../../', import.meta.url).pathname;
const NAT_ENI = 'eni-0a7a7a7a7a7a7a7a7';

function flowscope(...args: string[]): string {
  const r = spawnSync(process.execPath, ['bin/flowscope.mjs', ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`flowscope ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

interface Totals {
  records: number;
  bytes: number;
  accepted: number;
  rejected: number;
  rejected_bytes: number | null;
  peers: number;
  first_seen: string;
  last_seen: string;
}

/** The figures the page must show, asked here in SQL of the test's own (not the view's queries). */
const expected = {} as {
  top: string;
  topTotals: Totals;
  country: string | null;
  peer: string;
  peerTotals: Totals;
  eniRecords: number;
};

let server: OwnServer;
/** The session the server's one-time link gave, which every test's page starts with. */
const SESSION = join(mkdtempSync(join(tmpdir(), 'flowscope-e2e-entity-')), 'session.json');
// None until the link is opened (the context that opens it is made with this file too).
writeFileSync(SESSION, JSON.stringify({ cookies: [], origins: [] }));
test.use({ storageState: SESSION });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  server = await startOwnServer({
    prepare: (workspace) => {
      rmSync(workspace, { force: true });
      rmSync(`${workspace}.flowscope`, { recursive: true, force: true });
      flowscope('demo', '--workspace', workspace, '--records', '20000');
      const sql = <T>(query: string): T[] =>
        JSON.parse(flowscope('query', query, '--workspace', workspace, '--dialect', 'sql', '--format', 'json')) as T[];
      const totals = (address: string): Totals => {
        const a = `'${address}'`;
        return sql<Totals>(
          `SELECT count(*) AS records, sum(bytes) AS bytes,
                  sum(CASE WHEN action = 'ACCEPT' THEN 1 ELSE 0 END) AS accepted,
                  sum(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
                  sum(CASE WHEN action = 'REJECT' THEN bytes END) AS rejected_bytes,
                  count(DISTINCT if(srcaddr = ${a}, dstaddr, srcaddr)) AS peers,
                  strftime(min(start_time), '%Y-%m-%dT%H:%M:%SZ') AS first_seen,
                  strftime(max(end_time), '%Y-%m-%dT%H:%M:%SZ') AS last_seen
           FROM flows WHERE ${a} IN (srcaddr, dstaddr)`,
        )[0]!;
      };
      expected.top = sql<{ srcaddr: string }>(
        `SELECT srcaddr FROM flows WHERE action = 'REJECT' GROUP BY srcaddr ORDER BY count(*) DESC LIMIT 1`,
      )[0]!.srcaddr;
      expected.topTotals = totals(expected.top);
      expected.country = sql<{ cc: string | null }>(`SELECT geo_country('${expected.top}') AS cc`)[0]!.cc;
      expected.peer = sql<{ peer: string }>(
        `SELECT if(srcaddr = '${expected.top}', dstaddr, srcaddr) AS peer FROM flows
         WHERE '${expected.top}' IN (srcaddr, dstaddr) GROUP BY 1 ORDER BY sum(bytes) DESC, count(*) DESC LIMIT 1`,
      )[0]!.peer;
      expected.peerTotals = totals(expected.peer);
      expected.eniRecords = sql<{ n: number }>(
        `SELECT count(*) AS n FROM flows WHERE interface_id = '${NAT_ENI}'`,
      )[0]!.n;
    },
  });
  const context = await browser.newContext();
  await (await context.newPage()).goto(server.url);
  await context.storageState({ path: SESSION });
  await context.close();
});

test.afterAll(async () => {
  await server?.close();
});

function entityView(page: Page) {
  return page.getByRole('article').filter({ has: page.getByRole('heading', { level: 1 }) });
}

/** Every panel has answered and the chart has drawn. */
async function settled(page: Page) {
  await expect(page.locator('section[data-state="loading"]')).toHaveCount(0);
  await expect(page.locator('[data-chart-type]')).toHaveAttribute('data-drawn', 'true');
}

async function checkTotals(page: Page, t: Totals) {
  const figures = page.getByRole('definition');
  const figure = (label: string) =>
    page.locator('.figure', { has: page.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) }) });
  await expect(figure('Records').getByRole('definition')).toHaveText(formatNumber(t.records));
  await expect(figure('Bytes').getByRole('definition')).toHaveText(formatBytes(t.bytes));
  await expect(figure('Accepted').getByRole('definition')).toHaveText(formatNumber(t.accepted));
  await expect(figure('Rejected').getByRole('definition')).toHaveText(
    `${formatNumber(t.rejected)} · ${formatBytes(t.rejected_bytes ?? 0)}`,
  );
  await expect(figure('Peers').getByRole('definition')).toHaveText(formatNumber(t.peers));
  const [first, last] = [formatTime(t.first_seen, 'utc'), formatTime(t.last_seen, 'utc')];
  await expect(figure('First and last seen').getByRole('definition')).toHaveText(
    `${first} → ${last.startsWith(first.slice(0, 10)) ? last.slice(11) : last}`,
  );
  expect(await figures.count()).toBeGreaterThanOrEqual(7);
}

/** The view at the top and scrolled to its end (the main area scrolls, not the page). */
async function photograph(page: Page, testInfo: TestInfo, name: string) {
  await settled(page);
  await page.locator('main').evaluate((main) => main.scrollTo(0, 0));
  await page.screenshot({ path: testInfo.outputPath(`${name}-top.png`) });
  await page.locator('main').evaluate((main) => main.scrollTo(0, main.scrollHeight));
  await page.screenshot({ path: testInfo.outputPath(`${name}-end.png`) });
  await page.locator('main').evaluate((main) => main.scrollTo(0, 0));
}

test('an address clicked in a result opens its entity view, whose figures are the workspace’s; peers pivot', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const csp = await watchCsp(page);
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(new URL(server.url).origin);

  // A result of addresses: the one with the most rejected records comes first.
  await page.getByLabel('Language').selectOption({ label: 'Logs Insights' });
  await setQuery(page, 'filter action = "REJECT" | stats count(*) as rejects by srcAddr | sort rejects desc');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const grid = page.getByRole('grid', { name: 'Results' });
  const cell = grid.locator('[aria-rowindex="2"]').getByRole('gridcell').first();
  await expect(cell).toHaveText(expected.top);
  await cell.click();
  // The field sidebar offers it beside each address too (each appears once here: the first by value).
  await expect(
    page.getByRole('complementary', { name: 'Fields' }).getByRole('link', { name: /^Entity view of [\d.]+$/ }),
  ).toHaveCount(TOP_VALUES);
  // The active cell offers its entity view; E on the keyboard opens it.
  await expect(grid.getByRole('link', { name: `Entity view of ${expected.top}` })).toBeVisible();
  await grid.press('e');

  await expect(page).toHaveURL(new RegExp(`#entity/${expected.top}$`));
  const view = entityView(page);
  await expect(view.getByRole('heading', { level: 1 })).toHaveText(expected.top);
  await checkTotals(page, expected.topTotals);
  const about = page.getByLabel('About');
  await expect(about).toContainText('public');
  await expect(about).toContainText('outside');
  if (expected.country) await expect(about).toContainText(`(${expected.country})`);
  // AWS's ranges were never fetched here: the view says where to get them.
  await expect(about.getByRole('link', { name: "fetch AWS's ip-ranges.json" })).toBeVisible();
  const peers = page.getByRole('table', { name: 'Peers' });
  await expect(peers.getByRole('row').nth(1).getByRole('link').first()).toHaveText(expected.peer);
  await expect(peers.getByRole('row').nth(1)).toContainText('inbound');
  await expect(page.getByRole('table', { name: 'Ports and services' })).toContainText('22 ssh');
  await settled(page);

  await atEachSizeAndTheme(page, async (size, theme) => {
    await photograph(page, testInfo, `entity-${size}-${theme}`);
  });

  // Pivot: the top peer's own view, with its own figures; Back returns.
  await peers.getByRole('link', { name: expected.peer, exact: true }).first().click();
  await expect(view.getByRole('heading', { level: 1 })).toHaveText(expected.peer);
  await checkTotals(page, expected.peerTotals);
  await expect(page.getByLabel('About')).toContainText('private');
  await expect(page.getByLabel('About')).toContainText('inside');
  await photograph(page, testInfo, 'entity-peer-1440x900-light');
  await page.getByRole('button', { name: '← Back' }).click();
  await expect(view.getByRole('heading', { level: 1 })).toHaveText(expected.top);
  // Back is the browser's history, whose step ends after the view shows it: the panel is clicked once the
  // address is in the URL and its peers are drawn again (CI once clicked before, and stayed on the entity).
  await expect(page).toHaveURL(new RegExp(`#entity/${expected.top.replaceAll('.', '\\.')}$`));
  await expect(view.getByRole('region', { name: 'Peers', exact: true })).not.toHaveAttribute('data-state', 'loading');

  // A panel opens as the query it is, in a workbench tab, and runs there.
  await page.getByRole('button', { name: 'Open as query: Peers' }).click();
  await expect(page).toHaveURL(/#explore$/);
  await expect(page.getByRole('tab', { name: new RegExp(`Peers: ${expected.top}`) })).toBeVisible();
  await expect(grid.getByRole('columnheader', { name: 'peer' })).toBeVisible();
  await expect(grid.locator('[aria-rowindex="2"]').getByRole('gridcell').first()).toHaveText(expected.peer);
  // Its `peer` column is an address there too: the cell offers the peer's entity view.
  await grid.locator('[aria-rowindex="2"]').getByRole('gridcell').first().click();
  await expect(grid.getByRole('link', { name: `Entity view of ${expected.peer}` })).toBeVisible();

  // Typed: an ENI and a port; a value that is neither is refused with the reason.
  const lookup = page.getByRole('searchbox');
  await lookup.fill('not an address');
  await lookup.press('Enter');
  await expect(page.getByRole('search', { name: 'Look up' }).getByRole('alert')).toContainText('ENI id');
  await lookup.fill(NAT_ENI.toUpperCase());
  await lookup.press('Enter');
  await expect(view.getByRole('heading', { level: 1 })).toHaveText(NAT_ENI);
  await expect(
    page.locator('.figure', { has: page.getByRole('term').filter({ hasText: /^Records$/ }) }).getByRole('definition'),
  ).toHaveText(formatNumber(expected.eniRecords));
  await expect(page.getByRole('table', { name: 'Conversations' })).toBeVisible();
  await settled(page);
  await page.screenshot({ path: testInfo.outputPath('entity-eni-1440x900-light.png') });
  await lookup.fill('22');
  await lookup.press('Enter');
  await expect(view.getByRole('heading', { level: 1 })).toHaveText('22');
  await expect(page.getByLabel('About')).toContainText('ssh');
  await settled(page);
  await page.screenshot({ path: testInfo.outputPath('entity-port-1440x900-light.png') });

  expect(await csp()).toEqual([]);
  expect(errors).toEqual([]);
});

/**
 * Holds every connection of the engine with a query that runs until cancelled, sent on a socket of the
 * test's own, so that what the page asks next waits for a connection. Answers the hold's query ids.
 */
async function holdEngine(page: Page): Promise<string[]> {
  const ids = ['hold-0', 'hold-1', 'hold-2'];
  await page.evaluate(
    ({ query, ids }) =>
      new Promise<void>((resolve, reject) => {
        const socket = new WebSocket(`ws://${location.host}/ws`);
        (window as unknown as { holdSocket: WebSocket }).holdSocket = socket;
        socket.onerror = () => reject(new Error('the hold socket did not open'));
        socket.onopen = () => {
          ids.forEach((queryId, i) =>
            socket.send(JSON.stringify({ id: i + 1, channel: 'query.run', input: { query, dialect: 'sql', queryId } })),
          );
          resolve();
        };
      }),
    { query: LONG_QUERY, ids },
  );
  return ids;
}

async function releaseEngine(page: Page, ids: string[]): Promise<void> {
  await page.evaluate((ids) => {
    const socket = (window as unknown as { holdSocket: WebSocket }).holdSocket;
    ids.forEach((queryId, i) =>
      socket.send(JSON.stringify({ id: 100 + i, channel: 'query.cancel', input: { queryId } })),
    );
  }, ids);
}

test('another entity looked up while the last one’s panels still run stops them on the engine; only its own answers show', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const calls = recordCalls(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(new URL(server.url).origin);
  const held = await holdEngine(page);
  const panelRuns = (address: string) =>
    calls.filter((c) => c.channel === 'query.run' && String(c.input.query).includes(`'${address}'`));

  const lookup = page.getByRole('searchbox');
  await lookup.fill(expected.top);
  await lookup.press('Enter');
  const view = entityView(page);
  await expect(view.getByRole('heading', { level: 1 })).toHaveText(expected.top);
  await expect
    .poll(() => panelRuns(expected.top).length, { message: "the first entity's panels were asked" })
    .toBeGreaterThan(3);
  const first = panelRuns(expected.top);
  await expect(page.locator('section[data-state="loading"]')).not.toHaveCount(0);

  await lookup.fill(expected.peer);
  await lookup.press('Enter');
  await expect(view.getByRole('heading', { level: 1 })).toHaveText(expected.peer);
  // Each of the first entity's panel queries was either answered before, or stopped on the engine.
  const stopped: Call[] = [];
  for (const run of first) {
    await expect
      .poll(() => run.answer !== undefined, { message: 'a panel query of the first entity ended' })
      .toBe(true);
    if (run.answer?.ok) continue;
    expect(run.answer?.error?.code).toBe('cancelled');
    await expect.poll(() => cancelOf(calls, run.input.queryId)?.answer?.value).toEqual({ cancelled: true });
    stopped.push(run);
  }
  expect(stopped.length, 'the panels waiting behind the held connections were stopped').toBeGreaterThan(0);

  await releaseEngine(page, held);
  await settled(page);
  await checkTotals(page, expected.peerTotals);
  await expect(view.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Peers' })).not.toContainText(expected.peer);
  expect(errors).toEqual([]);
});
