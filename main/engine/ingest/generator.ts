/**
 * A deterministic generator of realistic VPC flow logs, for the demo workspace, the benchmarks and tests.
 * The same seed gives the same bytes. One account, one VPC (10.0.0.0/16) with a few subnets and ENIs,
 * internal and internet peers, inbound and outbound, ACCEPT and REJECT, common service ports, a few days,
 * and some NODATA/SKIPDATA records.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { createHash } from 'node:crypto';
import { DEFAULT_FORMAT, FLOW_FIELDS } from '../../../queries/catalog/fields';
import { density, eventAt, NAT_ENI, NAT_SHARE, QUIET_ENI, storyTime, type EventRecord } from './demo-story';

export interface GeneratorOptions {
  seed?: number;
  /** Unix seconds of the first record. Default 2026-03-02T00:00:00Z. */
  start?: number;
  /** How many seconds the records span. Default three days. */
  span?: number;
  accountId?: string;
  region?: string;
  /** Field names (AWS spelling) of each record, in order. Default the 14-field default format. */
  fields?: readonly string[];
  /**
   * The demo's story (`demo-story.ts`) instead of an even mix: a daily rhythm and a few incidents, placed
   * in time from `origin` (Unix seconds of the story's first day).
   */
  story?: { origin: number };
  /**
   * A busy VPC instead of a small one: 600 ENIs, and internet peers with a long tail (a few thousand that
   * most traffic goes to, and clients and scanners from two million addresses), as a month of a
   * public-facing VPC has. The benchmarks use it: over a few hundred addresses, grouping by address and
   * compressing the records are far easier than over real traffic.
   */
  busy?: boolean;
}

export interface FileOptions extends GeneratorOptions {
  records: number;
  gzip?: boolean;
  /** Write the AWS header line first (S3 delivery does; CloudWatch messages don't). Default true. */
  header?: boolean;
}

interface Eni {
  id: string;
  ip: string;
  subnet: string;
  az: string;
  instance: string;
}

const SERVICES: readonly { port: number; proto: number; inbound: boolean; weight: number }[] = [
  { port: 443, proto: 6, inbound: false, weight: 30 },
  { port: 443, proto: 6, inbound: true, weight: 12 },
  { port: 80, proto: 6, inbound: true, weight: 6 },
  { port: 53, proto: 17, inbound: false, weight: 14 },
  { port: 22, proto: 6, inbound: true, weight: 8 },
  { port: 3389, proto: 6, inbound: true, weight: 5 },
  { port: 5432, proto: 6, inbound: false, weight: 6 },
  { port: 123, proto: 17, inbound: false, weight: 3 },
  { port: 8080, proto: 6, inbound: true, weight: 3 },
  { port: 0, proto: 1, inbound: true, weight: 2 },
];
const SERVICE_WEIGHT = SERVICES.reduce((s, x) => s + x.weight, 0);

const TCP_FLAGS = ['2', '18', '3', '19', '1'];

/** A busy VPC's internet peers: the popular ones, and how many addresses the long tail draws from. */
const BUSY_POPULAR_PEERS = 5_000;
const BUSY_LONG_TAIL = 2_000_000;

/** The k-th address of the long tail: spread over public first octets by a multiplicative hash. */
function longTailAddress(k: number): string {
  const h = Math.imul(k + 1, 0x9e3779b1) >>> 0;
  const first = 11 + ((h >>> 24) % 212);
  return `${first === 127 ? 128 : first}.${(h >>> 16) & 255}.${(h >>> 8) & 255}.${h & 255}`;
}
const at = (aws: string): number => FLOW_FIELDS.findIndex((f) => f.aws === aws);
const F = {
  version: at('version'),
  account: at('account-id'),
  eni: at('interface-id'),
  srcaddr: at('srcaddr'),
  dstaddr: at('dstaddr'),
  srcport: at('srcport'),
  dstport: at('dstport'),
  protocol: at('protocol'),
  packets: at('packets'),
  bytes: at('bytes'),
  start: at('start'),
  end: at('end'),
  action: at('action'),
  logStatus: at('log-status'),
  vpc: at('vpc-id'),
  subnet: at('subnet-id'),
  instance: at('instance-id'),
  tcpFlags: at('tcp-flags'),
  type: at('type'),
  pktSrc: at('pkt-srcaddr'),
  pktDst: at('pkt-dstaddr'),
  region: at('region'),
  az: at('az-id'),
  direction: at('flow-direction'),
  trafficPath: at('traffic-path'),
};

/** mulberry32: small, fast and the same everywhere (the test sample draws from it too). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FlowLogGenerator {
  readonly accountId: string;
  readonly region: string;
  readonly fields: readonly string[];
  readonly enis: readonly Eni[];
  private readonly random: () => number;
  private readonly start: number;
  private readonly span: number;
  /** Seconds into the span of a record at a position (0..1): even, or crowded into the busy hours. */
  private readonly when: (position: number) => number;
  private readonly story: { origin: number } | null;
  private readonly internet: readonly string[];
  private readonly busy: boolean;
  private readonly values: string[] = FLOW_FIELDS.map(() => '-');
  /** For each output field, its index in FLOW_FIELDS, or -1 for a field the generator does not know. */
  private readonly slots: number[];

  constructor(options: GeneratorOptions = {}) {
    this.random = rng(options.seed ?? 1);
    this.start = options.start ?? Date.UTC(2026, 2, 2) / 1000;
    this.span = options.span ?? 3 * 86_400;
    this.story = options.story ?? null;
    this.when = this.story ? storyTime(this.start - this.story.origin, this.span) : (position) => position * this.span;
    this.accountId = options.accountId ?? '123456789012';
    this.region = options.region ?? 'us-east-1';
    this.fields = options.fields ?? DEFAULT_FORMAT;
    this.slots = this.fields.map((name) => at(name));
    const subnets = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002', 'subnet-0a1b2c3d4e5f60003'];
    this.busy = options.busy ?? false;
    this.enis = Array.from({ length: this.busy ? 600 : 8 }, (_, i) => ({
      id: `eni-0${(0x1f2e3d4c + i).toString(16)}5b6a7980`,
      ip: this.busy ? `10.0.${(i % 3) * 16 + 1}.${10 + Math.floor(i / 3)}` : `10.0.${(i % 3) + 1}.${10 + i * 7}`,
      subnet: subnets[i % 3]!,
      az: `use1-az${(i % 3) + 1}`,
      instance: `i-0${(0xabc0def1 + i * 0x101).toString(16)}23450000`,
    }));
    this.internet = Array.from({ length: this.busy ? BUSY_POPULAR_PEERS : 200 }, (_, i) => {
      const blocks = ['52.94', '54.239', '3.5', '13.107', '185.199', '203.0', '198.51', '45.33', '91.189', '142.250'];
      return `${blocks[i % blocks.length]}.${(i * 37) % 256}.${((i * 91 + 7) % 254) + 1}`;
    });
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  /** Evenly one of a few hundred; busy, mostly a popular one (skewed to the first) and else one of the long tail. */
  private internetPeer(): string {
    if (!this.busy) return this.pick(this.internet);
    const r = this.random;
    if (r() < 0.6) return this.internet[Math.floor(this.internet.length * r() ** 3)]!;
    return longTailAddress(Math.floor(r() * BUSY_LONG_TAIL));
  }

  /**
   * The values of one record, by AWS field name; position is where in the span (0..1) it falls. Values go
   * into one reused array (by index into FLOW_FIELDS) because millions of small objects made this the
   * bottleneck of the benchmark.
   */
  record(position: number): Record<string, string> {
    this.fill(position);
    const out: Record<string, string> = {};
    FLOW_FIELDS.forEach((f, i) => {
      if (this.values[i] !== '-') out[f.aws] = this.values[i]!;
    });
    return out;
  }

  /** One line in this generator's field order; '-' for anything the record does not have. */
  line(position: number): string {
    this.fill(position);
    let s = '';
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i]!;
      s += (i ? ' ' : '') + (slot < 0 ? '-' : this.values[slot]);
    }
    return s;
  }

  private fill(position: number): void {
    const r = this.random;
    const v = this.values;
    v.fill('-');
    const eni = this.pick(this.enis);
    const start = Math.floor(this.start + this.when(position));
    v[F.version] = '2';
    v[F.account] = this.accountId;
    v[F.eni] = eni.id;
    v[F.start] = String(start);
    v[F.end] = String(start + 30 + Math.floor(r() * 40));
    v[F.vpc] = 'vpc-0fedcba9876543210';
    v[F.subnet] = eni.subnet;
    v[F.instance] = eni.instance;
    v[F.region] = this.region;
    v[F.az] = eni.az;
    const status = r();
    if (status < 0.004 || status > 0.9985) {
      v[F.logStatus] = status < 0.004 ? 'NODATA' : 'SKIPDATA';
      return;
    }
    if (this.story && this.storyRecord(eni, start - this.story.origin)) return;
    let pickw = r() * SERVICE_WEIGHT;
    let svc = SERVICES[0]!;
    for (const s of SERVICES) {
      pickw -= s.weight;
      if (pickw < 0) {
        svc = s;
        break;
      }
    }
    const internalPeer = !svc.inbound && svc.port === 5432 ? true : r() < 0.35;
    const peer = internalPeer
      ? this.enis[(this.enis.indexOf(eni) + 1 + Math.floor(r() * (this.enis.length - 1))) % this.enis.length]!.ip
      : this.internetPeer();
    const ephemeral = String(32768 + Math.floor(r() * 28232));
    const inbound = svc.inbound;
    const rejected = inbound && !internalPeer && (svc.port === 22 || svc.port === 3389 ? r() < 0.85 : r() < 0.08);
    const packets = rejected ? 1 + Math.floor(r() * 3) : 1 + Math.floor(r() * r() * 400);
    const bytes = packets * (rejected ? 44 + Math.floor(r() * 20) : 60 + Math.floor(r() * 1400));
    const icmp = svc.proto === 1;
    const src = inbound ? peer : eni.ip;
    const dst = inbound ? eni.ip : peer;
    v[F.srcaddr] = src;
    v[F.dstaddr] = dst;
    v[F.srcport] = icmp ? '0' : ephemeral;
    v[F.dstport] = icmp ? '0' : String(svc.port);
    v[F.protocol] = String(svc.proto);
    v[F.packets] = String(packets);
    v[F.bytes] = String(bytes);
    v[F.action] = rejected ? 'REJECT' : 'ACCEPT';
    v[F.logStatus] = 'OK';
    v[F.tcpFlags] = svc.proto === 6 ? (rejected ? '2' : this.pick(TCP_FLAGS)) : '0';
    v[F.type] = 'IPv4';
    v[F.pktSrc] = src;
    v[F.pktDst] = dst;
    v[F.direction] = inbound ? 'ingress' : 'egress';
    if (!inbound) v[F.trafficPath] = internalPeer ? '1' : '8';
    // The story's NAT gateway: half the private hosts' internet traffic is logged on its ENI, from its address.
    if (this.story && !inbound && !internalPeer && r() < NAT_SHARE) {
      v[F.eni] = NAT_ENI.id;
      v[F.subnet] = NAT_ENI.subnet;
      v[F.az] = NAT_ENI.az;
      v[F.instance] = '-';
      v[F.srcaddr] = NAT_ENI.ip;
    }
  }

  /** A record of the story at `at` seconds after its origin, if one happens there; true when it wrote one. */
  private storyRecord(eni: Eni, at: number): boolean {
    const v = this.values;
    if (eni === this.enis[QUIET_ENI.eni] && at >= QUIET_ENI.from && at < QUIET_ENI.to) {
      v[F.logStatus] = 'NODATA';
      return true;
    }
    // In an event's window, its share of the records is what it adds to the usual traffic.
    const event = eventAt(at);
    if (!event || this.random() >= event.boost / density(at)) return false;
    const host = this.enis[event.eni]!;
    v[F.eni] = host.id;
    v[F.subnet] = host.subnet;
    v[F.instance] = host.instance;
    v[F.az] = host.az;
    this.writeFlow(host, event.record(this.random, at));
    return true;
  }

  private writeFlow(host: Eni, f: EventRecord): void {
    const v = this.values;
    const src = f.srcaddr || host.ip;
    const dst = f.dstaddr || host.ip;
    v[F.srcaddr] = src;
    v[F.dstaddr] = dst;
    v[F.srcport] = String(f.srcport);
    v[F.dstport] = String(f.dstport);
    v[F.protocol] = String(f.protocol);
    v[F.packets] = String(f.packets);
    v[F.bytes] = String(f.bytes);
    v[F.action] = f.action;
    v[F.logStatus] = 'OK';
    v[F.tcpFlags] = f.action === 'REJECT' ? '2' : '19';
    v[F.type] = 'IPv4';
    v[F.pktSrc] = src;
    v[F.pktDst] = dst;
    v[F.direction] = f.inbound ? 'ingress' : 'egress';
    if (!f.inbound) v[F.trafficPath] = '8';
  }

  headerLine(): string {
    return this.fields.join(' ');
  }
}

/**
 * Write one flow-log file of `records` records, in time order across the span. A pipeline, so that a write
 * that fails (a full disk, a folder that went away) rejects here instead of stopping the process.
 */
export async function writeFlowLogFile(path: string, options: FileOptions): Promise<{ records: number }> {
  const gen = new FlowLogGenerator(options);
  await mkdir(dirname(path), { recursive: true });
  const source = Readable.from(fileChunks(gen, options));
  if (options.gzip) await pipeline(source, createGzip({ level: 1 }), createWriteStream(path));
  else await pipeline(source, createWriteStream(path));
  return { records: options.records };
}

/** The file's text in chunks of 10,000 lines. */
function* fileChunks(gen: FlowLogGenerator, options: FileOptions): Generator<string> {
  const chunk: string[] = [];
  if (options.header !== false) chunk.push(gen.headerLine());
  for (let i = 0; i < options.records; i++) {
    chunk.push(gen.line(i / options.records));
    if (chunk.length >= 10_000) {
      yield chunk.join('\n') + '\n';
      chunk.length = 0;
    }
  }
  if (chunk.length) yield chunk.join('\n') + '\n';
}

export interface S3LayoutOptions extends GeneratorOptions {
  files: number;
  recordsPerFile: number;
}

/**
 * Many small gzip'd files where S3 delivery puts them:
 * `AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/<account>_vpcflowlogs_<region>_<fl-id>_<yyyymmddTHHmmZ>_<hash>.log.gz`,
 * one every five minutes, with the header line. Returns the file paths.
 */
export async function writeS3Layout(root: string, options: S3LayoutOptions): Promise<string[]> {
  const seed = options.seed ?? 1;
  const start = options.start ?? Date.UTC(2026, 2, 2) / 1000;
  const account = options.accountId ?? '123456789012';
  const region = options.region ?? 'us-east-1';
  const paths: string[] = [];
  for (let i = 0; i < options.files; i++) {
    const t = new Date((start + i * 300) * 1000);
    const yyyy = String(t.getUTCFullYear());
    const mm = String(t.getUTCMonth() + 1).padStart(2, '0');
    const dd = String(t.getUTCDate()).padStart(2, '0');
    const stamp = `${yyyy}${mm}${dd}T${String(t.getUTCHours()).padStart(2, '0')}${String(t.getUTCMinutes()).padStart(2, '0')}Z`;
    const hash = createHash('sha256').update(`${seed}/${i}`).digest('hex').slice(0, 8);
    const name = `${account}_vpcflowlogs_${region}_fl-0123456789abcdef0_${stamp}_${hash}.log.gz`;
    const path = join(root, 'AWSLogs', account, 'vpcflowlogs', region, yyyy, mm, dd, name);
    await writeFlowLogFile(path, {
      ...options,
      seed: seed * 100_003 + i,
      start: start + i * 300,
      span: 300,
      records: options.recordsPerFile,
      gzip: true,
    });
    paths.push(path);
  }
  return paths;
}
