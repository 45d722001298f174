/**
 * A workspace held open by another process (`tests/integration/workspace/hold-workspace.ts`), as the app or a
 * second `flowscope` holds it: for what a second opener is told.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

export interface HeldWorkspace {
  /** The holding process's id, which the refusal names. */
  pid: number;
  /** Ends the holding process (as a crash would: it closes nothing) and waits for it to be gone. */
  release(): Promise<void>;
}

/** Opens the workspace at `path` (created when missing) in a process of its own; settles once it is open. */
export async function holdWorkspace(path: string): Promise<HeldWorkspace> {
  const holder = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '../integration/workspace/hold-workspace.ts'), path],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const release = async () => {
    holder.kill('SIGKILL');
    if (holder.exitCode === null && holder.signalCode === null) await once(holder, 'exit');
  };
  try {
    const [line] = (await once(holder.stdout, 'data')) as [Buffer];
    if (line.toString().trim() !== 'open') throw new Error(`the holding process said ${line.toString()}`);
  } catch (err) {
    await release();
    throw err;
  }
  return { pid: holder.pid!, release };
}
