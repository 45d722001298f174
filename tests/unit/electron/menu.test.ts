import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate } from '../../../main/electron/menu';

const noop = { openWorkspace: () => undefined, newWorkspace: () => undefined };

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [...(item.role ? [item.role] : []), ...roles(item.submenu ?? [])]);
}

test('the shipped app has no reload or developer tools in its menu; a development run has both', () => {
  assert.deepEqual(
    roles(appMenuTemplate('linux', true, noop)).filter((r) => r === 'reload' || r === 'toggleDevTools'),
    [],
  );
  assert.deepEqual(
    roles(appMenuTemplate('linux', false, noop)).filter((r) => r === 'reload' || r === 'toggleDevTools'),
    ['reload', 'toggleDevTools'],
  );
});

test('the File menu opens and creates workspaces, and macOS gets its app menu', () => {
  const opened: string[] = [];
  const template = appMenuTemplate('darwin', true, {
    openWorkspace: () => opened.push('open'),
    newWorkspace: () => opened.push('new'),
  });
  assert.equal(template[0]?.role, 'appMenu');
  const file = template.find((item) => item.label === 'File');
  for (const item of file?.submenu ?? []) item.click?.();
  assert.deepEqual(opened, ['new', 'open']);
  assert.equal(appMenuTemplate('win32', true, noop)[0]?.label, 'File');
});
