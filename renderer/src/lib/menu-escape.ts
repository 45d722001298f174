/**
 * The toolbar menus that open over the page (`<details>` with a popover: the query history, the grid's columns)
 * close on Escape and give focus back to their summary, as a menu does; the browser's `<details>` stays open.
 * An attachment: `<details {@attach closesOnEscape}>`.
 */
export function closesOnEscape(menu: HTMLDetailsElement): () => void {
  const keydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !menu.open) return;
    // Taken, so the workbench's Escape (cancel the running query) leaves it alone.
    event.preventDefault();
    menu.open = false;
    menu.querySelector('summary')?.focus();
  };
  menu.addEventListener('keydown', keydown);
  return () => menu.removeEventListener('keydown', keydown);
}
