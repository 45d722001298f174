/**
 * Files Flowscope keeps in the folder beside a workspace (`<file>.flowscope/`: inferred VPC ranges, cached
 * panel answers). That folder travels with a shared workspace, and these files' names can be worked out in
 * advance (a fixed name, a hash of the panel's SQL and the ledger), so what lies there may have been planted
 * (found by an outside probe): a link is never read (one to /dev/zero hung the engine, one to a file elsewhere
 * was believed), and a write goes to a fresh file of a random name, created exclusively ('wx' never follows a
 * link), then renamed over the kept one, which replaces a link rather than writing where it points.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** The file's text, or null when there is none or it is not a plain file. */
export function readKeptFile(path: string): string | null {
  if (!lstatSync(path, { throwIfNoEntry: false })?.isFile()) return null;
  return readFileSync(path, 'utf8');
}

export function writeKeptFile(path: string, text: string): void {
  const tmp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { flag: 'wx' });
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
