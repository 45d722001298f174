/** The app's sections, one per `#hash`, so a reload or a link keeps the analyst where they were. */
export const VIEWS = [
  { id: 'explore', label: 'Explore' },
  { id: 'library', label: 'Saved queries' },
  { id: 'dashboards', label: 'Dashboards' },
  { id: 'reference', label: 'Reference data' },
  { id: 'about', label: 'About' },
] as const;

/**
 * The sections, the entity view (`#entity/<value>`), reached by clicking a value rather than from the list, and
 * the workspace's imports (`#imports`), reached from the workspace summary.
 */
export type View = (typeof VIEWS)[number]['id'] | 'entity' | 'imports';

export function viewFromHash(hash: string): View {
  if (hash.startsWith('#entity/')) return 'entity';
  if (hash === '#imports') return 'imports';
  const id = hash.replace(/^#/, '');
  return VIEWS.find((v) => v.id === id)?.id ?? 'explore';
}
