/**
 * `flowscope serve` as the end-to-end tests start it: on a workspace, on a free port, answering with the
 * one-time URL it prints first. Its stderr goes on to the run's output, all but the line addressed to a
 * person at a terminal ("Open the link above in your browser…"): in a test run the test took the link,
 * and the line would tell whoever reads `npm test`'s output to open a link that is not there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const root = new URL('../../../', import.meta.url).pathname;
const FOR_A_PERSON = /^Open the link above in your browser/;

/** `portArgs`: `[]` starts it as a person does, without `--port` (on the port of its last start). */
export async function spawnServe(
  workspace: string,
  env: NodeJS.ProcessEnv = process.env,
  portArgs: readonly string[] = ['--port', '0'],
): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(process.execPath, ['bin/flowscope.mjs', 'serve', '--workspace', workspace, ...portArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  createInterface({ input: server.stderr! }).on('line', (line) => {
    if (!FOR_A_PERSON.test(line)) process.stderr.write(`${line}\n`);
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: server.stdout! }).once('line', resolve);
    server.once('exit', (code) => reject(new Error(`flowscope serve exited with ${code} before printing its URL`)));
  });
  const url = /^Flowscope serving (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/.exec(firstLine)?.[1];
  if (!url) throw new Error(`Unexpected first line from flowscope serve: ${firstLine}`);
  return { server, url };
}
