/**
 * `npm run bench:ingest [-- --records N] [--files N] [--records-per-file N] [--runs N] [--out DIR]
 *                        [--form text|firehose|security-lake]`
 *
 * Generates a deterministic flow-log file (default 5,000,000 records), gzip'd and plain (the same records),
 * and a folder of small files in the S3 layout (default 2,000), then for each: imports it through the engine
 * (`ingest.files`, as the app does) and loads it with DuckDB's own `CREATE TABLE AS SELECT * FROM
 * read_csv(...)`, columns given, into a file, then CHECKPOINT (issue #16's yardstick).
 * Each measurement runs in its own process, so the peak memory (RSS high-water mark) is its own. The two
 * alternate `--runs` times (default 3) and the median of each is compared, so that a moment of load on the
 * machine does not decide the ratio. Prints records/s for both, their ratio, and the peak memory of each.
 *
 * `--form` measures another way flow logs land, each against DuckDB's own load of the same file: a Firehose
 * object of CloudWatch subscription payloads (each gzip'd, 10,000 events a payload, a CONTROL_MESSAGE
 * first) against `read_json` unnesting the events as text; Security Lake's OCSF Parquet (the records
 * mapped as the published table says) against `read_parquet`.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../main/engine';
import { call } from '../main/engine/dispatch';
import { writeFlowLogFile, writeS3Layout } from '../main/engine/ingest/generator';
import { rawCsvLoad, rawFirehoseLoad, rawParquetLoad } from './duckdb-baseline';
import { flowLogsAsOcsf, V5_FIELDS } from '../tests/support/security-lake';
import { CONTROL_MESSAGE, dataMessage, firehoseObject, generatedMessages } from '../tests/support/subscription-forms';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '5000000' },
    files: { type: 'string', default: '2000' },
    'records-per-file': { type: 'string', default: '250' },
    runs: { type: 'string', default: '3' },
    out: { type: 'string', default: 'bench-out' },
    form: { type: 'string', default: 'text' },
    case: { type: 'string' },
    input: { type: 'string' },
  },
});

interface Measurement {
  rows: number;
  ms: number;
  /** CPU time of the whole process (all threads) over the measurement: steadier than wall time on a busy machine. */
  cpuMs: number;
  peakRssMiB: number;
}

const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
};

async function engineImport(input: string, dir: string): Promise<Measurement> {
  const file = join(dir, 'engine.duckdb');
  const engine = await Engine.open({ workspace: file, create: true });
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const { jobId } = (await call(engine, 'ingest.files', { files: [engine.files.register(input)] })) as {
      jobId: string;
    };
    const job = await engine.jobWait({ jobId });
    await engine.workspace.run('CHECKPOINT');
    const ms = performance.now() - started;
    if (job.state !== 'done' || job.summary?.files.some((f) => f.status !== 'imported'))
      throw new Error(`the import did not succeed: ${JSON.stringify(job)}`);
    return { rows: job.summary!.records, ms, cpuMs: cpuMsSince(cpu), peakRssMiB: peakRssMiB() };
  } finally {
    await engine.close();
  }
}

async function runCase(name: string, input: string, dir: string): Promise<Measurement> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (name === 'engine') return engineImport(input, dir);
  const db = join(dir, 'raw.duckdb');
  const cpu = process.cpuUsage();
  const { rows, ms } =
    values.form === 'firehose'
      ? await rawFirehoseLoad(db, input)
      : values.form === 'security-lake'
        ? await rawParquetLoad(db, input)
        : await rawCsvLoad(db, statSync(input).isDirectory() ? join(input, '**', '*.log.gz') : input);
  return { rows, ms, cpuMs: cpuMsSince(cpu), peakRssMiB: peakRssMiB() };
}

/** Each case in a fresh process: its own memory high-water mark, no warm caches from the other. */
function measure(name: 'engine' | 'duckdb', input: string, dir: string): Measurement {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--case', name, '--input', input, '--out', dir, '--form', values.form!],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (r.status !== 0) throw new Error(`${name} on ${input} failed`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measurement;
}

/** The run of median time, with every run's time and the highest peak memory of them all. */
interface Summary extends Measurement {
  times: string;
}

/** Engine and DuckDB alternately, `--runs` times each. */
function compare(input: string, out: string): [engine: Summary, duckdb: Summary] {
  const runs = { engine: [] as Measurement[], duckdb: [] as Measurement[] };
  for (let i = 0; i < Number(values.runs); i++) {
    runs.engine.push(measure('engine', input, out));
    runs.duckdb.push(measure('duckdb', input, out));
  }
  const summary = (ms: Measurement[]): Summary => ({
    ...[...ms].sort((a, b) => a.ms - b.ms)[Math.floor((ms.length - 1) / 2)]!,
    peakRssMiB: Math.max(...ms.map((m) => m.peakRssMiB)),
    times: ms.map((m) => (m.ms / 1000).toFixed(2)).join(', '),
  });
  return [summary(runs.engine), summary(runs.duckdb)];
}

const BASELINES: Record<string, string> = {
  text: 'DuckDB read_csv, columns given:',
  firehose: 'DuckDB read_json, the events: ',
  'security-lake': 'DuckDB read_parquet:          ',
};

function report(title: string, [engine, duckdb]: [Summary, Summary], target: number): void {
  const rate = (m: Measurement) => m.rows / (m.ms / 1000);
  const ratio = rate(engine) / rate(duckdb);
  const cpuRatio = duckdb.cpuMs / engine.cpuMs;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(
    `\n${title}: median of ${values.runs} runs each (load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
  );
  console.log(
    `  engine import (ingest.files):    ${fmt(engine.rows)} records in ${(engine.ms / 1000).toFixed(2)} s = ${fmt(rate(engine))} records/s (${(engine.cpuMs / 1000).toFixed(1)} CPU-s), peak RSS ${engine.peakRssMiB} MiB; runs ${engine.times} s`,
  );
  console.log(
    `  ${BASELINES[values.form!]} ${fmt(duckdb.rows)} records in ${(duckdb.ms / 1000).toFixed(2)} s = ${fmt(rate(duckdb))} records/s (${(duckdb.cpuMs / 1000).toFixed(1)} CPU-s), peak RSS ${duckdb.peakRssMiB} MiB; runs ${duckdb.times} s`,
  );
  console.log(
    `  ratio engine/DuckDB: ${ratio.toFixed(2)} (target ≥ ${target}) ${ratio >= target ? 'met' : 'NOT met'}; by CPU time ${cpuRatio.toFixed(2)}`,
  );
}

async function main(): Promise<void> {
  const out = resolve(values.out!);
  if (values.case) {
    const m = await runCase(values.case, values.input!, join(out, `run-${values.case}`));
    console.log(JSON.stringify(m));
    return;
  }
  mkdirSync(out, { recursive: true });
  const records = Number(values.records);
  if (values.form === 'firehose') return firehose(out, records);
  if (values.form === 'security-lake') return securityLake(out, records);
  if (values.form !== 'text') throw new Error(`--form is text, firehose or security-lake, not ${values.form}`);
  for (const gzip of [true, false]) {
    const big = join(out, `flows-${records}.log${gzip ? '.gz' : ''}`);
    if (!existsSync(big)) {
      console.log(`generating ${records.toLocaleString('en-US')} records into ${big} …`);
      await writeFlowLogFile(big, { records, gzip, seed: 42 });
    }
    const mib = (statSync(big).size / 1024 ** 2).toFixed(0);
    report(`one ${gzip ? "gzip'd" : 'plain'} file, ${mib} MiB`, compare(big, out), 0.8);
  }

  const files = Number(values.files);
  if (files === 0) return;
  const perFile = Number(values['records-per-file']);
  const folder = join(out, `s3-${files}x${perFile}`);
  if (!existsSync(folder)) {
    console.log(`\ngenerating ${files} files of ${perFile} records in the S3 layout under ${folder} …`);
    await writeS3Layout(folder, { files, recordsPerFile: perFile, seed: 7 });
  }
  report(`a folder of ${files} small gzip'd files (${perFile} records each)`, compare(folder, out), 0.5);
}

/** A Firehose object of `records` default-format events, 10,000 a payload, each payload gzip'd. */
async function firehose(out: string, records: number): Promise<void> {
  const path = join(out, `firehose-${records}`);
  if (!existsSync(path)) {
    console.log(`generating ${records.toLocaleString('en-US')} events into ${path} …`);
    const file = createWriteStream(path);
    file.write(firehoseObject([CONTROL_MESSAGE], 'each'));
    const messages = generatedMessages(42, records);
    for (let i = 0; i < records; i += 10_000) {
      const payload = dataMessage({
        group: '/vpc/flow-logs',
        stream: `eni-${i}`,
        messages: messages.slice(i, i + 10_000),
      });
      if (!file.write(firehoseObject([payload], 'each'))) await once(file, 'drain');
    }
    file.end();
    await finished(file);
  }
  const mib = (statSync(path).size / 1024 ** 2).toFixed(0);
  report(`a Firehose object of subscription payloads, ${mib} MiB`, compare(path, out), 0.5);
}

/** Version 5 records as Security Lake's OCSF Parquet. */
async function securityLake(out: string, records: number): Promise<void> {
  const path = join(out, `security-lake-${records}.gz.parquet`);
  if (!existsSync(path)) {
    console.log(`generating ${records.toLocaleString('en-US')} OCSF records into ${path} …`);
    const text = join(out, `v5-${records}.log`);
    await writeFlowLogFile(text, { records, seed: 42, header: false, fields: V5_FIELDS });
    await flowLogsAsOcsf(text, path);
    rmSync(text);
  }
  const mib = (statSync(path).size / 1024 ** 2).toFixed(0);
  report(`Security Lake OCSF Parquet, ${mib} MiB`, compare(path, out), 0.5);
}

await main();
