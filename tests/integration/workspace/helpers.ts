import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/**
 * A fresh folder, removed by an after() hook: at a file's top level when the file ends, inside a test when
 * that test ends. Not inside a before() hook: node:test runs an after() registered there right after the hook.
 */
export function tempDir(prefix = 'flowscope-ws-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** One flow row with the columns a test cares about; the rest stay NULL. */
export function flowInsert(
  importId: number,
  start: number,
  bytes: number | bigint = 100,
): { sql: string; params: (number | bigint | string)[] } {
  return {
    sql: `INSERT INTO flow_records (version, srcaddr, dstaddr, bytes, start, "end", start_time, end_time, import_id)
          VALUES (2, '10.0.0.1', '10.0.0.2', $1, $2, $3, make_timestamp($2::BIGINT * 1000000), make_timestamp($3::BIGINT * 1000000), $4)`,
    params: [bytes, start, start + 60, importId],
  };
}
