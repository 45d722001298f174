/**
 * The world map has a region for every country the address data can answer: the 1:110m shapes, and a dot
 * for each country too small to have one there. The dots are generated (npm run gen:country-points); the
 * file in the tree must be what the generator writes from the installed packages.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { answeredCodes, countryPoints, OUTPUT, pointsSource } from '../../../build/catalog/country-points';
import { CODE_PROPERTY } from '../../../renderer/src/lib/chart-option';
import { countryShapes, worldGeoJson } from '../../../renderer/src/components/chart/world-map';
import { SMALL_COUNTRIES } from '../../../renderer/src/components/chart/small-countries';

type Map = { features: { properties: Record<string, string>; geometry: { coordinates: number[][][] } }[] };

test('every country the address data answers is a region of the map, shape or dot', () => {
  const regions = new Set((worldGeoJson() as Map).features.map((f) => f.properties[CODE_PROPERTY]));
  const answered = answeredCodes();
  assert.ok(answered.length > 240, `${answered.length} codes`);
  assert.deepEqual(
    answered.filter((c) => !regions.has(c)),
    [],
  );
  // Kosovo has no ISO number in Natural Earth: it is tagged by name, a shape, not a dot.
  assert.ok(countryShapes().features.some((f) => f.properties?.[CODE_PROPERTY] === 'XK'));
  assert.equal(SMALL_COUNTRIES.XK, undefined);
});

test('no edge of a country runs across the map, from one side of the antimeridian to the other', () => {
  // ECharts joins a ring's points straight: Russia and Fiji drew lines across the whole map, and Antarctica
  // one near its bottom. Only along a pole (the map's top or bottom edge) may a ring go from side to side.
  const across: string[] = [];
  const areas = new Map<string, number>();
  for (const f of countryShapes().features) {
    const g = f.geometry as { type: string; coordinates: unknown };
    const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
    let area = 0;
    for (const rings of polygons)
      for (const [k, ring] of rings.entries())
        ring.forEach(([x, y], i) => {
          const [px, py] = ring[i - 1] ?? [x!, y!];
          if (Math.abs(x! - px!) > 180 && !(Math.abs(y!) === 90 && Math.abs(py!) === 90))
            across.push(`${String(f.properties?.name)} (${px}, ${py}) → (${x}, ${y})`);
          if (k === 0 && i > 0) area += (px! * y! - x! * py!) / 2;
        });
    areas.set(String(f.properties?.name), Math.abs(area));
  }
  assert.deepEqual(across, []);
  // Each keeps its land: Russia as large as ever (nearly 3,000 square degrees on the flat map), Fiji not gone.
  assert.ok(areas.get('Russia')! > 1500, `Russia ${areas.get('Russia')}`);
  assert.ok(areas.get('Fiji')! > 1, `Fiji ${areas.get('Fiji')}`);
});

test('small countries are dots where they are; a country with a shape gets no dot', () => {
  const near = (code: string, lon: number, lat: number) => {
    const [x, y] = SMALL_COUNTRIES[code]!;
    assert.ok(Math.hypot(x - lon, y - lat) < 0.3, `${code} at ${x}, ${y}`);
  };
  near('SG', 103.82, 1.35);
  near('HK', 114.17, 22.35);
  near('BH', 50.56, 26.07);
  near('MT', 14.43, 35.9);
  const shaped = new Set(countryShapes().features.map((f) => f.properties?.[CODE_PROPERTY]));
  assert.deepEqual(
    Object.keys(SMALL_COUNTRIES).filter((c) => shaped.has(c)),
    [],
  );
  const dot = (worldGeoJson() as Map).features.find((f) => f.properties[CODE_PROPERTY] === 'SG')!;
  const [lon, lat] = dot.geometry.coordinates[0]![0]!;
  assert.ok(Math.abs(lon! - 103.81) < 1 && Math.abs(lat! - 1.36) < 1);
});

test('small-countries.ts is what npm run gen:country-points writes from the installed packages', () => {
  assert.equal(readFileSync(OUTPUT, 'utf8'), pointsSource(countryPoints()));
});
