/**
 * The engine's utility process parses untrusted files without Chromium's sandbox; these are its limits,
 * tried with malicious inputs against the utility-process entry point itself (in a worker_threads worker,
 * as the conformance suite runs it) over a real DuckDB workspace. A secret file sits beside everything,
 * outside the workspace, and must never come back in any answer.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { ParentReply } from '../../../main/engine/host/parent-protocol';
import type { ResponseMessage } from '../../../preload/contract';

const SECRET = 'FLOWSCOPE-TEST-SECRET aws_secret_access_key=wJalrXUtnFEMI';
const RECORD = '2 123456789012 eni-0a1b2c3d 10.0.0.5 10.0.1.9 44321 443 6 10 8400 1700000000 1700000060 ACCEPT OK';

let dir: string;
let secret: string;

/** The utility entry in a worker, talked to as main does (parent channel) and as the page does (its port). */
async function utilityProcess(workspace: string, create: boolean) {
  const worker = new Worker(new URL('../conformance/worker-boot.mjs', import.meta.url), {
    workerData: { entry: new URL('../../../main/engine/host/utility-entry.ts', import.meta.url).href },
  });
  const replies: ParentReply[] = [];
  const waiting: ((reply: ParentReply) => void)[] = [];
  worker.on('message', (reply: ParentReply) => (waiting.length ? waiting.shift()!(reply) : replies.push(reply)));
  const next = () =>
    new Promise<ParentReply>((resolve) => (replies.length ? resolve(replies.shift()!) : waiting.push(resolve)));
  const stop = async () => {
    worker.postMessage({ type: 'shutdown' });
    await new Promise((resolve) => worker.once('exit', resolve));
  };
  worker.postMessage({ type: 'open', workspace, create });
  const opened = await next();
  if (opened.type !== 'opened') return { opened, stop, page: null };

  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ type: 'connect', port: port2 }, [port2]);
  assert.equal((await next()).type, 'connected');
  let id = 0;
  const page: MessagePort = port1;
  const call = (channel: string, input: unknown) =>
    new Promise<ResponseMessage>((resolve) => {
      const mine = ++id;
      const listener = (reply: ResponseMessage) => {
        if (reply.id !== mine) return;
        page.off('message', listener);
        resolve(reply);
      };
      page.on('message', listener);
      page.postMessage({ id: mine, channel, input });
    });
  const register = async (paths: string[]) => {
    worker.postMessage({ type: 'files.register', requestId: 1, paths });
    const reply = await next();
    assert.equal(reply.type, 'files.registered');
    return reply.type === 'files.registered' ? reply.handles : [];
  };
  return {
    opened,
    page: { call, register },
    stop: async () => {
      page.close();
      await stop();
    },
  };
}

/** One workspace for the tests that need an open engine (starting one takes seconds). */
let engine: Awaited<ReturnType<typeof utilityProcess>>;
let page: NonNullable<(typeof engine)['page']>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-utility-limits-'));
  secret = join(dir, 'credentials');
  writeFileSync(secret, `${SECRET}\n`);
  engine = await utilityProcess(join(dir, 'flows.duckdb'), true);
  assert.ok(engine.page, JSON.stringify(engine.opened));
  page = engine.page;
});
after(async () => {
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a link in a dropped folder to a file outside it is not followed, and the secret is stored nowhere', async () => {
  const folder = join(dir, 'AWSLogs');
  mkdirSync(join(folder, 'nested'), { recursive: true });
  writeFileSync(join(folder, 'a.log'), `${RECORD}\n`);
  writeFileSync(join(folder, 'inside-target.log'), `${RECORD}\n`);
  symlinkSync(secret, join(folder, 'nested', 'b.log'));
  symlinkSync(join(folder, 'inside-target.log'), join(folder, 'c.log'));
  const [handle] = await page.register([folder]);
  const started = await page.call('ingest.files', { files: [handle] });
  const { jobId } = (started as { value: { jobId: string } }).value;
  const job = (await page.call('job.wait', { jobId })) as {
    value: { summary: { files: { path: string; status: string; error?: string }[] } };
  };
  const outcomes = Object.fromEntries(job.value.summary.files.map((f) => [f.path.slice(folder.length + 1), f]));
  assert.equal(outcomes['nested/b.log']?.status, 'failed');
  assert.match(outcomes['nested/b.log']!.error!, /outside the folder being imported: not followed/);
  assert.equal(outcomes['a.log']?.status, 'imported');
  assert.equal(outcomes['c.log']?.status, 'already-imported', 'a link within the folder is followed');

  const rejected = await page.call('workspace.rejected', {});
  const everything = await page.call('query.run', { query: 'SELECT * FROM main.flows', dialect: 'sql' });
  for (const answer of [rejected, everything, job]) assert.doesNotMatch(JSON.stringify(answer), /TEST-SECRET/);
});

test('no query or saved query makes the engine read or write a file outside the workspace', async () => {
  for (const sql of [
    `SELECT * FROM read_text('${secret}')`,
    `SELECT * FROM read_csv('${secret}')`,
    `SELECT * FROM read_blob('${dir}/*')`,
    `SELECT * FROM glob('${dir}/*')`,
    `ATTACH '${secret}' AS stolen`,
    `COPY (SELECT 1) TO '${join(dir, 'written.csv')}'`,
  ]) {
    const answer = await page.call('query.run', { query: sql, dialect: 'sql' });
    assert.equal(!answer.ok && answer.error.code, 'query_refused', sql);
    assert.doesNotMatch(JSON.stringify(answer), /TEST-SECRET/);
  }
  const query = `SELECT * FROM read_text('${secret}')`;
  const saved = JSON.stringify({ version: 1, name: 'innocent', dialect: 'sql', query });
  const imported = await page.call('library.import', { text: saved, fileName: 'innocent.flowquery.json' });
  assert.equal(imported.ok, true, 'a saved query file is only text until it runs');
  const run = await page.call('query.run', { query, dialect: 'sql' });
  assert.equal(!run.ok && run.error.code, 'query_refused');
});

test('a crafted workspace file whose view reads a file outside is refused before anything runs', async () => {
  const crafted = join(dir, 'crafted.duckdb');
  // Made in a child process: DuckDB's native objects in this process beside the engine's worker threads ended
  // it now and then at exit ("terminate called after throwing an instance of 'Napi::Error'").
  const make = `const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(process.argv[1]);
    const connection = await instance.connect();
    await connection.run(process.argv[2]);
    connection.closeSync();
    instance.closeSync();`;
  execFileSync(
    process.execPath,
    ['--input-type=module', '-e', make, crafted, `CREATE VIEW flows_extra AS SELECT * FROM read_text('${secret}')`],
    { stdio: 'inherit' },
  );
  const refused = await utilityProcess(crafted, false);
  await refused.stop();
  assert.equal(refused.opened.type === 'open-failed' && refused.opened.error.code, 'workspace_incompatible');
  assert.doesNotMatch(JSON.stringify(refused.opened), /TEST-SECRET/);
});
