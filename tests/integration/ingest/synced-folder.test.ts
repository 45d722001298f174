/**
 * A folder an analyst keeps with `aws s3 sync`: many small deliveries of several days, beside what S3 and the
 * sync leave there (a zero-byte object, a download still in progress as `<name>.<8 hex digits>`), a `.log.gz`
 * that is plain text, and a delivery cut short. Every count is worked out from the files written below.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { importPaths } from '../../../main/engine/ingest';
import { Workspace } from '../../../main/engine/workspace';
import { DEFAULT_FORMAT } from '../../../queries/catalog/fields';
import { tempDir } from '../workspace/helpers';

const dir = tempDir('flowscope-synced-');
let ws: Workspace;

before(async () => {
  ws = await Workspace.open(join(dir, 'ws.duckdb'), { create: true });
});
after(() => ws.close());

const HEADER = DEFAULT_FORMAT.join(' ');
const record = (start: number, bytes: number) =>
  `2 123456789012 eni-0a 10.0.0.1 10.0.1.1 ${1000 + (bytes % 50)} 443 6 1 ${bytes} ${start} ${start + 60} ACCEPT OK`;
const text = (start: number, n: number, bytes: number) =>
  `${[HEADER, ...Array.from({ length: n }, (_, i) => record(start + i, bytes + i))].join('\n')}\n`;

test('a synced folder: deliveries of two days import, empty files and unfinished downloads are passed over and counted', async () => {
  const root = join(dir, 'sync');
  const name = (day: string, i: number) =>
    `123456789012_vpcflowlogs_us-east-1_fl-0abc_202603${day}T${String(i).padStart(4, '0')}Z_${i}.log.gz`;
  let records = 0;
  for (const day of ['01', '02']) {
    const folder = join(root, 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/03', day);
    mkdirSync(folder, { recursive: true });
    const dayStart = Date.parse(`2026-03-${day}T00:00:00Z`) / 1000;
    for (let i = 0; i < 40; i++) {
      writeFileSync(join(folder, name(day, i)), gzipSync(text(dayStart + i * 300, 3, i * 10 + 1)));
      records += 3;
    }
  }
  const last = join(root, 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/03/02');
  const whole = gzipSync(text(1772470000, 400, 1));
  writeFileSync(join(last, name('02', 90)), '');
  // s3transfer's temporary file: the object's size, its first part written, zeros after.
  const inProgress = Buffer.alloc(whole.length);
  whole.copy(inProgress, 0, 0, 200);
  writeFileSync(join(last, `${name('02', 91)}.3a8F0c1B`), inProgress);
  writeFileSync(join(last, name('02', 92)), text(1772480000, 2, 7));
  writeFileSync(join(last, name('02', 93)), whole.subarray(0, whole.length >> 1));

  const result = await importPaths(ws, [root], {});
  assert.equal(result.passedOver, 2);
  const failed = result.files.filter((f) => f.status === 'failed');
  assert.deepEqual(
    failed.map((f) => f.path),
    [join(last, name('02', 93))],
  );
  assert.match(failed[0]!.error!, /cannot be read: it is not whole gzip/);
  assert.equal(result.files.length, 80 + 2);
  assert.deepEqual([result.records, result.rejected], [records + 2, 0]);
  const [row] = await ws.all<{ n: bigint; days: bigint }>(
    `SELECT count(*) AS n, count(DISTINCT start_time::DATE) AS days FROM flows`,
  );
  assert.deepEqual([Number(row!.n), Number(row!.days)], [records + 2, 2]);
});
