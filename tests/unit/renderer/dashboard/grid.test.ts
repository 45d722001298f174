import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cellsFor,
  clampLayout,
  compact,
  overlaps,
  place,
  type Placed,
} from '../../../../renderer/src/components/dashboard/grid';

const L = (x: number, y: number, w: number, h: number) => ({ x, y, w, h });
const noOverlaps = (ps: Placed[]) => ps.every((a, i) => ps.every((b, j) => i === j || !overlaps(a.layout, b.layout)));

test('moving a panel onto another pushes the other down, and nothing overlaps', () => {
  const panels: Placed[] = [
    { id: 'a', layout: L(0, 0, 6, 4) },
    { id: 'b', layout: L(6, 0, 6, 4) },
    { id: 'c', layout: L(0, 4, 12, 3) },
  ];
  const out = place(panels, 'c', L(0, 0, 12, 3));
  assert.deepEqual(
    out.map((p) => [p.id, p.layout]),
    [
      ['a', L(0, 3, 6, 4)],
      ['b', L(6, 3, 6, 4)],
      ['c', L(0, 0, 12, 3)],
    ],
  );
  assert.ok(noOverlaps(out));
});

test('resizing a panel wider pushes its neighbour below it', () => {
  const panels: Placed[] = [
    { id: 'a', layout: L(0, 0, 6, 4) },
    { id: 'b', layout: L(6, 0, 6, 4) },
  ];
  const out = place(panels, 'a', L(0, 0, 8, 4));
  assert.deepEqual(out.find((p) => p.id === 'b')!.layout, L(6, 4, 6, 4));
  assert.ok(noOverlaps(out));
});

test('gaps close: panels float up once the one above them is made shorter', () => {
  const panels: Placed[] = [
    { id: 'a', layout: L(0, 0, 12, 6) },
    { id: 'b', layout: L(0, 6, 12, 4) },
  ];
  const out = place(panels, 'a', L(0, 0, 12, 2));
  assert.deepEqual(out.find((p) => p.id === 'b')!.layout, L(0, 2, 12, 4));
  assert.deepEqual(compact([{ id: 'x', layout: L(3, 9, 2, 2) }]), [{ id: 'x', layout: L(3, 0, 2, 2) }]);
});

test('a layout dragged off the grid is brought back inside it', () => {
  assert.deepEqual(clampLayout(L(11, -3, 6, 0)), L(6, 0, 6, 1));
  assert.deepEqual(clampLayout(L(-2, 2.6, 20, 30)), L(0, 3, 12, 24));
});

test('pointer movement converts to whole grid cells', () => {
  // 1200px wide grid: a column plus its gap is (1200 - 11*12)/12 + 12 = 101px; a row plus gap 84px.
  assert.deepEqual(cellsFor(101, 84, 1200), { dx: 1, dy: 1 });
  assert.deepEqual(cellsFor(-160, 30, 1200), { dx: -2, dy: 0 });
});
