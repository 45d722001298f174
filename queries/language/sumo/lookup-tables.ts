/**
 * The tables Sumo's `lookup` can read in Flowscope, all answered offline: from the built-in IANA registries,
 * Flowscope's own `protocols` and `services` and the CSVs that Sumo Logic's published apps (VPC Flow Logs,
 * PCI, security analytics) look up from its public `sumologic-app-data` bucket, under the CSV's own column
 * names so that those queries run as published; and Sumo's `geo://location` and `asn://default` from the
 * open address data Flowscope ships. Nothing is fetched: any other path is refused with the reason and the
 * list of what is built in.
 */
import type { Expr, SourceSpan } from '../plan';
import { QueryProblem } from '../source';

/** The expression of a key column, by its lower-case name (the parser checks every key is given). */
type KeyOf = (key: string) => Expr;

interface Column {
  /** As the table's header writes it. */
  name: string;
  value(key: KeyOf, at: SourceSpan): Expr;
}

export interface LookupTable {
  /** How messages name the table, inside a sentence. */
  title: string;
  /** Key columns as the header writes them. */
  keys: readonly string[];
  columns: readonly Column[];
  /** Columns of the published table that the built-in copy does not carry. */
  absent: readonly string[];
}

const call = (name: string, args: Expr[], span: SourceSpan): Expr => ({
  kind: 'call',
  name,
  args,
  span,
  nameSpan: span,
});
const number = (value: number, span: SourceSpan): Expr => ({ kind: 'number', value, text: String(value), span });

const protocolKeyword = (protocol: Expr, at: SourceSpan) => call('protocolName', [protocol], at);
const protocolDescription = (protocol: Expr, at: SourceSpan) => call('protocolDescription', [protocol], at);

/**
 * A port's service name when the table is keyed on the port alone: the TCP name, else the UDP one (IANA
 * registers most services under the same name on both).
 */
function portService(port: Expr, at: SourceSpan): Expr {
  const tcp = call('serviceName', [port, number(6, at)], at);
  return call('if', [call('isNull', [tcp], at), call('serviceName', [port, number(17, at)], at), tcp], at);
}

const PROTOCOLS: LookupTable = {
  title: 'the built-in protocols table',
  keys: ['protocol'],
  columns: [
    { name: 'name', value: (key, at) => protocolKeyword(key('protocol'), at) },
    { name: 'description', value: (key, at) => protocolDescription(key('protocol'), at) },
  ],
  absent: [],
};

const SERVICES: LookupTable = {
  title: 'the built-in services table',
  keys: ['port', 'protocol'],
  columns: [
    { name: 'service', value: (key, at) => call('serviceName', [key('port'), key('protocol')], at) },
    { name: 'name', value: (key, at) => call('serviceName', [key('port'), key('protocol')], at) },
  ],
  absent: [],
};

/** IANA's protocol-numbers registry CSV, as Sumo Logic hosts it. */
const SUMO_PROTOCOL_NUMBERS: LookupTable = {
  title: "Sumo Logic's protocol-numbers.csv",
  keys: ['Decimal'],
  columns: [
    { name: 'Keyword', value: (key, at) => protocolKeyword(key('decimal'), at) },
    { name: 'Protocol', value: (key, at) => protocolDescription(key('decimal'), at) },
  ],
  absent: ['IPv6 Extension Header', 'Reference'],
};

/** The port-number list (Keyword, Decimal, Description) the PCI app looks ports up in. */
const SUMO_PORT_NUMBERS: LookupTable = {
  title: "Sumo Logic's port-numbers.csv",
  keys: ['Decimal'],
  columns: [{ name: 'Keyword', value: (key, at) => portService(key('decimal'), at) }],
  absent: ['Description'],
};

const nothing = (_key: KeyOf, at: SourceSpan): Expr => ({ kind: 'null', span: at });
const addressColumn = (fn: string) => (key: KeyOf, at: SourceSpan) => call(fn, [key('ip')], at);

/**
 * Sumo Logic's geolocation lookup under its column names, answered from the open country data Flowscope
 * ships (`queries/catalog/address-data.ts`): the country of a public address. The data has no finer
 * places, so latitude, longitude, region, state, city, postal code and continent are null.
 */
const GEO_LOCATION: LookupTable = {
  title: 'the geolocation table (geo://location)',
  keys: ['ip'],
  columns: [
    { name: 'latitude', value: nothing },
    { name: 'longitude', value: nothing },
    { name: 'country_code', value: addressColumn('geoCountry') },
    { name: 'country_name', value: addressColumn('geoCountryName') },
    { name: 'region', value: nothing },
    { name: 'city', value: nothing },
    { name: 'postal_code', value: nothing },
    { name: 'state', value: nothing },
    { name: 'continent', value: nothing },
  ],
  absent: [],
};

/** Sumo Logic's ASN lookup, from the open ASN data Flowscope ships. */
const ASN_DEFAULT: LookupTable = {
  title: 'the ASN table (asn://default)',
  keys: ['ip'],
  columns: [
    { name: 'asn', value: addressColumn('asnNumber') },
    { name: 'organization', value: addressColumn('asnOrg') },
  ],
  absent: [],
};

/**
 * Sumo Logic's CrowdStrike threat-intelligence lookup, answered from the threat list the analyst imported
 * (`flowscope threat import list.csv`: indicator, type, actor, threat level); without one, running the query
 * says how to import it.
 */
const THREAT_CS: LookupTable = {
  title: 'the threat list (sumo://threat/cs)',
  keys: ['threat'],
  columns: ['type', 'actor', 'threatlevel', 'raw', 'threat'].map((name) => ({
    name,
    value: (key: KeyOf, at: SourceSpan) =>
      call(
        'threatIntel',
        [key('threat'), { kind: 'string', value: name === 'threat' ? 'indicator' : name, span: at }],
        at,
      ),
  })),
  absent: [],
};

/** The app tables by file name in Sumo Logic's public bucket. */
const SUMO_APP_DATA: readonly (readonly [string, LookupTable])[] = [
  ['protocol-numbers.csv', SUMO_PROTOCOL_NUMBERS],
  ['port-numbers.csv', SUMO_PORT_NUMBERS],
];

/** The paths completion offers after `lookup … from`, and errors list. */
export const LOOKUP_PATHS: readonly { path: string; table: LookupTable }[] = [
  { path: 'protocols', table: PROTOCOLS },
  { path: 'services', table: SERVICES },
  ...SUMO_APP_DATA.map(([file, table]) => ({ path: `https://s3.amazonaws.com/sumologic-app-data/${file}`, table })),
  { path: 'geo://location', table: GEO_LOCATION },
  { path: 'asn://default', table: ASN_DEFAULT },
  { path: 'sumo://threat/cs', table: THREAT_CS },
];

/** Every path that names a built-in table, lower case and without the scheme (both S3 address styles). */
const BY_PATH = new Map<string, LookupTable>([
  ...LOOKUP_PATHS.map(({ path, table }) => [withoutScheme(path), table] as const),
  ...SUMO_APP_DATA.map(([file, table]) => [`sumologic-app-data.s3.amazonaws.com/${file}`, table] as const),
]);

function withoutScheme(path: string): string {
  return path.toLowerCase().replace(/^(https?|flowscope|builtin):\/\//, '');
}

/** `protocols (protocol → name, description)`: a table's keys and columns, for docs and errors. */
export function describeTable(table: LookupTable): string {
  return `${table.keys.join(', ')} → ${table.columns.map((c) => c.name).join(', ')}`;
}

const BUILT_IN = `the built-in tables are ${LOOKUP_PATHS.map((p) => `${p.path} (${describeTable(p.table)})`).join(', ')}`;

const unreachable = (service: string) =>
  `it looks addresses up in Sumo Logic's ${service} service, which Flowscope, working offline, cannot reach`;

/** Why the operators and lookups that need one of Sumo Logic's cloud services cannot run. */
export const CLOUD_SERVICE_REASONS = {
  threat: unreachable('threat-intelligence'),
};

const SERVICE_PATHS: Record<string, string> = {
  'sumo://threat': CLOUD_SERVICE_REASONS.threat,
};
// sumo://threat/cs itself is the imported threat list (above); other threat feeds stay out of reach.

/** The built-in table a `lookup … from <path>` names, or the reason it cannot be read. */
export function resolveLookupTable(path: string, span: SourceSpan): LookupTable {
  const lower = path.toLowerCase();
  const table = BY_PATH.get(withoutScheme(path));
  if (table) return table;
  const service = Object.keys(SERVICE_PATHS).find((p) => lower.startsWith(p));
  if (service)
    throw new QueryProblem(`\`lookup … from ${path}\` is not supported: ${SERVICE_PATHS[service]}.`, span, BUILT_IN);
  if (/^https?:\/\//.test(lower))
    throw new QueryProblem(
      `\`lookup … from ${path}\` is not supported: Flowscope works offline and cannot fetch lookup tables over HTTP(S), and this one is not built in.`,
      span,
      BUILT_IN,
    );
  throw new QueryProblem(
    `Unknown lookup table \`${path}\`: it is not built into Flowscope, and tables saved in Sumo Logic cannot be read offline.`,
    span,
    BUILT_IN,
  );
}

/** The column of a table the lookup asks for, by name ignoring case; a mistake names the table's columns. */
export function lookupColumn(table: LookupTable, written: string, span: SourceSpan): Column {
  const column = table.columns.find((c) => c.name.toLowerCase() === written.toLowerCase());
  if (column) return column;
  const absent = table.absent.find((c) => c.toLowerCase() === written.toLowerCase());
  const names = `${table.columns.map((c) => c.name).join(', ')} (looked up on ${table.keys.join(', ')})`;
  const has = table.absent.length ? `the built-in copy has ${names}` : `its columns are ${names}`;
  throw new QueryProblem(
    absent
      ? `The column \`${written}\` of ${table.title} is not built into Flowscope.`
      : `There is no column \`${written}\` in ${table.title}.`,
    span,
    has,
  );
}

/** The key column `name` is, if it is one (ignoring case), as the table writes it. */
export function keyColumn(table: LookupTable, name: string): string | undefined {
  return table.keys.find((k) => k.toLowerCase() === name.toLowerCase());
}
