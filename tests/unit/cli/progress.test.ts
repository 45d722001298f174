import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { ProgressBar } from '../../../main/cli/progress';

function terminal(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

const progress = {
  jobId: 'job_1',
  kind: 'import',
  bytesDone: 50 * 1024 ** 2,
  bytesTotal: 200 * 1024 ** 2,
  itemsDone: 1,
  itemsTotal: 4,
  records: 1234567,
  rejected: 3,
  rate: 25 * 1024 ** 2,
  etaMs: 6000,
};

test('on a terminal the bar shows percent, records, rejected, rate and time left, redrawn in place and cleared', async () => {
  const t = terminal(true);
  const bar = new ProgressBar(t.stream);
  bar.draw(progress);
  bar.draw({ ...progress, bytesDone: 100 * 1024 ** 2 });
  bar.clear();
  await new Promise((r) => setImmediate(r));
  const frames = t.text().split('\r\u001b[2K').filter(Boolean);
  assert.equal(frames.length, 2);
  assert.match(frames[0]!, /25%\s+1,234,567 records\s+3 rejected\s+25\.0 MB\/s\s+6 s left/);
  assert.match(frames[1]!, /50%/);
  assert.ok(t.text().endsWith('\r\u001b[2K'), 'the line is cleared at the end');
});

test('when stderr is not a terminal nothing is drawn', async () => {
  const t = terminal(false);
  const bar = new ProgressBar(t.stream);
  bar.draw(progress);
  bar.clear();
  await new Promise((r) => setImmediate(r));
  assert.equal(t.text(), '');
});
