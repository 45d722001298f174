/**
 * The address-data part of `npm run bench:query`: a geo lookup (the country of every destination) and an
 * ASN lookup over the whole bench workspace, through the engine's `query.run` as the app runs them, against
 * the same lookup written by hand as a join on the `enrich` tables in the same run. The one-time load of
 * the data (on the first query that needs it) is timed on its own.
 */
import type { Dialect } from '../preload/contract';
import type { Engine } from '../main/engine';
import { call } from '../main/engine/dispatch';

const RUNS = 5;
export const TARGET_LOOKUP_MS = 1000;

interface Form {
  label: string;
  dialect: Dialect;
  query: string;
}

const GEO_BY_HAND =
  'SELECT g.cc, sum(f.bytes) AS b FROM flows f LEFT JOIN enrich.geo4 g ON g.b = f.dst_ip4 // 65536 AND f.dst_ip4 BETWEEN g.lo AND g.hi GROUP BY g.cc ORDER BY b DESC LIMIT 10';

const FORMS: Form[] = [
  {
    label: 'geo (Insights)',
    dialect: 'insights',
    query: 'stats sum(bytes) as b by geoCountry(dstAddr) as cc | sort b desc | limit 10',
  },
  {
    label: 'geo (Sumo lookup)',
    dialect: 'sumo',
    query:
      '_sourceCategory=aws/vpcflow | lookup country_code from geo://location on ip=dstaddr | sum(bytes) as b by country_code | sort by b | limit 10',
  },
  {
    label: 'geo (SQL function)',
    dialect: 'sql',
    query: 'SELECT geo_country(dstaddr) AS cc, sum(bytes) AS b FROM flows GROUP BY cc ORDER BY b DESC LIMIT 10',
  },
  { label: 'geo (SQL by hand)', dialect: 'sql', query: GEO_BY_HAND },
  {
    label: 'ASN (Insights)',
    dialect: 'insights',
    query: 'stats sum(bytes) as b by asnOrg(dstAddr) as org | sort b desc | limit 10',
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall-clock and CPU milliseconds (all of DuckDB's threads: what it costs on an idle machine). */
async function runMs(engine: Engine, form: Form): Promise<{ ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await call(engine, 'query.run', { query: form.query, dialect: form.dialect, pageSize: 200 });
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
}

/** The first query naming the country and ASN functions: it loads their tables (`workspace/address-data.ts`). */
export function timeAddressDataLoad(engine: Engine): Promise<{ ms: number; cpuMs: number }> {
  return runMs(engine, {
    label: 'load',
    dialect: 'sql',
    query: "SELECT geo_country('8.8.8.8'), asn_number('8.8.8.8')",
  });
}

/** Prints the table; answers the targets missed. */
export async function benchAddressLookups(engine: Engine, fmt: (ms: number) => string): Promise<string[]> {
  const misses: string[] = [];
  const load = await timeAddressDataLoad(engine);
  console.log(
    `\naddress data loaded on first use in ${fmt(load.ms).trim()} (cpu ${fmt(load.cpuMs).trim()}; country and ASN ranges from the packages' CSVs, once per workspace)`,
  );
  for (const form of FORMS) await runMs(engine, form);
  const times = FORMS.map((): { ms: number; cpuMs: number }[] => []);
  for (let i = 0; i < RUNS; i++) for (const [j, form] of FORMS.entries()) times[j]!.push(await runMs(engine, form));
  const medians = times.map((ts) => ({ ms: median(ts.map((t) => t.ms)), cpuMs: median(ts.map((t) => t.cpuMs)) }));
  const hand = medians[FORMS.findIndex((f) => f.query === GEO_BY_HAND)]!.ms;
  console.log(`${'lookup'.padEnd(24)}${'query.run'.padStart(10)}${'ratio'.padStart(7)}${'cpu'.padStart(10)}`);
  for (const [j, form] of FORMS.entries()) {
    const { ms, cpuMs } = medians[j]!;
    console.log(`${form.label.padEnd(24)}${fmt(ms)}${(ms / hand).toFixed(2).padStart(7)}${fmt(cpuMs)}`);
    if (ms > TARGET_LOOKUP_MS) misses.push(`${form.label}: ${ms.toFixed(0)} ms`);
  }
  return misses;
}
