import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Engine } from '../../../main/engine';
import { tempDir } from './helpers';

const dir = tempDir();
const outside = join(dir, 'outside.csv');
let engine: Engine;

before(async () => {
  writeFileSync(outside, 'a,b\n1,2\n');
  engine = await Engine.open({ workspace: join(dir, 'locked.duckdb'), create: true });
});
after(() => engine.close());

const refused: [string, (d: string) => string][] = [
  ['reading a system file', () => `SELECT * FROM read_csv('/etc/passwd')`],
  ['reading a file beside the workspace', () => `SELECT * FROM read_csv('${outside}')`],
  ['reading text outside', () => `SELECT * FROM read_text('/etc/hostname')`],
  [
    'escaping staging with ..',
    (d) => `SELECT * FROM read_csv('${d}/locked.duckdb.flowscope/staging/../../outside.csv')`,
  ],
  ['globbing outside', () => `SELECT * FROM glob('/etc/*')`],
  ['writing outside with COPY', (d) => `COPY (SELECT 1) TO '${d}/written.csv'`],
  ['attaching another database', (d) => `ATTACH '${d}/other.duckdb' AS other`],
  ['installing an extension', () => 'INSTALL httpfs'],
  ['loading an extension from a path', (d) => `LOAD '${d}/evil.duckdb_extension'`],
  ['turning external access back on', () => 'SET enable_external_access = true'],
  ['widening the allowed directories', () => `SET allowed_directories = ['/']`],
  ['changing the memory limit', () => `SET memory_limit = '100GB'`],
  ['resetting the lock', () => 'RESET lock_configuration'],
  ['changing the time zone the records are read in', () => "SET TimeZone = 'Asia/Tokyo'"],
  ['reading an environment variable', () => `SELECT getenv('HOME')`],
];

for (const [what, sql] of refused) {
  test(`the engine's DuckDB refuses ${what}`, async () => {
    await assert.rejects(engine.workspace.all(sql(dir)), /Permission Error|locked|disabled|does not exist/);
  });
}

test('nothing was written outside the workspace by the refused statements', () => {
  assert.equal(existsSync(join(dir, 'written.csv')), false);
  assert.equal(existsSync(join(dir, 'other.duckdb')), false);
});

test('the staging folder is readable and the export folder writable, which import and export need', async () => {
  const staged = join(engine.workspace.stagingDir, 'staged.csv');
  writeFileSync(staged, 'a,b\n1,2\n3,4\n');
  const rows = await engine.workspace.all<{ n: bigint }>(`SELECT count(*) AS n FROM read_csv('${staged}')`);
  assert.equal(rows[0]!.n, 2n);
  const exported = join(engine.workspace.exportDir, 'out.csv');
  await engine.workspace.run(`COPY (SELECT 42 AS x) TO '${exported}'`);
  assert.ok(existsSync(exported));
});

test('the lock holds on every connection, not only the first', async () => {
  const conn = await engine.workspace.connect();
  try {
    await assert.rejects(conn.run(`SELECT * FROM read_csv('${outside}')`), /Permission Error/);
    const settings = await conn.runAndReadAll(
      `SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', 'lock_configuration', 'autoload_known_extensions', 'autoinstall_known_extensions') ORDER BY name`,
    );
    assert.deepEqual(settings.getRowObjectsJS(), [
      { name: 'autoinstall_known_extensions', value: 'false' },
      { name: 'autoload_known_extensions', value: 'false' },
      { name: 'enable_external_access', value: 'false' },
      { name: 'lock_configuration', value: 'true' },
    ]);
  } finally {
    conn.closeSync();
  }
});
