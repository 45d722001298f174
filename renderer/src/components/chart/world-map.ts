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

/** The 1:110m shapes, each tagged with its code ('' for the few disputed areas that have none). */
export function countryShapes(): { type: 'FeatureCollection'; features: GeoJSON.Feature[] } {
  const topology = countries as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const collection = feature(topology, topology.objects.countries);
  return {
    ...collection,
    features: collection.features.map((f) => ({
      ...f,
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
