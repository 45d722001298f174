/**
 * Electron's security checklist items of main/electron/security.ts, each against doubles of Electron's
 * own objects (an app and web contents that are event emitters, a session that keeps its handlers), so
 * they run without the Electron binary.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { App, Session, WebContents } from 'electron';
import { denyPermissions, isAllowedExternalUrl, isAppUrl, lockDownWebContents } from '../../../main/electron/security';

type Handler = (...args: never[]) => unknown;

function sessionDouble() {
  const handlers: Record<string, Handler | null> = {};
  const session = {
    setPermissionRequestHandler: (handler: Handler | null) => (handlers.request = handler),
    setPermissionCheckHandler: (handler: Handler | null) => (handlers.check = handler),
    setDevicePermissionHandler: (handler: Handler | null) => (handlers.device = handler),
  };
  return { session: session as unknown as Session, handlers };
}

/** An app whose `web-contents-created` the test fires with a web contents double. */
function lockedDownContents() {
  const app = new EventEmitter();
  const opened: string[] = [];
  lockDownWebContents(app as unknown as App, async (url) => void opened.push(url));
  const contents = Object.assign(new EventEmitter(), {
    windowOpenHandler: null as ((details: { url: string }) => { action: string }) | null,
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler;
    },
  });
  app.emit('web-contents-created', {}, contents as unknown as WebContents);
  /** Fire an event the way Electron does: the details object carries the url and preventDefault. */
  const fire = (name: string, url: string) => {
    let prevented = false;
    contents.emit(name, { url, preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, opened, fire };
}

const PERMISSIONS = [
  'media',
  'geolocation',
  'notifications',
  'clipboard-read',
  'clipboard-sanitized-write',
  'fullscreen',
];

test('every permission request and check is answered no, and no device is granted', () => {
  const { session, handlers } = sessionDouble();
  denyPermissions(session);
  for (const permission of PERMISSIONS) {
    const answers: boolean[] = [];
    (handlers.request as (c: unknown, p: string, cb: (granted: boolean) => void) => void)({}, permission, (granted) =>
      answers.push(granted),
    );
    assert.deepEqual(answers, [false], permission);
    assert.equal((handlers.check as (c: unknown, p: string) => boolean)(null, permission), false, permission);
  }
  assert.equal((handlers.device as (details: unknown) => boolean)({ deviceType: 'usb' }), false);
});

test('navigation, frame navigation and redirects away from app://flowscope are refused', () => {
  const { fire } = lockedDownContents();
  for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', 'about:blank'])
      assert.equal(fire(event, url), true, `${event} ${url}`);
    assert.equal(fire(event, 'app://flowscope/index.html'), false, `${event} to the app itself`);
  }
});

test('no <webview> can be attached', () => {
  const { fire } = lockedDownContents();
  assert.equal(fire('will-attach-webview', 'https://evil.example/'), true);
});

test('window.open is always denied; only listed documentation opens, in the user’s browser', () => {
  const { contents, opened } = lockedDownContents();
  const urls = [
    'https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html',
    'https://evil.example/',
    'app://flowscope/index.html',
  ];
  for (const url of urls) assert.deepEqual(contents.windowOpenHandler!({ url }), { action: 'deny' }, url);
  assert.deepEqual(opened, [urls[0]]);
});

test('the openExternal list is parsed URLs: https, an exact host, under the listed path', () => {
  for (const url of [
    'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html',
    'https://DOCS.aws.amazon.com/vpc/latest/userguide/',
    'https://duckdb.org/docs/stable/sql/introduction',
  ])
    assert.equal(isAllowedExternalUrl(url), true, url);
  for (const url of [
    'http://docs.aws.amazon.com/vpc/latest/userguide/',
    'https://docs.aws.amazon.com.evil.example/vpc/latest/userguide/',
    'https://evilduckdb.org/docs/',
    'https://blog.duckdb.org/docs/',
    'https://duckdb.org./docs/',
    'https://evil.example/?https://duckdb.org/docs/',
    'https://user:pass@duckdb.org/docs/',
    'https://duckdb.org:8443/docs/',
    'https://duckdb.org/docs/../evil',
    'https://duckdb.org/',
    'https://docs.aws.amazon.com/iam/',
    'https://github.com/someone/flowscope',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://host/share',
    'not a url',
  ])
    assert.equal(isAllowedExternalUrl(url), false, url);
});

test('navigation stays on the app:// origin', () => {
  assert.equal(isAppUrl('app://flowscope/index.html'), true);
  for (const url of ['app://other/index.html', 'app://flowscope.evil/', 'file:///tmp/x.html', 'https://flowscope', 'x'])
    assert.equal(isAppUrl(url), false, url);
});
