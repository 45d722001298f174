import { expect, test } from '@playwright/test';
import { startOwnServer } from '../support/own-server';
import { requireCleanConsole, watchCsp } from '../support/workbench-steps';
import { copyInOlderStorage } from '../../support/older-storage';

test('the summary shows the VPC ranges seen in the data, refuses a bad CIDR inline, sets and clears them', async ({
  page,
}) => {
  const cspViolations = await watchCsp(page);
  const server = await startOwnServer();
  try {
    await page.goto(server.url);
    const vpc = page.getByRole('region', { name: 'VPC ranges' });
    // The demo's ENIs are in 10.0.0.0/16.
    await expect(vpc.getByRole('listitem')).toHaveText(['10.0.0.0/16']);
    await expect(vpc).toContainText('seen in the data');

    await vpc.getByRole('button', { name: 'Edit' }).click();
    const box = vpc.getByLabel('CIDR blocks, one a line');
    await box.fill('172.31.0.0/16\n10.0.0.300/16');
    await vpc.getByRole('button', { name: 'Save' }).click();
    await expect(vpc.getByRole('alert')).toContainText('"10.0.0.300/16" is not a CIDR block');

    await box.fill('172.31.0.0/16\n10.0.0.0/16');
    await vpc.getByRole('button', { name: 'Save' }).click();
    await expect(vpc.getByRole('listitem')).toHaveText(['172.31.0.0/16', '10.0.0.0/16']);
    await expect(vpc).toContainText('set for this workspace');

    await vpc.getByRole('button', { name: 'Edit' }).click();
    await vpc.getByRole('button', { name: "Use the data's" }).click();
    await expect(vpc.getByRole('listitem')).toHaveText(['10.0.0.0/16']);
    await expect(vpc).toContainText('seen in the data');
    expect(await cspViolations()).toEqual([]);
  } finally {
    await server.close();
  }
});

test.describe('a workspace in an older storage format', () => {
  requireCleanConsole();

  test('the summary offers the upgrade, runs it, and the notice goes once the file is in the current format', async ({
    page,
  }) => {
    const server = await startOwnServer({ prepare: (workspace) => copyInOlderStorage(workspace, workspace) });
    try {
      await page.goto(server.url);
      const notice = page.getByRole('region', { name: 'Storage format' });
      await expect(notice).toContainText('Older storage format (v1.0.0+)');
      await notice.getByRole('button', { name: 'Upgrade' }).click();
      await expect(notice).toBeHidden();
      // The workspace still answers after the file was swapped under the engine.
      const summary = page.getByRole('region', { name: 'Workspace summary' });
      await expect(summary).toContainText('Records');
      await expect(summary.getByRole('region', { name: 'VPC ranges' }).getByRole('listitem')).toHaveText([
        '10.0.0.0/16',
      ]);
    } finally {
      await server.close();
    }
  });
});
