/**
 * Malformed inputs, each imported through the same path as the app and the CLI (`importPaths`): every one
 * ends as a named refusal (the message names the file and why) with the workspace exactly as before, or is
 * imported with its bad lines counted as rejected and the rest stored, or is imported whole because it is
 * fine after all (CRLF, a byte-order mark). Nothing may hang, crash, or store a record silently wrong.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { importPaths, type ImportPathsResult } from '../../main/engine/ingest';
import { writeFlowLogFile } from '../../main/engine/ingest/generator';
import { Workspace } from '../../main/engine/workspace';
import { tempDir } from '../integration/workspace/helpers';
import { recordFigures } from './figures';

const dir = tempDir('flowscope-malformed-');
const inputs = join(dir, 'inputs');
mkdirSync(inputs);
let ws: Workspace;
/** Twenty default-format records with the AWS header, as text. */
let GOOD: string;
const RECORDS = 20;
const tally = {
  inputs: 0,
  refused: 0,
  rejectedLines: 0,
  withRejects: 0,
  whole: 0,
  sameRecords: 0,
  skipped: [] as string[],
};

before(async () => {
  ws = await Workspace.open(join(dir, 'ws.duckdb'), { create: true });
  const sample = join(dir, 'sample.log');
  await writeFlowLogFile(sample, { records: RECORDS, seed: 11 });
  GOOD = readFileSync(sample, 'utf8');
});

after(async () => {
  await ws.close();
  recordFigures('1-malformed', {
    'malformed inputs': `${tally.inputs}: ${tally.refused} refused by name and reason (workspace unchanged), ${tally.withRejects} imported with ${tally.rejectedLines} rejected lines counted, ${tally.whole} read whole, ${tally.sameRecords} holding an earlier input's records under other bytes (held once)${tally.skipped.length ? `; skipped: ${tally.skipped.join(', ')}` : ''}`,
  });
});

const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);
const header = () => lines(GOOD)[0]!;
const records = () => lines(GOOD).slice(1);
const flip = (b: Buffer, at: number) => {
  const copy = Buffer.from(b);
  copy[at] = copy[at]! ^ 0x5a;
  return copy;
};

async function parquetOf(select: string): Promise<Buffer> {
  const path = join(dir, `p-${Math.random().toString(36).slice(2)}.parquet`);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const text = join(dir, 'good-for-parquet.log');
  writeFileSync(text, GOOD);
  await c.run(
    `COPY (${select.replace('$TEXT', `read_csv('${text}', delim = ' ', header = true, nullstr = '-')`)}) TO '${path}' (FORMAT parquet)`,
  );
  c.closeSync();
  db.closeSync();
  return readFileSync(path);
}

async function totals() {
  return (
    await ws.all(
      `SELECT (SELECT count(*) FROM flows) AS flows, (SELECT sum(bytes) FROM flows) AS bytes,
              (SELECT count(*) FROM imports) AS imports, (SELECT count(*) FROM rejected_lines) AS rejected`,
    )
  )[0];
}

/** What an input must come to. */
type Expect =
  | { refused: RegExp }
  | { rejects: number; records: number }
  | { whole: number }
  /** Either a named refusal or rejects that account for every line: inputs DuckDB may read either way. */
  | { refusedOr: RegExp; lines: number };

interface Case {
  name: string;
  /** Makes the input under `inputs` and answers its path. */
  make: (at: string) => Promise<string> | string;
  expect: Expect;
}

const write = (name: string, body: string | Buffer) => (at: string) => {
  const path = join(at, name);
  writeFileSync(path, body);
  return path;
};

const RECORD_LINES = RECORDS; // the generator's records, all with the header's 14 fields
const cases: Case[] = [
  // Text that is not flow logs.
  {
    name: 'an empty file',
    make: write('empty.log', ''),
    expect: { refused: /empty\.log is not a flow log: it is empty/ },
  },
  {
    name: 'a line of prose',
    make: write('prose.txt', 'Dear team, the logs are attached.\n'),
    expect: { refused: /prose\.txt is not a flow log/ },
  },
  {
    name: 'random binary bytes',
    make: write('random.bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))),
    expect: { refused: /random\.bin is not a flow log: it is binary/ },
  },
  {
    name: 'UTF-16 text',
    // What Windows PowerShell 5.1's `>` writes: a byte-order mark, then UTF-16LE.
    make: () => write('utf16.log', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, 'utf16le')]))(inputs),
    expect: { refused: /utf16\.log is not a flow log: it is UTF-16 text .*save it as UTF-8/ },
  },
  {
    name: 'UTF-16 text without a byte-order mark',
    make: () => write('utf16-nobom.log', Buffer.from(GOOD, 'utf16le'))(inputs),
    expect: { refused: /utf16-nobom\.log is not a flow log: it is binary/ },
  },
  {
    name: 'tabs between fields',
    make: () => write('tabs.log', GOOD.replaceAll(' ', '\t'))(inputs),
    expect: { refused: /tabs\.log is not a flow log/ },
  },
  {
    name: 'a header naming no known field',
    make: () => write('unknown-header.log', `foo bar baz\n1 2 3\n`)(inputs),
    expect: { refused: /unknown-header\.log is not a flow log/ },
  },
  {
    name: 'a header naming a field twice',
    make: () => write('twice.log', `version srcaddr srcaddr start\n2 1.1.1.1 2.2.2.2 1772409600\n`)(inputs),
    expect: { refused: /twice\.log.*"srcaddr" appears twice/ },
  },
  {
    name: 'a header without start',
    make: () => write('no-start.log', `version srcaddr dstaddr\n2 10.0.0.1 10.0.0.2\n`)(inputs),
    expect: {
      refused:
        /no-start\.log is a flow log whose format has no \$\{start\}, so its records could never be found by time: .* add one with them/,
    },
  },
  {
    name: 'headerless lines with the wrong field count',
    make: () =>
      write(
        'short.log',
        records()
          .map((r) => r.split(' ').slice(0, 9).join(' '))
          .join('\n'),
      )(inputs),
    expect: { refused: /short\.log is not a flow log: its first lines do not have the 14 fields/ },
  },
  {
    name: 'NUL bytes at the start',
    make: () => write('nul-start.log', `\0\0\0${GOOD}`)(inputs),
    expect: { refused: /nul-start\.log is not a flow log: it is binary/ },
  },
  // Text that is flow logs with bad lines: imported, the bad lines counted.
  {
    // In the first 4 KB, where the file is sniffed: still text, the line rejected rather than stored.
    name: 'a NUL at the end of one line',
    make: () =>
      write('nul-line.log', [header(), ...records().map((r, i) => (i === 3 ? `${r}\0` : r))].join('\n'))(inputs),
    expect: { rejects: 1, records: RECORD_LINES - 1 },
  },
  {
    name: 'some lines with too few fields',
    make: () =>
      write(
        'few.log',
        [header(), ...records().map((r, i) => (i % 5 === 0 ? r.split(' ').slice(0, 10).join(' ') : r))].join('\n'),
      )(inputs),
    expect: { rejects: 4, records: RECORD_LINES - 4 },
  },
  {
    name: 'some lines with too many fields',
    make: () =>
      write('many.log', [header(), ...records().map((r, i) => (i % 4 === 0 ? `${r} extra` : r))].join('\n'))(inputs),
    expect: { rejects: 5, records: RECORD_LINES - 5 },
  },
  {
    name: 'two spaces between fields in some lines',
    make: () =>
      write(
        'double-space.log',
        [header(), ...records().map((r, i) => (i === 3 ? r.replace(' ', '  ') : r))].join('\n'),
      )(inputs),
    expect: { rejects: 1, records: RECORD_LINES - 1 },
  },
  {
    // DuckDB takes a delimiter at the end of a line as ending the line; the values are the same.
    name: 'a trailing space on some lines',
    make: () => write('trailing.log', [header(), ...records().map((r, i) => (i < 2 ? `${r} ` : r))].join('\n'))(inputs),
    expect: { whole: RECORD_LINES },
  },
  {
    name: 'text in number fields',
    make: () =>
      write(
        'text-numbers.log',
        [
          header(),
          ...records().map((r, i) => (i === 7 ? r.replace(/ \d+ (\d+ \d+ \d+ \S+ \S+)$/, ' lots $1') : r)),
        ].join('\n'),
      )(inputs),
    expect: { rejects: 1, records: RECORD_LINES - 1 },
  },
  {
    name: 'impossible values (negative bytes, port 70000, 999.1.1.1, start after end)',
    make: () =>
      write(
        'impossible.log',
        [
          header(),
          ...records().map((r, i) => {
            const f = r.split(' ');
            if (i === 1) f[9] = '-5';
            if (i === 2) f[6] = '70000';
            if (i === 3) f[3] = '999.1.1.1';
            if (i === 4) [f[10], f[11]] = [f[11]!, f[10]!];
            return f.join(' ');
          }),
        ].join('\n'),
      )(inputs),
    expect: { rejects: 4, records: RECORD_LINES - 4 },
  },
  {
    name: 'NUL bytes inside a late line',
    make: () =>
      write(
        'nul-late.log',
        [header(), ...records().map((r, i) => (i === 15 ? r.replace(' ', ' \0') : r))].join('\n'),
      )(inputs),
    expect: { refusedOr: /nul-late\.log/, lines: RECORD_LINES },
  },
  {
    name: 'Latin-1 bytes in a line',
    make: () =>
      write(
        'latin1.log',
        Buffer.concat([
          Buffer.from(`${header()}\n${records().slice(0, 10).join('\n')}\n`),
          Buffer.from(
            '2 123456789012 eni-caf\xe9 10.0.0.1 10.0.0.2 1 2 6 1 1 1772409600 1772409660 ACCEPT OK\n',
            'latin1',
          ),
          Buffer.from(`${records().slice(10).join('\n')}\n`),
        ]),
      )(inputs),
    expect: { refusedOr: /latin1\.log/, lines: RECORD_LINES + 1 },
  },
  {
    name: 'a 3 MB line in the middle',
    make: () =>
      write(
        'huge-line.log',
        [header(), ...records().slice(0, 10), `2 ${'x'.repeat(3 << 20)}`, ...records().slice(10)].join('\n'),
      )(inputs),
    expect: { refusedOr: /huge-line\.log/, lines: RECORD_LINES + 1 },
  },
  { name: 'only a header', make: () => write('header-only.log', `${header()}\n`)(inputs), expect: { whole: 0 } },
  // Text that is fine after all.
  {
    name: 'CRLF line ends',
    make: () => write('crlf.log', GOOD.replaceAll('\n', '\r\n'))(inputs),
    expect: { whole: RECORD_LINES },
  },
  {
    name: 'a byte-order mark before the header',
    make: () => write('bom.log', `\uFEFF${GOOD}`)(inputs),
    expect: { whole: RECORD_LINES },
  },
  {
    name: 'no newline at the end',
    make: () => write('no-eol.log', GOOD.trimEnd())(inputs),
    expect: { whole: RECORD_LINES },
  },
  {
    name: 'gzip text named .log',
    make: () => write('gz-named.log', gzipSync(GOOD))(inputs),
    expect: { whole: RECORD_LINES },
  },
  // gzip.
  {
    name: 'gzip cut in half',
    make: () => write('half.log.gz', gzipSync(GOOD.repeat(50)).subarray(0, 600))(inputs),
    expect: { refused: /half\.log\.gz (cannot be read|is not)/ },
  },
  {
    name: 'gzip cut after its header',
    make: () => write('ten.log.gz', gzipSync(GOOD).subarray(0, 10))(inputs),
    expect: { refused: /ten\.log\.gz (cannot be read|is not)/ },
  },
  {
    name: 'gzip with a flipped byte in its data',
    make: () => {
      const gz = gzipSync(GOOD.repeat(20));
      return write('flipped.log.gz', flip(gz, Math.floor(gz.length / 2)))(inputs);
    },
    expect: { refused: /flipped\.log\.gz (cannot be read|is not)/ },
  },
  {
    name: 'gzip with a wrong checksum',
    make: () => {
      const gz = gzipSync(GOOD);
      return write('crc.log.gz', flip(gz, gz.length - 6))(inputs);
    },
    expect: { refused: /crc\.log\.gz cannot be read/ },
  },
  {
    name: 'gzip of nothing',
    make: () => write('nothing.log.gz', gzipSync(''))(inputs),
    expect: { refused: /nothing\.log\.gz is not a flow log: it is empty/ },
  },
  {
    name: 'gzip inside gzip',
    make: () => write('double.log.gz', gzipSync(gzipSync(GOOD)))(inputs),
    expect: { refused: /double\.log\.gz is not a flow log: it is gzip'd twice: decompress it once/ },
  },
  {
    name: 'two gzip members one after the other',
    make: () => write('members.log.gz', Buffer.concat([gzipSync(GOOD), gzipSync(`${records().join('\n')}\n`)]))(inputs),
    expect: { whole: 2 * RECORD_LINES },
  },
  {
    name: 'gzip followed by garbage',
    make: () => write('garbage-tail.log.gz', Buffer.concat([gzipSync(GOOD), Buffer.from('not gzip at all')]))(inputs),
    expect: { refusedOr: /garbage-tail\.log\.gz/, lines: RECORD_LINES },
  },
  // Parquet.
  {
    name: 'Parquet cut in half',
    make: async () => {
      const p = await parquetOf('SELECT * FROM $TEXT');
      return write('half.parquet', p.subarray(0, p.length >> 1))(inputs);
    },
    expect: { refused: /half\.parquet cannot be read/ },
  },
  {
    name: 'Parquet without its closing magic',
    make: async () => {
      const p = await parquetOf('SELECT * FROM $TEXT');
      return write('no-magic.parquet', p.subarray(0, p.length - 4))(inputs);
    },
    expect: { refused: /no-magic\.parquet cannot be read/ },
  },
  {
    name: 'Parquet with a flipped footer byte',
    make: async () => {
      const p = await parquetOf('SELECT * FROM $TEXT');
      return write('footer.parquet', flip(p, p.length - 12))(inputs);
    },
    // Some footer bytes only hold statistics; the rows read the same.
    expect: { refusedOr: /footer\.parquet cannot be read/, lines: RECORD_LINES },
  },
  {
    name: 'Parquet with a flipped byte in its data',
    make: async () => {
      const p = await parquetOf('SELECT * FROM $TEXT');
      return write('data.parquet', flip(p, 40))(inputs);
    },
    expect: { refusedOr: /data\.parquet cannot be read/, lines: RECORD_LINES },
  },
  {
    name: 'only the Parquet magic',
    make: write('magic.parquet', 'PAR1'),
    expect: { refused: /magic\.parquet cannot be read/ },
  },
  {
    name: 'Parquet without flow-log columns',
    make: async () => write('sales.parquet', await parquetOf(`SELECT 'widget' AS product, 3 AS quantity`))(inputs),
    expect: { refused: /sales\.parquet is not a flow log: it has none of the flow-log columns/ },
  },
  {
    name: 'Parquet with text where numbers belong',
    make: async () =>
      write(
        'text-bytes.parquet',
        await parquetOf(
          `SELECT * REPLACE (CASE WHEN bytes % 3 = 0 THEN 'many' ELSE bytes::VARCHAR END AS bytes) FROM $TEXT`,
        ),
      )(inputs),
    expect: { refusedOr: /never/, lines: RECORD_LINES },
  },
  // CloudWatch JSON.
  {
    name: 'JSON that is not a CloudWatch export',
    make: write('other.json', '{"hello": "world"}'),
    expect: { refused: /other\.json/ },
  },
  {
    name: 'JSON cut short',
    make: write('cut.json', '{"events": [{"timestamp": 1, "message": "2 1'),
    expect: { refused: /cut\.json/ },
  },
  { name: 'a JSON array of numbers', make: write('numbers.json', '[1, 2, 3]'), expect: { refused: /numbers\.json/ } },
  {
    name: 'CloudWatch events without messages',
    make: write('no-message.json', JSON.stringify({ events: [{ timestamp: 1, ingestionTime: 2 }, { timestamp: 3 }] })),
    expect: { refused: /no-message\.json/ },
  },
];

/** File-system oddities: what the path is, rather than what the file holds. */
const fsCases: Case[] = [
  {
    name: 'a FIFO',
    make: (at) => {
      const path = join(at, 'fifo.log');
      execFileSync('mkfifo', [path]);
      return path;
    },
    expect: { refused: /fifo\.log is neither a file nor a folder/ },
  },
  {
    name: 'a symlink loop',
    make: (at) => {
      symlinkSync(join(at, 'loop-b'), join(at, 'loop-a'));
      symlinkSync(join(at, 'loop-a'), join(at, 'loop-b'));
      return join(at, 'loop-a');
    },
    expect: { refused: /loop-a cannot be read: too many symbolic links/ },
  },
  {
    name: 'a dangling symlink',
    make: (at) => {
      symlinkSync(join(at, 'gone'), join(at, 'dangling.log'));
      return join(at, 'dangling.log');
    },
    expect: { refused: /dangling\.log does not exist/ },
  },
  {
    name: 'a character device',
    make: () => '/dev/zero',
    expect: { refused: /\/dev\/zero is neither a file nor a folder/ },
  },
  ...[
    'with spaces.log',
    "it's.log",
    'quote".log',
    'café-日本.log',
    'new\nline.log',
    '-leading-dash.log',
    'glob*?[x].log',
    '$(touch pwned).log',
    `${'long'.repeat(50)}.log`,
    'back\\slash.log',
    '%s%n.log',
  ].map((name, i): Case => ({
    name: `a file named ${JSON.stringify(name)}`,
    // Each its own content: the same bytes again would be skipped as already imported.
    make: (at) => write(name, GOOD.replaceAll('123456789012', String(100000000000 + i)))(at),
    expect: { whole: RECORD_LINES },
  })),
];

const isRoot = process.getuid?.() === 0;

async function checkOutcome(
  c: Case,
  result: ImportPathsResult,
  path: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  assert.equal(result.files.length, 1, JSON.stringify(result));
  const [file] = result.files;
  const e = c.expect;
  if ('refused' in e || ('refusedOr' in e && file!.status === 'failed')) {
    assert.equal(file!.status, 'failed', `refused: ${JSON.stringify(file)}`);
    assert.match(file!.error!, 'refused' in e ? e.refused : e.refusedOr);
    assert.ok(file!.error!.includes(path), `the message names the file: ${file!.error}`);
    assert.doesNotMatch(file!.error!, /staging/, 'the message names the file, not its staged copy');
    assert.deepEqual(after, before, 'the workspace is unchanged');
    tally.refused++;
    return;
  }
  if (file!.status === 'already-imported') {
    // Other bytes (CRLF, a BOM, gzip'd), the very records of an earlier input: held once.
    assert.ok(file!.sameRecordsAs, JSON.stringify(file));
    assert.deepEqual(after, before, 'nothing is stored twice');
    // What the earlier input brought: the records it stored, and those it left out as held before it.
    const twin = await ws.getImport(file!.importId!);
    const [aside] = await ws.all<{ n: bigint }>('SELECT count(*) AS n FROM held_records WHERE import_id = $1', [
      file!.importId!,
    ]);
    const brought = twin!.records + Number(aside!.n);
    if ('whole' in e) assert.equal(brought, e.whole);
    else if ('rejects' in e) assert.equal(brought, e.records);
    tally.sameRecords++;
    return;
  }
  assert.equal(file!.status, 'imported', file!.error);
  // Every input is made of the same twenty records: those an earlier input stored are held once, and counted.
  const held = file!.heldBefore ?? 0;
  const flows = (t: unknown) => Number((t as { flows: bigint }).flows);
  assert.equal(flows(after) - flows(before), file!.records, 'only records not held yet are stored');
  if (held > 0) tally.sameRecords++;
  if ('whole' in e) {
    assert.deepEqual([file!.records + held, file!.rejected], [e.whole, 0]);
    tally.whole++;
    return;
  }
  if ('rejects' in e) assert.deepEqual([file!.records + held, file!.rejected], [e.records, e.rejects]);
  else assert.equal(file!.records + held + file!.rejected, e.lines, 'every line is a record or a rejected line');
  if (file!.rejected > 0) {
    tally.withRejects++;
    tally.rejectedLines += file!.rejected;
  } else tally.whole++;
}

for (const c of [...cases, ...fsCases]) {
  test(`malformed input: ${c.name}`, async () => {
    const at = join(inputs, String(tally.inputs));
    mkdirSync(at);
    const path = await c.make(at);
    const before = await totals();
    const result = await importPaths(ws, [path], {});
    tally.inputs++;
    await checkOutcome(c, result, path, before, await totals());
  });
}

test('malformed input: a folder holding a FIFO and a symlink loop imports its files without hanging', async () => {
  const at = join(inputs, 'mixed-folder');
  mkdirSync(at);
  write('a.log', GOOD.replaceAll('eni-', 'eni-mixed-'))(at);
  execFileSync('mkfifo', [join(at, 'pipe.log')]);
  symlinkSync(join(at, 'loop2'), join(at, 'loop1'));
  symlinkSync(join(at, 'loop1'), join(at, 'loop2'));
  const result = await importPaths(ws, [at], {});
  tally.inputs++;
  assert.deepEqual(
    result.files.map((f) => [f.path.split('/').at(-1), f.status, f.records]),
    [['a.log', 'imported', RECORD_LINES]],
  );
  tally.whole++;
});

test(
  'malformed input: an unreadable file and folder are refused by name',
  { skip: isRoot ? 'runs as root, which reads files whatever their mode' : false },
  async () => {
    const at = join(inputs, 'unreadable');
    mkdirSync(at);
    const path = write('secret.log', GOOD)(at);
    execFileSync('chmod', ['000', path]);
    const before = await totals();
    const result = await importPaths(ws, [path], {});
    tally.inputs++;
    checkOutcome(
      { name: 'unreadable', make: () => path, expect: { refused: /secret\.log/ } },
      result,
      path,
      before,
      await totals(),
    );
  },
);

if (isRoot) tally.skipped.push('unreadable files (the suite runs as root)');
