/**
 * Which library files the analyst has seen and accepted. A file is trusted by the hash of its exact content,
 * recorded when Flowscope itself wrote it or when the analyst confirmed it after reading its query; anything
 * else in the user library (imported, copied in by hand, pulled from git) is shown before it first runs.
 * The record lives outside the library folder, so a trust list can never arrive together with the files.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class TrustList {
  private hashes: Set<string> | null = null;

  constructor(private readonly file: string) {}

  has(text: string): boolean {
    return this.load().has(contentHash(text));
  }

  add(text: string): void {
    const hashes = this.load();
    const hash = contentHash(text);
    if (hashes.has(hash)) return;
    hashes.add(hash);
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, sha256: [...hashes] }, null, 1)}\n`);
    renameSync(tmp, this.file);
  }

  private load(): Set<string> {
    if (this.hashes) return this.hashes;
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as { sha256?: unknown };
      this.hashes = new Set(
        Array.isArray(data.sha256) ? data.sha256.filter((h): h is string => typeof h === 'string') : [],
      );
    } catch {
      // A missing or damaged list only means nothing is trusted yet: files get shown once more.
      this.hashes = new Set();
    }
    return this.hashes;
  }
}
