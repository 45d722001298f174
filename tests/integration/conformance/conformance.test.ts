import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { electronBundles } from '../../../build/bundles.mjs';
import type { ResponseMessage } from '../../../preload/contract';
import { inProcess, utilityWorker, webSocket, type Transport } from './transports';

const root = new URL('../../../', import.meta.url).pathname;
const RECORDS = 3000;

let dir: string;
/** Inside the checkout, so the bundle finds its npm dependencies. */
const bundleDir = `dist/conformance-${process.pid}`;
let transports: Transport[] = [];
let socketTransport: Awaited<ReturnType<typeof webSocket>>;

const valueOf = (reply: ResponseMessage) => {
  assert.equal(reply.ok, true, JSON.stringify(reply));
  return (reply as { value: unknown }).value;
};
const errorOf = (reply: ResponseMessage) => {
  assert.equal(reply.ok, false, JSON.stringify(reply));
  return (reply as { error: { code: string; message: string; detail?: unknown } }).error;
};

/** Ask every transport the same thing; answer their replies in transport order. */
async function everywhere(message: unknown): Promise<ResponseMessage[]> {
  return Promise.all(transports.map((t) => t.send(message)));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-conformance-'));
  const made = spawnSync(
    process.execPath,
    ['bin/flowscope.mjs', 'demo', '--workspace', join(dir, 'demo.duckdb'), '--records', String(RECORDS)],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  assert.equal(made.status, 0, made.stderr);
  for (const name of ['a', 'b', 'c', 'd']) copyFileSync(join(dir, 'demo.duckdb'), join(dir, `${name}.duckdb`));
  const { utility } = electronBundles(root, bundleDir);
  await build(utility);
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Flowscope</title>');
  socketTransport = await webSocket(join(dir, 'b.duckdb'), join(dir, 'renderer'));
  transports = [
    await inProcess(join(dir, 'a.duckdb')),
    socketTransport,
    await utilityWorker(join(dir, 'c.duckdb')),
    await utilityWorker(join(dir, 'd.duckdb'), join(root, utility.outfile!)),
  ];
});

after(async () => {
  await Promise.all(transports.map((t) => t.close()));
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(root, bundleDir), { recursive: true, force: true });
});

describe('the same contract calls give the same answers through every transport', () => {
  test('workspace.info reports the same workspace', async () => {
    const infos = (await everywhere({ id: 1, channel: 'workspace.info', input: {} })).map(valueOf) as {
      records: number;
      path: string;
    }[];
    for (const info of infos) assert.equal(info.records, RECORDS);
    const withoutPath = infos.map(({ path: _path, ...rest }) => rest);
    for (const info of withoutPath.slice(1)) assert.deepEqual(info, withoutPath[0]);
  });

  test('an Insights query answers the same rows, and its result pages', async () => {
    const query = {
      id: 'q1',
      channel: 'query.run',
      input: { query: 'stats count(*) as flows by action | sort action', dialect: 'insights' },
    };
    const results = (await everywhere(query)).map(valueOf) as {
      resultId: string;
      rows: unknown[][];
      rowCount: number;
    }[];
    const total = results[0]!.rows.reduce((sum, row) => sum + Number(row[1]), 0);
    assert.ok(results[0]!.rowCount >= 2, 'ACCEPT and REJECT at least');
    assert.equal(total, RECORDS);
    for (const result of results) assert.deepEqual(result.rows, results[0]!.rows);

    const pages = await Promise.all(
      transports.map((t, i) =>
        t.send({ id: 'p1', channel: 'query.page', input: { resultId: results[i]!.resultId, offset: 1, limit: 1 } }),
      ),
    );
    for (const page of pages.map(valueOf) as { rows: unknown[][]; offset: number }[]) {
      assert.equal(page.offset, 1);
      assert.deepEqual(page.rows, [results[0]!.rows[1]]);
    }
  });

  test('big integers arrive with every digit', async () => {
    const message = {
      id: 2,
      channel: 'query.run',
      input: { query: 'SELECT 9007199254740993::BIGINT AS big FROM flows LIMIT 1', dialect: 'sql' },
    };
    for (const result of (await everywhere(message)).map(valueOf) as { rows: unknown[][] }[])
      assert.deepEqual(result.rows, [['9007199254740993']]);
  });

  test('query.cancel stops a running query, which answers cancelled', async () => {
    const long = 'SELECT count(*) AS n FROM flows a, flows b, flows c WHERE a.bytes + b.bytes > c.bytes';
    const started = Date.now();
    const runs = everywhere({
      id: 'long',
      channel: 'query.run',
      input: { query: long, dialect: 'sql', queryId: 'long-1' },
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const cancels = (await everywhere({ id: 'cancel', channel: 'query.cancel', input: { queryId: 'long-1' } })).map(
      valueOf,
    );
    for (const cancel of cancels) assert.deepEqual(cancel, { cancelled: true });
    for (const error of (await runs).map(errorOf)) assert.equal(error.code, 'cancelled');
    assert.ok(Date.now() - started < 10_000, 'cancelled promptly');
  });

  test('a query that does not compile is a query_error with its position', async () => {
    const message = {
      id: 3,
      channel: 'query.run',
      input: { query: 'fields srcAddr\n| filter dstPort >', dialect: 'insights' },
    };
    for (const error of (await everywhere(message)).map(errorOf)) {
      assert.equal(error.code, 'query_error');
      const [diagnostic] = (error.detail as { diagnostics: { span: { line: number } }[] }).diagnostics;
      assert.equal(diagnostic!.span.line, 2);
    }
  });
});

describe('bad messages are refused with coded errors by every transport', () => {
  const cases: [string, unknown, string][] = [
    ['an unknown channel', { id: 10, channel: 'fs.read', input: { path: '/etc/passwd' } }, 'unknown_channel'],
    ['a prototype name as channel', { id: 11, channel: '__proto__', input: {} }, 'unknown_channel'],
    [
      'input of the wrong shape',
      { id: 12, channel: 'query.page', input: { resultId: 'x', offset: -1, limit: 1 } },
      'bad_request',
    ],
    [
      'a path where a file handle belongs',
      { id: 13, channel: 'ingest.files', input: { files: ['/etc/passwd'] } },
      'bad_request',
    ],
    ['a message without a channel', { id: 14, input: {} }, 'bad_request'],
    ['a bare number', 42, 'bad_request'],
    [
      'a query that writes through EXPLAIN ANALYZE',
      { id: 15, channel: 'query.run', input: { query: 'EXPLAIN ANALYZE DELETE FROM main.flows', dialect: 'sql' } },
      'query_refused',
    ],
    ['null', null, 'bad_request'],
  ];
  for (const [what, message, code] of cases) {
    test(`${what} → ${code}`, async () => {
      for (const error of (await everywhere(message)).map(errorOf)) assert.equal(error.code, code);
    });
  }

  test('after the refusals every workspace still holds all of its records', async () => {
    const infos = (await everywhere({ id: 16, channel: 'workspace.info', input: {} })).map(valueOf) as {
      records: number;
    }[];
    for (const info of infos) assert.equal(info.records, RECORDS);
  });

  test('a WebSocket frame that is not JSON → bad_request', async () => {
    const error = errorOf(await socketTransport.sendText('{"id": 1, "channel": '));
    assert.equal(error.code, 'bad_request');
  });
});
