/**
 * The same SQL gives the same answer on every machine: DuckDB's time zone is UTC in the engine, whatever
 * the operating system's is, so a stored `start_time` (UTC) meeting a time with a zone is not shifted.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { tempDir } from '../workspace/helpers';
import { flowscope } from '../../support/flowscope-cli';

const root = new URL('../../../', import.meta.url).pathname;
const dir = tempDir('flowscope-zone-');

test("SQL over the records answers alike under UTC, India's and New York's zones", async () => {
  const ws = join(dir, 'zone.duckdb');
  const log = join(dir, 'midnight.log');
  // 2024-03-01 23:00Z and 23:59Z, then 2024-03-02 00:30Z.
  writeFileSync(
    log,
    [1709334000, 1709337540, 1709339400]
      .map((t) => `2 123456789012 eni-0a1 10.0.1.5 52.94.1.1 49152 443 6 10 100 ${t} ${t + 60} ACCEPT OK`)
      .join('\n') + '\n',
  );
  assert.equal((await flowscope('import', log, '--workspace', ws)).code, 0);
  const sql =
    "SELECT count(*) FILTER (WHERE start_time >= TIMESTAMPTZ '2024-03-01 23:30:00+00') AS late, " +
    "count(DISTINCT date_trunc('day', start_time::TIMESTAMPTZ)) AS days, " +
    "strftime(min(start_time::TIMESTAMPTZ), '%Y-%m-%d %H:%M %Z') AS first FROM flows";
  const answers = [];
  for (const zone of ['UTC', 'Asia/Kolkata', 'America/New_York']) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(root, 'bin/flowscope.mjs'), 'query', '--workspace', ws, '--dialect', 'sql', '--format', 'csv', sql],
      { cwd: root, env: { ...process.env, TZ: zone } },
    );
    answers.push(stdout.trim().split('\n').at(-1));
  }
  assert.deepEqual(answers, Array(3).fill('2,2,2024-03-01 23:00 UTC'));
});
