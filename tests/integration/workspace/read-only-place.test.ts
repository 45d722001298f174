/**
 * A workspace handed over on a read-only disk or share: opening it says so and what to do, rather than
 * DuckDB's "IO Error". The folder is made read-only the way the test's user can: by its mode for an ordinary
 * user, by a read-only bind mount for root (whom modes do not stop); where neither can be done, skipped.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Workspace } from '../../../main/engine/workspace';
import { flowscopeInProcess } from '../../support/flowscope-cli';

const dir = mkdtempSync(join(tmpdir(), 'flowscope-read-only-'));
const place = join(dir, 'evidence');
let undo: (() => void) | null = null;

function makeReadOnly(folder: string): (() => void) | null {
  if (process.platform === 'win32') return null;
  if (process.getuid?.() !== 0) {
    chmodSync(folder, 0o555);
    return () => chmodSync(folder, 0o755);
  }
  try {
    execFileSync('mount', ['--bind', folder, folder], { stdio: 'ignore' });
    execFileSync('mount', ['-o', 'remount,bind,ro', folder], { stdio: 'ignore' });
    return () => execFileSync('umount', [folder], { stdio: 'ignore' });
  } catch {
    return null;
  }
}

before(async () => {
  mkdirSync(place);
  const made = join(dir, 'made.duckdb');
  await (await Workspace.open(made, { create: true })).close();
  // Handed over as the file alone: its side folder cannot be made there either.
  copyFileSync(made, join(place, 'case.duckdb'));
  // Handed over whole: DuckDB is the one that cannot open the file for writing.
  copyFileSync(made, join(place, 'whole.duckdb'));
  mkdirSync(join(place, 'whole.duckdb.flowscope'));
  undo = makeReadOnly(place);
});

after(() => {
  undo?.();
  rmSync(dir, { recursive: true, force: true });
});

test('a workspace in a read-only place is refused saying so and how to open it', async (t) => {
  if (!undo) return t.skip('cannot make a read-only folder here');
  const ws = join(place, 'case.duckdb');
  await assert.rejects(Workspace.open(ws), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'workspace_incompatible');
    assert.match(err.message, /cannot write to \(a read-only disk or folder\)/);
    assert.match(err.message, /Copy case\.duckdb and case\.duckdb\.flowscope to a folder you can write to/);
    return true;
  });
  await assert.rejects(
    Workspace.open(join(place, 'whole.duckdb')),
    /whole\.duckdb is in a place Flowscope cannot write to/,
  );
  const r = await flowscopeInProcess(['info', '--workspace', ws]);
  assert.equal(r.code, 1);
  assert.match(r.err, /^flowscope info: The workspace .*case\.duckdb is in a place Flowscope cannot write to/);
  assert.doesNotMatch(r.err, /IO Error|EROFS|EACCES/);
});
