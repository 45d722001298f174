/**
 * Writing into the CodeMirror query editor from a test. The text is pasted (a paste event carrying it),
 * which CodeMirror takes as one edit: Playwright's fill() and insertText() go through the browser's
 * editing commands instead, which insert inline styles that the renderer's CSP refuses.
 */
import { expect, type Page } from '@playwright/test';

export function queryEditor(page: Page) {
  return page.getByRole('textbox', { name: 'Query', exact: true });
}

export async function setQuery(page: Page, text: string): Promise<void> {
  const editor = queryEditor(page);
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await editor.evaluate((element, pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
  if (text) await expect(editor).toContainText(text.split('\n').at(-1)!);
}

export function queryResults(page: Page) {
  return page.getByRole('region', { name: 'Query results' });
}

/**
 * Do something that runs the query (a click on Run, a key, a drag on a chart) and wait until that run has
 * finished: the tab counts finished runs, since the status text or the buttons may look the same before.
 */
export async function afterNextRun(
  page: Page,
  action: () => Promise<unknown>,
  options: { timeout?: number } = {},
): Promise<void> {
  const finished = async () => Number(await queryResults(page).getAttribute('data-finished-runs'));
  const before = await finished();
  await action();
  await expect.poll(finished, options).toBeGreaterThan(before);
}

/** Write `text` in the editor, run it, and wait for that run's answer (`timeout`: for a query meant to be heavy). */
export async function runAndWait(page: Page, text: string, options: { timeout?: number } = {}): Promise<void> {
  await setQuery(page, text);
  await afterNextRun(page, () => page.getByRole('button', { name: 'Run', exact: true }).click(), options);
}
