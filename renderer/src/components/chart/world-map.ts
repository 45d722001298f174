/**
 * The world map the `map` chart draws countries on: Natural Earth's countries at 1:110m from the
 * `world-atlas` package (public domain data, ISC package), bundled with the renderer, so nothing is fetched
 * at run time. Each country is tagged with its ISO 3166-1 alpha-2 code (from `i18n-iso-countries`, by its
 * numeric code), the form geoCountry() and Sumo's country_code answer in. At that scale some seventy
 * countries the address data answers have no shape (Singapore, Hong Kong, Bahrain, Malta, most islands):
 * each is a small round region at its place (`small-countries.ts`), so a result's every country is drawn.
 */
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries from 'world-atlas/countries-110m.json';
import codes from 'i18n-iso-countries/codes.json';

import { CODE_PROPERTY } from '../../lib/chart-option';
import { SMALL_COUNTRIES } from './small-countries';

/** Degrees: large enough to point at and hover (Hong Kong and Macao still tell apart). */
const DOT_RADIUS = 0.9;

const alpha2 = new Map((codes as string[][]).map(([a2, , numeric]) => [numeric!, a2!]));

/** A Natural Earth shape's alpha-2 code: by its ISO numeric id; Kosovo, which has none, by its name. */
export function codeOfShape(id: string | number | undefined, name: string | undefined): string {
  return alpha2.get(String(id)) ?? (name === 'Kosovo' ? 'XK' : '');
}

type Ring = GeoJSON.Position[];

/** How many times a ring steps across the antimeridian (from about 180° to about -180°, or back). */
const crossings = (ring: Ring) => ring.filter((p, i) => i > 0 && Math.abs(p[0]! - ring[i - 1]![0]!) > 180).length;

/**
 * A polygon whose rings cross the antimeridian, as ECharts can draw it on a flat map. ECharts joins the two
 * points of each crossing straight across the whole map: Russia and Fiji drew lines from one edge to the
 * other in the north and south, Antarctica one near the bottom. A ring that crosses an odd number of times
 * goes round a pole (Antarctica): it is closed along the pole's edge of the map instead. A ring that crosses
 * and comes back (Russia's east, Fiji) is made continuous (longitudes past 180°) and drawn twice, clamped to
 * each side of the map, so each side shows its part and the rest of each copy is a line on the edge.
 */
function acrossAntimeridian(rings: Ring[]): Ring[][] {
  if (!rings.some((r) => crossings(r) > 0)) return [rings];
  const [outer] = rings;
  if (outer && crossings(outer) % 2 === 1) {
    const mean = outer.reduce((sum, p) => sum + p[1]!, 0) / outer.length;
    const pole = mean < 0 ? -90 : 90;
    const closed: Ring = [];
    outer.forEach((p, i) => {
      const before = outer[i - 1];
      if (before && Math.abs(p[0]! - before[0]!) > 180) closed.push([before[0]!, pole], [p[0]!, pole]);
      closed.push(p);
    });
    return [[closed, ...rings.slice(1)]];
  }
  const unwrapped = rings.map((ring) => {
    let shift = 0;
    return ring.map((p, i) => {
      const before = ring[i - 1];
      if (before && Math.abs(p[0]! - before[0]!) > 180) shift += p[0]! < before[0]! ? 360 : -360;
      return [p[0]! + shift, p[1]!];
    });
  });
  const clamp = (offset: number) =>
    unwrapped.map((ring) => ring.map(([x, y]) => [Math.max(-180, Math.min(180, x! + offset)), y!]));
  const west = Math.min(...unwrapped.flat().map((p) => p[0]!));
  return [clamp(0), clamp(west < -180 ? 360 : -360)];
}

function drawable(geometry: GeoJSON.Geometry): GeoJSON.Geometry {
  if (geometry.type === 'Polygon') {
    const parts = acrossAntimeridian(geometry.coordinates);
    return parts.length === 1
      ? { type: 'Polygon', coordinates: parts[0]! }
      : { type: 'MultiPolygon', coordinates: parts };
  }
  if (geometry.type === 'MultiPolygon')
    return { type: 'MultiPolygon', coordinates: geometry.coordinates.flatMap(acrossAntimeridian) };
  return geometry;
}

/**
 * The 1:110m shapes, each tagged with its code ('' for the few disputed areas that have none), those that
 * cross the antimeridian made drawable on a flat map (`acrossAntimeridian`).
 */
export function countryShapes(): { type: 'FeatureCollection'; features: GeoJSON.Feature[] } {
  const topology = countries as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const collection = feature(topology, topology.objects.countries);
  return {
    ...collection,
    features: collection.features.map((f) => ({
      ...f,
      geometry: f.geometry ? drawable(f.geometry) : f.geometry,
      properties: { ...f.properties, [CODE_PROPERTY]: codeOfShape(f.id, f.properties.name) },
    })),
  };
}

function dot(code: string, [lon, lat]: readonly [number, number]): GeoJSON.Feature {
  const ring = Array.from({ length: 17 }, (_, i) => {
    const angle = (-2 * Math.PI * (i % 16)) / 16;
    return [lon + DOT_RADIUS * Math.cos(angle), lat + DOT_RADIUS * Math.sin(angle)];
  });
  return {
    type: 'Feature',
    properties: { name: code, [CODE_PROPERTY]: code },
    geometry: { type: 'Polygon', coordinates: [ring] },
  };
}

/** The map as registered with ECharts: the shapes, then the small countries drawn over them. */
export function worldGeoJson(): object {
  const shapes = countryShapes();
  const dots = Object.entries(SMALL_COUNTRIES).map(([code, at]) => dot(code, at));
  return { ...shapes, features: [...shapes.features, ...dots] };
}
