import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { importFile, importPaths } from '../../../main/engine/ingest';
import { rememberFormat } from '../../../main/engine/ingest/log-group-formats';
import { Workspace } from '../../../main/engine/workspace';
import { DEFAULT_FORMAT } from '../../../queries/catalog/fields';
import {
  CONTROL_MESSAGE,
  dataMessage,
  firehoseObject,
  generatedMessages,
  lambdaEvent,
  totals,
  type StreamEvents,
} from '../../support/subscription-forms';
import { openedForFile } from '../../support/opened-for-file';

const dir = mkdtempSync(join(tmpdir(), 'flowscope-subscription-'));
const ws = openedForFile(() => Workspace.open(join(dir, 'ws.duckdb'), { create: true }), dir);

const STREAMS: StreamEvents[] = [
  { group: '/vpc/prod', stream: 'eni-0a1b2c3d4e5f60718-all', messages: generatedMessages(1, 120) },
  { group: '/vpc/prod', stream: 'eni-0a1b2c3d4e5f60719-all', messages: generatedMessages(2, 80) },
  // Stream names may hold spaces; the record must still come out whole.
  { group: '/vpc/stage', stream: 'eni 0a1b all', messages: generatedMessages(3, 50) },
];

function write(name: string, body: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

/** Records and bytes per log group and stream, as stored, for the imports given. */
async function byStream(importIds: number[]): Promise<Map<string, { records: number; bytes: number }>> {
  const rows = await ws().all<{ g: string; s: string; n: bigint; b: bigint }>(
    `SELECT extra['log-group'] AS g, extra['log-stream'] AS s, count(*) AS n, sum(bytes) AS b FROM flows ` +
      `WHERE import_id IN (${importIds.join(', ')}) GROUP BY ALL ORDER BY ALL`,
  );
  return new Map(rows.map((r) => [`${r.g}|${r.s}`, { records: Number(r.n), bytes: Number(r.b) }]));
}

function expectedByStream(streams: readonly StreamEvents[]): Map<string, { records: number; bytes: number }> {
  const out = new Map<string, { records: number; bytes: number }>();
  for (const s of streams) {
    const key = `${s.group}|${s.stream}`;
    const t = totals(s.messages);
    const held = out.get(key) ?? { records: 0, bytes: 0 };
    out.set(key, { records: held.records + t.records, bytes: held.bytes + t.bytes });
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

test('a Firehose object of payloads back to back, each gzip’d, is read exactly; control messages are skipped and counted', async () => {
  const payloads = [CONTROL_MESSAGE, ...STREAMS.map((s) => dataMessage(s)), CONTROL_MESSAGE];
  const path = write('firehose-each', firehoseObject(payloads, 'each'));
  const outcome = await importFile(ws(), path, {});
  assert.equal(outcome.status, 'imported', outcome.error);
  const all = STREAMS.flatMap((s) => s.messages);
  assert.equal(outcome.records, totals(all).records);
  assert.equal(outcome.rejected, 0);
  assert.equal(outcome.controlMessages, 2);
  assert.deepEqual(await byStream([outcome.importId!]), expectedByStream(STREAMS));
  const [ledger] = await ws().all<{ format: string }>('SELECT format FROM imports WHERE id = $1', [outcome.importId!]);
  assert.equal(ledger!.format, 'cloudwatch-subscription default');

  const again = await importFile(ws(), path, {});
  assert.equal(again.status, 'already-imported');
  const [n] = await ws().all<{ n: bigint }>('SELECT count(*) AS n FROM flows WHERE import_id = $1', [
    outcome.importId!,
  ]);
  assert.equal(Number(n!.n), all.length);
});

test('the same payloads gzip’d as a whole, uncompressed, and as Lambda events give the same records, stored once', async () => {
  const payloads = STREAMS.map((s) => dataMessage(s, '210987654321'));
  const files = [
    write('firehose-whole.gz', firehoseObject(payloads, 'whole')),
    write('firehose-plain', payloads.join('')),
    // One event per line, as a capture of a Lambda's input would keep them.
    write('lambda-events.json', payloads.map(lambdaEvent).join('\n')),
  ];
  const single = write('lambda-one.json', lambdaEvent(dataMessage(STREAMS[2]!)));
  const result = await importPaths(ws(), [...files, single], {});
  // The three forms hold exactly the same records as one another (and as the first test's): stored once.
  const forms = result.files.slice(0, 3);
  const ids = new Set(forms.map((f) => f.importId));
  assert.equal(ids.size, 1, JSON.stringify(forms));
  for (const f of forms) {
    assert.ok(f.status === 'imported' || f.sameRecordsAs !== undefined, `${f.path}: ${f.status} ${f.error ?? ''}`);
  }
  assert.deepEqual(await byStream([...ids] as number[]), expectedByStream(STREAMS));
  // A delivery of one stream again (a Firehose redelivery): its records are held already, stored once.
  const again = result.files[3]!;
  assert.deepEqual([again.status, again.records, again.heldBefore], ['imported', 0, STREAMS[2]!.messages.length]);
  assert.deepEqual(await byStream([again.importId!]), new Map());
});

test('each log group is read with the format remembered for it, the others with the default', async () => {
  const custom = [
    ...DEFAULT_FORMAT.filter((f) => !['account-id', 'packets', 'log-status'].includes(f)),
    'flow-direction',
  ];
  const format = custom.map((f) => `\${${f}}`).join(' ');
  await rememberFormat(ws(), '/vpc/custom', format);
  const customStream = { group: '/vpc/custom', stream: 'eni-custom-all', messages: generatedMessages(9, 60, custom) };
  // Records no earlier test imported (the same ones would be held already, stored once).
  const defaultStream = { group: '/vpc/prod', stream: 'eni-0a1b2c3d4e5f60720-all', messages: generatedMessages(4, 40) };
  const path = write('mixed-groups', firehoseObject([dataMessage(defaultStream), dataMessage(customStream)], 'each'));
  const outcome = await importFile(ws(), path, {});
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.equal(outcome.rejected, 0);
  const got = await byStream([outcome.importId!]);
  assert.deepEqual(got.get('/vpc/custom|eni-custom-all'), totals(customStream.messages, custom.indexOf('bytes')));
  assert.deepEqual(got.get(`/vpc/prod|${defaultStream.stream}`), totals(defaultStream.messages));
  const [row] = await ws().all<{ format: string; dirs: bigint }>(
    `SELECT (SELECT format FROM imports WHERE id = $1) AS format, count(DISTINCT flow_direction) AS dirs FROM flows WHERE import_id = $1 AND extra['log-group'] = '/vpc/custom'`,
    [outcome.importId!],
  );
  assert.match(
    row!.format,
    /^cloudwatch-subscription (default \| version interface-id|version interface-id .* \| default)/,
  );
  assert.equal(Number(row!.dirs), 2, 'flow-direction came from its own position in the custom format');
});

test('a message that is not a record is a rejected line naming its log group (owner and name) and stream; the others go in', async () => {
  const broken: StreamEvents = { group: '/vpc/prod', stream: 'eni-broken', messages: [...generatedMessages(5, 10)] };
  broken.messages.splice(4, 0, '2 123456789012 eni-x only five fields');
  const outcome = await importFile(ws(), write('with-bad-message', firehoseObject([dataMessage(broken)], 'each')), {});
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.equal(outcome.records, 10);
  assert.equal(outcome.rejected, 1);
  const page = await ws().rejected(outcome.importId!, 0, 10);
  // The message as logged, at its event's place (the 5th), the group and stream named in the reason. Before,
  // the staged line (`123456789012 %2Fvpc%2Fprod eni-broken 2 …`) was the raw text.
  assert.deepEqual(page.lines[0], {
    importId: outcome.importId,
    path: page.lines[0]!.path,
    line: 5,
    unit: 'event',
    reason: 'Expected fields: 14 Found: 6 (log group 123456789012:/vpc/prod, stream eni-broken)',
    raw: '2 123456789012 eni-x only five fields',
  });
});

test('rejected events of a delivery of several payloads are numbered in the order the file holds them', async () => {
  // Before, with the writer connection's insertion order not kept, they came out reversed (line = 13 − event).
  const bad = (i: number) => `2 123456789012 eni-bad${i} only five`;
  const streams = (seed: number): [StreamEvents, StreamEvents] => [
    { group: '/vpc/a', stream: 's1', messages: [...generatedMessages(seed, 3), bad(4)] },
    {
      group: '/vpc/b',
      stream: 's 2',
      messages: [bad(5), ...generatedMessages(seed + 1, 4), bad(10), ...generatedMessages(seed + 2, 2), bad(13)],
    },
  ];
  const [a, b] = streams(31);
  const [c, d] = streams(41);
  for (const [name, body] of [
    ['ordered-firehose', firehoseObject([dataMessage(a), CONTROL_MESSAGE, dataMessage(b)], 'each')],
    ['ordered-lambda.json', `${lambdaEvent(dataMessage(c))}\n${lambdaEvent(dataMessage(d))}\n`],
  ] as const) {
    const outcome = await importFile(ws(), write(name, body), {});
    assert.deepEqual([outcome.status, outcome.records, outcome.rejected], ['imported', 9, 4], outcome.error ?? name);
    const { lines } = await ws().rejected(outcome.importId!, 0, 10);
    assert.deepEqual(
      lines.map((l) => [l.line, l.unit, l.raw, l.reason.replace(/^.* \(/, '(')]),
      [
        [4, 'event', bad(4), '(log group 123456789012:/vpc/a, stream s1)'],
        [5, 'event', bad(5), '(log group 123456789012:/vpc/b, stream s 2)'],
        [10, 'event', bad(10), '(log group 123456789012:/vpc/b, stream s 2)'],
        [13, 'event', bad(13), '(log group 123456789012:/vpc/b, stream s 2)'],
      ],
      name,
    );
  }
});

test('subscription-looking JSON that is not, a Lambda event without data, and a cut-off object are refused by name', async () => {
  const strange = write(
    'strange.json',
    '{"messageType":"SOMETHING_ELSE","logGroup":"g","logStream":"s","logEvents":[]}',
  );
  const noData = write('no-data.json', '{"awslogs": {"payload": "x"}}');
  const whole = firehoseObject([dataMessage(STREAMS[0]!), dataMessage(STREAMS[1]!)], 'whole');
  const cut = write('cut.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));
  const before = await ws().all<{ n: bigint }>('SELECT count(*) AS n FROM flows');
  const result = await importPaths(ws(), [strange, noData, cut], {});
  assert.deepEqual(
    result.files.map((f) => f.status),
    ['failed', 'failed', 'failed'],
  );
  assert.match(result.files[0]!.error!, /strange\.json is not a CloudWatch Logs subscription .*"SOMETHING_ELSE"/);
  assert.match(result.files[1]!.error!, /no-data\.json .*event 1 has no "awslogs"/);
  assert.match(result.files[2]!.error!, /cut\.gz (cannot be read|is not a CloudWatch)/, result.files[2]!.error);
  const afterwards = await ws().all<{ n: bigint }>('SELECT count(*) AS n FROM flows');
  assert.equal(afterwards[0]!.n, before[0]!.n);
});

test('a hand-made payload that names no owner, log group or stream imports all its records', async () => {
  // Before: its staged lines were NULL (a missing name made the whole line NULL) and no group matched: 0 records.
  const messages = generatedMessages(7, 6);
  const payload = JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: messages.map((message) => ({ message })) });
  const outcome = await importFile(ws(), write('hand-made.json', payload), {});
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.deepEqual([outcome.records, outcome.rejected], [messages.length, 0]);
});

test("a filter-log-events export's rejected event is its place among the events, labelled so, with its message as logged", async () => {
  // Pretty-printed, so an event's place is no line of the file; before, the raw text was `<stream> <message>`.
  const messages = generatedMessages(51, 5);
  messages.splice(2, 0, '2 123456789012 eni-x only five');
  const events = messages.map((message, i) => ({
    logStreamName: 'eni-x-all',
    timestamp: i,
    message,
    eventId: `e${i}`,
  }));
  const path = write('events.json', JSON.stringify({ events, searchedLogStreams: [] }, null, 2));
  const outcome = await importFile(ws(), path, {});
  assert.deepEqual([outcome.status, outcome.records, outcome.rejected], ['imported', 5, 1], outcome.error);
  const { lines } = await ws().rejected(outcome.importId!, 0, 10);
  assert.deepEqual(
    lines.map((l) => [l.line, l.unit, l.reason, l.raw]),
    [[3, 'event', 'Expected fields: 14 Found: 5', '2 123456789012 eni-x only five']],
  );
  // A text file's rejected line is a line.
  const text = write('one-bad.log', `${generatedMessages(52, 2).join('\n')}\n2 123456789012 eni-y only five\n`);
  const fromText = await importFile(ws(), text, {});
  assert.deepEqual(
    (await ws().rejected(fromText.importId!, 0, 10)).lines.map((l) => [l.line, l.unit]),
    [[3, 'line']],
  );
});
