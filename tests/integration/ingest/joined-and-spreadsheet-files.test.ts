/**
 * Files an analyst made out of flow logs rather than received: two S3 deliveries joined with `cat`, and
 * comma-separated copies (a log opened in Excel and saved as CSV, Athena's downloaded query results). Every
 * answer is worked out from the lines written below.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { importFile } from '../../../main/engine/ingest';
import { Workspace } from '../../../main/engine/workspace';
import { tempDir } from '../workspace/helpers';

const dir = tempDir('flowscope-joined-');
let ws: Workspace;

before(async () => {
  ws = await Workspace.open(join(dir, 'ws.duckdb'), { create: true });
});
after(() => ws.close());

const START = 1772445600; // 2026-03-02T10:00:00Z
const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
/** The i-th default-format record: bytes 100·(i+1), a REJECT every fourth. */
const record = (i: number) =>
  `2 123456789012 eni-0a1b2c3d4e5f60718 10.0.0.${i + 1} 203.0.113.9 ${40000 + i} 443 6 ${i + 1} ${(i + 1) * 100} ` +
  `${START + i * 60} ${START + i * 60 + 60} ${i % 4 ? 'ACCEPT' : 'REJECT'} OK`;
const delivery = (from: number, n: number) =>
  gzipSync(`${[HEADER, ...Array.from({ length: n }, (_, k) => record(from + k))].join('\n')}\n`);

test('two deliveries joined with cat: the second header line is rejected as a header, not as 29 conversion errors', async () => {
  const path = join(dir, 'joined.log.gz');
  writeFileSync(path, Buffer.concat([delivery(0, 30), delivery(30, 20)]));
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.deepEqual([outcome.records, outcome.rejected], [50, 1]);
  const [line] = (await ws.rejected(outcome.importId, 0, 10)).lines;
  assert.equal(Number(line!.line), 32);
  assert.equal(line!.raw, HEADER);
  assert.equal(
    line!.reason,
    'a header line (field names, not a record): files joined one after another each start with one',
  );
});
