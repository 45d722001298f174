/**
 * The keyboard shortcuts work in the browser, where Ctrl+T, Ctrl+W and Ctrl+N belong to the browser itself, and
 * the analyst can find them: `?` (or the sidebar's button) lists them all, and the buttons they stand for name
 * their key in their tooltip.
 */
import { expect, test } from '@playwright/test';
import { e2eEnv } from '../support/e2e-env';
import { afterNextRun, queryEditor } from '../support/query-editor';
import { atEachSizeAndTheme, requireCleanConsole, resultsGrid, shot } from '../support/workbench-steps';

test.describe('keyboard shortcuts', () => {
  test.use({ storageState: e2eEnv('storageState') });
  requireCleanConsole();

  test('tabs open and close, the query box and the language take focus, and Ctrl+Enter runs from the grid', async ({
    page,
  }) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    const tabs = page.getByRole('tab');
    await expect(tabs).toHaveCount(1);

    await afterNextRun(page, () => page.getByRole('button', { name: 'Run', exact: true }).click());
    await resultsGrid(page).focus();
    await page.keyboard.press('Alt+T');
    await expect(tabs).toHaveCount(2);
    await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Alt+X');
    await expect(tabs).toHaveCount(1);

    await page.keyboard.press('Alt+L');
    await expect(page.getByLabel('Language')).toBeFocused();
    await resultsGrid(page).focus();
    await page.keyboard.press('/');
    await expect(queryEditor(page)).toBeFocused();
    // From the query box too, whose editor has Alt+L of its own (select the line).
    await page.keyboard.press('Alt+L');
    await expect(page.getByLabel('Language')).toBeFocused();

    // From a cell too, where Enter adds its value as a filter.
    await resultsGrid(page).locator('[aria-rowindex="2"]').getByRole('gridcell').first().click();
    await afterNextRun(page, () => page.keyboard.press('Control+Enter'));
    await expect(tabs).toHaveCount(1);
    await expect(page.getByRole('button', { name: 'New query tab' })).toHaveAttribute('title', /Alt\+T/);
  });

  test('? lists every shortcut, as the sidebar button does', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await page.getByRole('button', { name: 'Dark theme' }).focus();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toBeVisible();
    // Read from its top, where the list starts, though the Close button below takes the focus.
    await expect(help.getByRole('heading', { name: 'Keyboard shortcuts' })).toBeInViewport();
    for (const key of ['Ctrl+Enter', 'Esc', 'Alt+T', 'Alt+X', 'Alt+L', '/', 'Shift+Enter', 'Ctrl+C', 'Ctrl+O'])
      await expect(help.getByText(key, { exact: true }).first()).toBeVisible();
    await atEachSizeAndTheme(page, (size, theme) => shot(page, testInfo, `shortcuts-${size}-${theme}`));
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await expect(help).toBeVisible();
  });
});
