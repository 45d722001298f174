/**
 * `flowscope aws ip-ranges --refresh` against a local HTTP server serving a file in AWS's format: it is kept
 * in the data folder and read by queries; a bad answer leaves the kept file as it was.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { main } from '../../../main/cli/index';

const ROOT = new URL('../../../', import.meta.url).pathname;
const FIXTURE = readFileSync(join(ROOT, 'tests/fixtures/aws/ip-ranges.json'), 'utf8');

let server: Server;
let base: string;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-ipranges-'));
  process.env.FLOWSCOPE_AWS_IP_RANGES = join(dir, 'data', 'aws-ip-ranges.json');
  server = createServer((req, res) => {
    if (req.url === '/ip-ranges.json') res.end(FIXTURE);
    else res.end('<html>not it</html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
after(() => {
  server.close();
  delete process.env.FLOWSCOPE_AWS_IP_RANGES;
  rmSync(dir, { recursive: true, force: true });
});

function sink(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return Object.assign(w, { text: () => Buffer.concat(chunks).toString('utf8') });
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await main(args, { out, err });
  return { code, out: out.text(), err: err.text() };
}

test('without the file, ip-ranges says how to fetch it', async () => {
  const r = await cli('aws', 'ip-ranges');
  assert.equal(r.code, 0);
  assert.match(r.out, /No AWS ip-ranges\.json at .*flowscope aws ip-ranges --refresh/);
});

test('--refresh fetches and keeps the file; then ip-ranges describes it; a bad answer changes nothing', async () => {
  const fetched = await cli('aws', 'ip-ranges', '--refresh', '--endpoint-url', `${base}/ip-ranges.json`, '--json');
  assert.equal(fetched.code, 0, fetched.err);
  const info = JSON.parse(fetched.out) as { syncToken: string; ipv4Ranges: number; ipv6Ranges: number };
  assert.equal(info.syncToken, '1772409600');
  assert.ok(info.ipv4Ranges >= 5 && info.ipv6Ranges === 3);
  assert.equal(readFileSync(join(dir, 'data', 'aws-ip-ranges.json'), 'utf8'), FIXTURE);
  const bad = await cli('aws', 'ip-ranges', '--refresh', '--endpoint-url', `${base}/other`);
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /did not answer AWS's ip-ranges\.json: it is not JSON/);
  const shown = await cli('aws', 'ip-ranges');
  assert.match(shown.out, /created 2026-03-02-00-00-00 \(sync token 1772409600\)/);
});
