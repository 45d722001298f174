#!/usr/bin/env node
/**
 * The project's one test command (`npm test`): type check, lint, the unit and integration suites on
 * node's test runner, then the Playwright suites. It ends with one line, "tests: N passed, N failed,
 * N skipped", that counts every test of every suite.
 *
 *   npm test                      everything (the reliability suite's fast subset)
 *   npm test -- unit              only tests/unit (also: integration, reliability, e2e, static)
 *   npm test -- tests/unit/x.test.ts tests/e2e/browser/y.spec.ts   just those files (.spec.ts: Playwright)
 *   npm run test:reliability      the whole reliability suite (FLOWSCOPE_RELIABILITY=full), minutes long
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { clearFigures, printSummary } from './reliability/summary.mjs';
import { findBrowser } from './support/find-browser.mjs';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const files = args.filter((a) => a.endsWith('.test.ts'));
const specs = args.filter((a) => a.endsWith('.spec.ts'));
const parts = args.filter((a) => !a.endsWith('.ts'));
const want = (part) =>
  (files.length === 0 && specs.length === 0 && parts.length === 0) ||
  parts.includes(part) ||
  (part === 'e2e' && specs.length > 0);
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedSteps = [];

const FULL_RELIABILITY = process.env.FLOWSCOPE_RELIABILITY === 'full';
/**
 * A bound on the whole unit and integration run (about 7 minutes on an idle CI machine): a test that hangs
 * with a live handle keeps its file's process alive past the per-test timeout, and without this bound the run
 * would wait for CI's own limit instead of failing with what it printed.
 */
const NODE_TESTS_TIMEOUT_MS = (FULL_RELIABILITY ? 240 : 30) * 60_000;
/** A test's own bound: 5 minutes, but the whole reliability count (200 kills, …) is one test that takes longer. */
const TEST_TIMEOUT_MS = (FULL_RELIABILITY ? 180 : 5) * 60_000;

/**
 * The AWS SDK's notice that its 2027 releases will need Node.js 22 (8 lines, once per process that makes a
 * client) tells a test run nothing: the README already asks for Node.js 22.13 or newer, and on it there is
 * no notice. The CLI itself still shows it to a user on Node.js 20, who can act on it.
 */
const quiet = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

function run(label, cmd, cmdArgs, env = {}, timeout = undefined) {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, cmdArgs, {
    timeout,
    killSignal: 'SIGKILL',
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...quiet, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  process.stdout.write(r.stdout ?? '');
  if (r.error?.code === 'ETIMEDOUT') console.log(`\n${label}: stopped after ${timeout / 60_000} minutes (a test hung)`);
  if (r.status !== 0) failedSteps.push(label);
  return r.stdout ?? '';
}

function testFiles(dir) {
  const out = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.test.ts')) out.push(p.slice(root.length));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

// Before anything else: without a browser the run could not finish, so it stops at once, in one line.
if (want('e2e') && existsSync(join(root, 'playwright.config.ts'))) {
  const browser = findBrowser();
  if ('missing' in browser) {
    console.error(browser.missing);
    process.exit(1);
  }
}

if (want('static')) {
  run('type check', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  run('type check of queries/ (no Node or DOM types)', 'npx', ['tsc', '-p', 'queries/tsconfig.json', '--noEmit']);
  if (existsSync(join(root, 'renderer/src/App.svelte')))
    run('svelte check', 'npx', [
      'svelte-check',
      '--tsconfig',
      './renderer/tsconfig.json',
      '--fail-on-warnings',
      '--output',
      'human',
    ]);
  run('lint', 'npx', ['eslint', '.']);
  run('format', 'npx', ['prettier', '--check', '.']);
}

const nodeTests = files.length
  ? files
  : ['unit', 'integration', 'reliability'].filter(want).flatMap((part) => testFiles(`tests/${part}`));
if (nodeTests.length) {
  clearFigures();
  const out = run(
    'unit and integration tests',
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      `--test-timeout=${TEST_TIMEOUT_MS}`,
      '--test-reporter=spec',
      ...nodeTests,
    ],
    {},
    NODE_TESTS_TIMEOUT_MS,
  );
  const count = (word) => Number(out.match(new RegExp(`^ℹ ${word} (\\d+)$`, 'm'))?.[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  totals.skipped += count('skipped') + count('todo');
  printSummary();
}

if (want('e2e') && existsSync(join(root, 'playwright.config.ts'))) {
  const report = join(root, 'test-results', 'playwright.json');
  rmSync(report, { force: true });
  run('end-to-end tests (Playwright)', 'npx', ['playwright', 'test', ...specs], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: report,
  });
  if (existsSync(report)) {
    const stats = JSON.parse(readFileSync(report, 'utf8')).stats ?? {};
    totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
    totals.failed += stats.unexpected ?? 0;
    totals.skipped += stats.skipped ?? 0;
  }
}

if (failedSteps.length) console.log(`\nFailed: ${failedSteps.join(', ')}`);
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
