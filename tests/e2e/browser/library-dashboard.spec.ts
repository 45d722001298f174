import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { e2eEnv } from '../support/e2e-env';
import { queryEditor, runAndWait, setQuery } from '../support/query-editor';
import { openLibrary, shot, watchCsp } from '../support/workbench-steps';

test.use({ storageState: e2eEnv('storageState') });

const QUERIES = [
  {
    title: 'Rejected ports',
    query: 'filter action = "REJECT" | stats count(*) as attempts by dstPort | sort attempts desc | limit 10',
  },
  { title: 'Traffic by action', query: 'stats sum(bytes) as bytes by action' },
  { title: 'Flows per hour', query: 'stats count(*) as flows by bin(1h)' },
];

/** Run a query and wait for its answer: the last answer keeps Pin enabled while the next one runs. */
async function run(page: Page, query: string): Promise<void> {
  await runAndWait(page, query);
  await expect(page.getByRole('button', { name: 'Pin to dashboard' })).toBeEnabled();
}

/** Every panel on screen has its answer and has drawn it (a chart canvas or a table). */
async function expectDrawn(page: Page, panels: number): Promise<void> {
  const all = page.locator('[data-panel-id]');
  await expect(all).toHaveCount(panels);
  for (let i = 0; i < panels; i++) {
    const panel = all.nth(i);
    await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    await expect(panel.locator('canvas, table').first()).toBeVisible();
  }
}

test.describe('saved queries and dashboards in a browser, against flowscope serve', () => {
  let cspViolations: () => Promise<string[]>;

  test.beforeEach(async ({ page }) => {
    cspViolations = await watchCsp(page);
  });

  test.afterEach(async () => {
    expect(await cspViolations()).toEqual([]);
  });

  test('save a query, pin three results to a new dashboard, reload: the dashboard is still there and draws', async ({
    page,
  }, testInfo) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);

    // Save the first query as a file in the library.
    await run(page, QUERIES[0]!.query);
    await page.getByRole('button', { name: 'Save as…' }).click();
    await page.getByLabel('Query name').fill('Rejected ports (e2e)');
    await page.getByLabel('Tags (comma-separated)').fill('e2e, rejects');
    await shot(page, testInfo, 'library-01-save-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // Pin it and two more results to one new dashboard.
    for (const [i, q] of QUERIES.entries()) {
      if (i > 0) await run(page, q.query);
      await page.getByRole('button', { name: 'Pin to dashboard' }).click();
      await page.getByLabel('Panel title').fill(q.title);
      if (i === 0) {
        await page.getByLabel('Pin to', { exact: true }).selectOption('new');
        await page.getByLabel('New dashboard name').fill('E2E watch');
      } else {
        await expect(page.getByLabel('Pin to', { exact: true })).toHaveValue('user:e2e-watch');
      }
      await page.getByRole('dialog').getByRole('button', { name: 'Pin' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Pinned to “E2E watch”' })).toBeVisible();
      await expect(page.getByRole('dialog')).toHaveCount(0);
    }

    // The saved query is in the library, found by its tag.
    await openLibrary(page);
    await page.getByLabel('Search saved queries').fill('e2e');
    await expect(page.getByRole('button', { name: 'Rejected ports (e2e)', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Bytes over time', exact: true })).toHaveCount(0);
    await shot(page, testInfo, 'library-02-saved-queries');

    // The dashboard draws its three panels, and does again after a reload.
    await page.goto(`${e2eEnv('origin')}/#dashboards`);
    await page.getByLabel('Dashboard', { exact: true }).selectOption({ label: 'E2E watch' });
    await expectDrawn(page, 3);
    await shot(page, testInfo, 'library-03-dashboard');
    await page.reload();
    await page.getByLabel('Dashboard', { exact: true }).selectOption({ label: 'E2E watch' });
    await expectDrawn(page, 3);
    await expect(page.getByRole('article', { name: 'Flows per hour' })).toBeVisible();
    await shot(page, testInfo, 'library-04-dashboard-after-reload');

    // Click-through: a panel opens its query in the workbench.
    await page.getByRole('button', { name: 'Open Traffic by action in the workbench' }).click();
    await expect(page).toHaveURL(/#explore$/);
    await expect(page.getByRole('button', { name: 'Pin to dashboard' })).toBeEnabled();
  });

  test('the Pin dialog starts with a title and says why Pin waits', async ({ page }, testInfo) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await run(page, 'stats count(*) as flows by action');
    await page.getByRole('button', { name: 'Pin to dashboard' }).click();
    const dialog = page.getByRole('dialog', { name: 'Pin to dashboard' });
    // A tab of no saved query: the query itself is the title.
    await expect(dialog.getByLabel('Panel title')).toHaveValue('stats count(*) as flows by action');
    const pin = dialog.getByRole('button', { name: 'Pin', exact: true });
    await expect(pin).toBeEnabled();
    await shot(page, testInfo, 'pin-01-title');
    await dialog.getByLabel('Panel title').fill('');
    await expect(pin).toBeDisabled();
    await expect(pin).toHaveAccessibleDescription('Give the panel a title to pin it.');
    await expect(dialog).toContainText('Give the panel a title to pin it.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('a pin draws the answer on screen, not the text edited since without running it', async ({ page }) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    const ran = 'stats count(*) as pinned_records by action';
    await run(page, ran);
    // Before, the pin took the editor's text: the panel drew a query that never ran.
    await setQuery(page, 'stats sum(bytes) as edited_not_run by srcAddr');
    await page.getByRole('button', { name: 'Pin to dashboard' }).click();
    await page.getByLabel('Panel title').fill('As shown (e2e)');
    await page.getByLabel('Pin to', { exact: true }).selectOption('new');
    await page.getByLabel('New dashboard name').fill('E2E as shown');
    await page.getByRole('dialog').getByRole('button', { name: 'Pin' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await page.goto(`${e2eEnv('origin')}/#dashboards`);
    const picker = page.getByLabel('Dashboard', { exact: true });
    await picker.selectOption({ label: 'E2E as shown' });
    await expectDrawn(page, 1);
    await page.getByRole('button', { name: 'Open As shown (e2e) in the workbench' }).click();
    await expect(queryEditor(page)).toHaveText(ran);

    await page.goto(`${e2eEnv('origin')}/#dashboards`);
    await picker.selectOption({ label: 'E2E as shown' });
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(picker.locator('option', { hasText: 'E2E as shown' })).toHaveCount(0);
  });

  test('a rename committed with Enter renames once and says so, with no error', async ({ page }) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await run(page, 'stats count(*) as n by protocol');
    await page.getByRole('button', { name: 'Save as…' }).click();
    await page.getByLabel('Query name').fill('To rename (e2e)');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await openLibrary(page);
    await page.getByRole('button', { name: 'Rename To rename (e2e)' }).click();
    const field = page.getByLabel('New name');
    await expect(field).toHaveAttribute('maxlength', '200');
    await field.fill('Renamed once (e2e)');
    // Before, the field's blur as it went away renamed again: "There is no saved query …".
    await field.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'Renamed to “Renamed once (e2e)”' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Renamed once (e2e)', exact: true })).toBeVisible();
  });

  test('Save writes over the saved query of its own tab only: a new tab saves as a new file, with empty fields', async ({
    page,
  }, testInfo) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    const first = 'filter action = "REJECT" | stats count(*) as n by srcAddr | sort n desc';
    await run(page, first);
    await page.getByRole('button', { name: 'Save as…' }).click();
    await page.getByLabel('Query name').fill('Tab one (e2e)');
    await page.getByLabel('Description').fill('Rejected sources');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // Another tab never opened or saved from the library: Save asks for a new file and knows nothing of tab one's.
    await page.getByRole('button', { name: 'New query tab' }).click();
    await run(page, 'stats sum(bytes) as b by dstPort | sort b desc | limit 5');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Save query as' });
    await expect(dialog.getByLabel('Query name')).toHaveValue('');
    await expect(dialog.getByLabel('Description')).toHaveValue('');
    await shot(page, testInfo, 'library-01b-save-in-new-tab');
    await dialog.getByLabel('Query name').fill('Tab two (e2e)');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.getByRole('button', { name: 'Pin to dashboard' }).click();
    await expect(page.getByLabel('Panel title')).toHaveValue('Tab two (e2e)');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    // Tab one still saves over its own file, which still holds its own query.
    await page.getByRole('tab', { name: 'Query 1' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Save query', exact: true }).getByLabel('Query name')).toHaveValue(
      'Tab one (e2e)',
    );
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await openLibrary(page);
    await page.getByLabel('Search saved queries').fill('(e2e)');
    await expect(page.getByRole('button', { name: 'Tab two (e2e)', exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Tab one (e2e)', exact: true }).click();
    await expect(queryEditor(page)).toHaveText(first);
  });

  test('a panel pinned while its dashboard is open shows on return, and an older copy in another tab cannot save over it', async ({
    page,
    context,
  }, testInfo) => {
    const view = (p: Page, name: string) => p.getByRole('navigation').getByRole('link', { name, exact: true });
    const pinTo = async (title: string, target: 'new' | string) => {
      await page.getByRole('button', { name: 'Pin to dashboard' }).click();
      await page.getByLabel('Panel title').fill(title);
      if (target === 'new') {
        await page.getByLabel('Pin to', { exact: true }).selectOption('new');
        await page.getByLabel('New dashboard name').fill('E2E two tabs');
      } else await page.getByLabel('Pin to', { exact: true }).selectOption(target);
      await page.getByRole('dialog').getByRole('button', { name: 'Pin' }).click();
      await expect(page.getByRole('dialog')).toHaveCount(0);
    };
    const titles = (p: Page) => p.locator('[data-panel-id] h2');
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await run(page, QUERIES[1]!.query);
    await pinTo('First', 'new');
    await view(page, 'Dashboards').click();
    await page.getByLabel('Dashboard', { exact: true }).selectOption('user:e2e-two-tabs');
    await expect(titles(page)).toHaveText(['First']);

    // A second tab reads the dashboard as it is now.
    const other = await context.newPage();
    await other.goto(`${e2eEnv('origin')}/#dashboards`);
    await other.getByLabel('Dashboard', { exact: true }).selectOption('user:e2e-two-tabs');
    await expect(titles(other)).toHaveText(['First']);

    // Pinned from the workbench of the first tab (no reload): back on the dashboards, the new panel is there.
    await view(page, 'Explore').click();
    await run(page, QUERIES[2]!.query);
    await pinTo('Second', 'user:e2e-two-tabs');
    await view(page, 'Dashboards').click();
    await expect(titles(page)).toHaveText(['First', 'Second']);

    // The second tab still shows its older copy: moving a panel there would have written it over the pin.
    await other
      .getByRole('button', { name: 'Move or resize First with the arrow keys (Shift resizes)' })
      .press('ArrowDown');
    await expect(other.getByRole('alert')).toContainText('“E2E two tabs” was changed elsewhere');
    await expect(titles(other)).toHaveText(['First', 'Second']);
    await shot(other, testInfo, 'library-05b-two-tabs-conflict');
    await page.reload();
    await page.getByLabel('Dashboard', { exact: true }).selectOption('user:e2e-two-tabs');
    await expect(titles(page)).toHaveText(['First', 'Second']);
    await other.close();
  });

  test('the built-in Overview dashboard opens on the demo, draws every panel, and filters apply to all of them', async ({
    page,
  }, testInfo) => {
    await page.goto(`${e2eEnv('origin')}/#dashboards`);
    await expect(page.getByLabel('Dashboard', { exact: true })).toHaveValue('builtin:overview');
    await expectDrawn(page, 9);
    await shot(page, testInfo, 'library-05-overview');
    await page.getByRole('form', { name: 'Dashboard filters' }).getByLabel('Action').selectOption('REJECT');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expectDrawn(page, 9);
    const actions = page.getByRole('article', { name: 'Actions' });
    await expect(actions.locator('[data-chart-type="pie"]')).toBeVisible();
    await shot(page, testInfo, 'library-06-overview-rejects');
  });

  test('Dashboards opens on the dashboard open last: after another view, after a reload, and in a new window', async ({
    page,
    context,
  }) => {
    await page.goto(`${e2eEnv('origin')}/#dashboards`);
    const picker = page.getByLabel('Dashboard', { exact: true });
    await expect(picker).toHaveValue('builtin:overview');
    await picker.selectOption('builtin:traffic');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard: VPC Flow Logs · Live - Traffic');
    await page.getByRole('link', { name: 'Explore' }).click();
    await page.getByRole('link', { name: 'Dashboards' }).click();
    await expect(picker).toHaveValue('builtin:traffic');
    await page.reload();
    await expect(picker).toHaveValue('builtin:traffic');
    const other = await context.newPage();
    await other.goto(`${e2eEnv('origin')}/#dashboards`);
    await expect(other.getByLabel('Dashboard', { exact: true })).toHaveValue('builtin:traffic');
  });

  test('an address, port or ENI in a dashboard table panel opens its entity view, and Back returns to the dashboard', async ({
    page,
  }) => {
    const entityHeading = page.getByRole('article').getByRole('heading', { level: 1 });
    const openDashboard = async (id: string) => {
      await page.goto(`${e2eEnv('origin')}/#dashboards`);
      await page.getByLabel('Dashboard', { exact: true }).selectOption(id);
    };
    /** Clicks the link in the first row of a table panel whose text matches, and checks the view it opens. */
    const follow = async (panelTitle: string, text: RegExp) => {
      const panel = page.getByRole('article', { name: panelTitle });
      await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
      const link = panel.getByRole('table').getByRole('row').nth(1).getByRole('link', { name: text }).first();
      const value = (await link.innerText()).trim().split(' ')[0]!;
      await link.click();
      await expect(page).toHaveURL(new RegExp(`#entity/${value}$`));
      await expect(entityHeading).toHaveText(value);
      await expect(page.locator('section[data-state="loading"]')).toHaveCount(0);
      await page.getByRole('button', { name: '← Back' }).click();
      await expect(page).toHaveURL(/#dashboards$/);
      await expect(panel.getByRole('table')).toBeVisible();
    };

    await openDashboard('builtin:accepts-and-rejects');
    const table = 'Top 10 REJECT destination addresses and ports';
    await follow(table, /^\d+\.\d+\.\d+\.\d+$/);
    await follow(table, /^\d+( \S+)?$/);
    await openDashboard('builtin:rejections');
    await follow('REJECTs by InterfaceID, Destination Address', /^eni-[0-9a-f]+$/);
  });

  test('a result exports whole to CSV through the browser download', async ({ page }) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await run(page, 'SELECT * FROM range(25000)');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export result as CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    const text = readFileSync((await file.path())!, 'utf8');
    expect(text.trimEnd().split('\n')).toHaveLength(25_001);
  });

  test('an export that runs long says so and stops on Cancel, without a download or a file left behind', async ({
    page,
  }) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    // Millions of rows of text, sorted: seconds of DuckDB's COPY on any machine, and the query itself took
    // over 15 s on a loaded CI machine.
    await runAndWait(page, 'SELECT range AS n, md5(range::VARCHAR) AS label FROM range(8000000) ORDER BY label', {
      timeout: 90_000,
    });
    let downloaded = false;
    page.on('download', () => (downloaded = true));
    await page.getByRole('button', { name: 'Export result as CSV' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Exporting CSV…/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Export result as JSON' })).toBeDisabled();
    await page.getByRole('button', { name: 'Cancel export' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'The export was cancelled; no file was written.' }),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Cancel export' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Export result as CSV' })).toBeEnabled();
    expect(downloaded).toBe(false);
    expect(readdirSync(join(`${e2eEnv('workspace')}.flowscope`, 'export'))).toEqual([]);
  });

  test('a file too large for the library is refused by name, and the server stays up', async ({ page }) => {
    await openLibrary(page);
    const huge = Buffer.from(
      JSON.stringify({ version: 1, name: 'Huge', dialect: 'sql', query: 'x'.repeat(1_500_000) }),
    );
    await page.getByLabel('Import saved query files').setInputFiles({
      name: 'huge.flowquery.json',
      mimeType: 'application/json',
      buffer: huge,
    });
    await expect(page.getByRole('alert')).toContainText(
      `huge.flowquery.json is ${huge.length} bytes; library files are limited to 262144 bytes (256 KiB).`,
    );
    await page.getByLabel('Import saved query files').setInputFiles({
      name: 'small.flowquery.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ version: 1, name: 'Small after huge', dialect: 'sql', query: 'SELECT 1' })),
    });
    await expect(page.getByRole('button', { name: 'Small after huge', exact: true })).toBeVisible();
  });

  test('an imported file that breaks the rules is refused with what is wrong', async ({ page }, testInfo) => {
    await openLibrary(page);
    await page.getByLabel('Import saved query files').setInputFiles({
      name: 'evil.flowquery.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({
          version: 1,
          name: 'Evil',
          dialect: 'sql',
          query: 'SELECT 1',
          chart: { type: 'bar', x: 'a', y: 'b', options: {} },
        }),
      ),
    });
    await expect(page.getByRole('alert')).toContainText('evil.flowquery.json: chart: Unrecognized key: "options"');
    await page.getByLabel('Import saved query files').setInputFiles({
      name: 'shared.flowquery.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({
          version: 1,
          name: 'Shared by a colleague',
          dialect: 'insights',
          query: 'stats count(*) as n by action',
        }),
      ),
    });
    // Other imported files may be unreviewed too: the badge looked at is this file's.
    const shared = page.locator('.what', {
      has: page.getByRole('button', { name: 'Shared by a colleague', exact: true }),
    });
    await expect(shared.getByText('Not reviewed')).toBeVisible();
    await page.getByRole('button', { name: 'Run Shared by a colleague' }).click();
    const review = page.getByRole('dialog', { name: 'Run a query from elsewhere?' });
    await expect(review.getByLabel('Query text')).toHaveText('stats count(*) as n by action');
    await shot(page, testInfo, 'library-07-review-imported');
    await review.getByRole('button', { name: 'Trust and run' }).click();
    await expect(page).toHaveURL(/#explore$/);
  });
  test('several files imported at once: the good ones are imported, and each refused one is named', async ({
    page,
  }, testInfo) => {
    await openLibrary(page);
    const file = (name: string, text: string) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    const query = (name: string) => JSON.stringify({ version: 1, name, dialect: 'sql', query: 'SELECT 1' });
    await page
      .getByLabel('Import saved query files')
      .setInputFiles([
        file('broken.flowquery.json', '{"version": 1, "name": '),
        file('first-good.flowquery.json', query('First good (e2e)')),
        file('no-dialect.flowquery.json', JSON.stringify({ version: 1, name: 'No dialect', query: 'SELECT 1' })),
        file('second-good.flowquery.json', query('Second good (e2e)')),
      ]);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Imported “First good (e2e)”, “Second good (e2e)”.');
    await expect(alert.getByRole('listitem')).toHaveCount(2);
    await expect(alert.getByRole('listitem').nth(0)).toContainText('broken.flowquery.json');
    await expect(alert.getByRole('listitem').nth(1)).toContainText('no-dialect.flowquery.json');
    await expect(page.getByRole('button', { name: 'First good (e2e)', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Second good (e2e)', exact: true })).toBeVisible();
    await shot(page, testInfo, 'library-06b-import-several');
  });

  test('an imported dashboard shows the queries of its panels for review before any runs', async ({ page }) => {
    await openLibrary(page);
    const panel = (id: string, title: string, query: string, x: number) => ({
      id,
      title,
      query: { version: 1, name: title, dialect: 'insights', query },
      layout: { x, y: 0, w: 6, h: 4 },
    });
    await page.getByLabel('Import saved query files').setInputFiles({
      name: 'shared-watch.flowdash.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({
          version: 1,
          name: 'Shared watch',
          panels: [
            panel('a', 'By action', 'stats count(*) as n by action', 0),
            panel('b', 'By protocol', 'stats count(*) as n by protocol', 6),
          ],
        }),
      ),
    });
    // The dashboards view lists what the library holds when it opens: it waits for the import to be done.
    await expect(page.getByText('Imported “Shared watch”')).toBeVisible();
    await page.goto(`${e2eEnv('origin')}/#dashboards`);
    await page.getByLabel('Dashboard', { exact: true }).selectOption({ label: 'Shared watch' });
    const review = page.getByRole('dialog', { name: 'Run the queries of a dashboard from elsewhere?' });
    await expect(review.getByLabel('Query text')).toHaveText([
      'stats count(*) as n by action',
      'stats count(*) as n by protocol',
    ]);
    await expect(review.getByText('By protocol', { exact: true })).toBeVisible();
    await review.getByRole('button', { name: 'Trust and run' }).click();
    await expectDrawn(page, 2);
  });
  test('a dashboard file that no longer reads is named in the Dashboards view with why, kept as it is, and back once fixed', async ({
    page,
  }, testInfo) => {
    // The demo server's library: `library/` beside its workspace.
    const library = join(dirname(e2eEnv('workspace')), 'library');
    mkdirSync(library, { recursive: true });
    const truncated = join(library, 'hand-edited.flowdash.json');
    const newer = join(library, 'from-the-future.flowdash.json');
    const text = '{"version": 1, "name": "Hand edited", "panels": [';
    writeFileSync(truncated, text);
    writeFileSync(newer, JSON.stringify({ version: 99, name: 'From the future', panels: [] }));
    try {
      await page.goto(`${e2eEnv('origin')}/#dashboards`);
      const view = page.getByRole('region', { name: 'Dashboards' });
      const broken = view.locator('details', { hasText: '2 files in the library could not be read' });
      await expect(broken).toBeVisible();
      await broken.locator('summary').click();
      await expect(broken.getByRole('listitem').filter({ hasText: 'hand-edited.flowdash.json' })).toContainText(/JSON/);
      await expect(broken.getByRole('listitem').filter({ hasText: 'from-the-future.flowdash.json' })).toContainText(
        /version/i,
      );
      await shot(page, testInfo, 'library-09-broken-dashboards');
      // Neither is offered as a dashboard, and pinning under the same name writes a file of its own.
      await expect(
        view.getByLabel('Dashboard', { exact: true }).locator('option', { hasText: 'Hand edited' }),
      ).toHaveCount(0);

      await page.goto(`${e2eEnv('origin')}/#explore`);
      await run(page, QUERIES[1]!.query);
      await page.getByRole('button', { name: 'Pin to dashboard' }).click();
      await page.getByLabel('Panel title').fill('Pinned beside a broken file');
      await page.getByLabel('Pin to', { exact: true }).selectOption('new');
      await page.getByLabel('New dashboard name').fill('Hand edited');
      await page.getByRole('dialog').getByRole('button', { name: 'Pin' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Pinned to “Hand edited”' })).toBeVisible();
      expect(readFileSync(truncated, 'utf8'), 'the broken file is left as it was').toBe(text);

      // The analyst fixes the file and has the library read again: it is listed, and no broken file is left.
      await page.goto(`${e2eEnv('origin')}/#dashboards`);
      await expect(broken).toBeVisible();
      // The view reads the list again as it opens (it shows the one it had meanwhile): the pinned dashboard
      // in it says that read is done, before the files change under it (on a loaded machine it came after
      // them, the broken files were gone before the click below, and the click waited for them).
      await expect(
        view
          .getByLabel('Dashboard', { exact: true })
          .locator('option')
          .filter({ hasText: /^Hand edited$/ }),
      ).toHaveCount(1);
      writeFileSync(truncated, JSON.stringify({ version: 1, name: 'Hand edited, fixed', panels: [] }));
      rmSync(newer);
      await broken.locator('summary').click();
      await broken.getByRole('button', { name: 'Read the library again' }).click();
      await expect(view.getByText(/could not be read/)).toHaveCount(0);
      const picker = view.getByLabel('Dashboard', { exact: true });
      await expect(picker.locator('option', { hasText: 'Hand edited, fixed' })).toHaveCount(1);
      await expect(picker.locator('option').filter({ hasText: /^Hand edited$/ })).toHaveCount(1);
    } finally {
      for (const name of readdirSync(library).filter((f) => /^(hand-edited|from-the-future)/.test(f)))
        rmSync(join(library, name));
    }
  });
});
