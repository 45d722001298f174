import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { FlowscopeError } from '../../../main/engine/errors';
import { SCHEMA_VERSION, Workspace, type UpgradeNotice } from '../../../main/engine/workspace';
import { STORAGE_VERSION } from '../../../main/engine/workspace/config';
import { MIGRATIONS } from '../../../main/engine/workspace/schema';
import { copyInOlderStorage } from '../../support/older-storage';
import { sha256, tempDir } from './helpers';
import { summaryMismatches } from '../../support/summarize-records';

const dir = tempDir();

function isCode(code: string, pattern?: RegExp) {
  return (err: unknown) =>
    err instanceof FlowscopeError && err.code === code && (!pattern || pattern.test(err.message));
}

/** DuckDB's block checksum: 5381 xor each little-endian uint64 times a constant, modulo 2^64. */
function duckdbChecksum(block: Buffer): bigint {
  let sum = 5381n;
  for (let i = 0; i + 8 <= block.length; i += 8)
    sum ^= BigInt.asUintN(64, block.readBigUInt64LE(i) * 0xbf58476d1ce4e5b9n);
  return sum;
}

/** A DuckDB file written without Flowscope, to play a file someone sent. */
async function rawFile(name: string, statements: string[]): Promise<string> {
  const path = join(dir, name);
  const db = await DuckDBInstance.create(path);
  const c = await db.connect();
  for (const s of statements) await c.run(s);
  c.closeSync();
  db.closeSync();
  return path;
}

/** A file as this Flowscope makes it, plus extra statements. */
async function workspaceWith(name: string, extra: string[]): Promise<string> {
  const path = join(dir, name);
  await (await Workspace.open(path, { create: true })).close();
  const db = await DuckDBInstance.create(path);
  const c = await db.connect();
  for (const s of extra) await c.run(s);
  c.closeSync();
  db.closeSync();
  return path;
}

test('a workspace is created, reopened and keeps its data and schema version', async () => {
  const path = join(dir, 'new.duckdb');
  await assert.rejects(Workspace.open(path), isCode('not_found'));
  const ws = await Workspace.open(path, { create: true });
  assert.ok(existsSync(ws.stagingDir) && existsSync(ws.exportDir));
  await ws.transaction(async (tx) => {
    const id = await tx.beginImport({ source: 'file', path: '/logs/a.log', size: 10, sha256: 'aa', format: 'text' });
    await tx.finishImport(id, { records: 0, rejected: 0 });
  });
  await ws.close();
  const again = await Workspace.open(path);
  const info = await again.info();
  assert.equal(info.imports, 1);
  assert.equal(info.schemaVersion, SCHEMA_VERSION);
  const meta = await again.all<{ key: string; value: string }>('SELECT key, value FROM meta ORDER BY key');
  assert.deepEqual(meta.find((m) => m.key === 'schema_version')?.value, String(SCHEMA_VERSION));
  assert.match(meta.find((m) => m.key === 'created_by')!.value, /^Flowscope /);
  await again.close();
});

test('a workspace is written in the storage format whose text columns group as dictionaries; compacting upgrades an older file', async () => {
  const path = join(dir, 'storage.duckdb');
  const ws = await Workspace.open(path, { create: true });
  assert.equal(await ws.storageVersion(), `${STORAGE_VERSION}+`);
  // Addresses IPv4 and IPv6, and NULL (a NODATA record's `-`) in both columns.
  const records = `INSERT INTO flow_records (srcaddr, action, bytes, import_id)
    SELECT CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN '2001:db8::' || (i % 5) ELSE '10.0.' || (i % 200) || '.1' END,
           CASE WHEN i % 11 = 0 THEN NULL WHEN i % 7 = 0 THEN 'REJECT' ELSE 'ACCEPT' END, i, 1
    FROM range(300000) t(i)`;
  await ws.run(records);
  await ws.close();
  // The same workspace as a Flowscope before this format wrote it (DuckDB's default, the v1.0 format).
  const older = join(dir, 'storage-older.duckdb');
  await copyInOlderStorage(path, older);

  const old = await Workspace.open(older);
  const compression = () =>
    old.all<{ compression: string }>(
      `SELECT DISTINCT compression FROM pragma_storage_info('flow_records') WHERE column_name = 'action' AND segment_type = 'VARCHAR'`,
    );
  const answer = () => old.all('SELECT srcaddr, action, sum(bytes)::BIGINT AS b FROM flows GROUP BY ALL ORDER BY ALL');
  assert.equal(await old.storageVersion(), 'v1.0.0+');
  assert.deepEqual((await old.info()).storage, { version: 'v1.0.0+', current: false });
  // The older format has no DICT_FSST (which of its own a segment takes, Dictionary or FSST, DuckDB decides
  // by the segment's values as its threads cut them: both were seen).
  assert.ok(
    (await compression()).every((c) => c.compression !== 'DICT_FSST'),
    JSON.stringify(await compression()),
  );
  const before = await answer();
  assert.ok(before.some((r) => r.srcaddr === null) && before.some((r) => String(r.srcaddr).includes(':')));
  await old.compact();
  assert.deepEqual((await old.info()).storage, { version: `${STORAGE_VERSION}+`, current: true });
  assert.deepEqual(await compression(), [{ compression: 'DICT_FSST' }]);
  assert.deepEqual(await answer(), before);
  await old.close();
});

test('an older schema is migrated after a backup copy of the file, and the backup is the old file', async () => {
  const v1 = MIGRATIONS.find((m) => m.to === 1)!;
  const path = await rawFile('v1.duckdb', [
    ...v1.statements,
    `INSERT INTO meta VALUES ('schema_version', '1')`,
    `INSERT INTO flows (version, srcaddr, import_id, record_no) VALUES (2, '10.0.0.1', 1, 1)`,
    `INSERT INTO flows (version, srcaddr, tgw_id, packets_lost_no_route, ecs_cluster_name, extra, import_id, record_no)
     VALUES (8, '10.0.0.2', 'tgw-1', 7, 'prod', MAP {'future-field': 'x'}, 1, 2)`,
    `INSERT INTO flows (version, srcaddr, tgw_id, import_id, record_no) VALUES (8, '10.0.0.3', 'tgw-2', 1, 3)`,
    `INSERT INTO flows (version, srcaddr, bytes, import_id, record_no) SELECT 2, '10.9.' || (i % 250) || '.1', i, 2, i FROM range(300000) t(i)`,
  ]);
  const before = sha256(path);
  const sizeBefore = statSync(path).size;
  const ws = await Workspace.open(path);
  const tables = (await ws.all<{ name: string }>(`SELECT table_name AS name FROM duckdb_tables() ORDER BY 1`)).map(
    (t) => t.name,
  );
  assert.ok(tables.includes('pull_checkpoints'));
  assert.deepEqual(
    await ws.all(
      `SELECT version, srcaddr, import_id, tgw_id, packets_lost_no_route AS lost, ecs_cluster_name AS ecs, extra['future-field'] AS future
       FROM flows WHERE import_id = 1 ORDER BY srcaddr`,
    ),
    [
      { version: 2, srcaddr: '10.0.0.1', import_id: 1, tgw_id: null, lost: null, ecs: null, future: null },
      { version: 8, srcaddr: '10.0.0.2', import_id: 1, tgw_id: 'tgw-1', lost: 7n, ecs: 'prod', future: 'x' },
      { version: 8, srcaddr: '10.0.0.3', import_id: 1, tgw_id: 'tgw-2', lost: null, ecs: null, future: null },
    ],
    'records survive the migration, their sparse fields moved into extra beside the fields it held',
  );
  const numbered = await ws.all(
    `SELECT 1 FROM duckdb_columns() WHERE table_name = 'flows' AND column_name = 'record_no'`,
  );
  assert.equal(numbered.length, 0, 'version 3 drops the record numbers');
  assert.equal((await ws.info()).records, 300_003);
  assert.ok(
    statSync(path).size <= sizeBefore,
    `rebuilding flows leaves the file no bigger than it was (${sizeBefore} → ${statSync(path).size} bytes)`,
  );
  await ws.transaction((tx) => tx.setCheckpoint('s3', 's3://b/p', '{"after":"k"}'));
  assert.equal(await ws.checkpoint('s3', 's3://b/p'), '{"after":"k"}');
  await ws.close();
  const backups = readdirSync(join(`${path}.flowscope`, 'backups'));
  assert.equal(backups.length, 1);
  assert.match(backups[0]!, /schema-v1/);
  assert.equal(sha256(join(`${path}.flowscope`, 'backups', backups[0]!)), before);
});

// Version 3 kept every record in the table flows; version 4 in flows_v2 (default format) and flows_v5.
for (const [version, wide, narrow] of [
  [3, 'flows', 'flows'],
  [4, 'flows_v5', 'flows_v2'],
] as const) {
  test(`a version ${version} workspace opens: its records stay, read through the flows view, and new ones go beside them`, async () => {
    const path = await rawFile(`v${version}.duckdb`, [
      ...MIGRATIONS.filter((m) => m.to <= version).flatMap((m) => m.statements),
      `INSERT INTO meta VALUES ('schema_version', '${version}')`,
      `INSERT INTO imports (id, source, path, records, rejected, status) VALUES (1, 'file', 'old.log', 2, 0, 'imported')`,
      `INSERT INTO ${wide} (version, srcaddr, vpc_id, traffic_path, start, start_time, src_ip4, extra, import_id)
     VALUES (5, '10.0.0.1', 'vpc-1', 2, 100, make_timestamp(100000000), 167772161, MAP {'tgw-id': 'tgw-1', 'packets-lost-no-route': '7'}, 1)`,
      `INSERT INTO ${narrow} (version, srcaddr, start, start_time, src_ip4, import_id)
     VALUES (2, '10.0.0.2', 200, make_timestamp(200000000), 167772162, 1)`,
    ]);
    const notices: UpgradeNotice[] = [];
    const ws = await Workspace.open(path, { onUpgrade: (n) => notices.push(n) });
    assert.equal((await ws.info()).schemaVersion, SCHEMA_VERSION);
    assert.equal(notices.length, 1, 'the host is told once, before the upgrade');
    assert.deepEqual(
      { ...notices[0], backup: undefined },
      {
        file: path,
        fromVersion: version,
        toVersion: SCHEMA_VERSION,
        rewrites: true,
        backup: undefined,
      },
    );
    assert.ok(existsSync(notices[0]!.backup), 'the notice names the kept copy');
    // Version 6 summarizes the records there are (queries/catalog/minute-summary.ts).
    assert.deepEqual(await summaryMismatches(ws), []);
    assert.deepEqual(await ws.all(`SELECT sum(records) AS n FROM flow_minutes`), [{ n: 2n }]);
    assert.deepEqual(
      await ws.all(
        `SELECT version, srcaddr, vpc_id, traffic_path, tgw_id, packets_lost_no_route AS lost, start_time, src_ip4, import_id
       FROM flows ORDER BY srcaddr`,
      ),
      [
        {
          version: 5,
          srcaddr: '10.0.0.1',
          vpc_id: 'vpc-1',
          traffic_path: 2,
          tgw_id: 'tgw-1',
          lost: 7n,
          start_time: new Date(100_000),
          src_ip4: 167772161,
          import_id: 1,
        },
        {
          version: 2,
          srcaddr: '10.0.0.2',
          vpc_id: null,
          traffic_path: null,
          tgw_id: null,
          lost: null,
          start_time: new Date(200_000),
          src_ip4: 167772162,
          import_id: 1,
        },
      ],
    );
    await ws.transaction((tx) =>
      tx.run(`INSERT INTO flow_records (version, srcaddr, start, import_id) VALUES (2, '10.0.0.3', 300, 2)`),
    );
    assert.equal((await ws.info()).records, 3);
    assert.equal(await ws.removeImport(1), 2, 'removing an import deletes its records');
    assert.deepEqual(await ws.all(`SELECT srcaddr FROM flows`), [{ srcaddr: '10.0.0.3' }]);
    assert.deepEqual(
      (
        await ws.all<{ name: string }>(`SELECT table_name AS name FROM duckdb_tables() WHERE table_name LIKE 'flow%'`)
      ).map((t) => t.name),
      ['flow_minutes', 'flow_records'],
      'one record table and its minute summary',
    );
    await ws.close();
    const backups = readdirSync(join(`${path}.flowscope`, 'backups'));
    assert.match(backups[0]!, new RegExp(`schema-v${version}`));
    await (await Workspace.open(path)).close();
  });
}

test('a file from a newer Flowscope is refused and left unchanged', async () => {
  const path = await workspaceWith('newer.duckdb', [
    `UPDATE meta SET value = '${SCHEMA_VERSION + 1}' WHERE key = 'schema_version'`,
  ]);
  const before = sha256(path);
  await assert.rejects(Workspace.open(path), isCode('workspace_incompatible', /newer Flowscope/));
  assert.equal(sha256(path), before);
});

test('a file from a newer DuckDB storage version is refused and left unchanged', async () => {
  const path = await workspaceWith('newer-storage.duckdb', []);
  // The main header (first 4 KiB): a checksum of the rest, "DUCK", then the storage version as a uint64.
  const file = readFileSync(path);
  file.writeBigUInt64LE(9999n, 12);
  file.writeBigUInt64LE(duckdbChecksum(file.subarray(8, 4096)), 0);
  writeFileSync(path, file);
  const before = sha256(path);
  await assert.rejects(Workspace.open(path), isCode('workspace_incompatible', /newer DuckDB/));
  assert.equal(sha256(path), before);
});

test('a file that is not a DuckDB database is refused, and nothing is left beside it', async () => {
  const path = join(dir, 'notes.txt');
  writeFileSync(path, 'version account-id interface-id\n'.repeat(1000));
  const before = sha256(path);
  await assert.rejects(Workspace.open(path), isCode('workspace_incompatible'));
  assert.equal(sha256(path), before);
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.startsWith('notes.txt')),
    ['notes.txt'],
  );
});

test('a workspace refused for its contents gets no folder beside it either', async () => {
  const path = await rawFile('foreign.duckdb', ['CREATE TABLE flows (x INTEGER)']);
  await assert.rejects(Workspace.open(path), isCode('workspace_incompatible'));
  assert.equal(existsSync(`${path}.flowscope`), false);
});

test('a DuckDB file with no table but a view (one could read a file outside) is refused, not made a workspace', async () => {
  for (const [name, view] of [
    ['only-a-view.duckdb', 'flows_extra'],
    ['only-a-flows-view.duckdb', 'flows'],
  ] as const) {
    const path = await rawFile(name, [`CREATE VIEW ${view} AS SELECT 'outside' AS x`]);
    const before = sha256(path);
    await assert.rejects(Workspace.open(path), isCode('workspace_incompatible', new RegExp(`view ${view}\\b`)));
    assert.equal(sha256(path), before);
  }
});

for (const [what, statement, named] of [
  ['a view', 'CREATE VIEW v AS SELECT 1', /view v/],
  ['a macro', 'CREATE MACRO m(x) AS x + 1', /macro m/],
  ['a table macro', 'CREATE MACRO tm() AS TABLE SELECT 1', /macro tm/],
  ['a sequence', 'CREATE SEQUENCE s', /sequence s/],
  ['another table', 'CREATE TABLE extra (x INTEGER)', /table extra/],
  ['another schema', 'CREATE SCHEMA other', /schema other/],
  ['an index', 'CREATE INDEX flows_by_start ON flow_records (start)', /index flows_by_start/],
  ['a changed column', 'ALTER TABLE flow_records ADD COLUMN evil VARCHAR', /flow_records has columns/],
  ['a changed view', `CREATE OR REPLACE VIEW flows AS FROM flow_records`, /view flows/],
  ['a dropped view', 'DROP VIEW flows', /view flows is missing/],
  ['a user type', "CREATE TYPE mood AS ENUM ('a')", /type mood/],
  [
    'a check constraint',
    'CREATE OR REPLACE TABLE meta (key VARCHAR CHECK (length(key) < 99), value VARCHAR)',
    /constraint meta CHECK/,
  ],
  [
    'a column default',
    'CREATE OR REPLACE TABLE pull_checkpoints (source VARCHAR DEFAULT (current_user), key VARCHAR, value VARCHAR, updated_at TIMESTAMP)',
    /pull_checkpoints has columns \(source VARCHAR with expression \(current_user\)/,
  ],
] as const) {
  test(`a workspace file with ${what} is refused, naming it, and left unchanged`, async () => {
    const path = await workspaceWith(`${what.replace(/ /g, '-')}.duckdb`, [statement]);
    const before = sha256(path);
    await assert.rejects(Workspace.open(path), isCode('workspace_incompatible', named));
    assert.equal(sha256(path), before);
  });
}

test('leftovers in the staging folder are cleared on open', async () => {
  const path = join(dir, 'staging.duckdb');
  const ws = await Workspace.open(path, { create: true });
  writeFileSync(join(ws.stagingDir, 'half-copied.log'), 'x');
  await ws.close();
  const again = await Workspace.open(path);
  assert.deepEqual(readdirSync(again.stagingDir), []);
  await again.close();
});

// Found by an outside probe: the folder beside a workspace travels with it when it is shared, and a `staging`
// in it that linked to `../../victim` had every file there deleted when the workspace opened (its leftovers
// are cleared), while DuckDB would have read and written through it as one of its allowed folders.
for (const part of [
  '',
  '/staging',
  '/export',
  '/tmp',
  '/backups',
  '/lookups',
  '/panel-cache',
  '/staging/address-data',
]) {
  test(`a workspace whose side folder${part ? ` part ${part.slice(1)}` : ''} is a link is refused, and what it links to is untouched`, async () => {
    const made = join(dir, `linked-${part.replace(/\//g, '-') || 'root'}.duckdb`);
    await (await Workspace.open(made, { create: true })).close();
    const victim = join(dir, `victim${part.replace(/\//g, '-')}`);
    mkdirSync(join(victim, 'notes'), { recursive: true });
    writeFileSync(join(victim, 'keep.txt'), 'mine');
    writeFileSync(join(victim, 'notes', 'a.txt'), 'mine too');
    const side = `${made}.flowscope${part}`;
    rmSync(side, { recursive: true, force: true });
    mkdirSync(dirname(side), { recursive: true });
    symlinkSync(relative(dirname(side), victim), side);
    await assert.rejects(Workspace.open(made), isCode('workspace_incompatible', /is a link/));
    assert.deepEqual(readdirSync(victim, { recursive: true }).sort(), ['keep.txt', 'notes', join('notes', 'a.txt')]);
  });
}

// Found by an outside probe: DuckDB names its spill files (`duckdb_temp_storage_DEFAULT-0.tmp`, …) and opens
// them through a link found at that name, so a link planted in a shared workspace's `tmp` folder had the first
// query that spilled overwrite the file it pointed at. What is there when the workspace opens is leftovers.
test('leftovers in the temp folder are cleared on open, a planted link removed and not followed', async () => {
  const path = join(dir, 'spill.duckdb');
  await (await Workspace.open(path, { create: true })).close();
  const victim = join(dir, 'spill-victim.txt');
  writeFileSync(victim, 'mine');
  const temp = join(`${path}.flowscope`, 'tmp');
  mkdirSync(temp, { recursive: true });
  symlinkSync(victim, join(temp, 'duckdb_temp_storage_DEFAULT-0.tmp'));
  writeFileSync(join(temp, 'duckdb_temp_block-1.block'), 'left over');
  const again = await Workspace.open(path);
  assert.deepEqual(readdirSync(temp), []);
  assert.equal(readFileSync(victim, 'utf8'), 'mine');
  await again.close();
});

test('a workspace already open in this process is refused as in use, also through a symlink, until it is closed', async () => {
  const path = join(dir, 'once.duckdb');
  const ws = await Workspace.open(path, { create: true });
  await assert.rejects(Workspace.open(path), isCode('workspace_in_use', /already open in this Flowscope process/));
  const link = join(dir, 'link-to-once.duckdb');
  symlinkSync(path, link);
  await assert.rejects(Workspace.open(link), isCode('workspace_in_use'));
  await ws.close();
  const again = await Workspace.open(link);
  await again.close();
});

test('a version 6 workspace is upgraded without a rewrite, and the host is told so', async () => {
  const path = await rawFile('v6.duckdb', [
    ...MIGRATIONS.filter((m) => m.to <= 6).flatMap((m) => m.statements),
    `INSERT INTO meta VALUES ('schema_version', '6')`,
  ]);
  const notices: UpgradeNotice[] = [];
  const ws = await Workspace.open(path, { onUpgrade: (n) => notices.push(n) });
  assert.equal((await ws.info()).schemaVersion, SCHEMA_VERSION);
  assert.deepEqual(
    notices.map((n) => [n.fromVersion, n.rewrites]),
    [[6, false]],
  );
  await ws.close();
});
