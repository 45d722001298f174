import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { FlowLogGenerator, writeFlowLogFile, writeS3Layout } from '../../../../main/engine/ingest/generator';

const sample = (seed: number, n = 3000) => {
  const gen = new FlowLogGenerator({ seed });
  return Array.from({ length: n }, (_, i) => gen.line(i / n));
};

test('the same seed gives the same records, another seed other records', () => {
  assert.deepEqual(sample(4, 50), sample(4, 50));
  assert.notDeepEqual(sample(4, 50), sample(5, 50));
});

test('records look like one VPC: its ENIs, internal and internet peers, ACCEPT and REJECT, common ports, NODATA and SKIPDATA', () => {
  const rows = sample(1).map((l) => l.split(' '));
  assert.ok(rows.every((r) => r.length === 14));
  const ok = rows.filter((r) => r[13] === 'OK');
  const enis = new Set(rows.map((r) => r[2]));
  assert.ok(enis.size >= 5, 'several ENIs');
  assert.ok(
    ok.some((r) => r[3]!.startsWith('10.0.') && r[4]!.startsWith('10.0.')),
    'internal traffic',
  );
  assert.ok(
    ok.some((r) => !r[3]!.startsWith('10.')),
    'internet peers',
  );
  assert.ok(ok.some((r) => r[12] === 'REJECT') && ok.some((r) => r[12] === 'ACCEPT'));
  for (const port of ['443', '80', '22', '3389'])
    assert.ok(
      ok.some((r) => r[6] === port && r[7] === '6'),
      `TCP ${port}`,
    );
  assert.ok(
    ok.some((r) => r[6] === '53' && r[7] === '17'),
    'DNS over UDP',
  );
  assert.ok(
    ok.some((r) => Number(r[5]) >= 32768),
    'ephemeral ports',
  );
  assert.ok(rows.some((r) => r[13] === 'NODATA') && rows.some((r) => r[13] === 'SKIPDATA'));
  const starts = rows.map((r) => Number(r[10]));
  assert.ok(Math.max(...starts) - Math.min(...starts) > 2 * 86_400, 'a few days');
});

test('files are written with the header, gzip on request, and in the S3 delivery layout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-gen-'));
  try {
    await writeFlowLogFile(join(dir, 'a.log.gz'), {
      records: 10,
      gzip: true,
      fields: ['version', 'srcaddr', 'vpc-id'],
    });
    const lines = gunzipSync(readFileSync(join(dir, 'a.log.gz')))
      .toString()
      .trim()
      .split('\n');
    assert.equal(lines[0], 'version srcaddr vpc-id');
    assert.equal(lines.length, 11);
    const paths = await writeS3Layout(join(dir, 's3'), {
      files: 2,
      recordsPerFile: 3,
      start: Date.UTC(2026, 2, 2, 23, 55) / 1000,
    });
    assert.match(
      relative(dir, paths[0]!),
      /^s3\/AWSLogs\/123456789012\/vpcflowlogs\/us-east-1\/2026\/03\/02\/123456789012_vpcflowlogs_us-east-1_fl-[0-9a-f]+_20260302T2355Z_[0-9a-f]{8}\.log\.gz$/,
    );
    assert.match(relative(dir, paths[1]!), /\/2026\/03\/03\/.*_20260303T0000Z_/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that cannot be written is a rejected promise, not an error that stops the process', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-gen-'));
  try {
    for (const gzip of [false, true]) await assert.rejects(writeFlowLogFile(dir, { records: 10, gzip }), /EISDIR/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
