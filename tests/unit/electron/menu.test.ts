import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate } from '../../../main/electron/menu';

const noop = { openWorkspace: () => undefined, newWorkspace: () => undefined };

/** A template's submenu (Electron also accepts a built Menu there; ours are always templates). */
function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return Array.isArray(item?.submenu) ? item.submenu : [];
}

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [...(item.role ? [item.role] : []), ...roles(submenu(item))]);
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
  // Our click handlers ignore Electron's (menuItem, window, event) arguments.
  for (const item of submenu(file)) (item.click as (() => void) | undefined)?.();
  assert.deepEqual(opened, ['new', 'open']);
  assert.equal(appMenuTemplate('win32', true, noop)[0]?.label, 'File');
});
