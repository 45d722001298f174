/**
 * One kind of library file (saved queries or dashboards) in two folders: the built-in one, read-only, shipped
 * with Flowscope, and the user's, a plain folder of pretty-printed JSON files the analyst can open, back up
 * and put in git. Writes are atomic (temp file + rename) so a crash never leaves half a file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import { FlowscopeError } from '../errors';
import { parseDocument, readLibraryFile, serializeDocument } from './documents';
import { fileNameOf, formatId, parseId, slugify, stemOf, uniqueStem, type EntryKind, type Origin } from './names';
import type { TrustList } from './trust';

interface Named {
  name: string;
}

export interface LoadedEntry<T> {
  id: string;
  origin: Origin;
  fileName: string;
  /** Built-in files and files Flowscope wrote or the analyst accepted; others are shown before they run. */
  trusted: boolean;
  modifiedAt: string;
  doc: T;
}

/** A user file that no longer reads (edited by hand, newer version): listed so the analyst can see why. */
export interface BrokenEntry {
  id: string;
  origin: Origin;
  fileName: string;
  error: string;
}

export interface FileLibraryOptions {
  builtinDir: string;
  userDir: string;
  trust: TrustList;
}

export class FileLibrary<S extends z.ZodType<Named>> {
  constructor(
    readonly kind: EntryKind,
    private readonly schema: S,
    private readonly options: FileLibraryOptions,
  ) {}

  get userDir(): string {
    return this.options.userDir;
  }

  list(): { entries: LoadedEntry<z.output<S>>[]; broken: BrokenEntry[] } {
    const entries: LoadedEntry<z.output<S>>[] = [];
    const broken: BrokenEntry[] = [];
    for (const origin of ['builtin', 'user'] as const) {
      for (const stem of this.stems(origin)) {
        try {
          entries.push(this.load(origin, stem));
        } catch (err) {
          broken.push({
            id: formatId(origin, stem),
            origin,
            fileName: fileNameOf(stem, this.kind),
            error: err instanceof Error ? err.message : String(err),
          });
        }
      }
    }
    entries.sort((a, b) => a.doc.name.localeCompare(b.doc.name));
    return { entries, broken };
  }

  get(id: string): LoadedEntry<z.output<S>> {
    const { origin, stem } = parseId(id);
    if (!existsSync(this.path(origin, stem)))
      throw new FlowscopeError('not_found', `There is no ${this.noun} "${id}".`);
    return this.load(origin, stem);
  }

  /**
   * Overwrites the user file `id`, or writes a new file named after the document when no id is given.
   * `ifModifiedAt` is the `modifiedAt` the caller read: a file changed since (a panel pinned from the workbench
   * or another tab while this one showed the dashboard; a saved query saved from another tab) is not
   * overwritten with the caller's older copy.
   */
  save(doc: z.output<S>, id?: string, ifModifiedAt?: string): LoadedEntry<z.output<S>> {
    const valid = this.validate(doc);
    let stem: string;
    if (id) {
      const target = parseId(id);
      this.assertWritable(target.origin, id);
      stem = target.stem;
      if (ifModifiedAt !== undefined) this.assertUnchanged(stem, ifModifiedAt, valid.name);
    } else {
      stem = this.freeStem(valid.name);
    }
    this.write(stem, valid, true);
    return this.load('user', stem);
  }

  /** A new name is a new file name too, so the folder stays readable; the old file goes. */
  rename(id: string, name: string): LoadedEntry<z.output<S>> {
    const entry = this.get(id);
    this.assertWritable(entry.origin, id);
    const { stem: oldStem } = parseId(id);
    const renamed = this.validate({ ...entry.doc, name });
    const wanted = slugify(name);
    const stem = wanted === oldStem ? oldStem : this.freeStem(name);
    this.write(stem, renamed, entry.trusted);
    if (stem !== oldStem) rmSync(this.path('user', oldStem));
    return this.load('user', stem);
  }

  delete(id: string): void {
    const { origin, stem } = parseId(id);
    this.assertWritable(origin, id);
    const file = this.path(origin, stem);
    if (!existsSync(file)) throw new FlowscopeError('not_found', `There is no ${this.noun} "${id}".`);
    rmSync(file);
  }

  /**
   * A file from elsewhere: validated, written under a fresh name, and NOT trusted until the analyst says so.
   * One the library holds already, the same document (a shared folder dropped again), is that entry (`existing`),
   * not one more copy under `<name>-2`.
   */
  importText(
    text: string,
    fileName: string,
    check?: (doc: z.output<S>) => void,
  ): LoadedEntry<z.output<S>> & { existing: boolean } {
    const doc = parseDocument(this.schema, text, basename(fileName));
    check?.(doc);
    const written = serializeDocument(doc);
    const held = this.stems('user').find((stem) => this.textOf('user', stem) === written);
    if (held) return { ...this.load('user', held), existing: true };
    const stem = this.freeStem(doc.name);
    this.write(stem, doc, false);
    return { ...this.load('user', stem), existing: false };
  }

  /** The analyst has read the file and wants it to run: remember this exact content. */
  trust(id: string): LoadedEntry<z.output<S>> {
    const { origin, stem } = parseId(id);
    const entry = this.get(id);
    if (origin === 'user')
      this.options.trust.add(readLibraryFile(this.path(origin, stem), fileNameOf(stem, this.kind)));
    return { ...entry, trusted: true };
  }

  validate(doc: unknown): z.output<S> {
    return parseDocument(this.schema, serializeDocument(doc), `${this.noun} "${(doc as Partial<Named>)?.name ?? ''}"`);
  }

  private get noun(): string {
    return this.kind === 'query' ? 'saved query' : 'dashboard';
  }

  private load(origin: Origin, stem: string): LoadedEntry<z.output<S>> {
    const fileName = fileNameOf(stem, this.kind);
    const file = this.path(origin, stem);
    const text = readLibraryFile(file, fileName);
    const doc = parseDocument(this.schema, text, fileName);
    return {
      id: formatId(origin, stem),
      origin,
      fileName,
      trusted: origin === 'builtin' || this.options.trust.has(text),
      modifiedAt: statSync(file).mtime.toISOString(),
      doc,
    };
  }

  /** A file's text, or null when it does not read (it is listed as broken). */
  private textOf(origin: Origin, stem: string): string | null {
    try {
      return readLibraryFile(this.path(origin, stem), fileNameOf(stem, this.kind));
    } catch {
      return null;
    }
  }

  private write(stem: string, doc: z.output<S>, trusted: boolean): void {
    const text = serializeDocument(doc);
    mkdirSync(this.options.userDir, { recursive: true });
    const tmp = join(this.options.userDir, `.${stem}.${randomBytes(4).toString('hex')}.tmp`);
    writeFileSync(tmp, text);
    if (trusted) this.options.trust.add(text);
    const file = this.path('user', stem);
    const before = existsSync(file) ? statSync(file).mtime.getTime() : -Infinity;
    renameSync(tmp, file);
    this.advanceModifiedAt(file, before);
  }

  /**
   * `modifiedAt` is how a save knows the file changed since the caller read it, but file systems stamp times
   * from a coarse clock (a 4–10 ms tick): two saves within one tick got the same time, and the older copy was
   * saved over the newer. Each write moves the time (in milliseconds, as `modifiedAt` reads it) past the one it
   * replaced: to a quarter past the next millisecond, since the time is kept from a float of seconds, which lands
   * a hair below a whole millisecond, and read to the nearest one.
   */
  private advanceModifiedAt(file: string, before: number): void {
    const stat = statSync(file);
    if (stat.mtime.getTime() > before) return;
    utimesSync(file, stat.atime, (before + 1.25) / 1000);
  }

  private assertUnchanged(stem: string, modifiedAt: string, name: string): void {
    const file = this.path('user', stem);
    const now = existsSync(file) ? statSync(file).mtime.toISOString() : null;
    if (now === modifiedAt) return;
    throw new FlowscopeError(
      'conflict',
      now === null
        ? `The ${this.noun} “${name}” was renamed or deleted elsewhere since it was opened here; your change was not saved: save it under a name (Save as…), or open it again by its new name.`
        : `The ${this.noun} “${name}” was changed elsewhere (a pin, another tab) since it was opened here, so your change was not saved over it.`,
    );
  }

  private assertWritable(origin: Origin, id: string): void {
    if (origin === 'builtin') {
      throw new FlowscopeError(
        'bad_request',
        `"${id}" is a built-in ${this.noun} and cannot be changed; save it under a new name instead.`,
      );
    }
  }

  private freeStem(name: string): string {
    return uniqueStem(slugify(name), (candidate) => existsSync(this.path('user', candidate)));
  }

  private stems(origin: Origin): string[] {
    const dir = this.dir(origin);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((name) => stemOf(name, this.kind))
      .filter((stem): stem is string => stem !== null)
      .sort();
  }

  private dir(origin: Origin): string {
    return origin === 'builtin' ? this.options.builtinDir : this.options.userDir;
  }

  private path(origin: Origin, stem: string): string {
    return join(this.dir(origin), fileNameOf(stem, this.kind));
  }
}
