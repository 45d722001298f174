/**
 * The data Flowscope ships (or reads) and the software it is built on, with their licences and the
 * attribution each licence asks for: what the app's About view and the README show. The engine adds the
 * installed version of each data package at run time (main/engine/about.ts), so the About says which
 * snapshot answers the analyst's queries.
 */

export interface DataSource {
  /** A stable key (the app's About picks out AWS's ranges by it). */
  id: string;
  data: string;
  source: string;
  licence: string;
  licenceUrl: string;
  attribution: string;
  links: readonly { label: string; url: string }[];
  /** The npm package the data is read or built from; null where it is not one. */
  package: string | null;
  /** What the data cannot answer, and why, where an analyst would otherwise expect it. */
  limits?: string;
}

const CC_BY_4 = 'https://creativecommons.org/licenses/by/4.0/';
const CC0 = 'https://creativecommons.org/publicdomain/zero/1.0/';

export const DATA_SOURCES: readonly DataSource[] = [
  {
    id: 'geo',
    data: 'Country of an address',
    source: 'ip-location-db geo-whois-asn-country: GeoFeed, the RIRs’ whois, and RIR statistics',
    licence: 'CC0 1.0; the RIR statistics CC BY 4.0',
    licenceUrl: CC_BY_4,
    attribution: 'Contains RIR statistics by the Number Resource Organization (NRO), licensed under CC BY 4.0.',
    links: [
      { label: 'ip-location-db', url: 'https://github.com/sapics/ip-location-db' },
      { label: 'NRO', url: 'https://www.nro.net/' },
    ],
    package: '@ip-location-db/geo-whois-asn-country',
    limits:
      'Countries only: `lookup … from geo://location` answers every column Sumo Logic returns, but latitude, ' +
      'longitude, region, city and postal_code are empty (null). The one city-level database published in npm ' +
      "is MaxMind's GeoLite2 City, whose licence does not allow shipping it inside an application, so Flowscope " +
      'ships none.',
  },
  {
    id: 'asn',
    data: 'Autonomous system of an address',
    source: 'ip-location-db asn: RouteViews, RIR statistics and IP to ASN Lite by DB-IP, merged in that order',
    licence: 'CC BY 4.0',
    licenceUrl: CC_BY_4,
    attribution:
      'IP to ASN data by RouteViews, by the Number Resource Organization (NRO) and IP Geolocation by DB-IP, ' +
      'licensed under CC BY 4.0; merged by ip-location-db.',
    links: [
      { label: 'RouteViews', url: 'https://www.routeviews.org/' },
      { label: 'NRO', url: 'https://www.nro.net/' },
      { label: 'IP Geolocation by DB-IP', url: 'https://db-ip.com/' },
      { label: 'ip-location-db', url: 'https://github.com/sapics/ip-location-db' },
    ],
    package: '@ip-location-db/asn',
  },
  {
    id: 'country-names',
    data: 'Country names',
    source: 'i18n-iso-countries (ISO 3166-1 codes and English names)',
    licence: 'MIT',
    licenceUrl: 'https://opensource.org/license/mit',
    attribution: 'Country names from i18n-iso-countries by Michael Wittig and contributors.',
    links: [{ label: 'i18n-iso-countries', url: 'https://github.com/michaelwittig/node-i18n-iso-countries' }],
    package: 'i18n-iso-countries',
  },
  {
    id: 'world-map',
    data: 'World map',
    source: 'Natural Earth countries at 1:110m, as TopoJSON by world-atlas',
    licence: 'Public domain (Natural Earth); ISC (world-atlas)',
    licenceUrl: 'https://www.naturalearthdata.com/about/terms-of-use/',
    attribution: 'Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com.',
    links: [
      { label: 'Natural Earth', url: 'https://www.naturalearthdata.com/' },
      { label: 'world-atlas', url: 'https://github.com/topojson/world-atlas' },
    ],
    package: 'world-atlas',
  },
  {
    id: 'iana',
    data: 'Protocol and service names',
    source: 'IANA Protocol Numbers and Service Name and Transport Protocol Port Number registries',
    licence: 'CC0 1.0',
    licenceUrl: CC0,
    attribution: 'Protocol and port registries by IANA, dedicated to the public domain (CC0 1.0).',
    links: [{ label: 'IANA protocol registries', url: 'https://www.iana.org/protocols' }],
    package: null,
  },
  {
    id: 'aws-ip-ranges',
    data: 'AWS service and region of an address',
    source: 'AWS ip-ranges.json, fetched by the analyst (flowscope aws ip-ranges --refresh); not shipped',
    licence: 'Published by AWS for public use',
    licenceUrl: 'https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-ranges.html',
    attribution: 'AWS IP address ranges published by Amazon Web Services.',
    links: [
      { label: 'AWS IP address ranges', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-ranges.html' },
    ],
    package: null,
  },
];

/** The main software inside the app, by licence (each package's own `license` field; a test checks them). */
export const SOFTWARE: readonly { name: string; package: string; licence: string; url: string }[] = [
  { name: 'DuckDB', package: '@duckdb/node-api', licence: 'MIT', url: 'https://duckdb.org/' },
  { name: 'Electron', package: 'electron', licence: 'MIT', url: 'https://www.electronjs.org/' },
  { name: 'Svelte', package: 'svelte', licence: 'MIT', url: 'https://svelte.dev/' },
  { name: 'Apache ECharts', package: 'echarts', licence: 'Apache-2.0', url: 'https://echarts.apache.org/' },
  { name: 'CodeMirror', package: '@codemirror/view', licence: 'MIT', url: 'https://codemirror.net/' },
  {
    name: 'AWS SDK for JavaScript',
    package: '@aws-sdk/client-s3',
    licence: 'Apache-2.0',
    url: 'https://aws.amazon.com/sdk-for-javascript/',
  },
  { name: 'Zod', package: 'zod', licence: 'MIT', url: 'https://zod.dev/' },
  { name: 'ws', package: 'ws', licence: 'MIT', url: 'https://github.com/websockets/ws' },
  {
    name: 'TopoJSON Client',
    package: 'topojson-client',
    licence: 'ISC',
    url: 'https://github.com/topojson/topojson-client',
  },
];
