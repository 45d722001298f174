/**
 * Browser mode under load and under attack, against a real `flowscope serve` on a workspace of generated
 * records: 50 queries at once through the WebSocket (SQL, Insights, Sumo, Athena; ten connections, five calls
 * in flight on each) answer exactly what each gave alone, with the server's peak memory reported and bounded
 * by twice its DuckDB memory limit; then random and malformed frames (1,000, or 5,000 in the full suite), after
 * which the server still answers.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { importPaths } from '../../main/engine/ingest';
import { writeFlowLogFile } from '../../main/engine/ingest/generator';
import { Workspace } from '../../main/engine/workspace';
import { tempDir } from '../integration/workspace/helpers';
import { assertAnswers, callOver, startServe, type ServeProcess } from '../support/serve-process';
import { howMany, recordFigures } from './figures';

const RECORDS = 100_000;
const MEMORY_LIMIT_MB = 512;
const FRAMES = howMany(1000, 5000);
const SUMO = '_sourceCategory=aws/vpcflow';

/** Ten questions; each is asked five times at once. Orders are total (or the answer is one row). */
const QUERIES: { dialect: string; query: string }[] = [
  {
    dialect: 'sql',
    query: 'SELECT srcaddr, dstaddr, sum(bytes) AS total FROM flows GROUP BY ALL ORDER BY total DESC, 1, 2 LIMIT 10',
  },
  { dialect: 'sql', query: 'SELECT action, count(*) AS n FROM flows GROUP BY action ORDER BY action' },
  {
    dialect: 'sql',
    query: 'SELECT count(DISTINCT srcaddr) AS sources, sum(packets) AS packets, max(end_time) AS last FROM flows',
  },
  { dialect: 'insights', query: 'stats sum(bytes) as total by bin(5m) as t | sort t' },
  { dialect: 'insights', query: 'filter action = "REJECT" | stats count(*) as rejects by dstPort | sort dstPort' },
  { dialect: 'insights', query: 'stats count(*) as n, sum(bytes) as b by protocol | sort protocol' },
  { dialect: 'sumo', query: `${SUMO} | count by action | sort by action asc` },
  { dialect: 'sumo', query: `${SUMO} | timeslice 1h | sum(bytes) as total by _timeslice | sort by _timeslice asc` },
  {
    dialect: 'athena',
    query: 'SELECT dstport, count(*) AS n FROM vpc_flow_logs GROUP BY dstport ORDER BY dstport',
  },
  {
    dialect: 'athena',
    query: "SELECT interface_id, sum(bytes) AS b FROM vpc_flow_logs WHERE action = 'ACCEPT' GROUP BY 1 ORDER BY 1",
  },
];

const dir = tempDir('flowscope-browser-mode-');
let server: ServeProcess;
const figures: Record<string, string> = {};

before(async () => {
  const gz = join(dir, 'flows.log.gz');
  await writeFlowLogFile(gz, { records: RECORDS, gzip: true, seed: 31 });
  const workspace = join(dir, 'w.duckdb');
  const ws = await Workspace.open(workspace, { create: true });
  try {
    assert.equal((await importPaths(ws, [gz], {})).records, RECORDS);
  } finally {
    await ws.close();
  }
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Flowscope</title>');
  server = await startServe(workspace, {
    FLOWSCOPE_RENDERER_DIR: join(dir, 'renderer'),
    FLOWSCOPE_MEMORY_LIMIT_MB: String(MEMORY_LIMIT_MB),
    // The dashboards' warm-up would run beside the measured queries.
    FLOWSCOPE_WARM_DASHBOARDS: '0',
  });
});

after(async () => {
  await server?.close();
  recordFigures('4-browser-mode', figures);
});

/** The server process's resident memory now and its high-water mark, in MiB (Linux's /proc). */
function serverMemory(): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) / 1024;
  return { rss: Math.round(kib('VmRSS')), peak: Math.round(kib('VmHWM')) };
}

interface Answer {
  columns: string[];
  rowCount: number;
  rows: string;
}

async function ask(socket: Parameters<typeof callOver>[0], i: number): Promise<Answer> {
  const reply = await callOver(socket, 'query.run', { ...QUERIES[i]!, pageSize: 1000 });
  assert.ok(reply.ok, `${QUERIES[i]!.query}: ${JSON.stringify(reply)}`);
  const value = reply.value as { columns: { name: string }[]; rowCount: number; rows: unknown[][] };
  return { columns: value.columns.map((c) => c.name), rowCount: value.rowCount, rows: JSON.stringify(value.rows) };
}

test('50 queries at once through the WebSocket answer what each answers alone, in bounded memory', async (t) => {
  if (process.platform !== 'linux') return t.skip('the peak memory is read from /proc (Linux only)');
  const alone: Answer[] = [];
  const socket = await server.openSocket();
  const soloStarted = performance.now();
  for (let i = 0; i < QUERIES.length; i++) alone.push(await ask(socket, i));
  const soloMs = performance.now() - soloStarted;
  socket.close();
  for (const [i, answer] of alone.entries()) assert.ok(answer.rowCount > 0, `${QUERIES[i]!.query}: no rows`);
  const before = serverMemory();

  const sockets = await Promise.all(Array.from({ length: 10 }, () => server.openSocket()));
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: 50 }, (_, n) => ask(sockets[n % 10]!, n % QUERIES.length).then((a) => [n, a] as const)),
  );
  const concurrentMs = performance.now() - started;
  for (const s of sockets) s.close();
  for (const [n, answer] of answers)
    assert.deepEqual(answer, alone[n % QUERIES.length], QUERIES[n % QUERIES.length]!.query);

  const after = serverMemory();
  assert.ok(
    after.peak < 2 * MEMORY_LIMIT_MB,
    `peak memory ${after.peak} MiB, over twice the ${MEMORY_LIMIT_MB} MiB memory limit`,
  );
  figures['50 concurrent queries (WebSocket)'] =
    `${RECORDS.toLocaleString('en-US')} records, 10 questions × 5 at once on 10 connections, every answer equal to its single run; ` +
    `${(concurrentMs / 1000).toFixed(1)} s for all 50 (the 10 alone, one after another: ${(soloMs / 1000).toFixed(1)} s); ` +
    `server memory ${before.rss} MiB before, peak ${after.peak} MiB (bound: twice the ${MEMORY_LIMIT_MB} MiB limit)`;
  await assertAnswers(server);
});

/** A client frame as RFC 6455 writes it, with the parts a fuzzer may get wrong chosen by the caller. */
function frame(opts: { fin?: boolean; rsv?: number; opcode: number; masked?: boolean; payload: Buffer }): Buffer {
  const { fin = true, rsv = 0, opcode, masked = true, payload } = opts;
  const head = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  const len = payload.length;
  const maskBit = masked ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 255);
  else head.push(maskBit | 127, 0, 0, 0, 0, (len >>> 24) & 255, (len >> 16) & 255, (len >> 8) & 255, len & 255);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  if (masked) for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([Buffer.from(head), masked ? mask : Buffer.alloc(0), body]);
}

/** A raw TCP connection upgraded to a WebSocket by hand, so that any bytes at all can follow. */
function rawSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const { url, cookie } = server;
    const socket = connect(Number(url.port), url.hostname);
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${url.origin}\r\nCookie: ${cookie}\r\n` +
          `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
      );
    });
    socket.once('data', (chunk) =>
      String(chunk).startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error(String(chunk))),
    );
  });
}

/** One of the ways a frame can be wrong (or right), picked by a seeded generator so a failure repeats. */
function fuzzFrame(random: () => number): Buffer {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const kind = pick([
    'random-bytes',
    'random-text',
    'invalid-utf8',
    'binary',
    'unmasked',
    'reserved-bits',
    'bad-opcode',
    'fragment-without-start',
    'big-control',
    'json-call',
    'json-garbage',
    'truncated',
  ] as const);
  switch (kind) {
    case 'random-bytes':
      return bytes(1 + Math.floor(random() * 64));
    case 'random-text':
      return frame({ opcode: 1, payload: Buffer.from(bytes(40).toString('base64')) });
    case 'invalid-utf8':
      return frame({ opcode: 1, payload: Buffer.concat([Buffer.from('{"id":'), Buffer.from([0xc0, 0xaf, 0xff])]) });
    case 'binary':
      return frame({ opcode: 2, payload: bytes(32) });
    case 'unmasked':
      return frame({ opcode: 1, masked: false, payload: Buffer.from('{}') });
    case 'reserved-bits':
      return frame({ opcode: 1, rsv: 1 + Math.floor(random() * 7), payload: Buffer.from('{}') });
    case 'bad-opcode':
      return frame({ opcode: pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), payload: bytes(8) });
    case 'fragment-without-start':
      return frame({ opcode: 0, payload: Buffer.from('"tail"') });
    case 'big-control':
      return frame({ opcode: 9, payload: bytes(200) });
    case 'json-call':
      return frame({
        opcode: 1,
        payload: Buffer.from(
          JSON.stringify({ id: random(), channel: pick(['workspace.info', 'query.run', 'x']), input: {} }),
        ),
      });
    case 'json-garbage':
      return frame({
        opcode: 1,
        payload: Buffer.from(pick(['null', '[]', '42', '{"id":{}}', '"a"', '{"__proto__":1}'])),
      });
    case 'truncated':
      return frame({ opcode: 1, payload: Buffer.from('{"id":1}') }).subarray(0, 3);
  }
}

test(`${FRAMES.toLocaleString('en-US')} random and malformed frames: the server keeps answering`, async () => {
  let seed = 20261203;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let socket = await rawSocket();
  let closed = false;
  const watch = (s: Socket) => s.once('close', () => (closed = true));
  watch(socket);
  let reconnects = 0;
  for (let i = 0; i < FRAMES; i++) {
    if (closed || socket.destroyed) {
      socket = await rawSocket();
      closed = false;
      watch(socket);
      reconnects++;
    }
    socket.write(fuzzFrame(random));
    // Give the server a moment every few frames, so that a crash is seen at the frame that caused it.
    if (i % 10 === 9) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(server.child.exitCode, null, `flowscope serve exited after frame ${i}: ${server.stderr()}`);
    }
  }
  socket.destroy();
  assert.ok(reconnects > FRAMES / 100, 'most malformed frames cost their connection');
  await assertAnswers(server);
  figures['frame fuzz (WebSocket)'] =
    `${FRAMES.toLocaleString('en-US')} random and malformed frames, ${reconnects} connections closed by the server for them; the server kept answering`;
});
