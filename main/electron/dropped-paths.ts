/**
 * What the user dropped on each window, so that main registers only those paths with the engine.
 *
 * The preload records a drop from the trusted `drop` event itself (a page script can dispatch a drop
 * event, never a trusted one, and cannot make a File whose path it chose), each item as a file or a
 * folder. When the page then asks for handles, main accepts a path only if it was in that window's last
 * drop, within a minute, and still is what was dropped: a regular file, or a folder only where a folder
 * was dropped. Each path is accepted once. Everything else is refused with a reason, which main logs.
 */
import { statSync, type Stats } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { DroppedItem } from '../../preload/shell-channels';

const DROP_KEPT_MS = 60_000;

export interface DropVerdict {
  accepted: string[];
  refused: { path: string; reason: string }[];
}

export class DropRecords {
  private readonly drops = new Map<number, { at: number; kinds: Map<string, DroppedItem['kind']> }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly stat: (path: string) => Stats | undefined = (path) => statSync(path, { throwIfNoEntry: false }),
  ) {}

  /** A new drop on a window replaces the one before. */
  record(windowId: number, items: DroppedItem[]): void {
    this.drops.set(windowId, { at: this.now(), kinds: new Map(items.map((item) => [item.path, item.kind])) });
  }

  take(windowId: number, paths: string[]): DropVerdict {
    const verdict: DropVerdict = { accepted: [], refused: [] };
    const drop = this.drops.get(windowId);
    const fresh = drop !== undefined && this.now() - drop.at <= DROP_KEPT_MS;
    for (const path of paths) {
      const reason = fresh ? this.refusal(path, drop.kinds.get(path)) : 'no drop on this window in the last minute';
      if (reason) verdict.refused.push({ path, reason });
      else {
        verdict.accepted.push(path);
        drop!.kinds.delete(path);
      }
    }
    return verdict;
  }

  forget(windowId: number): void {
    this.drops.delete(windowId);
  }

  private refusal(path: string, kind: DroppedItem['kind'] | undefined): string | null {
    if (kind === undefined) return 'not in the last drop on this window';
    if (!isAbsolute(path)) return 'not an absolute path';
    const stats = this.stat(path);
    if (!stats) return 'does not exist';
    if (kind === 'folder') return stats.isDirectory() ? null : 'dropped as a folder, but is not one';
    return stats.isFile() ? null : 'dropped as a file, but is not a regular file';
  }
}
