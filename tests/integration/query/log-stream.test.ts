/**
 * `@logStream` is the CloudWatch log stream a record was logged to, as CloudWatch Logs Insights answers it:
 * a flow log names each interface's stream `<interface-id>-all` (`-reject` for a flow log of rejected
 * traffic), not the interface id. Records that never were in CloudWatch Logs (an S3 delivery's text file) have
 * no stream the workspace knows. Pulled windows: `tests/integration/pull/cloudwatch-pull.test.ts`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { CellValue, Output } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { importPaths } from '../../../main/engine/ingest';
import { dataMessage, firehoseObject } from '../../support/subscription-forms';
import { openedForFile } from '../../support/opened-for-file';

const dir = mkdtempSync(join(tmpdir(), 'flowscope-log-stream-'));
const START = 1772445600; // 2026-03-02T10:00:00Z
/** `count` default-format records of interface `eni`, a minute apart. */
const records = (eni: string, count: number) =>
  Array.from(
    { length: count },
    (_, i) =>
      `2 123456789012 ${eni} 10.0.0.${i + 1} 203.0.113.9 ${40000 + i} 443 6 1 100 ${START + i * 60} ${START + i * 60 + 60} REJECT OK`,
  );

const engine = openedForFile(async () => {
  const e = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  // An S3 delivery's text file: 3 records, never in CloudWatch Logs.
  const s3File = join(dir, '123456789012_vpcflowlogs_us-east-1_fl-0abc_20260302T1000Z_hash.log');
  writeFileSync(s3File, `${records('eni-0aaa', 3).join('\n')}\n`);
  // An export task (`create-export-task`): its objects are `<task>/<stream>/000000.gz`, each line time and message.
  const task = join(dir, 'exportedlogs', 'task-1');
  for (const [stream, count] of [
    ['eni-0bbb-all', 4],
    ['eni-0ccc-reject', 2],
  ] as const) {
    mkdirSync(join(task, stream), { recursive: true });
    const lines = records(stream.replace(/-(all|reject)$/, ''), count).map(
      (m, i) => `${new Date((START + i * 60 + 75) * 1000).toISOString()} ${m}`,
    );
    writeFileSync(join(task, stream, '000000.gz'), gzipSync(`${lines.join('\n')}\n`));
  }
  // A subscription delivery (Firehose) names the stream of each message.
  const delivery = join(dir, 'firehose-delivery');
  writeFileSync(
    delivery,
    firehoseObject(
      [
        dataMessage({ group: '/vpc/prod', stream: 'eni-0ddd-all', messages: records('eni-0ddd', 5) }),
        // A flow log delivered to a log group of another account: the group's owner is not the record's account.
        dataMessage({ group: '/vpc/shared', stream: 'eni-0777-all', messages: records('eni-0777', 3) }, '210987654321'),
      ],
      'each',
    ),
  );
  // `aws logs filter-log-events` names each event's stream (one here with a space, one named `-`);
  // `get-log-events`, which reads one stream, names none.
  const events = (stream: string | undefined, eni: string, count: number) =>
    records(eni, count).map((message, i) => ({
      ...(stream ? { logStreamName: stream } : {}),
      timestamp: (START + i * 60 + 75) * 1000,
      message,
      ingestionTime: (START + i * 60 + 80) * 1000,
      eventId: `${eni}-${i}`,
    }));
  const filtered = join(dir, 'filter-log-events.json');
  writeFileSync(
    filtered,
    JSON.stringify({
      events: [
        ...events('eni-0eee-all', 'eni-0eee', 2),
        ...events('eni 0fff all', 'eni-0fff', 1),
        ...events('-', 'eni-0999', 1),
      ],
      searchedLogStreams: [],
    }),
  );
  const oneStream = join(dir, 'get-log-events.json');
  writeFileSync(oneStream, JSON.stringify({ events: events(undefined, 'eni-0888', 2), nextForwardToken: 'f/1' }));
  const result = await importPaths(e.workspace, [s3File, join(dir, 'exportedlogs'), delivery, filtered, oneStream], {});
  assert.deepEqual(result.files.map((f) => [f.status, f.records]).sort(), [
    ['imported', 2],
    ['imported', 2],
    ['imported', 3],
    ['imported', 4],
    ['imported', 4],
    ['imported', 8],
  ]);
  return { engine: e, close: () => e.close() };
}, dir);

async function rows(query: string): Promise<Record<string, CellValue>[]> {
  const out = (await call(engine().engine, 'query.run', { query, pageSize: 100 })) as Output<'query.run'>;
  return out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!])));
}

test('stats count(*) by @logStream counts each CloudWatch stream by its name; records from S3 have none', async () => {
  assert.deepEqual(await rows('stats count(*) as n by @logStream | sort @logStream'), [
    { '@logStream': '-', n: 1 },
    { '@logStream': 'eni 0fff all', n: 1 },
    // CloudWatch's natural order: the run `0` (one digit) before the run `0777` (four).
    { '@logStream': 'eni-0bbb-all', n: 4 },
    { '@logStream': 'eni-0ccc-reject', n: 2 },
    { '@logStream': 'eni-0ddd-all', n: 5 },
    { '@logStream': 'eni-0eee-all', n: 2 },
    { '@logStream': 'eni-0777-all', n: 3 },
    { '@logStream': null, n: 5 },
  ]);
});

test('filter-log-events JSON keeps the stream of each event and its message as logged; get-log-events JSON has none', async () => {
  assert.deepEqual(
    await rows(
      'filter interfaceId in ["eni-0eee", "eni-0888"] | stats count(*) as n by @logStream, interfaceId | sort interfaceId',
    ),
    [
      { '@logStream': 'eni-0eee-all', interfaceId: 'eni-0eee', n: 2 },
      { '@logStream': null, interfaceId: 'eni-0888', n: 2 },
    ],
  );
  const [first] = await rows('filter interfaceId = "eni-0fff" | fields @message');
  assert.equal(first!['@message'], records('eni-0fff', 1)[0]);
});

test('filter @logStream = "eni-…-all" finds that stream, and the bare interface id is no stream', async () => {
  assert.deepEqual(await rows('filter @logStream = "eni-0bbb-all" | stats count(*) as n'), [{ n: 4 }]);
  assert.deepEqual(await rows('filter @logStream = "eni-0ddd-all" | stats count(*) as n'), [{ n: 5 }]);
  assert.deepEqual(await rows('filter @logStream = "eni-0bbb" | stats count(*) as n'), [{ n: 0 }]);
  assert.deepEqual(await rows('filter @logStream like /eni-0ccc/ | stats count(*) as n'), [{ n: 2 }]);
});

test('@log of a subscription delivery is its log group as CloudWatch names it, `<owner>:<group>`, not the file', async () => {
  // Before: the delivery's file path, so that `by @log` split one log group into as many as there were files.
  assert.deepEqual(
    await rows('filter interfaceId in ["eni-0ddd", "eni-0777"] | stats count(*) as n by @log | sort @log'),
    [
      { '@log': '123456789012:/vpc/prod', n: 5 },
      { '@log': '210987654321:/vpc/shared', n: 3 },
    ],
  );
  assert.deepEqual(await rows('filter @log = "210987654321:/vpc/shared" | stats count(*) as n'), [{ n: 3 }]);
});
