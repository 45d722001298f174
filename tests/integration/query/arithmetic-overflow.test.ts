/**
 * Per-record arithmetic past BIGINT in the pipe dialects: CloudWatch Logs Insights and Sumo Logic compute in
 * doubles and answer; DuckDB's BIGINT product failed with "Overflow in multiplication of INT64". The fixture's
 * record to port 443 has 1000 bytes, so its product with 1e17 is 1e20 (past 9.2e18) and with 8 is 8000.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { openFixture } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

async function run(dialect: string, query: string): Promise<Record<string, CellValue>[]> {
  const out = (await call(fx().engine, 'query.run', { query, dialect, pageSize: 100 })) as Output<'query.run'>;
  return out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!])));
}

test('Insights and Sumo products past BIGINT answer; products that fit stay whole numbers', async () => {
  const insights = await run(
    'insights',
    'filter dstPort = 443 | fields bytes * 100000000000000000 as big, bytes * 8 as bits, bytes - 1 - 100000000000000000000 as low',
  );
  assert.deepEqual(insights, [{ big: '100000000000000000000', bits: 8000, low: '-99999999999999999001' }]);
  const sumo = await run(
    'sumo',
    '_sourceCategory=vpc | where dest_port = 443 | bytes * 100000000000000000 as big | bytes * 8 as bits | fields big, bits',
  );
  assert.deepEqual(sumo, [{ big: '100000000000000000000', bits: 8000 }]);
  const [sum] = await run('insights', 'stats sum(bytes * 100000000000000000) as total');
  assert.match(String(sum!.total), /^\d{21,}$/);
});
