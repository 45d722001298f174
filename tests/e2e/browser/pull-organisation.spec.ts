/**
 * The Pull dialog against an organisation's bucket in s3rver: only the accounts and regions asked for are
 * pulled, and the finished job lists what each account and region gave.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { pullEnv, type PullEnv } from '../../support/pull-env';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../../support/s3-server';
import { startOwnServer } from '../support/own-server';
import { startS3Pull, watchCsp } from '../support/workbench-steps';

let s3: S3TestServer;
let env: PullEnv;
const recordsOf = new Map<string, number>();

test.beforeAll(async () => {
  // The server started below inherits these: s3rver's key pair and empty shared config files.
  env = pullEnv(S3RVER_CREDENTIALS);
  s3 = await startS3Server('org-log-archive');
  let seed = 1;
  for (const [account, base] of [
    ['111111111111', 'AWSLogs/o-abcd1234/111111111111/vpcflowlogs'],
    ['222222222222', 'AWSLogs/222222222222/vpcflowlogs'],
  ] as const) {
    for (const region of ['us-east-1', 'eu-west-1']) {
      const path = join(env.dir, `${account}-${region}.log.gz`);
      await writeFlowLogFile(path, { seed: seed++, records: 25 + seed, gzip: true, accountId: account, region });
      const body = readFileSync(path);
      recordsOf.set(`${account} ${region}`, gunzipSync(body).toString('utf8').trim().split('\n').length - 1);
      await s3.put(`${base}/${region}/2026/03/02/${account}_vpcflowlogs_${region}_fl-1_20260302T1000Z_a.log.gz`, body);
    }
  }
});

test.afterAll(async () => {
  await s3.close();
  env.cleanup();
});

test('pulls only the accounts and regions asked for and shows what each gave', async ({ page }) => {
  const cspViolations = await watchCsp(page);
  const server = await startOwnServer();
  try {
    await page.goto(server.url);
    await startS3Pull(page, s3, {
      'Only accounts (optional)': '111111111111, 222222222222',
      'Only regions (optional)': 'eu-west-1',
    });

    const job = page.getByRole('article', { name: /S3 pull/ });
    const expected = recordsOf.get('111111111111 eu-west-1')! + recordsOf.get('222222222222 eu-west-1')!;
    await expect(job.getByRole('status')).toContainText(`Imported ${expected} records`, { timeout: 30_000 });
    await job.getByText('By account and region').click();
    const rows = job.getByRole('row');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(1)).toHaveText(`111111111111eu-west-11${recordsOf.get('111111111111 eu-west-1')}`);
    await expect(rows.nth(2)).toHaveText(`222222222222eu-west-11${recordsOf.get('222222222222 eu-west-1')}`);
    expect(await cspViolations()).toEqual([]);
  } finally {
    await server.close();
  }
});
