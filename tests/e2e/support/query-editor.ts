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
