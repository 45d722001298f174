/**
 * The dashboard grid's arithmetic: 12 columns, rows of a fixed height; a panel moved or resized keeps its
 * place and pushes whatever it now overlaps further down, then everything floats up to close the gaps, so the
 * grid never has overlaps or holes. Pure, so it is tested without a browser.
 */
import { GRID_COLUMNS, type PanelLayout } from '../../../../queries/library/dashboard';

export { GRID_COLUMNS };
export const ROW_HEIGHT = 72;
export const GAP = 12;

export interface Placed {
  id: string;
  layout: PanelLayout;
}

export function overlaps(a: PanelLayout, b: PanelLayout): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

export function clampLayout(l: PanelLayout): PanelLayout {
  const w = Math.min(Math.max(1, Math.round(l.w)), GRID_COLUMNS);
  const h = Math.min(Math.max(1, Math.round(l.h)), 24);
  const x = Math.min(Math.max(0, Math.round(l.x)), GRID_COLUMNS - w);
  const y = Math.min(Math.max(0, Math.round(l.y)), 999);
  return { x, y, w, h };
}

/** The layout of every panel after `id` is put at `wanted` (moved or resized). */
export function place(panels: readonly Placed[], id: string, wanted: PanelLayout): Placed[] {
  const moved = { id, layout: clampLayout(wanted) };
  const settled: Placed[] = [moved];
  const others = panels.filter((p) => p.id !== id).sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
  for (const p of others) {
    let layout = p.layout;
    for (
      let blocker = settled.find((s) => overlaps(s.layout, layout));
      blocker;
      blocker = settled.find((s) => overlaps(s.layout, layout))
    ) {
      layout = { ...layout, y: blocker.layout.y + blocker.layout.h };
    }
    settled.push({ id: p.id, layout });
  }
  return compact(settled, id).sort(
    (a, b) => panels.findIndex((p) => p.id === a.id) - panels.findIndex((p) => p.id === b.id),
  );
}

/** Every panel floats up as far as it can without overlapping; `pinned` stays where it was put. */
export function compact(panels: readonly Placed[], pinned?: string): Placed[] {
  const order = [...panels].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
  const out: Placed[] = [];
  for (const p of order) {
    let layout = p.layout;
    if (p.id !== pinned) {
      while (layout.y > 0) {
        const up = { ...layout, y: layout.y - 1 };
        if (
          out.some((o) => overlaps(o.layout, up)) ||
          (pinned !== undefined && p.id !== pinned && overlapsPinned(panels, pinned, up))
        )
          break;
        layout = up;
      }
    }
    out.push({ id: p.id, layout });
  }
  return out;
}

function overlapsPinned(panels: readonly Placed[], pinned: string, layout: PanelLayout): boolean {
  const p = panels.find((q) => q.id === pinned);
  return p !== undefined && overlaps(p.layout, layout);
}

/** Grid cells for a pointer movement of (dx, dy) pixels on a grid `width` pixels wide. */
export function cellsFor(dx: number, dy: number, width: number): { dx: number; dy: number } {
  const column = (width - GAP * (GRID_COLUMNS - 1)) / GRID_COLUMNS + GAP;
  return { dx: Math.round(dx / column), dy: Math.round(dy / (ROW_HEIGHT + GAP)) };
}
