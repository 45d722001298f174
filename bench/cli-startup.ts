/**
 * `npm run bench:cli [-- --runs N]`: how long the `flowscope` command takes to start, end to end, as a user
 * runs it (`node bin/flowscope.mjs …`, the bundle): `help` (the command line alone) and `info` on a small
 * demo workspace (opening DuckDB), beside plain `node -e ''` measured in the same run, and the TypeScript
 * sources run through tsx (how the command ran before it had a bundle). Runs alternate and the median of
 * each is printed, so a moment of load on the machine does not decide. Target: under 300 ms.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'flowscope-bench-cli-'));
const workspace = join(dir, 'demo.duckdb');

function run(args: string[]): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  run(['bin/flowscope.mjs', 'demo', '--workspace', workspace, '--records', '3000']); // also builds a stale bundle
  const cases: [string, string[]][] = [
    ["node -e ''", ['-e', '']],
    ['flowscope help', ['bin/flowscope.mjs', 'help']],
    ['flowscope info', ['bin/flowscope.mjs', 'info', '--workspace', workspace]],
    ['tsx sources: help', ['--import', 'tsx', 'main/cli/index.ts', 'help']],
  ];
  const times = new Map(cases.map(([name]) => [name, [] as number[]]));
  for (let i = 0; i < runs; i++) for (const [name, args] of cases) times.get(name)!.push(run(args));
  const node = median(times.get("node -e ''")!);
  console.log(`${runs} runs each, load average ${loadavg()[0]!.toFixed(1)} on ${process.arch}:`);
  for (const [name] of cases) {
    const ms = median(times.get(name)!);
    const target = name.startsWith('flowscope')
      ? ms < 300
        ? '  (target < 300 ms: met)'
        : '  (target < 300 ms: NOT met)'
      : '';
    console.log(`  ${name.padEnd(18)} ${ms.toFixed(0).padStart(5)} ms  = ${(ms / node).toFixed(1)} × node${target}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
