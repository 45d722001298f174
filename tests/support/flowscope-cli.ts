/**
 * The real `flowscope` command in its own process, as a user or a script runs it: `bin/flowscope.mjs`, which
 * runs the bundle (rebuilt first when a source changed), so the tests exercise what ships. For a test that
 * sets this process's environment, or runs the command many times, `flowscopeInProcess` runs the CLI's
 * `main` from the sources here, its output captured.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';

const root = new URL('../../', import.meta.url).pathname;
const BIN = join(root, 'bin/flowscope.mjs');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `flowscope <args>` to its end; a failing exit is an answer, not an exception. */
export async function flowscope(...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: root,
      maxBuffer: 1 << 28,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Starts `flowscope <args>` with more environment, for a caller that follows its output while it runs. */
export function flowscopeProcess(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function sink(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return Object.assign(w, { text: () => Buffer.concat(chunks).toString('utf8') });
}

/** `flowscope <args>` through the CLI's `main` in this process; answers its exit code and what it wrote. */
export async function flowscopeInProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import('../../main/cli/index');
  const out = sink();
  const err = sink();
  const code = await main(args, { out, err });
  return { code, out: out.text(), err: err.text() };
}
