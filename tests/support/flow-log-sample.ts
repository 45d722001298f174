/**
 * A deterministic sample of default-format flow-log lines for checking published queries' answers: a VPC
 * (10.0.0.0/16) with a handful of interfaces and two accounts, internet peers (IPv4 and IPv6), TCP, UDP,
 * ICMP, IPv6-in-IPv4 and ESP, the insecure and database ports the PCI app asks about, rejects, and NODATA
 * and SKIPDATA records. Three quiet days of background, then a busy last hour (a burst of rejects in it),
 * so that per-minute panels, outliers, forecasts and day-over-day comparisons all have something to say.
 */
import { rng } from '../../main/engine/ingest/generator';

/** 2026-03-05T00:00:00Z: the start of the busy hour's day. */
export const SAMPLE_DAY = Date.UTC(2026, 2, 5) / 1000;
/** The busy hour: [BUSY_FROM, BUSY_TO) in Unix seconds. */
export const BUSY_FROM = SAMPLE_DAY + 10 * 3600;
export const BUSY_TO = BUSY_FROM + 3600;

const ACCOUNTS = ['123456789012', '210987654321'];
const INTERFACES = ['eni-0a1b2c3d', 'eni-0b2c3d4e', 'eni-0c3d4e5f', 'eni-0d4e5f60', 'eni-0e5f6071'];
const PRIVATE = ['10.0.1.10', '10.0.1.11', '10.0.2.20', '10.0.2.21', '10.0.3.30', '172.31.5.5', '192.168.7.7'];
const PUBLIC = [
  '198.51.100.7',
  '198.51.100.23',
  '203.0.113.5',
  '203.0.113.77',
  '192.0.2.44',
  '8.8.8.8',
  '52.95.110.1',
  '54.239.28.85',
  '2600:1f18:4a3:6902::5',
  '2001:db8::17',
];
/** Destination ports with their protocol; ICMP and ESP have none (0). */
const SERVICES: [port: number, protocol: number][] = [
  [443, 6],
  [443, 6],
  [443, 6],
  [80, 6],
  [80, 6],
  [22, 6],
  [22, 6],
  [3389, 6],
  [53, 17],
  [53, 17],
  [123, 17],
  [21, 6],
  [23, 6],
  [8080, 6],
  [8008, 6],
  [513, 6],
  [3306, 6],
  [5432, 6],
  [1433, 6],
  [5439, 6],
  [0, 1],
  [0, 1],
  [0, 41],
  [0, 4],
  [0, 50],
];

/** The lines (without the header), in time order. */
export function flowLogSample(seed = 7): string[] {
  const next = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const times: number[] = [];
  // Background: three days before the busy hour's day, one record every ~10 minutes.
  for (let t = SAMPLE_DAY - 3 * 86400; t < BUSY_FROM; t += 300 + Math.floor(next() * 600)) times.push(t);
  // The busy hour: about 20 records a minute, 60 more in its 40th minute.
  for (let t = BUSY_FROM; t < BUSY_TO; t += 1 + Math.floor(next() * 5)) times.push(t);
  for (let i = 0; i < 60; i++) times.push(BUSY_FROM + 40 * 60 + Math.floor(next() * 60));
  times.sort((a, b) => a - b);
  return times.map((start) => {
    const account = pick(ACCOUNTS);
    const eni = pick(INTERFACES);
    const end = start + 10 + Math.floor(next() * 50);
    const roll = next();
    if (roll < 0.04)
      return `2 ${account} ${eni} - - - - - - - ${start} ${end} - ${roll < 0.025 ? 'NODATA' : 'SKIPDATA'}`;
    const burst = start >= BUSY_FROM + 40 * 60 && start < BUSY_FROM + 41 * 60;
    const [port, protocol] = burst ? ([22, 6] as const) : pick(SERVICES);
    const direction = next();
    const inside = pick(PRIVATE);
    const [src, dst] =
      direction < 0.45 ? [pick(PUBLIC), inside] : direction < 0.8 ? [inside, pick(PUBLIC)] : [inside, pick(PRIVATE)];
    const ephemeral = 32768 + Math.floor(next() * 28000);
    const [srcport, dstport] = port === 0 ? [0, 0] : [ephemeral, port];
    const packets = 1 + Math.floor(next() * 40);
    const bytes = packets * (40 + Math.floor(next() * 1400));
    const action = burst || next() < 0.2 ? 'REJECT' : 'ACCEPT';
    return `2 ${account} ${eni} ${src} ${dst} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} OK`;
  });
}

/** The sample as an S3-delivered file: the header line, then the records. */
export function flowLogSampleFile(seed = 7): string {
  const header =
    'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  return `${header}\n${flowLogSample(seed).join('\n')}\n`;
}
