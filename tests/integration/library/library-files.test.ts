import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Channel, Input } from '../../../preload/contract';
import { callChannel, refusedChannel } from '../../support/through-dispatch';
import { Engine } from '../../../main/engine';

let dir: string;
let libraryDir: string;
let engine: Engine;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-library-'));
  libraryDir = join(dir, 'library');
  engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true, libraryDir });
});

after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = <C extends Channel>(channel: C, input: Input<C>) => callChannel(engine, channel, input);

const refused = <C extends Channel>(channel: C, input: Input<C>) => refusedChannel(engine, channel, input);

const topPorts = {
  version: 1 as const,
  name: 'Rejected ports',
  description: 'Which ports get rejected most',
  dialect: 'insights' as const,
  query: 'filter action = "REJECT" | stats count(*) as n by dstPort | sort n desc | limit 10',
  chart: { type: 'bar' as const, x: 'dstPort', y: 'n' },
  tags: ['security', 'rejects'],
};

test('a saved query is written as a pretty-printed file in the user library and reads back the same', async () => {
  const saved = await call('library.save', { query: topPorts });
  assert.equal(saved.id, 'user:rejected-ports');
  assert.equal(saved.trusted, true, 'what Flowscope writes itself is trusted');
  const text = readFileSync(join(libraryDir, 'rejected-ports.flowquery.json'), 'utf8');
  assert.equal(text, `${JSON.stringify({ ...topPorts }, null, 2)}\n`);
  const got = await call('library.get', { id: saved.id });
  assert.deepEqual(got.query, topPorts);
});

test('save overwrites by id, save-as makes a second file, rename renames the file', async () => {
  const first = await call('library.save', { query: { ...topPorts, name: 'Ports A' } });
  await call('library.save', { id: first.id, query: { ...first.query, description: 'changed' } });
  assert.equal((await call('library.get', { id: first.id })).query.description, 'changed');
  const copy = await call('library.save', { query: { ...first.query } });
  assert.equal(copy.id, 'user:ports-a-2');
  const renamed = await call('library.rename', { id: copy.id, name: 'Ports B' });
  assert.equal(renamed.id, 'user:ports-b');
  assert.equal(existsSync(join(libraryDir, 'ports-a-2.flowquery.json')), false);
  assert.equal(renamed.query.name, 'Ports B');
  await call('library.delete', { id: renamed.id });
  await call('library.delete', { id: first.id });
  assert.equal((await refused('library.get', { id: first.id })).code, 'not_found');
});

test('search matches words in name, description and tags; tag filters exactly', async () => {
  await call('library.save', {
    query: { ...topPorts, name: 'SSH from the internet', tags: ['ssh', 'security'], description: 'port 22' },
  });
  const bySearch = await call('library.list', { search: 'internet ssh' });
  assert.deepEqual(
    bySearch.entries.filter((e) => e.origin === 'user').map((e) => e.name),
    ['SSH from the internet'],
  );
  const byTag = await call('library.list', { tag: 'rejects' });
  assert.ok(byTag.entries.some((e) => e.id === 'user:rejected-ports'));
  assert.ok(byTag.entries.every((e) => e.tags.includes('rejects')));
  assert.equal((await call('library.list', { search: 'no-such-words-anywhere' })).entries.length, 0);
});

test('a file from elsewhere is imported untrusted until the analyst accepts it', async () => {
  const text = JSON.stringify({ ...topPorts, name: 'From a colleague' });
  const imported = await call('library.import', { text, fileName: 'colleague.flowquery.json' });
  assert.deepEqual(imported, {
    kind: 'query',
    id: 'user:from-a-colleague',
    name: 'From a colleague',
    trusted: false,
    existing: false,
  });
  assert.equal((await call('library.get', { id: imported.id })).trusted, false);
  await call('library.trust', { kind: 'query', id: imported.id });
  assert.equal((await call('library.get', { id: imported.id })).trusted, true);
  // Editing the file outside Flowscope makes it a different file: shown again before it runs.
  const path = join(libraryDir, 'from-a-colleague.flowquery.json');
  writeFileSync(path, readFileSync(path, 'utf8').replace('REJECT', 'ACCEPT'));
  assert.equal((await call('library.get', { id: imported.id })).trusted, false);
});

test('a file imported again, the same content, is the entry it made, not a copy; a changed one is a new entry', async () => {
  const text = JSON.stringify({ ...topPorts, name: 'Imported twice' }, null, 4);
  const first = await call('library.import', { text, fileName: 'twice.flowquery.json' });
  const again = await call('library.import', { text, fileName: 'twice-copy.flowquery.json' });
  assert.deepEqual(again, { ...first, existing: true });
  const changed = await call('library.import', {
    text: JSON.stringify({ ...topPorts, name: 'Imported twice', query: 'stats count(*) by action' }),
  });
  assert.deepEqual([changed.id, changed.existing], ['user:imported-twice-2', false]);
  const names = (await call('library.list', { search: 'imported twice' })).entries.map((e) => e.id);
  assert.deepEqual(names, ['user:imported-twice', 'user:imported-twice-2']);
  for (const id of names) await call('library.delete', { id });
});

test('a file handed over as a file handle is imported the same way', async () => {
  const path = join(dir, 'shared.flowquery.json');
  writeFileSync(path, JSON.stringify({ ...topPorts, name: 'Shared by handle' }));
  const imported = await call('library.import', { file: engine.files.register(path) });
  assert.equal(imported.id, 'user:shared-by-handle');
  assert.equal(imported.trusted, false);
});

const hostile: [string, string, RegExp][] = [
  ['oversize', JSON.stringify({ ...topPorts, description: 'x'.repeat(300 * 1024) }), /limited to 262144 bytes/],
  [
    'newer version',
    JSON.stringify({ ...topPorts, version: 2 }),
    /format version 2, written by a newer Flowscope; this one reads version 1/,
  ],
  [
    'unknown chart keys',
    JSON.stringify({ ...topPorts, chart: { type: 'bar', x: 'dstPort', y: 'n', color: 'red' } }),
    /chart: Unrecognized key: "color"/,
  ],
  [
    'raw ECharts options',
    JSON.stringify({
      ...topPorts,
      chart: { type: 'bar', x: 'dstPort', y: 'n', options: { tooltip: { formatter: '<img src=x onerror=alert(1)>' } } },
    }),
    /chart: Unrecognized key: "options"/,
  ],
  ['a chart type we do not draw', JSON.stringify({ ...topPorts, chart: { type: 'gauge' } }), /chart\.type:/],
  [
    'extra top-level keys',
    JSON.stringify({ ...topPorts, echarts: { series: [] } }),
    /\(top level\): Unrecognized key: "echarts"/,
  ],
  ['not JSON', '{"version": 1, "name": ', /is not valid JSON/],
  ['not an object', '[1,2,3]', /is not a JSON object/],
  ['a wrong dialect', JSON.stringify({ ...topPorts, dialect: 'splunk' }), /dialect:/],
];
for (const [what, text, message] of hostile) {
  test(`an imported file with ${what} is refused with a message naming the problem, and nothing is written`, async () => {
    const before = readdirSync(libraryDir).sort();
    const error = await refused('library.import', { text, fileName: 'evil.flowquery.json' });
    assert.equal(error.code, 'bad_request');
    assert.match(error.message, /^evil\.flowquery\.json/);
    assert.match(error.message, message);
    assert.deepEqual(readdirSync(libraryDir).sort(), before);
  });
}

test('names and ids cannot reach outside the library folder', async () => {
  const imported = await call('library.import', {
    text: JSON.stringify({ ...topPorts, name: '../../../etc/passwd' }),
    fileName: '../../../../tmp/x.flowquery.json',
  });
  assert.equal(imported.id, 'user:etc-passwd');
  assert.ok(existsSync(join(libraryDir, 'etc-passwd.flowquery.json')));
  for (const id of ['user:../w.duckdb', 'user:..%2fx', 'user:/etc/passwd', 'builtin:../../package']) {
    assert.equal((await refused('library.get', { id })).code, 'bad_request', id);
    assert.equal((await refused('library.delete', { id })).code, 'bad_request', id);
  }
});

test('a file that stops reading (edited by hand) is listed as broken with its reason, not hidden', async () => {
  writeFileSync(join(libraryDir, 'hand-edited.flowquery.json'), '{"version": 1, "name": "x"}');
  const { broken } = await call('library.list', {});
  const entry = broken.find((b) => b.id === 'user:hand-edited');
  assert.ok(entry);
  assert.match(entry.error, /dialect/);
  rmSync(join(libraryDir, 'hand-edited.flowquery.json'));
});

// Found by an outside probe: the user library travels with a workspace (git keeps links), and a
// `zero.flowquery.json` linking to /dev/zero was read to its end, which never comes: listing the library (and
// importing, which reads every file to find a copy) held the engine at full CPU for good.
test('a library file that is not a regular file, or too large, is listed as broken without being read', async () => {
  symlinkSync('/dev/zero', join(libraryDir, 'zero.flowquery.json'));
  const large = join(dir, 'large.json');
  writeFileSync(large, JSON.stringify({ ...topPorts, description: 'x'.repeat(300 * 1024) }));
  symlinkSync(large, join(libraryDir, 'large.flowquery.json'));
  try {
    const { broken } = await call('library.list', {});
    assert.match(broken.find((b) => b.id === 'user:zero')?.error ?? '', /is not a regular file/);
    assert.match(broken.find((b) => b.id === 'user:large')?.error ?? '', /limited to 262144 bytes/);
    const imported = await call('library.import', { text: JSON.stringify({ ...topPorts, name: 'After zero' }) });
    assert.equal(imported.name, 'After zero');
    await call('library.delete', { id: imported.id });
  } finally {
    rmSync(join(libraryDir, 'zero.flowquery.json'));
    rmSync(join(libraryDir, 'large.flowquery.json'));
  }
});

test('a library file that is not UTF-8 is listed as broken saying so, and is refused when imported', async () => {
  // Saved as Latin-1 (é is the byte E9): read as UTF-8 it would list and run as "caf\uFFFD".
  const bytes = Buffer.from(JSON.stringify({ ...topPorts, name: 'caf\xe9' }), 'latin1');
  writeFileSync(join(libraryDir, 'latin-1.flowquery.json'), bytes);
  const { entries, broken } = await call('library.list', {});
  assert.ok(!entries.some((e) => e.id === 'user:latin-1'));
  assert.match(broken.find((b) => b.id === 'user:latin-1')?.error ?? '', /is not UTF-8 text \(line 1, column \d+\)/);
  rmSync(join(libraryDir, 'latin-1.flowquery.json'));
  const shared = join(dir, 'shared-latin-1.flowquery.json');
  writeFileSync(shared, bytes);
  const before = readdirSync(libraryDir).sort();
  const error = await refused('library.import', { file: engine.files.register(shared) });
  assert.match(error.message, /^shared-latin-1\.flowquery\.json is not UTF-8 text/);
  assert.deepEqual(readdirSync(libraryDir).sort(), before);
});

test('exporting many queries gives one file each, in the saved format', async () => {
  const { files } = await call('library.export', {
    items: [
      { kind: 'query', id: 'user:rejected-ports' },
      { kind: 'query', id: 'user:ssh-from-the-internet' },
    ],
  });
  assert.deepEqual(
    files.map((f) => f.fileName),
    ['rejected-ports.flowquery.json', 'ssh-from-the-internet.flowquery.json'],
  );
  assert.equal(JSON.parse(files[0]!.text).query, topPorts.query);
});

test('pinning builds a dashboard panel by panel on the grid, and it reads back after reopening', async () => {
  const pinned = await call('dashboard.pin', {
    newDashboardName: 'My watch',
    title: 'Rejected ports',
    query: { ref: 'user:rejected-ports' },
  });
  assert.equal(pinned.id, 'user:my-watch');
  const second = await call('dashboard.pin', {
    dashboardId: pinned.id,
    title: 'SSH',
    query: topPorts,
    chart: { type: 'pie', x: 'dstPort', y: 'n' },
  });
  const third = await call('dashboard.pin', {
    dashboardId: pinned.id,
    title: 'Table',
    query: topPorts,
    chart: { type: 'table' },
  });
  assert.deepEqual(
    third.dashboard.panels.map((p) => [p.id, p.layout]),
    [
      ['p1', { x: 0, y: 0, w: 6, h: 4 }],
      ['p2', { x: 6, y: 0, w: 6, h: 4 }],
      ['p3', { x: 0, y: 4, w: 6, h: 4 }],
    ],
  );
  assert.equal(second.panelId, 'p2');

  await engine.close();
  engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), libraryDir });
  const got = await call('dashboard.get', { id: pinned.id });
  assert.equal(got.panels.length, 3);
  assert.equal(got.panels[0]!.ref, 'user:rejected-ports');
  assert.equal(got.panels[0]!.query?.query, topPorts.query);
  assert.deepEqual(got.panels[0]!.chart, topPorts.chart, 'a panel without its own chart draws its query’s');
  assert.deepEqual(got.panels[1]!.chart, { type: 'pie', x: 'dstPort', y: 'n' });
  assert.ok((await call('dashboard.list', {})).entries.some((e) => e.id === pinned.id && e.panels === 3));
});

test('a dashboard saved from a copy read before a pin is refused as a conflict, and the pinned panel stays', async () => {
  const opened = await call('dashboard.pin', { newDashboardName: 'Two tabs', title: 'First', query: topPorts });
  // Another tab (or the workbench) pins to it while this copy is on screen.
  await new Promise((resolve) => setTimeout(resolve, 5));
  await call('dashboard.pin', { dashboardId: opened.id, title: 'Pinned elsewhere', query: topPorts });
  const moved = {
    ...opened.dashboard,
    panels: opened.dashboard.panels.map((p) => ({ ...p, layout: { ...p.layout, y: 2 } })),
  };
  const error = await refused('dashboard.save', { id: opened.id, dashboard: moved, ifModifiedAt: opened.modifiedAt });
  assert.equal(error.code, 'conflict');
  assert.match(error.message, /“Two tabs” was changed elsewhere .* your change was not saved over it/);
  const now = await call('dashboard.get', { id: opened.id });
  assert.deepEqual(
    now.dashboard.panels.map((p) => p.title),
    ['First', 'Pinned elsewhere'],
  );
  // Saved from the copy as it now is, the change goes through.
  const saved = await call('dashboard.save', { id: opened.id, dashboard: now.dashboard, ifModifiedAt: now.modifiedAt });
  assert.equal(saved.panels.length, 2);
  await call('dashboard.delete', { id: opened.id });
  const gone = await refused('dashboard.save', {
    id: opened.id,
    dashboard: now.dashboard,
    ifModifiedAt: saved.modifiedAt,
  });
  assert.equal(gone.code, 'conflict');
  assert.match(gone.message, /was renamed or deleted elsewhere/);
});

test('a saved query renamed elsewhere is not said to be deleted when the copy opened before is saved', async () => {
  const opened = await call('library.save', { query: { ...topPorts, name: 'Renamed under a tab' } });
  await call('library.rename', { id: opened.id, name: 'Its new name' });
  const error = await refused('library.save', {
    id: opened.id,
    query: { ...topPorts, name: 'Renamed under a tab' },
    ifModifiedAt: opened.modifiedAt,
  });
  assert.equal(error.code, 'conflict');
  assert.match(
    error.message,
    /“Renamed under a tab” was renamed or deleted elsewhere .* open it again by its new name/,
  );
});

test('a saved query saved from a copy opened before another save is refused as a conflict, and that save stays', async () => {
  const opened = await call('library.save', { query: { ...topPorts, name: 'Saved from two tabs' } });
  const second = { ...opened.query, query: 'stats count(*) as n by action' };
  await call('library.save', { id: opened.id, query: second, ifModifiedAt: opened.modifiedAt });
  const first = { ...opened.query, query: 'stats count(*) as lost by action' };
  const error = await refused('library.save', { id: opened.id, query: first, ifModifiedAt: opened.modifiedAt });
  assert.equal(error.code, 'conflict');
  assert.match(error.message, /“Saved from two tabs” was changed elsewhere/);
  assert.equal((await call('library.get', { id: opened.id })).query.query, second.query);
  await call('library.delete', { id: opened.id });
});

test('saves in quick succession, within one tick of the file system’s clock, each get a time of their own', async () => {
  let saved = await call('library.save', { query: { ...topPorts, name: 'Saved in a burst' } });
  // As if the clock's tick were an hour long: every save gets an earlier time from it than the file holds.
  const ahead = new Date(Date.parse(saved.modifiedAt) + 3_600_000);
  utimesSync(join(libraryDir, 'saved-in-a-burst.flowquery.json'), ahead, ahead);
  saved = await call('library.get', { id: saved.id });
  const times = new Set([saved.modifiedAt]);
  for (let n = 0; n < 40; n += 1) {
    const query = { ...saved.query, query: `stats count(*) as n${n} by action` };
    saved = await call('library.save', { id: saved.id, query, ifModifiedAt: saved.modifiedAt });
    times.add(saved.modifiedAt);
  }
  assert.equal(times.size, 41, 'a save that got the time of the one before could be overwritten by an older copy');
  await call('library.delete', { id: saved.id });
});

test('an exported dashboard carries its queries, so it imports on another machine', async () => {
  const { files } = await call('library.export', { items: [{ kind: 'dashboard', id: 'user:my-watch' }] });
  const doc = JSON.parse(files[0]!.text);
  assert.equal(doc.panels[0].query.query, topPorts.query, 'the referenced query is copied in');
  await call('dashboard.delete', { id: 'user:my-watch' });
  const imported = await call('library.import', { text: files[0]!.text });
  assert.deepEqual(imported, {
    kind: 'dashboard',
    id: 'user:my-watch',
    name: 'My watch',
    trusted: false,
    existing: false,
  });
});

test('a dashboard whose pinned query was deleted cannot be exported, and the message names it and the panel', async () => {
  const saved = await call('library.save', { query: { ...topPorts, name: 'Soon gone' } });
  const pinned = await call('dashboard.pin', {
    newDashboardName: 'Lost query',
    title: 'Gone panel',
    query: { ref: saved.id },
  });
  await call('library.delete', { id: saved.id });
  const error = await refused('library.export', { items: [{ kind: 'dashboard', id: pinned.id }] });
  assert.equal(error.code, 'not_found');
  assert.match(
    error.message,
    /dashboard “Lost query” cannot be exported: its panel 1 \(“Gone panel”\) shows user:soon-gone/,
  );
  await call('dashboard.delete', { id: pinned.id });
});

test('a shared dashboard that points into someone else’s library is refused', async () => {
  const doc = {
    version: 1,
    name: 'Refs',
    panels: [{ id: 'a', title: 'x', query: { ref: 'user:secret' }, layout: { x: 0, y: 0, w: 6, h: 4 } }],
  };
  const error = await refused('library.import', { text: JSON.stringify(doc), fileName: 'refs.flowdash.json' });
  assert.match(error.message, /refs\.flowdash\.json: panels\.0\.query: refers to "user:secret"/);
});

test('a shared dashboard that points to a built-in query this Flowscope lacks is refused, naming the panel', async () => {
  const panel = (id: string, ref: string) => ({ id, title: 'x', query: { ref }, layout: { x: 0, y: 0, w: 6, h: 4 } });
  const doc = {
    version: 1,
    name: 'Newer built-ins',
    panels: [panel('a', 'builtin:top-talkers'), panel('b', 'builtin:added-in-a-later-version')],
  };
  const before = readdirSync(libraryDir).sort();
  const error = await refused('library.import', { text: JSON.stringify(doc), fileName: 'newer.flowdash.json' });
  assert.equal(error.code, 'bad_request');
  assert.match(
    error.message,
    /newer\.flowdash\.json: panels\.1\.query: refers to "builtin:added-in-a-later-version", which is not in this Flowscope's built-in library/,
  );
  assert.deepEqual(readdirSync(libraryDir).sort(), before);
  const known = await call('library.import', { text: JSON.stringify({ ...doc, panels: [doc.panels[0]] }) });
  assert.equal(known.kind, 'dashboard');
  await call('dashboard.delete', { id: known.id });
});

test('a dashboard whose panels do not fit the grid is refused with the panel named', async () => {
  const doc = {
    version: 1,
    name: 'Wide',
    panels: [{ id: 'a', title: 'x', query: topPorts, layout: { x: 8, y: 0, w: 6, h: 4 } }],
  };
  const error = await refused('library.import', { text: JSON.stringify(doc), fileName: 'wide.flowdash.json' });
  assert.match(error.message, /panels\.0\.layout: a panel must fit in the 12-column grid/);
});

test('a panel keeps its own time range through save and reopen; a bad one is refused with the panel named', async () => {
  const panel = (id: string, timeRange?: { last: string }) => ({
    id,
    title: id,
    query: topPorts,
    layout: { x: 0, y: id === 'a' ? 0 : 4, w: 6, h: 4 },
    ...(timeRange ? { timeRange } : {}),
  });
  const saved = await call('dashboard.save', {
    dashboard: {
      version: 1,
      name: 'Own ranges',
      description: '',
      filters: {},
      panels: [panel('a', { last: '1h' }), panel('b')],
    },
  });
  const got = await call('dashboard.get', { id: saved.id });
  assert.deepEqual(got.dashboard.panels[0]!.timeRange, { last: '1h' });
  assert.deepEqual(got.panels[0]!.timeRange, { last: '1h' }, 'the resolved panel carries it to the renderer');
  assert.equal('timeRange' in got.panels[1]!, false, 'a panel without one follows the dashboard');
  assert.match(readFileSync(join(libraryDir, saved.fileName), 'utf8'), /"timeRange": \{\s*"last": "1h"\s*\}/);
  const bad = { version: 1, name: 'Bad range', panels: [panel('a', { last: 'an hour' })] };
  const error = await refused('library.import', { text: JSON.stringify(bad), fileName: 'bad.flowdash.json' });
  assert.match(error.message, /bad\.flowdash\.json: panels\.0\.timeRange/);
});

test('built-in files cannot be changed or deleted', async () => {
  const error = await refused('library.delete', { id: 'builtin:anything' });
  assert.match(error.message, /built-in/);
});
