/**
 * The world map the `map` chart draws countries on: Natural Earth's countries at 1:110m from the
 * `world-atlas` package (public domain data, ISC package), bundled with the renderer, so nothing is fetched
 * at run time. Each country is tagged with its ISO 3166-1 alpha-2 code (from `i18n-iso-countries`, by its
 * numeric code), the form geoCountry() and Sumo's country_code answer in.
 */
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries from 'world-atlas/countries-110m.json';
import codes from 'i18n-iso-countries/codes.json';

import { CODE_PROPERTY } from '../../lib/chart-option';

export function worldGeoJson(): object {
  const alpha2 = new Map((codes as string[][]).map(([a2, , numeric]) => [numeric!, a2!]));
  const topology = countries as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const collection = feature(topology, topology.objects.countries);
  return {
    ...collection,
    features: collection.features.map((f) => ({
      ...f,
      properties: { ...f.properties, [CODE_PROPERTY]: alpha2.get(String(f.id)) ?? '' },
    })),
  };
}
