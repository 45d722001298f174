import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeptUntilWrite } from '../../../../main/engine/workspace/kept-until-write';

test('a value is read once while no write ends, and again after one has (a read overlapping it included)', async () => {
  const workspace = { writesEnded: 0 };
  let reads = 0;
  let finishRead: (n: number) => void = () => undefined;
  const kept = new KeptUntilWrite(workspace, () => {
    reads++;
    return new Promise<number>((done) => (finishRead = done));
  });
  const first = kept.get();
  const joined = kept.get();
  assert.equal(reads, 1, 'askers at once share one read');
  // A write ends while the read is still out: what it returns may be from before the write.
  workspace.writesEnded++;
  finishRead(1);
  assert.equal(await first, 1);
  assert.equal(await joined, 1);
  const after = kept.get();
  assert.equal(reads, 2, 'read again after the write');
  finishRead(2);
  assert.equal(await after, 2);
  assert.equal(await kept.get(), 2);
  assert.equal(reads, 2);
});

test('a read that fails is not kept', async () => {
  let reads = 0;
  const kept = new KeptUntilWrite({ writesEnded: 0 }, async () => {
    if (++reads === 1) throw new Error('busy');
    return 'ledger';
  });
  await assert.rejects(kept.get(), /busy/);
  assert.equal(await kept.get(), 'ledger');
  assert.equal(reads, 2);
});
