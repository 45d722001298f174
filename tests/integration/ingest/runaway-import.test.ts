import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { importFile } from '../../../main/engine/ingest';
import { Workspace } from '../../../main/engine/workspace';
import { tempDir } from '../workspace/helpers';

// DuckDB's CSV reader keeps a rejected-line row, with the line's text, for every field too many, outside its
// memory limit: a file whose lines have many more fields than its header names grows the process without
// bound (200,000 lines of 29 fields under a 14-field header: 4.4 GB in 57 s).
const MiB = 1024 ** 2;
const dir = tempDir('flowscope-runaway-');
let ws: Workspace;

before(async () => {
  ws = await Workspace.open(join(dir, 'ws.duckdb'), { create: true, memoryLimit: 256 * MiB });
});
after(() => ws.close());

const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const GOOD = '2 123456789012 eni-0a1 10.0.1.5 52.94.1.1 49152 443 6 10 5000 1772409600 1772409660 ACCEPT OK';

function write(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${[HEADER, ...lines].join('\n')}\n`);
  return path;
}

test('an import that grows the process past twice the memory limit is stopped with the reason, and nothing is stored', async () => {
  const first = await importFile(ws, write('good.log', [GOOD, GOOD]), {});
  assert.equal(first.status, 'imported', first.error);

  // 12,000 lines of 1.5 kB with 40 fields too many: 480,000 of the reader's rejected-line rows, each with its
  // line.
  const wide = `${GOOD}${` ${'x'.repeat(35)}`.repeat(40)}`;
  const path = write('wide.log', [...Array(20).fill(GOOD), ...Array(12_000).fill(wide)]);
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'failed');
  assert.match(
    outcome.error ?? '',
    /wide\.log cannot be read: it grew the process past 0\.5 GiB, twice the workspace's memory limit, and was stopped\. Lines with many more fields than its header names do this/,
  );
  // Stopped at the reader's next chunk of lines, whose rejected rows come on top (1.9 GB unwatched, then
  // DuckDB's own out-of-memory error).
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  assert.ok(peakMiB < 1200, `the process peaked at ${peakMiB.toFixed(0)} MiB`);

  const info = await ws.info();
  assert.equal(info.records, 2, 'the earlier import is all the workspace holds');
  assert.deepEqual(
    (await ws.imports()).imports.map((i) => i.path),
    [join(dir, 'good.log')],
  );
  // The workspace takes the next file as before (a record of its own: GOOD again would be held already).
  const next = await importFile(ws, write('next.log', [GOOD.replace(' 5000 ', ' 5001 ')]), {});
  assert.equal(next.status, 'imported', next.error);
  assert.equal((await ws.info()).records, 3);
});
