/**
 * The saved-queries panel's state: the list (searched by words and by tag), the selected entry, and the
 * actions on files — save, save as, rename, delete, import, export, trust. Every engine call goes through
 * `api()`; files to export are handed to the browser as downloads (Electron shows its save dialog for them).
 */
import { SvelteSet } from 'svelte/reactivity';
import {
  libraryFileTooLarge,
  type BrokenEntry,
  type LibraryEntry,
  type LibraryItem,
} from '../../../../preload/contract';
import type { SavedQuery } from '../../../../queries/library/saved-query';
import { api } from '../../lib/api';
import { describeFailure } from '../../lib/query-failure';
import { download } from '../../lib/download';

export type SavedQueryInput = Omit<SavedQuery, 'description' | 'tags'> & { description?: string; tags?: string[] };

export class LibraryState {
  entries = $state<LibraryEntry[]>([]);
  broken = $state<BrokenEntry[]>([]);
  search = $state('');
  tag = $state('');
  selected = new SvelteSet<string>();
  loading = $state(false);
  /** What the last action did; `details` lists one line per item it concerns (each file an import refused). */
  message = $state<{ kind: 'error' | 'info'; text: string; details?: string[] } | null>(null);
  /** An untrusted file waiting for the analyst to read its query and accept it. */
  confirming = $state<LibraryItem | null>(null);

  tags = $derived(
    this.entries
      .flatMap((e) => e.tags)
      .filter((t, i, all) => all.indexOf(t) === i)
      .sort(),
  );

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      const list = await api().invoke('library.list', {
        ...(this.search.trim() ? { search: this.search } : {}),
        ...(this.tag ? { tag: this.tag } : {}),
      });
      this.entries = list.entries;
      this.broken = list.broken;
    } catch (err) {
      this.fail(err);
    } finally {
      this.loading = false;
    }
  }

  async get(id: string): Promise<LibraryItem | null> {
    try {
      return await api().invoke('library.get', { id });
    } catch (err) {
      this.fail(err);
      return null;
    }
  }

  /**
   * Save over the user file `over` (unless it changed since `modifiedAt`) or, without it, as a new file;
   * answers the saved item.
   */
  async save(query: SavedQueryInput, over?: { id: string; modifiedAt: string }): Promise<LibraryItem | null> {
    try {
      const saved = await api().invoke('library.save', {
        query,
        ...(over ? { id: over.id, ifModifiedAt: over.modifiedAt } : {}),
      });
      this.info(`Saved “${saved.query.name}” as ${saved.fileName}.`);
      await this.refresh();
      return saved;
    } catch (err) {
      this.fail(err);
      return null;
    }
  }

  async rename(id: string, name: string): Promise<void> {
    try {
      const renamed = await api().invoke('library.rename', { id, name });
      this.info(`Renamed to “${renamed.query.name}”.`);
      await this.refresh();
    } catch (err) {
      this.fail(err);
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await api().invoke('library.delete', { id });
      this.selected.delete(id);
      await this.refresh();
    } catch (err) {
      this.fail(err);
    }
  }

  /**
   * Files dropped or picked: each one is validated by the engine on its own, so the good ones are imported
   * whatever the others hold, and each refused file is named with why.
   */
  async importFiles(files: readonly File[]): Promise<void> {
    const done: string[] = [];
    const held: string[] = [];
    const refused: string[] = [];
    for (const file of files) {
      try {
        const tooLarge = libraryFileTooLarge(file.name, file.size);
        if (tooLarge) throw new Error(tooLarge);
        const imported = await api().invoke('library.import', { text: await file.text(), fileName: file.name });
        (imported.existing ? held : done).push(imported.name);
      } catch (err) {
        const why = describeFailure(err).message;
        refused.push(why.includes(file.name) ? why : `${file.name}: ${why}`);
      }
    }
    const imported = [
      done.length
        ? `Imported ${done.map((n) => `“${n}”`).join(', ')}. Imported queries are shown before they run the first time.`
        : '',
      held.length ? `Already in the library, the same file: ${held.map((n) => `“${n}”`).join(', ')}.` : '',
    ]
      .filter(Boolean)
      .join(' ');
    this.message = refused.length
      ? { kind: 'error', text: `${imported} Not imported:`.trim(), details: refused }
      : { kind: 'info', text: imported };
    await this.refresh();
  }

  async exportSelected(ids: readonly string[], kind: 'query' | 'dashboard' = 'query'): Promise<void> {
    try {
      const { files } = await api().invoke('library.export', { items: ids.map((id) => ({ kind, id })) });
      for (const f of files) download(f.fileName, new Blob([f.text], { type: 'application/json' }));
    } catch (err) {
      this.fail(err);
    }
  }

  /** Resolves with the item once it may run: at once when trusted, else after the analyst accepted it. */
  async readyToRun(item: LibraryItem): Promise<boolean> {
    if (item.trusted) return true;
    this.confirming = item;
    return new Promise((resolve) => {
      this.pendingConfirm = resolve;
    });
  }

  async answerConfirm(accept: boolean): Promise<void> {
    const item = this.confirming;
    this.confirming = null;
    if (accept && item) {
      try {
        await api().invoke('library.trust', { kind: 'query', id: item.id });
      } catch (err) {
        this.fail(err);
        accept = false;
      }
    }
    this.pendingConfirm?.(accept);
    this.pendingConfirm = null;
    if (accept) await this.refresh();
  }

  private pendingConfirm: ((ok: boolean) => void) | null = null;

  private info(text: string): void {
    this.message = { kind: 'info', text };
  }

  private fail(err: unknown): void {
    this.message = { kind: 'error', text: describeFailure(err).message };
  }
}
