/** The app's sections, one per `#hash`, so a reload or a link keeps the analyst where they were. */
export const VIEWS = [
  { id: 'explore', label: 'Explore' },
  { id: 'library', label: 'Saved queries' },
  { id: 'dashboards', label: 'Dashboards' },
  { id: 'reference', label: 'Reference data' },
  { id: 'about', label: 'About' },
] as const;

export type View = (typeof VIEWS)[number]['id'];

export function viewFromHash(hash: string): View {
  const id = hash.replace(/^#/, '');
  return VIEWS.find((v) => v.id === id)?.id ?? 'explore';
}
