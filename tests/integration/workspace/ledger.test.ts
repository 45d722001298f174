import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FlowscopeError } from '../../../main/engine/errors';
import { REJECTED_KEEP_PER_FILE, Workspace, type ImportStart } from '../../../main/engine/workspace';
import { dropRecordsHeldBefore, releaseImport, type SqlRunner } from '../../../main/engine/workspace/ledger';
import { flowInsert, tempDir } from './helpers';

const dir = tempDir();
let ws: Workspace;

before(async () => {
  ws = await Workspace.open(join(dir, 'ledger.duckdb'), { create: true });
});
after(() => ws.close());

/** Imports `records` rows in one transaction, as the import path does. */
async function importRecords(start: ImportStart, records: number, rejected = 0): Promise<number> {
  return ws.transaction(async (tx) => {
    const id = await tx.beginImport(start);
    await tx.run(
      `INSERT INTO flow_records (version, srcaddr, bytes, start, "end", start_time, end_time, import_id)
       SELECT 2, '10.' || (hash($1, i) % 256) || '.' || (hash(i, $1) % 256) || '.1', hash(i) % 100000, 1772409600 + i, 1772409660 + i,
              make_timestamp((1772409600 + i) * 1000000), make_timestamp((1772409660 + i) * 1000000), $1
       FROM range(1, $2 + 1) t(i)`,
      [id, records],
    );
    await tx.addRejectedLines(
      id,
      start.path,
      Array.from({ length: rejected }, (_, i) => ({ line: i + 2, reason: 'too few fields', raw: `bad ${i}` })),
    );
    await tx.finishImport(id, { records, rejected });
    return id;
  });
}

const whole = { from: null, to: null };

const file = (name: string, sha256: string): ImportStart => ({
  source: 'file',
  path: `/logs/${name}`,
  size: 1234,
  sha256,
  format: 'text/default',
});

test('an import is found again by its content hash (whatever part of it is asked for), and an S3 object by key and ETag', async () => {
  const id = await importRecords(file('a.log', 'hash-a'), 10);
  assert.deepEqual(await ws.planContent('hash-a', whole), { held: id });
  assert.deepEqual(await ws.planContent('hash-a', { from: 10, to: 20 }), { held: id });
  assert.deepEqual(await ws.planContent('hash-unknown', whole), { keep: whole, replaces: [] });
  const s3 = await importRecords(
    { source: 's3', path: 's3://bucket/key.log.gz', size: 99, sha256: null, etag: '"e1"', format: 'text/default' },
    3,
  );
  assert.equal((await ws.findImport({ source: 's3', path: 's3://bucket/key.log.gz', etag: '"e1"' }, whole))?.id, s3);
  assert.equal(await ws.findImport({ source: 's3', path: 's3://bucket/key.log.gz', etag: '"e2"' }, whole), null);
});

test('an import that kept a time range holds only that range of its content', async () => {
  const id = await importRecords(file('bounded.log', 'hash-b@100-200'), 2);
  assert.deepEqual(await ws.planContent('hash-b', { from: 120, to: 200 }), { held: id });
  assert.deepEqual(await ws.planContent('hash-b', whole), { keep: whole, replaces: [id] });
  assert.deepEqual(await ws.planContent('hash-b', { from: 50, to: 150 }), {
    keep: { from: 50, to: 200 },
    replaces: [id],
  });
});

test('removing an import removes the pull checkpoints that stand for it, and no other', async () => {
  const drop = await importRecords(file('pulled.log', 'hash-pulled'), 2);
  const keep = await importRecords(file('other.log', 'hash-other'), 2);
  await ws.transaction(async (tx) => {
    await tx.setCheckpoint(
      's3',
      's3://b/pulled',
      JSON.stringify({ etag: '"e"', importId: drop, from: null, to: null }),
    );
    await tx.setCheckpoint('cloudwatch', '/g:0:s', JSON.stringify({ importId: keep, from: 0, to: 1, fetchedAt: 2 }));
    await tx.setCheckpoint('cloudwatch-format', '/g', '${version} ${start}');
  });
  await ws.removeImport(drop);
  assert.equal(await ws.checkpoint('s3', 's3://b/pulled'), null, 'the object is pulled again');
  assert.notEqual(await ws.checkpoint('cloudwatch', '/g:0:s'), null);
  assert.equal(await ws.checkpoint('cloudwatch-format', '/g'), '${version} ${start}');
});

test('records of the same hours from other interfaces (another VPC) are never keyed or hashed to find those held before', async () => {
  /** 200 records of one interface, in one transaction as the import path does; `sql` gets the thinning's statements. */
  const store = (eni: string, hash: string, sql: string[] = []) =>
    ws.transaction(async (tx) => {
      const id = await tx.beginImport({ ...file(`${eni}.log`, hash), format: 'default' });
      await tx.run(
        `INSERT INTO flow_records (version, interface_id, srcaddr, bytes, start, "end", start_time, end_time, import_id)
         SELECT 2, $2, '10.0.0.' || i, 100, 1790000000 + i, 1790000060 + i, make_timestamp((1790000000 + i) * 1000000),
                make_timestamp((1790000060 + i) * 1000000), $1 FROM range(1, 201) t(i)`,
        [id, eni],
      );
      const seen: SqlRunner = {
        run: (q, p) => (sql.push(q), tx.run(q, p)),
        all: (q, p) => (sql.push(q), tx.all(q, p)),
      };
      const held = await dropRecordsHeldBefore(seen, [id]);
      await tx.finishImport(id, { records: 200 - (held.get(id) ?? 0), rejected: 0 });
      return [...held.values()];
    });
  await store('eni-0aaa', 'hash-vpc-a');
  const sql: string[] = [];
  assert.deepEqual(await store('eni-0bbb', 'hash-vpc-b', sql), []);
  assert.ok(sql.length > 0 && !sql.some((q) => q.includes('hash(')), sql.join('\n'));
  // The first interface's records brought again are found, and held once.
  assert.deepEqual(await store('eni-0aaa', 'hash-vpc-a-again'), [200]);
});

test('a transaction that throws leaves no records, ledger row or rejected lines behind', async () => {
  const before = await ws.info();
  await assert.rejects(
    ws.transaction(async (tx) => {
      const id = await tx.beginImport(file('broken.log.gz', 'hash-broken'));
      const row = flowInsert(id, 1772409600);
      await tx.run(row.sql, row.params);
      await tx.addRejectedLines(id, '/logs/broken.log.gz', [{ line: 1, reason: 'x', raw: 'y' }]);
      throw new Error('gzip stream truncated');
    }),
    /truncated/,
  );
  assert.deepEqual(await ws.info(), before);
  assert.deepEqual(await ws.planContent('hash-broken', whole), { keep: whole, replaces: [] });
  assert.equal(
    (await ws.all<{ n: bigint }>(`SELECT count(*) AS n FROM rejected_lines WHERE path = '/logs/broken.log.gz'`))[0]!.n,
    0n,
  );
});

test('transactions take turns: concurrent imports get distinct ids and all their rows', async () => {
  const ids = await Promise.all([1, 2, 3, 4].map((i) => importRecords(file(`c${i}.log`, `hash-c${i}`), 100)));
  assert.equal(new Set(ids).size, 4);
  for (const id of ids) {
    const [row] = await ws.all<{ n: bigint }>('SELECT count(*) AS n FROM flows WHERE import_id = $1', [id]);
    assert.equal(row!.n, 100n);
  }
});

test('rejected lines are kept up to the cap per file and all of them are counted', async () => {
  const id = await importRecords(file('many-bad.log', 'hash-bad'), 5, REJECTED_KEEP_PER_FILE + 50);
  const page = await ws.rejected(id, 0, 10);
  assert.equal(page.total, REJECTED_KEEP_PER_FILE);
  assert.deepEqual(page.lines[0], {
    importId: id,
    path: '/logs/many-bad.log',
    line: 2,
    reason: 'too few fields',
    raw: 'bad 0',
    unit: 'line',
  });
  assert.equal((await ws.getImport(id))?.rejected, REJECTED_KEEP_PER_FILE + 50);
  const imports = await ws.imports(0, 1000);
  assert.equal(imports.imports.find((i) => i.id === id)?.rejected, REJECTED_KEEP_PER_FILE + 50);
});

test('removing an import deletes its records and rejected lines, and the rest stays', async () => {
  const keep = await importRecords(file('keep.log', 'hash-keep'), 20);
  const drop = await importRecords(file('drop.log', 'hash-drop'), 30, 3);
  const before = await ws.info();
  assert.equal(await ws.removeImport(drop), 30);
  const afterInfo = await ws.info();
  assert.equal(afterInfo.records, before.records - 30);
  assert.equal(afterInfo.imports, before.imports - 1);
  assert.equal(afterInfo.rejected, before.rejected - 3);
  assert.equal((await ws.rejected(drop, 0, 10)).total, 0);
  assert.deepEqual(
    await ws.planContent('hash-drop', whole),
    { keep: whole, replaces: [] },
    'the same file can be imported again',
  );
  assert.equal(
    (await ws.all<{ n: bigint }>('SELECT count(*) AS n FROM flows WHERE import_id = $1', [keep]))[0]!.n,
    20n,
  );
  await assert.rejects(ws.removeImport(drop), (err) => err instanceof FlowscopeError && err.code === 'not_found');
});

test('a removed import’s id is never handed out again, so a pull that still names it releases nothing else', async () => {
  const pulled = await importRecords(file('window.log', 'hash-window'), 5);
  // A pull read its checkpoint (this import) before the analyst removed it; a file imported meanwhile.
  await ws.removeImport(pulled);
  const meanwhile = await importRecords(file('meanwhile.log', 'hash-meanwhile'), 7);
  assert.ok(meanwhile > pulled, `${meanwhile} after ${pulled}`);
  // The pull's commit releases the import its checkpoint named.
  const released = await ws.transaction((tx) => releaseImport(tx, pulled, { source: 'cloudwatch', key: '/g:0:s' }));
  assert.deepEqual(released, { records: 0, rejected: 0 });
  assert.equal(
    (await ws.all<{ n: bigint }>('SELECT count(*) AS n FROM flows WHERE import_id = $1', [meanwhile]))[0]!.n,
    7n,
  );
  // And across a reopen.
  await ws.removeImport(meanwhile);
  await ws.close();
  ws = await Workspace.open(join(dir, 'ledger.duckdb'), { create: true });
  const next = await importRecords(file('next.log', 'hash-next'), 1);
  assert.ok(next > meanwhile, `${next} after ${meanwhile}`);
});

test('info reports records, time span, imports and rejected lines', async () => {
  const info = await ws.info();
  const [truth] = await ws.all<{ n: bigint; lo: Date; hi: Date; newest: Date }>(
    'SELECT count(*) AS n, min(start_time) AS lo, max(end_time) AS hi, max(start_time) AS newest FROM flows',
  );
  assert.equal(info.records, Number(truth!.n));
  assert.deepEqual(info.timeSpan, {
    from: truth!.lo.toISOString(),
    to: truth!.hi.toISOString(),
    newestStart: truth!.newest.toISOString(),
  });
  assert.equal(info.timeSpan?.from, '2026-03-02T00:00:01.000Z');
});

test('compaction after removing a large import shrinks the file and keeps everything else', async () => {
  const big = await importRecords(file('big.log', 'hash-big'), 400_000);
  const kept = await ws.all<{ n: bigint; s: bigint }>(
    'SELECT count(*) AS n, sum(bytes)::BIGINT AS s FROM flows WHERE import_id <> $1',
    [big],
  );
  await ws.removeImport(big);
  const { bytesBefore, bytesAfter } = await ws.compact();
  assert.ok(bytesAfter < bytesBefore * 0.6, `compacted from ${bytesBefore} to ${bytesAfter} bytes`);
  assert.deepEqual(await ws.all('SELECT count(*) AS n, sum(bytes)::BIGINT AS s FROM flows'), kept);
  assert.ok((await ws.imports(0, 100)).total > 0);
  // Still locked down after the file was swapped.
  await assert.rejects(ws.all(`SELECT * FROM read_csv('/etc/passwd')`), /Permission Error/);
});
