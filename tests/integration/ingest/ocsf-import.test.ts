import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Output } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { importFile } from '../../../main/engine/ingest';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import {
  flowLogsAsOcsf,
  RC2_OCSF,
  RC2_RAW,
  V150_OCSF,
  V150_RAW,
  V5_FIELDS,
  writeOcsfParquet,
} from '../../support/security-lake';
import { openedForFile } from '../../support/opened-for-file';

const dir = mkdtempSync(join(tmpdir(), 'flowscope-ocsf-'));
const engine = openedForFile(() => Engine.open({ workspace: join(dir, 'ws.duckdb'), create: true }), dir);

const ws = () => engine().workspace;

/** A record as stored, by column, every value as text (null for none). */
async function storedRecord(importId: number): Promise<Record<string, string | null>> {
  const rows = await ws().all<Record<string, unknown>>('SELECT * FROM flows WHERE import_id = $1', [importId]);
  assert.equal(rows.length, 1);
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, v === null ? null : String(v)]));
}

for (const [name, ocsf, raw] of [
  ['OCSF 1.0.0-rc.2 (Security Lake source version 1)', RC2_OCSF, RC2_RAW],
  ['OCSF 1.5.0 (the 1.1+ shape of source version 2)', V150_OCSF, V150_RAW],
] as const) {
  test(`the documented ${name} sample comes back as its flow-log record, field by field`, async () => {
    const path = join(dir, `${ocsf.metadata.version}.gz.parquet`);
    await writeOcsfParquet(path, [ocsf]);
    const outcome = await importFile(ws(), path, {});
    assert.equal(outcome.status, 'imported', outcome.error);
    assert.equal(outcome.records, 1);
    const stored = await storedRecord(outcome.importId!);
    for (const [column, value] of Object.entries(raw)) {
      assert.equal(stored[column], value === '-' ? null : value, `${column}`);
    }
    assert.equal(stored.start_time, new Date(Number(raw.start) * 1000).toString());
    const [extra] = await ws().all<{ cls: string; product: string; dir: string; format: string }>(
      `SELECT extra['class_uid'] AS cls, extra['metadata.product.name'] AS product, extra['connection_info.direction'] AS dir, ` +
        `(SELECT format FROM imports WHERE id = $1) AS format FROM flows WHERE import_id = $1`,
      [outcome.importId!],
    );
    assert.deepEqual(extra, {
      cls: '4001',
      product: 'Amazon VPC',
      dir: ocsf.connection_info.direction,
      format: 'ocsf-parquet',
    });
  });
}

test('generated records mapped to OCSF come back exactly: counts, byte sums and every field', async () => {
  const text = join(dir, 'v5.log');
  await writeFlowLogFile(text, { seed: 31, records: 3000, header: false, fields: V5_FIELDS });
  const parquet = join(dir, 'lake', 'generated.gz.parquet');
  await flowLogsAsOcsf(text, parquet);
  const outcome = await importFile(ws(), parquet, {});
  assert.equal(outcome.status, 'imported', outcome.error);

  // Compared field by field: every field of version 5 but these.
  const uncompared = [
    'version',
    'account-id',
    'type',
    'region',
    'sublocation-type',
    'sublocation-id',
    'pkt-src-aws-service',
    'pkt-dst-aws-service',
  ];
  const compared = V5_FIELDS.filter((f) => !uncompared.includes(f));
  const source = readFileSync(text, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const values = line.split(' ');
      return compared
        .map((f) => values[V5_FIELDS.indexOf(f)]!)
        .map((v) => (v === '-' ? '' : v))
        .join(' ');
    })
    .sort();
  const columns = compared.map((f) => `coalesce("${f.replace(/-/g, '_')}"::VARCHAR, '')`).join(` || ' ' || `);
  const stored = (
    await ws().all<{ line: string }>(`SELECT ${columns} AS line FROM flows WHERE import_id = $1`, [outcome.importId!])
  )
    .map((r) => r.line)
    .sort();
  assert.equal(outcome.records, source.length);
  assert.deepEqual(stored, source);

  const bytes = readFileSync(text, 'utf8')
    .split('\n')
    .filter(Boolean)
    .reduce((n, l) => n + (l.split(' ')[9] === '-' ? 0 : Number(l.split(' ')[9])), 0);
  // Every dialect sees flow-log fields (the generated records are the ones of March 2026).
  const timeRange = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };
  for (const [dialect, query] of [
    ['insights', 'filter ispresent(interfaceId) | stats sum(bytes) as total, count(*) as n'],
    ['sumo', '_sourceCategory=vpc | where !isNull(interface_id) | sum(bytes) as total, count as n'],
    ['sql', 'SELECT sum(bytes) AS total, count(*) AS n FROM flows WHERE interface_id IS NOT NULL'],
  ] as const) {
    const answer = (await call(engine(), 'query.run', { query, dialect, timeRange })) as Output<'query.run'>;
    assert.deepEqual(
      answer.rows.map((r) => r.map(Number)),
      [[bytes, source.length]],
      `${dialect}: ${answer.sql}`,
    );
  }

  const again = await importFile(ws(), parquet, {});
  assert.equal(again.status, 'already-imported');
});

test('OCSF records of another class are refused by name, and nothing is stored', async () => {
  const path = join(dir, 'cloudtrail.parquet');
  await writeOcsfParquet(path, [{ ...RC2_OCSF, class_uid: 3005, class_name: 'API Activity' }]);
  const [before] = await ws().all<{ n: bigint }>('SELECT count(*) AS n FROM flows');
  const outcome = await importFile(ws(), path, {});
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.error!, /cloudtrail\.parquet holds OCSF records of class 3005, not Network Activity \(4001\)/);
  const [afterwards] = await ws().all<{ n: bigint }>('SELECT count(*) AS n FROM flows');
  assert.equal(afterwards!.n, before!.n);
});
