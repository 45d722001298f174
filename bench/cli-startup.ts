/**
 * `npm run bench:cli [-- --runs N]`: how long the `flowscope` command takes to start, end to end, as a user
 * runs it (`node bin/flowscope.mjs …`, the bundle): `--version` and `help` (the command line alone) and
 * `info` on a small demo workspace (opening DuckDB), beside plain `node -e ''` measured in the same run, and the TypeScript
 * sources run through tsx (how the command ran before it had a bundle). Runs alternate and the median of
 * each is printed, so a moment of load on the machine does not decide. Target: under 300 ms. Beside the wall
 * time, the CPU time the process used (user + system, from `/usr/bin/time` where there is one), which the
 * machine's load hardly changes: on a busy shared machine the wall time says more about the others.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'flowscope-bench-cli-'));
const workspace = join(dir, 'demo.duckdb');

const TIME = '/usr/bin/time';
const withTime = existsSync(TIME);

/** One run's wall time and, where `/usr/bin/time` is, its CPU time (NaN without it), in ms. */
function run(args: string[]): { wall: number; cpu: number } {
  const started = performance.now();
  const [cmd, argv] = withTime ? [TIME, ['-f', 'cpu %U %S', process.execPath, ...args]] : [process.execPath, args];
  const r = spawnSync(cmd, argv, { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const wall = performance.now() - started;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const cpu = /^cpu ([\d.]+) ([\d.]+)$/m.exec(r.stderr);
  return { wall, cpu: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  run(['bin/flowscope.mjs', 'demo', '--workspace', workspace, '--records', '3000']); // also builds a stale bundle
  const cases: [string, string[]][] = [
    ["node -e ''", ['-e', '']],
    ['flowscope --version', ['bin/flowscope.mjs', '--version']],
    ['flowscope help', ['bin/flowscope.mjs', 'help']],
    ['flowscope info', ['bin/flowscope.mjs', 'info', '--workspace', workspace]],
    ['tsx sources: help', ['--import', 'tsx', 'main/cli/index.ts', 'help']],
  ];
  const times = new Map(cases.map(([name]) => [name, { wall: [] as number[], cpu: [] as number[] }]));
  for (let i = 0; i < runs; i++)
    for (const [name, args] of cases) {
      const { wall, cpu } = run(args);
      times.get(name)!.wall.push(wall);
      times.get(name)!.cpu.push(cpu);
    }
  const node = median(times.get("node -e ''")!.wall);
  console.log(`${runs} runs each, load average ${loadavg()[0]!.toFixed(1)} on ${process.arch}:`);
  for (const [name] of cases) {
    const ms = median(times.get(name)!.wall);
    const cpu = median(times.get(name)!.cpu);
    const target = name.startsWith('flowscope')
      ? ms < 300
        ? '  (target < 300 ms: met)'
        : '  (target < 300 ms: NOT met)'
      : '';
    console.log(
      `  ${name.padEnd(20)} ${ms.toFixed(0).padStart(5)} ms  = ${(ms / node).toFixed(1)} × node, CPU ${Number.isNaN(cpu) ? '-' : `${cpu.toFixed(0)} ms`}${target}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
