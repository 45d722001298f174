/**
 * `npm run bench:query [-- --records N]`: query speed on a generated workspace (default 5 million records).
 *
 * For each question it times the compiled query of each dialect form against hand-written DuckDB SQL for
 * the same question, in the same run and the same way (median of several runs after a warm-up, on one
 * connection each), then the compile time, the engine's whole `query.run` (compile + run + materialised
 * result + first page), and the top-talkers question answered by `zcat | awk | sort` over the gzip'd file.
 *
 * The generated file and the workspace built from it are cached under bench-out/query-<N>/ and reused.
 * Other dialects add their forms to a question's `forms` (one list).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import type { Dialect } from '../preload/contract';
import { compileQuery } from '../queries/language';
import { Engine } from '../main/engine';
import { call } from '../main/engine/dispatch';
import { benchAddressLookups, TARGET_LOOKUP_MS, timeAddressDataLoad } from './address-lookup';
import { benchWorkspace } from './bench-workspace';
import { Workspace } from '../main/engine/workspace';
import { ADDRESS_DATA_KEPT, workspaceDirs } from '../main/engine/workspace/config';

interface Question {
  name: string;
  /** Hand-written DuckDB SQL for the question. */
  sql: string;
  /** The question in each dialect. */
  forms: { dialect: Exclude<Dialect, 'sql'>; query: string }[];
  /** The time a form may take instead of TARGET_MS (Sumo's whole-result operators: under a second). */
  targetMs?: number;
}

/** The Sumo forms start as analysts paste them: a scope, the CloudWatch envelope, the 14-star parse. */
const SUMO_SCOPE = '_sourceCategory=aws/vpcflow';
const SUMO_PARSED = `${SUMO_SCOPE} | json "message","logStream","logGroup" | parse field=message "* * * * * * * * * * * * * *" as version,accountID,interfaceID,src_ip,dest_ip,src_port,dest_port,Protocol,Packets,bytes,StartSample,EndSample,Action,status`;

export const QUESTIONS: Question[] = [
  {
    name: 'top talkers',
    sql: 'SELECT srcaddr, dstaddr, sum(bytes) AS total FROM flows GROUP BY srcaddr, dstaddr ORDER BY total DESC LIMIT 10',
    forms: [
      { dialect: 'insights', query: 'stats sum(bytes) as total by srcAddr, dstAddr | sort total desc | limit 10' },
      { dialect: 'sumo', query: `${SUMO_PARSED} | sum(bytes) as total by src_ip, dest_ip | sort by total | limit 10` },
      {
        dialect: 'athena',
        query:
          'SELECT srcaddr, dstaddr, sum(bytes) AS total FROM vpc_flow_logs GROUP BY srcaddr, dstaddr ORDER BY total DESC LIMIT 10',
      },
    ],
  },
  {
    name: 'rejects by port',
    sql: "SELECT dstport, count(*) AS rejects FROM flows WHERE action = 'REJECT' GROUP BY dstport ORDER BY rejects DESC LIMIT 20",
    forms: [
      {
        dialect: 'insights',
        query: 'filter action = "REJECT" | stats count(*) as rejects by dstPort | sort rejects desc | limit 20',
      },
      { dialect: 'sumo', query: `${SUMO_SCOPE} REJECT | count as rejects by dest_port | sort by rejects | limit 20` },
      {
        dialect: 'athena',
        query:
          "SELECT dstport, count(*) AS rejects FROM vpc_flow_logs WHERE action = 'REJECT' GROUP BY dstport ORDER BY rejects DESC LIMIT 20",
      },
    ],
  },
  {
    name: 'traffic per 5 minutes',
    sql: "SELECT time_bucket(INTERVAL '5 minutes', start_time) AS t, sum(bytes) AS total FROM flows GROUP BY t ORDER BY t",
    forms: [
      { dialect: 'insights', query: 'stats sum(bytes) as total by bin(5m) as t | sort t' },
      {
        dialect: 'sumo',
        query: `${SUMO_SCOPE} | timeslice 5m | sum(bytes) as total by _timeslice | sort by _timeslice asc`,
      },
      {
        dialect: 'athena',
        query:
          'SELECT from_unixtime(start / 300 * 300) AS t, sum(bytes) AS total FROM vpc_flow_logs GROUP BY 1 ORDER BY 1',
      },
    ],
  },
  {
    name: 'CIDR filter',
    // 10.0.0.0/16 as the integer range a person who knows the schema would write.
    sql: 'SELECT dstaddr, sum(bytes) AS total FROM flows WHERE src_ip4 BETWEEN 167772160 AND 167837695 GROUP BY dstaddr ORDER BY total DESC LIMIT 10',
    forms: [
      {
        dialect: 'insights',
        query:
          'filter isIpv4InSubnet(srcAddr, "10.0.0.0/16") | stats sum(bytes) as total by dstAddr | sort total desc | limit 10',
      },
      {
        dialect: 'sumo',
        query: `${SUMO_PARSED} | where compareCIDRPrefix("10.0.0.0", src_ip, 16) | sum(bytes) as total by dest_ip | sort by total | limit 10`,
      },
      {
        dialect: 'athena',
        query:
          "SELECT dstaddr, sum(bytes) AS total FROM vpc_flow_logs WHERE contains('10.0.0.0/16', CAST(srcaddr AS IPADDRESS)) GROUP BY dstaddr ORDER BY total DESC LIMIT 10",
      },
    ],
  },
  {
    name: 'count_distinct',
    sql: 'SELECT srcaddr, count(DISTINCT dstaddr) AS peers FROM flows GROUP BY srcaddr ORDER BY peers DESC LIMIT 10',
    forms: [
      { dialect: 'insights', query: 'stats count_distinct(dstAddr) as peers by srcAddr | sort peers desc | limit 10' },
      {
        dialect: 'sumo',
        query: `${SUMO_PARSED} | count_distinct(dest_ip) as peers by src_ip | sort by peers | limit 10`,
      },
      {
        dialect: 'athena',
        query:
          'SELECT srcaddr, count(DISTINCT dstaddr) AS peers FROM vpc_flow_logs GROUP BY srcaddr ORDER BY peers DESC LIMIT 10',
      },
    ],
  },
  {
    name: 'pct',
    sql: 'SELECT dstport, quantile_disc(bytes, 0.95) AS p95 FROM flows GROUP BY dstport ORDER BY p95 DESC LIMIT 10',
    forms: [
      { dialect: 'insights', query: 'stats pct(bytes, 95) as p95 by dstPort | sort p95 desc | limit 10' },
      { dialect: 'sumo', query: `${SUMO_PARSED} | pct(bytes, 95) as p95 by dest_port | sort by p95 | limit 10` },
      {
        dialect: 'athena',
        query:
          'SELECT dstport, approx_percentile(bytes, 0.95) AS p95 FROM vpc_flow_logs GROUP BY dstport ORDER BY p95 DESC LIMIT 10',
      },
    ],
  },
  // Sumo's whole-result operators: the hand-written SQL is what a person who knows DuckDB would write. (The
  // geo lookup is timed with the other address lookups, `address-lookup.ts`.)
  {
    name: 'outlier',
    sql: "WITH s AS (SELECT time_bucket(INTERVAL '1 minute', start_time) AS t, count(*) AS c FROM flows GROUP BY t) SELECT t, c, avg(c) OVER w AS m, stddev_samp(c) OVER w AS sd FROM s WINDOW w AS (ORDER BY t ROWS BETWEEN 10 PRECEDING AND 1 PRECEDING) ORDER BY t",
    forms: [{ dialect: 'sumo', query: `${SUMO_SCOPE} | timeslice 1m | count by _timeslice | outlier _count` }],
    targetMs: 1000,
  },
  {
    name: 'compare 1d 3',
    sql: "WITH s AS (SELECT time_bucket(INTERVAL '5 minutes', start_time) AS t, sum(bytes) AS b FROM flows GROUP BY t) SELECT s.t, s.b, d1.b, d2.b, d3.b FROM s LEFT JOIN s AS d1 ON d1.t = s.t - INTERVAL 1 DAY LEFT JOIN s AS d2 ON d2.t = s.t - INTERVAL 2 DAY LEFT JOIN s AS d3 ON d3.t = s.t - INTERVAL 3 DAY ORDER BY s.t",
    forms: [
      {
        dialect: 'sumo',
        query: `${SUMO_SCOPE} | timeslice 5m | sum(bytes) as total by _timeslice | compare with timeshift 1d 3`,
      },
    ],
    targetMs: 1000,
  },
  {
    name: 'fillmissing',
    sql: "WITH s AS (SELECT time_bucket(INTERVAL '1 minute', start_time) AS t, action, count(*) AS c FROM flows GROUP BY ALL), g AS (SELECT unnest(generate_series(min(t), max(t), INTERVAL '1 minute')) AS t FROM s), a AS (SELECT DISTINCT action FROM s) SELECT g.t, a.action, coalesce(s.c, 0) AS c FROM g CROSS JOIN a LEFT JOIN s ON s.t = g.t AND s.action IS NOT DISTINCT FROM a.action ORDER BY g.t",
    forms: [
      {
        dialect: 'sumo',
        query: `${SUMO_SCOPE} | timeslice 1m | count by _timeslice, action | fillmissing timeslice, values all in action`,
      },
    ],
    targetMs: 1000,
  },
  {
    // query.run includes the transpose the runner makes after the query; the ratio is of the query before it.
    name: 'transpose',
    sql: "SELECT time_bucket(INTERVAL '1 hour', start_time) AS t, action, count(*) AS c FROM flows GROUP BY ALL ORDER BY t",
    forms: [
      {
        dialect: 'sumo',
        query: `${SUMO_SCOPE} | timeslice 1h | count by _timeslice, action | transpose row _timeslice column action`,
      },
    ],
    targetMs: 1000,
  },
];

const TARGET_RATIO = 1.2;
const TARGET_MS = 500;
const TARGET_COMPILE_MS = 5;
const TARGET_AWK_SPEEDUP = 10;
const RUNS = 7;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Timing {
  /** Wall-clock milliseconds. */
  ms: number;
  /** CPU milliseconds of the whole process (DuckDB's threads included): what the query costs on an idle machine. */
  cpuMs: number;
}

/** Median times of several statements, run in turns so that a busy moment of the machine hits them all alike. */
async function timeInTurns(ws: Workspace, sqls: readonly string[]): Promise<Timing[]> {
  for (const sql of sqls) await ws.all(sql);
  const times = sqls.map((): Timing[] => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [j, sql] of sqls.entries()) {
      const cpu = process.cpuUsage();
      const t = performance.now();
      await ws.all(sql);
      const used = process.cpuUsage(cpu);
      times[j]!.push({ ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000 });
    }
  }
  return times.map((ts) => ({ ms: median(ts.map((t) => t.ms)), cpuMs: median(ts.map((t) => t.cpuMs)) }));
}

function compileMs(query: string, dialect: Dialect): number {
  for (let i = 0; i < 50; i++) compileQuery(query, { dialect });
  const rounds = 500;
  const t = performance.now();
  for (let i = 0; i < rounds; i++) compileQuery(query, { dialect });
  return (performance.now() - t) / rounds;
}

function awkTopTalkersMs(gz: string): number {
  // Default format: srcaddr $4, dstaddr $5, bytes $10; the first line is the header.
  const script = `zcat '${gz}' | awk 'NR > 1 && $10 != "-" { b[$4 " " $5] += $10 } END { for (k in b) print b[k], k }' | sort -rn | head -10 > /dev/null`;
  const t = performance.now();
  const r = spawnSync('bash', ['-c', script], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('the awk pipeline failed');
  return performance.now() - t;
}

async function main(): Promise<void> {
  const records = Number(argValue('records') ?? process.env.BENCH_RECORDS ?? 5_000_000);
  const { gz, workspace } = await benchWorkspace('query', records);
  // The address data's tables are loaded from the packages first, and from the kept Parquet by the next process.
  rmSync(join(workspaceDirs(workspace).staging, ADDRESS_DATA_KEPT), { recursive: true, force: true });
  const engine = await Engine.open({ workspace });
  const ws = engine.workspace;
  const misses: string[] = [];
  const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`.padStart(10);
  console.log(
    `\nflowscope query bench: ${records.toLocaleString('en')} records, median of ${RUNS} runs, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores\n`,
  );
  console.log(
    `${'question'.padEnd(24)}${'dialect'.padEnd(10)}${'compiled'.padStart(10)}${'by hand'.padStart(10)}${'ratio'.padStart(7)}${'cpu'.padStart(10)}${'compile'.padStart(10)}${'query.run'.padStart(11)}`,
  );
  let topTalkersMs = 0;
  try {
    for (const q of QUESTIONS) {
      const compiled = q.forms.map((form) => {
        const c = compileQuery(form.query, { dialect: form.dialect });
        if (!c.sql) throw new Error(`${q.name} (${form.dialect}) does not compile: ${JSON.stringify(c.diagnostics)}`);
        return c.sql;
      });
      const [hand, ...formTimes] = (await timeInTurns(ws, [q.sql, ...compiled])) as [Timing, ...Timing[]];
      const handMs = hand.ms;
      for (const [i, form] of q.forms.entries()) {
        const { ms, cpuMs } = formTimes[i]!;
        const cMs = compileMs(form.query, form.dialect);
        const t = performance.now();
        await call(engine, 'query.run', { query: form.query, dialect: form.dialect, pageSize: 200 });
        const runMs = performance.now() - t;
        const ratio = ms / handMs;
        if (q.name === 'top talkers' && form.dialect === 'insights') topTalkersMs = ms;
        console.log(
          `${q.name.padEnd(24)}${form.dialect.padEnd(10)}${fmt(ms)}${fmt(handMs)}${ratio.toFixed(2).padStart(7)}${fmt(cpuMs)}${fmt(cMs)}${fmt(runMs)}`,
        );
        if (ratio > TARGET_RATIO) misses.push(`${q.name} (${form.dialect}): ${ratio.toFixed(2)}x the hand-written SQL`);
        const target = q.targetMs ?? TARGET_MS;
        if (ms > target) misses.push(`${q.name} (${form.dialect}): ${ms.toFixed(0)} ms`);
        if (q.targetMs !== undefined && runMs > target)
          misses.push(`${q.name} (${form.dialect}): query.run ${runMs.toFixed(0)} ms`);
        if (cMs > TARGET_COMPILE_MS) misses.push(`${q.name} (${form.dialect}): compiles in ${cMs.toFixed(2)} ms`);
      }
    }
    misses.push(...(await benchAddressLookups(engine, fmt)));
  } finally {
    await engine.close();
  }
  const next = await Engine.open({ workspace });
  try {
    const load = await timeAddressDataLoad(next);
    console.log(
      `address data loaded by the next process in ${fmt(load.ms).trim()} (cpu ${fmt(load.cpuMs).trim()}; the tables kept as Parquet)`,
    );
  } finally {
    await next.close();
  }
  const awkMs = awkTopTalkersMs(gz);
  const speedup = awkMs / topTalkersMs;
  console.log(
    `\ntop talkers with zcat | awk | sort: ${fmt(awkMs).trim()}  (compiled query ${speedup.toFixed(0)}x faster)`,
  );
  if (speedup < TARGET_AWK_SPEEDUP) misses.push(`only ${speedup.toFixed(1)}x faster than awk`);
  console.log(
    `\ntargets: ratio <= ${TARGET_RATIO}, < ${TARGET_MS} ms (Sumo's outlier, compare, fillmissing, transpose < 1000 ms, query.run too), compile < ${TARGET_COMPILE_MS} ms, >= ${TARGET_AWK_SPEEDUP}x awk, address lookups < ${TARGET_LOOKUP_MS} ms: ${misses.length ? 'MISSED' : 'all met'}`,
  );
  for (const m of misses) console.log(`  missed: ${m}`);
  process.exitCode = misses.length ? 1 : 0;
}

await main();
