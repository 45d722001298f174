import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryWatch } from '../../../../main/engine/workspace/memory-watch';

const MiB = 1024 ** 2;

test('a query that grows the process past the threshold is stopped; one that started high and stays is not', async () => {
  let rss = 300 * MiB;
  const watch = new MemoryWatch(1000 * MiB, () => rss);
  const stopped: string[] = [];
  const endGrowing = watch.start(() => stopped.push('growing'));
  rss = 900 * MiB;
  await sleep(120);
  assert.equal(stopped.length, 0, 'below the threshold nothing is stopped');
  rss = 1100 * MiB;
  await sleep(120);
  assert.ok(stopped.includes('growing'));
  endGrowing();

  // Memory the last query freed may stay resident for a while: a new query that does not grow runs on.
  stopped.length = 0;
  const endQuiet = watch.start(() => stopped.push('quiet'));
  await sleep(120);
  assert.equal(stopped.length, 0);
  rss += 200 * MiB;
  await sleep(120);
  assert.deepEqual([...new Set(stopped)], ['quiet'], 'until it grows the process further');
  endQuiet();
});
