/**
 * Library entries are files, but a name never becomes a path as it is: an entry is addressed by an id
 * (`user:top-talkers`, `builtin:overview`) whose stem is a kebab-case slug, so no name, id or imported file
 * can reach outside the library folder (no `..`, no separators, no drive letters, no hidden files).
 */
import { FlowscopeError } from '../errors';

export type EntryKind = 'query' | 'dashboard';
export type Origin = 'builtin' | 'user';

const EXTENSIONS: Record<EntryKind, string> = { query: '.flowquery.json', dashboard: '.flowdash.json' };

const STEM = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;

export interface EntryId {
  origin: Origin;
  stem: string;
}

export function parseId(id: string): EntryId {
  const m = /^(builtin|user):(.*)$/.exec(id);
  if (!m || !STEM.test(m[2]!)) {
    throw new FlowscopeError(
      'bad_request',
      `"${id}" is not a library id (builtin:<name> or user:<name>, lower-case letters, digits and dashes).`,
    );
  }
  return { origin: m[1] as Origin, stem: m[2]! };
}

export function formatId(origin: Origin, stem: string): string {
  return `${origin}:${stem}`;
}

/** A file stem for a display name: "Top talkers (bytes)" → "top-talkers-bytes". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
  return slug || 'untitled';
}

/** The stem of a library file name, or null when the name is not one of ours. */
export function stemOf(fileName: string, kind: EntryKind): string | null {
  const ext = EXTENSIONS[kind];
  if (!fileName.endsWith(ext)) return null;
  const stem = fileName.slice(0, -ext.length);
  return STEM.test(stem) ? stem : null;
}

export function fileNameOf(stem: string, kind: EntryKind): string {
  if (!STEM.test(stem)) throw new FlowscopeError('bad_request', `"${stem}" is not a valid library file name.`);
  return stem + EXTENSIONS[kind];
}

/** `stem`, or `stem-2`, `stem-3`… — the first that `taken` says is free. */
export function uniqueStem(stem: string, taken: (candidate: string) => boolean): string {
  if (!taken(stem)) return stem;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = stem.slice(0, 80 - suffix.length).replace(/-+$/g, '') + suffix;
    if (!taken(candidate)) return candidate;
  }
}
