/**
 * The results grid's arithmetic, apart from the component so it is tested on its own: which rows are on
 * screen for a scroll position (and which to render around them), where the rendered block sits, how far
 * to scroll to show a row, and how wide a column starts. A result taller than a browser lets an element be
 * (about 33 M px in Chromium) scrolls a capped height whose position is scaled onto the rows.
 */
import type { CellValue, Column } from '../../../preload/contract';
import type { FormattedCell } from './cell-format';

export const ROW_HEIGHT = 26;
export const HEADER_HEIGHT = 30;
/** Rows rendered above and below the screen, so a small scroll shows rows that are there already. */
export const OVERSCAN = 4;
/** Past this height the scroll position is scaled onto the rows. */
export const MAX_SCROLL_HEIGHT = 15_000_000;

export interface GridGeometry {
  rowCount: number;
  /** The scroller's height, header included. */
  viewportHeight: number;
}

export interface GridWindow {
  /** The first row on screen. */
  first: number;
  /** Rows [start, end) are rendered. */
  start: number;
  end: number;
  /** Where the rendered block sits, from the top of the body. */
  top: number;
  /** Rows that fit on screen (the last one maybe in part). */
  onScreen: number;
  /** The scrollable height of the body. */
  scrollHeight: number;
}

function bodyHeight(g: GridGeometry): number {
  return Math.max(0, g.viewportHeight - HEADER_HEIGHT);
}

function rowsOnScreen(g: GridGeometry): number {
  return Math.ceil(bodyHeight(g) / ROW_HEIGHT) + 1;
}

function scrollHeightOf(g: GridGeometry): { height: number; scaled: boolean } {
  const full = g.rowCount * ROW_HEIGHT;
  return { height: Math.min(full, MAX_SCROLL_HEIGHT), scaled: full > MAX_SCROLL_HEIGHT };
}

/** The rows a scroll position shows, and where to draw them. */
export function gridWindow(g: GridGeometry, scrollTop: number): GridWindow {
  const onScreen = rowsOnScreen(g);
  const { height, scaled } = scrollHeightOf(g);
  if (!scaled) {
    const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT));
    const start = Math.max(0, first - OVERSCAN);
    return {
      first,
      start,
      end: Math.min(g.rowCount, first + onScreen + OVERSCAN),
      top: start * ROW_HEIGHT,
      onScreen,
      scrollHeight: height,
    };
  }
  const maxScroll = Math.max(1, height - bodyHeight(g));
  const position = Math.min(Math.max(0, scrollTop), maxScroll);
  const first = Math.round((position / maxScroll) * Math.max(0, g.rowCount - onScreen + 1));
  return {
    first,
    start: first,
    end: Math.min(g.rowCount, first + onScreen + OVERSCAN),
    top: position,
    onScreen,
    scrollHeight: height,
  };
}

/** The scroll position that shows `row` whole, moving as little as possible from `scrollTop`. */
export function scrollTopToShow(g: GridGeometry, scrollTop: number, row: number): number {
  const body = bodyHeight(g);
  const { height, scaled } = scrollHeightOf(g);
  if (!scaled) {
    const top = row * ROW_HEIGHT;
    if (top < scrollTop) return top;
    if (top + ROW_HEIGHT > scrollTop + body) return top + ROW_HEIGHT - body;
    return scrollTop;
  }
  const now = gridWindow(g, scrollTop);
  const fullRows = Math.max(1, Math.floor(body / ROW_HEIGHT));
  if (row >= now.first && row < now.first + fullRows) return scrollTop;
  const first = row < now.first ? row : row - fullRows + 1;
  const maxScroll = Math.max(1, height - body);
  return Math.round((first / Math.max(1, g.rowCount - rowsOnScreen(g) + 1)) * maxScroll);
}

/** Characters of a cell as shown ("3389 ms-wbt-server"). */
function shownLength(cell: FormattedCell): number {
  return cell.text.length + (cell.note ? cell.note.length + 1 : 0);
}

const CHAR_WIDTH = 7.4;
const CELL_PADDING = 20;
const MIN_WIDTH = 64;
const MAX_WIDTH = 420;

/**
 * A column's first width: wide enough for its name and for the longest of the first rows as shown (a port
 * with its service name is never clipped), within bounds; the analyst can resize it.
 */
export function columnWidth(
  column: Column,
  index: number,
  rows: readonly (readonly CellValue[])[],
  format: (row: readonly CellValue[], index: number) => FormattedCell,
  heading = column.name,
): number {
  const header = heading.length * CHAR_WIDTH + 36;
  const longest = rows.reduce((max, row) => Math.max(max, shownLength(format(row, index))), 0);
  return Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, header, longest * CHAR_WIDTH + CELL_PADDING)));
}
