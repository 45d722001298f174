import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellFormatters } from '../../../../renderer/src/lib/cell-format';
import {
  columnWidth,
  gridWindow,
  HEADER_HEIGHT,
  MAX_SCROLL_HEIGHT,
  OVERSCAN,
  ROW_HEIGHT,
  scrollTopToShow,
} from '../../../../renderer/src/lib/grid-window';

const screen = { rowCount: 1000, viewportHeight: HEADER_HEIGHT + 10 * ROW_HEIGHT };

describe('the results grid window', () => {
  it('renders the rows on screen and a few around them, from where the scroll stands', () => {
    const top = gridWindow(screen, 0);
    assert.deepEqual([top.first, top.start, top.top], [0, 0, 0]);
    assert.equal(top.end, 11 + OVERSCAN);
    const down = gridWindow(screen, 100 * ROW_HEIGHT + 5);
    assert.deepEqual([down.first, down.start, down.top], [100, 100 - OVERSCAN, (100 - OVERSCAN) * ROW_HEIGHT]);
    assert.equal(gridWindow({ ...screen, rowCount: 3 }, 0).end, 3, 'never past the last row');
  });

  it('scales the scroll position onto the rows when the result is taller than an element may be', () => {
    const huge = { rowCount: 10_000_000, viewportHeight: screen.viewportHeight };
    const start = gridWindow(huge, 0);
    assert.equal(start.scrollHeight, MAX_SCROLL_HEIGHT);
    const end = gridWindow(huge, MAX_SCROLL_HEIGHT);
    assert.equal(end.first, huge.rowCount - end.onScreen + 1, 'the end of the scroll shows the last rows');
    assert.ok(end.end === huge.rowCount);
    const middle = gridWindow(huge, (MAX_SCROLL_HEIGHT - 10 * ROW_HEIGHT) / 2);
    assert.ok(Math.abs(middle.first - huge.rowCount / 2) < 10);
  });

  it('scrolls as little as it must to show a row, in both modes', () => {
    assert.equal(scrollTopToShow(screen, 0, 5), 0, 'already on screen');
    assert.equal(scrollTopToShow(screen, 0, 10), ROW_HEIGHT, 'one row down');
    assert.equal(scrollTopToShow(screen, 50 * ROW_HEIGHT, 20), 20 * ROW_HEIGHT, 'up to it');
    const huge = { rowCount: 10_000_000, viewportHeight: screen.viewportHeight };
    for (const row of [0, 1234, 5_000_000, 9_999_999]) {
      const shown = gridWindow(huge, scrollTopToShow(huge, 0, row));
      assert.ok(row >= shown.first && row < shown.first + 10, `row ${row} is on screen (first ${shown.first})`);
    }
  });

  it('starts a column as wide as its longest value as shown, so "3389 ms-wbt-server" is whole', () => {
    const columns = [
      { name: 'dstPort', type: 'INTEGER' },
      { name: 'n', type: 'BIGINT' },
    ];
    const format = cellFormatters(columns, 'utc');
    const rows = [
      [22, 1],
      [3389, 2],
    ];
    const port = columnWidth(columns[0]!, 0, rows, format[0]!);
    assert.ok(port >= '3389 ms-wbt-server'.length * 7, `${port} px`);
    assert.ok(columnWidth(columns[1]!, 1, rows, format[1]!) < 100, 'a short number stays narrow');
  });
});
