/**
 * `npm run bench:pull [-- --objects N] [--records-per-object N] [--streams N] [--hours N]`
 *
 * The pulls end to end with the real SDK clients against the test servers the pull tests use, in this
 * process (their own work counts against the pull, so the figures are a floor, not what AWS would give):
 *   S3          N small objects in the S3 layout (default 300 of 250 records) pulled from s3rver, against
 *               importing the same files from disk (`ingest.files`) in the same run;
 *   CloudWatch  S streams over H hours (default 50 × 4, 200 events an hour each) pulled from the CloudWatch
 *               Logs test server, a request every 200 ms as the pull keeps to.
 * Each into a fresh workspace; prints the time, the records and what that is per second.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../main/engine';
import { call } from '../main/engine/dispatch';
import { FlowLogGenerator, writeS3Layout } from '../main/engine/ingest/generator';
import { startCloudWatchLogsServer } from '../tests/support/cloudwatch-logs-server';
import { S3RVER_CREDENTIALS, startS3Server } from '../tests/support/s3-server';

const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '300' },
    'records-per-object': { type: 'string', default: '250' },
    streams: { type: 'string', default: '50' },
    hours: { type: 'string', default: '4' },
    out: { type: 'string', default: 'bench-out' },
  },
});
const out = resolve(values.out!, 'pull');
Object.assign(process.env, S3RVER_CREDENTIALS, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });

/** Runs a job on a fresh workspace; answers its seconds and records. */
async function timed(
  name: string,
  start: (engine: Engine) => Promise<unknown>,
): Promise<{ s: number; records: number }> {
  const dir = join(out, name);
  rmSync(dir, { recursive: true, force: true });
  const engine = await Engine.open({ workspace: join(dir, 'ws.duckdb'), create: true });
  try {
    const started = performance.now();
    const { jobId } = (await start(engine)) as { jobId: string };
    const job = (await call(engine, 'job.wait', { jobId })) as {
      state: string;
      error?: string;
      summary?: { records: number };
    };
    const s = (performance.now() - started) / 1000;
    if (job.state !== 'done') throw new Error(`${name}: ${job.state} ${job.error ?? ''}`);
    return { s, records: job.summary!.records };
  } finally {
    await engine.close();
  }
}

function line(label: string, m: { s: number; records: number }): string {
  const rate = Math.round(m.records / m.s).toLocaleString('en-US');
  return `  ${label.padEnd(34)} ${m.records.toLocaleString('en-US')} records in ${m.s.toFixed(2)} s = ${rate} records/s`;
}

async function s3(): Promise<void> {
  const objects = Number(values.objects);
  const folder = join(out, `s3-${objects}x${values['records-per-object']}`);
  rmSync(folder, { recursive: true, force: true });
  const files = await writeS3Layout(folder, {
    files: objects,
    recordsPerFile: Number(values['records-per-object']),
    seed: 7,
  });
  const server = await startS3Server();
  try {
    for (const f of files) await server.put(relative(folder, f), readFileSync(f));
    const pulled = await timed('s3', (engine) =>
      call(engine, 'pull.s3', { endpointUrl: server.endpoint, url: `s3://${server.bucket}/AWSLogs/` }),
    );
    const imported = await timed('files', (engine) =>
      call(engine, 'ingest.files', { files: [engine.files.register(folder)] }),
    );
    console.log(`\nS3: ${objects} objects`);
    console.log(line('pull s3 (s3rver, this process):', pulled));
    console.log(line('the same files from disk:', imported));
  } finally {
    await server.close();
  }
}

async function cloudWatch(): Promise<void> {
  const streams = Number(values.streams);
  const hours = Number(values.hours);
  const perHour = 200;
  const start = Date.UTC(2026, 2, 2) / 1000;
  const server = await startCloudWatchLogsServer({ pageSize: 10_000 });
  try {
    for (let s = 0; s < streams; s++) {
      const gen = new FlowLogGenerator({ seed: s + 1, start, span: hours * 3600 });
      const n = perHour * hours;
      const events = Array.from({ length: n }, (_, k) => {
        const message = gen.line(k / n);
        return { timestamp: Number(message.split(' ')[10]) * 1000, message };
      });
      server.addEvents('/vpc/flow-logs', `eni-${s}-all`, events);
    }
    const to = new Date((start + hours * 3600) * 1000).toISOString();
    const pulled = await timed('cloudwatch', (engine) =>
      call(engine, 'pull.cloudwatch', {
        endpointUrl: server.endpoint,
        logGroup: '/vpc/flow-logs',
        from: new Date(start * 1000).toISOString(),
        to,
      }),
    );
    console.log(`\nCloudWatch: ${streams} streams over ${hours} hours (${streams * hours} stream-hours)`);
    console.log(line('pull cloudwatch (test server):', pulled));
  } finally {
    await server.close();
  }
}

await s3();
await cloudWatch();
