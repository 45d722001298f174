/**
 * Sumo's keywords ignore case, an address among them: an IPv6 address is logged in whatever case its writer
 * chose (AWS writes lower case; a re-export may not), and a scope address finds it either way.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Output } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { openedForFile } from '../../support/opened-for-file';

const LINES = [
  '2 123456789012 eni-a 2001:DB8::A 2001:db8::b 443 51000 6 10 1500 1767225610 1767225660 ACCEPT OK',
  '2 123456789012 eni-a 2001:db8::b 2001:db8::a 51000 443 6 10 1500 1767225610 1767225660 ACCEPT OK',
  '2 123456789012 eni-b 10.0.0.1 10.0.0.2 443 51000 6 10 1500 1767225610 1767225660 REJECT OK',
];

const dir = mkdtempSync(join(tmpdir(), 'flowscope-keyword-case-'));
const fx = openedForFile(async () => {
  const file = join(dir, 'mixed-case.log');
  const header =
    'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  writeFileSync(file, `${header}\n${LINES.join('\n')}\n`);
  const engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  assert.equal((await engine.jobWait({ jobId: engine.startImport([file], {}) })).state, 'done');
  return engine;
}, dir);

async function count(query: string): Promise<unknown> {
  const out = (await call(fx(), 'query.run', { query, dialect: 'sumo', pageSize: 10 })) as Output<'query.run'>;
  return out.rows[0]?.[0];
}

test('a scope address finds the records that log it, in whatever case either was written', async () => {
  for (const written of ['2001:DB8::A', '2001:db8::a', '2001:Db8::a'])
    assert.equal(await count(`_sourceCategory=vpc ${written} | count`), 2, written);
  assert.equal(await count('_sourceCategory=vpc 2001:db8::b !2001:DB8::a | count'), 0);
  assert.equal(await count('_sourceCategory=vpc 10.0.0.1 | count'), 1);
  assert.equal(await count('_sourceCategory=vpc 10.0.0.10 | count'), 0, 'an address is a whole value');
});
