/**
 * CloudWatch events that reach the workspace twice, in Debian's Chromium against `flowscope serve`: an export
 * of the log group dropped on the window (`aws logs create-export-task` lines: the event's time, then its
 * message), then a pull of the same group over hours the export covers in part. The pull stores only the
 * events the export did not bring, and its job card says how many it found already held, and counts the event
 * it rejected as an event.
 */
import { expect, test } from '@playwright/test';
import { startCloudWatchLogsServer, type CloudWatchLogsTestServer } from '../../support/cloudwatch-logs-server';
import { pullEnv, type PullEnv } from '../../support/pull-env';
import { visitOwnServer } from '../support/own-server';
import { dropFile, requireCleanConsole, startPull, watchCsp } from '../support/workbench-steps';

const START = 1772445600; // 2026-03-02T10:00:00Z
const GROUP = '/vpc/overlap';
/** The i-th event's message: one flow of one interface in one minute. */
const message = (i: number) =>
  `2 123456789012 eni-0e2e0e2e0e2e0e2e0 10.9.0.${i} 203.0.113.7 ${41000 + i} 443 6 3 ${300 + i} ${START + i * 60} ${START + i * 60 + 60} ACCEPT OK`;

let cw: CloudWatchLogsTestServer;
let env: PullEnv;

test.beforeAll(async () => {
  env = pullEnv({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' });
  cw = await startCloudWatchLogsServer();
  cw.addEvents(GROUP, 'eni-0e2e0e2e0e2e0e2e0-all', [
    ...Array.from({ length: 15 }, (_, i) => ({ timestamp: (START + i * 60 + 75) * 1000, message: message(i) })),
    { timestamp: (START + 15 * 60 + 75) * 1000, message: '2 123456789012 eni-0e2e0e2e0e2e0e2e0 not a flow record' },
  ]);
});

test.afterAll(async () => {
  await cw?.close();
  env?.cleanup();
});

test.describe('CloudWatch events that arrive twice', () => {
  requireCleanConsole();

  test('a pull of hours an export already brought stores each event once, and its card says how many were held', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const csp = await watchCsp(page);
    await visitOwnServer(page, { env: env.env }, async (server) => {
      await page.goto(server.url);
      const exported = Array.from(
        { length: 10 },
        (_, i) => `${new Date((START + i * 60 + 75) * 1000).toISOString()} ${message(i)}\n`,
      ).join('');
      await dropFile(page, '000000.log', exported);
      const imported = page.getByRole('article', { name: 'Import: 000000.log' });
      await expect(imported.getByRole('status')).toContainText('Imported 10 records', { timeout: 30_000 });

      await startPull(page, 'CloudWatch Logs', {
        'Endpoint URL (optional)': cw.endpoint,
        'Log group': GROUP,
        'From (UTC, optional)': '2026-03-02T10:00',
        'To (UTC, optional)': '2026-03-02T11:00',
      });
      const pulled = page.getByRole('article', { name: /CloudWatch/ });
      await expect(pulled.getByRole('status')).toContainText('Imported 5 records', { timeout: 60_000 });
      await expect(pulled).toContainText(
        '10 records were already held by earlier imports: stored once, not counted again.',
      );
      // A pulled log event is no line of any file: its card counts it as the event it is.
      await expect(pulled.getByRole('button', { name: '1 rejected event…' })).toBeVisible();
      expect(await csp()).toEqual([]);
    });
  });
});
