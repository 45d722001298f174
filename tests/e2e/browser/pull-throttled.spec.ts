/**
 * Pulls that AWS throttles, through the Pull dialog against the test servers (s3rver, the CloudWatch Logs
 * server): the job card says so while the pull waits to retry, in the words the command line writes
 * (`retryNotice`), and the pull then finishes.
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { flowLogObject, pullEnv, recordsIn, type PullEnv } from '../../support/pull-env';
import { startCloudWatchLogsServer, type CloudWatchLogsTestServer } from '../../support/cloudwatch-logs-server';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../../support/s3-server';
import { visitOwnServer } from '../support/own-server';
import { startPull, startS3Pull, watchCsp } from '../support/workbench-steps';

let s3: S3TestServer;
let cw: CloudWatchLogsTestServer;
let env: PullEnv;
let records = 0;

test.beforeAll(async () => {
  env = pullEnv(S3RVER_CREDENTIALS);
  s3 = await startS3Server('throttled-logs');
  const start = new Date('2026-03-02T10:00:00Z');
  const body = await flowLogObject(join(env.dir, 'a.log.gz'), { seed: 7, start, span: 300, records: 40 });
  records = recordsIn(body);
  await s3.put(
    'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/03/02/123456789012_vpcflowlogs_us-east-1_fl-1_20260302T1005Z_a.log.gz',
    body,
  );
  cw = await startCloudWatchLogsServer();
  const at = Date.parse('2026-03-02T10:00:00Z') / 1000;
  cw.addEvents(
    '/vpc/throttled',
    'eni-0e2e0e2e0e2e0e2e0-all',
    Array.from({ length: 5 }, (_, i) => ({
      timestamp: (at + i * 60 + 75) * 1000,
      message: `2 123456789012 eni-0e2e0e2e0e2e0e2e0 10.9.0.${i} 203.0.113.7 ${41000 + i} 443 6 3 300 ${at + i * 60} ${at + i * 60 + 60} ACCEPT OK`,
    })),
  );
});

test.afterAll(async () => {
  await s3?.close();
  await cw?.close();
  env?.cleanup();
});

test('a throttled S3 pull says so on its job card while it waits, then finishes', async ({ page }) => {
  const cspViolations = await watchCsp(page);
  try {
    await visitOwnServer(page, { env: env.env }, async (server) => {
      // The first download is refused with S3's SlowDown; the retry's download is held, so the card is seen
      // while the pull is still running.
      s3.inject('slowDown');
      s3.downloads.delayMs = 4_000;
      await page.goto(server.url);
      await startS3Pull(page, s3);

      const job = page.getByRole('article', { name: /S3 pull/ });
      await expect(job).toContainText(/S3 is throttling \(GetObject\); retry 1 of \d+ in \d+\.\d s/, {
        timeout: 20_000,
      });
      await expect(job.getByRole('status')).toContainText(`Imported ${records} records`, { timeout: 30_000 });
      expect(await cspViolations()).toEqual([]);
    });
  } finally {
    s3.downloads.delayMs = 0;
  }
});

test('a throttled CloudWatch pull says so on its job card while it waits, then finishes', async ({ page }) => {
  await visitOwnServer(page, { env: env.env }, async (server) => {
    // The first FilterLogEvents is throttled; its retry is held, so the card is seen while the pull runs.
    cw.inject('FilterLogEvents', { kind: 'throttle' }, { kind: 'slow', delayMs: 4_000 });
    await page.goto(server.url);
    await startPull(page, 'CloudWatch Logs', {
      'Endpoint URL (optional)': cw.endpoint,
      'Log group': '/vpc/throttled',
      // Either separator between a day and its time is taken.
      'From (UTC, optional)': '2026-03-02 10:00',
      'To (UTC, optional)': '2026-03-02T11:00',
    });

    const job = page.getByRole('article', { name: /CloudWatch pull/ });
    await expect(job).toContainText(/CloudWatch Logs is throttling \(FilterLogEvents\); retry 1 of \d+ in \d+\.\d s/, {
      timeout: 20_000,
    });
    await expect(job.getByRole('status')).toContainText('Imported 5 records', { timeout: 60_000 });
  });
});

test('the pull window is written as ISO in UTC; an end that is not a time, or a To not after the From, is refused with the reason', async ({
  page,
}) => {
  await visitOwnServer(page, { env: env.env }, async (server) => {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Pull from AWS…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Pull from AWS' });
    await dialog.getByLabel('CloudWatch Logs').check();
    await dialog.getByLabel('Endpoint URL (optional)').fill(cw.endpoint);
    await dialog.getByLabel('Log group').fill('/vpc/throttled');
    const from = dialog.getByLabel('From (UTC, optional)');
    await expect(from).toHaveAttribute('placeholder', 'YYYY-MM-DD HH:MM');
    // A browser's US form was read as no end at all, which pulls the whole log group.
    await from.fill('03/02/2026 10:00 AM');
    await dialog.getByRole('button', { name: 'Start pull' }).click();
    await expect(dialog.getByRole('alert')).toHaveText(
      'From “03/02/2026 10:00 AM” is not a time: write it as 2026-03-02 14:00 (UTC).',
    );
    await from.fill('2026-03-02 11:00');
    await dialog.getByLabel('To (UTC, optional)').fill('2026-03-02 10:00');
    await dialog.getByRole('button', { name: 'Start pull' }).click();
    await expect(dialog.getByRole('alert')).toHaveText('To must be after From: the window would hold nothing.');
    await expect(page.getByRole('article', { name: /CloudWatch pull/ })).toHaveCount(0);
  });
});
