/**
 * The port `flowscope serve` listened on last time for a workspace, tried first when no `--port` is given.
 * The page keeps its open tabs and query history in the browser's local storage, which belongs to an origin,
 * and the port is part of the origin: a server on a new free port at each start showed an empty history and
 * fresh tabs, the analyst's own still in the browser under an address nobody opens again. Kept in the
 * workspace's side folder; a port taken by then is given up for a free one (and that one kept).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceDirs } from '../engine/workspace/config';

const keptPortFile = (workspace: string) => join(workspaceDirs(workspace).root, 'serve-port');

/** The port kept for the workspace, or 0 (a free one) when none is. */
export function keptPort(workspace: string): number {
  try {
    const port = Number(readFileSync(keptPortFile(workspace), 'utf8').trim());
    return Number.isInteger(port) && port > 0 && port <= 65_535 ? port : 0;
  } catch {
    return 0;
  }
}

export function keepPort(workspace: string, port: number): void {
  try {
    writeFileSync(keptPortFile(workspace), `${port}\n`);
  } catch {
    // A side folder that cannot be written: the next start picks a free port, as before.
  }
}
