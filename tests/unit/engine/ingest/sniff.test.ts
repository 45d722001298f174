import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { sniffBytes, sniffFile, sniffText } from '../../../../main/engine/ingest/sniff';

const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const RECORD = '2 123456789012 eni-0a 10.0.0.1 10.0.0.2 443 5000 6 1 40 1772409600 1772409660 ACCEPT OK';

test('text with the AWS header is recognised with its layout', () => {
  const kind = sniffText(`${HEADER}\n${RECORD}\n`, true, undefined, 'a.log.gz');
  assert.equal(kind.kind, 'text');
  assert.ok(kind.kind === 'text' && kind.header && kind.gzip && kind.layout.description === 'default');
});

test('blank lines before the header are passed over and counted; blanks at the ends of lines are no field', () => {
  const kind = sniffText(`\n \r\n${HEADER} \n${RECORD} \n${RECORD}\n`, false, undefined, 'b.log');
  assert.ok(kind.kind === 'text' && kind.header && kind.blankLines === 2 && kind.layout.description === 'default');
  const headerless = sniffText(`${RECORD}  \n${RECORD} \n`, false, undefined, 'h.log');
  assert.ok(headerless.kind === 'text' && !headerless.header && headerless.blankLines === undefined);
});

test('headerless lines of other fields than the default format say how to name a custom format', () => {
  assert.throws(
    () => sniffText('2 eni-0a 443 1772409600\n', false, undefined, 'c.log'),
    /the first has 4\) and there is no header line: if its flow log has a custom format, name its fields in their order \(import --log-format/,
  );
  // Given a format, or with a header, the fields are known: no such hint.
  assert.throws(
    () => sniffText('2 eni-0a 443\n', false, '${version} ${interface-id} ${dstport} ${start}', 'c.log'),
    (err: Error) => /given log format/.test(err.message) && !/--log-format/.test(err.message),
  );
});

test('headerless records are read as the default format, or with the given log format', () => {
  const plain = sniffText(`${RECORD}\n${RECORD}\n`, false, undefined, 'm.log');
  assert.ok(plain.kind === 'text' && !plain.header && plain.layout.fields.length === 14);
  const custom = sniffText(
    '2 eni-0a 443 1772409600\n2 eni-0b 80 1772409600\n',
    false,
    '${version} ${interface-id} ${dstport} ${start}',
    'c.log',
  );
  assert.ok(custom.kind === 'text' && custom.layout.fields.length === 4);
});

test('a header and a log format given for the same file must name the same fields, or the file is refused', () => {
  // Before: the header won and the format given was dropped without a word.
  const named = HEADER.split(' ').map((n) => `\${${n}}`);
  const agreeing = sniffText(`${HEADER}\n${RECORD}\n`, false, named.join(' '), 'same.log');
  assert.ok(agreeing.kind === 'text' && agreeing.header && agreeing.layout.description === 'default');
  // Athena's names in a CSV header name the same fields.
  const csv = sniffText(
    `${HEADER.replaceAll('-', '_').replaceAll(' ', ',')}\n${RECORD.replaceAll(' ', ',')}\n`,
    false,
    named.join(' '),
    'same.csv',
  );
  assert.ok(csv.kind === 'text' && csv.header);
  const swapped = [named[0], named[1], named[3], named[2], ...named.slice(4)].join(' ');
  assert.throws(
    () => sniffText(`${HEADER}\n${RECORD}\n`, false, swapped, 'other.log'),
    (err: Error & { code?: string }) =>
      err.message.startsWith(
        `other.log cannot be imported: its header line names the fields "${HEADER}" but the log format given ` +
          'names "version account-id srcaddr interface-id dstaddr',
      ) &&
      /" \(field 3 is interface-id in the header, srcaddr in the format\): a file's header says which fields its lines hold, so import it without the log format, or with the one its header names\.$/.test(
        err.message,
      ) &&
      err.code === 'import_failed',
  );
  assert.throws(
    () => sniffText(`${HEADER}\n${RECORD}\n`, false, named.slice(0, 12).join(' '), 'short.log'),
    /short\.log cannot be imported: .*\(the header names 2 more than the format\)/,
  );
  assert.throws(
    () => sniffText(`${HEADER}\n${RECORD}\n`, false, `${named.join(' ')} \${vpc-id}`, 'long.log'),
    /long\.log cannot be imported: .*\(the format names 1 more after them\)/,
  );
});

test('a layout without start is refused: its records could never be found by time', () => {
  assert.throws(
    () => sniffText('2 eni-0a 443\n', false, '${version} ${interface-id} ${dstport}', 'c.log'),
    /c\.log is a flow log whose format has no \$\{start\}, so its records could never be found by time: .* add one with them/,
  );
  assert.throws(
    () => sniffText('srcaddr dstaddr\n10.0.0.1 10.0.0.2\n', false, undefined, 'h.log'),
    /h\.log is a flow log whose format has no \$\{start\}, so its records could never be found by time: .* add one with them/,
  );
});

test('JSON (an object or an array, after whitespace or a byte-order mark) is taken for a CloudWatch export', () => {
  assert.deepEqual(sniffText('  {"events": []}', false, undefined, 'x.json'), { kind: 'cloudwatch-json', gzip: false });
  assert.deepEqual(sniffText('\uFEFF[{"message": "x"}]', true, undefined, 'x.json.gz'), {
    kind: 'cloudwatch-json',
    gzip: true,
  });
});

test('prose, binary data, an empty file, or records that do not fit the layout are not flow logs', () => {
  assert.throws(
    () => sniffText('Dear team,\nthe minutes.\n', false, undefined, '/x/minutes.txt'),
    /\/x\/minutes\.txt is not a flow log: .*default format/,
  );
  assert.throws(() => sniffText('\u0001\u0002binary', false, undefined, 'b.bin'), /binary/);
  assert.throws(() => sniffText('', false, undefined, 'e.log'), /empty/);
  assert.throws(() => sniffText(`${HEADER}\n1 2 3\n`, false, undefined, 'h.log'), /14 fields its header names/);
});

test('a sample cut in the middle of its last line is judged on its whole lines', () => {
  const kind = sniffText(`${HEADER}\n${RECORD}\n2 1234`, false, undefined, 'cut.log');
  assert.equal(kind.kind, 'text');
});

test('a first line longer than the sample is refused as such, plain or gzip', async () => {
  // 20,000 field names: the sample ended inside one ("f1…"), which read as a header named "f1" twice.
  const names = Array.from({ length: 20_000 }, (_, i) => `f${i}`);
  const body = `version ${names.join(' ')}\n${RECORD}\n`;
  const dir = mkdtempSync(join(tmpdir(), 'sniff-'));
  writeFileSync(join(dir, 'wide.log'), body);
  writeFileSync(join(dir, 'wide.log.gz'), gzipSync(body));
  for (const name of ['wide.log', 'wide.log.gz'])
    await assert.rejects(sniffFile(join(dir, name)), {
      message: `${join(dir, name)} is not a flow log: its first line is longer than 64 KiB.`,
    });
  // The small files of a folder are read whole and judged the same (they were given only the sample's bytes).
  assert.throws(() => sniffBytes(Buffer.from(body), false, undefined, 'small.log'), {
    message: 'small.log is not a flow log: its first line is longer than 64 KiB.',
  });
  // A whole file of one line without its line end is still judged as it is, also one of exactly 64 KiB.
  writeFileSync(join(dir, 'one.log'), RECORD);
  assert.equal((await sniffFile(join(dir, 'one.log'))).kind, 'text');
  const filled = HEADER.padEnd(64 * 1024, ' ');
  writeFileSync(join(dir, 'filled.log'), filled);
  assert.equal((await sniffFile(join(dir, 'filled.log'))).kind, 'text');
});

test('UTF-16 text (Windows PowerShell 5.1 writes it with >) is refused as such, with how to save it, plain or gzip', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sniff-'));
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}\r\n${RECORD}\r\n`, 'utf16le')]);
  const be = Buffer.from(le.subarray(0, 32)).swap16();
  writeFileSync(join(dir, 'events.json'), le);
  writeFileSync(join(dir, 'v16.log.gz'), gzipSync(le));
  writeFileSync(join(dir, 'be.log'), be);
  for (const name of ['events.json', 'v16.log.gz', 'be.log'])
    await assert.rejects(sniffFile(join(dir, name)), {
      message:
        `${join(dir, name)} is not a flow log: it is UTF-16 text (as Windows PowerShell writes with >): ` +
        'save it as UTF-8, e.g. with Out-File -Encoding utf8.',
    });
  // The small-files path classifies the bytes it read itself.
  assert.throws(() => sniffBytes(le, false, undefined, 'small.log'), /small\.log is not a flow log: it is UTF-16 text/);
});

test('an archive, or a compression other than gzip, is refused as what it is, with what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sniff-'));
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(dir, 'logs', 'a.log'), `${HEADER}\n${RECORD}\n`);
  // A tar made by tar, as is and gzip'd (a .tar.gz is gzip, whose content is the archive).
  execFileSync('tar', ['-cf', join(dir, 'logs.tar'), '-C', dir, 'logs']);
  writeFileSync(join(dir, 'logs.tar.gz'), gzipSync(readFileSync(join(dir, 'logs.tar'))));
  // The others by the first bytes their tools write: a ZIP's local file header, bzip2's, xz's, zstd's, 7-Zip's.
  const starts: [string, number[]][] = [
    ['logs.zip', [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]],
    ['a.log.bz2', [0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59]],
    ['a.log.xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00]],
    ['a.log.zst', [0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00]],
    ['logs.7z', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00]],
  ];
  for (const [name, bytes] of starts) writeFileSync(join(dir, name), Buffer.from([...bytes, ...Array(600).fill(0)]));
  const said: [string, RegExp][] = [
    ['logs.tar', /it is a tar archive: unpack it \(tar -xf\) and import its files or folder\.$/],
    ['logs.tar.gz', /it is a tar archive: unpack it/],
    ['logs.zip', /it is a ZIP archive: unpack it and import its files or folder\.$/],
    ['a.log.bz2', /it is compressed with bzip2, and only gzip is read: decompress it first \(bunzip2\)\.$/],
    ['a.log.xz', /it is compressed with xz, and only gzip is read/],
    ['a.log.zst', /it is compressed with zstd, and only gzip is read/],
    ['logs.7z', /it is a 7-Zip archive/],
  ];
  for (const [name, message] of said) {
    await assert.rejects(sniffFile(join(dir, name)), (err: Error) => {
      assert.match(err.message, message, name);
      assert.ok(err.message.startsWith(`${join(dir, name)} is not a flow log: `), err.message);
      return true;
    });
  }
});

test('a first line of field names that is no readable header refuses the file, saying why, rather than read as records', () => {
  const quoted = HEADER.split(' ')
    .map((n) => `"${n}"`)
    .join(' ');
  assert.throws(
    () => sniffText(`${quoted}\n${RECORD}\n`, false, undefined, 'q.log'),
    /q\.log cannot be imported: its first line names fields as a header does \("version" "account-id" .*\), but cannot be read as one: its names are quoted/,
  );
  const underscores = sniffText(`${HEADER.replace(/-/g, '_')}\n${RECORD}\n`, false, undefined, 'u.log');
  assert.ok(underscores.kind === 'text' && underscores.header && underscores.layout.description === 'default');
});

test('a CSV whose header names neither flow-log fields nor Logs Insights results is refused naming its columns', () => {
  // Before: "its first lines do not have the 14 fields of the default format (the first has 1) and there is
  // no header line", counting the header's names as one record's fields.
  for (const [file, first] of [
    ['a.csv', 'Start Time,Bytes,Src'],
    ['b.csv', "'@timestamp;srcAddr"],
  ] as const)
    assert.throws(
      () => sniffText(`${first}\n2023-11-14,5,10.0.0.1\n`, false, undefined, file),
      (e: unknown) =>
        e instanceof Error &&
        e.message.startsWith(`${file} is not a flow log: its first line is a header naming the columns `) &&
        e.message.includes(`${first.split(/[,;]/).join(', ')}: not a header of flow-log fields`) &&
        !/no header line|the first has/.test(e.message),
    );
  assert.ok(sniffText("'@timestamp,'@message\n2023-11-14,x\n", false, undefined, 'i.csv').kind === 'cloudwatch-json');
});
