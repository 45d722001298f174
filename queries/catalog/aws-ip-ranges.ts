/**
 * AWS's `ip-ranges.json` (https://ip-ranges.amazonaws.com/ip-ranges.json) as disjoint address ranges with
 * one service and region each, for `aws_service`/`aws_region` (`address-data.ts`).
 *
 * The file lists overlapping prefixes: every address of AWS under `AMAZON`, and narrower (or equal) prefixes
 * under the service that uses them (`EC2`, `S3`, `CLOUDFRONT`, …). An address is given the most specific
 * prefix that holds it, and for equal prefixes a named service rather than `AMAZON`, which is how AWS
 * documents reading the file ("AMAZON" is the superset).
 */
import { parseCidr } from './ip';

export interface AwsIpRanges {
  syncToken: string;
  createDate: string;
  /** Disjoint, in address order: IPv4 as integers, IPv6 as 32 hex digits. */
  ipv4: { lo: number; hi: number; service: string; region: string }[];
  ipv6: { lo: string; hi: string; service: string; region: string }[];
}

interface Prefix {
  lo: bigint;
  hi: bigint;
  bits: number;
  service: string;
  region: string;
}

/** Parses the file's text; a file that is not AWS's format is an Error naming what is wrong. */
export function parseAwsIpRanges(text: string): AwsIpRanges {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`it is not JSON (${(err as Error).message})`, { cause: err });
  }
  const d = doc as { syncToken?: unknown; createDate?: unknown; prefixes?: unknown; ipv6_prefixes?: unknown };
  if (typeof d !== 'object' || d === null || !Array.isArray(d.prefixes) || !Array.isArray(d.ipv6_prefixes))
    throw new Error('it has no "prefixes" and "ipv6_prefixes" lists, as AWS\'s ip-ranges.json does');
  const read = (list: unknown[], key: 'ip_prefix' | 'ipv6_prefix', family: 4 | 6): Prefix[] =>
    list.map((entry, i) => {
      const e = entry as Record<string, unknown>;
      const cidr = e[key];
      const range = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
      if (!range || range.family !== family || typeof e.service !== 'string' || typeof e.region !== 'string')
        throw new Error(
          `entry ${i + 1} of "${family === 4 ? 'prefixes' : 'ipv6_prefixes'}" is not {${key}, region, service}`,
        );
      const lo = range.family === 4 ? BigInt(range.lo) : BigInt(`0x${range.lo}`);
      const hi = range.family === 4 ? BigInt(range.hi) : BigInt(`0x${range.hi}`);
      return {
        lo,
        hi,
        bits: Number((cidr as string).split('/')[1] ?? (family === 4 ? 32 : 128)),
        service: e.service,
        region: e.region,
      };
    });
  const hex = (n: bigint) => n.toString(16).padStart(32, '0');
  return {
    syncToken: String(d.syncToken ?? ''),
    createDate: String(d.createDate ?? ''),
    ipv4: flatten(read(d.prefixes, 'ip_prefix', 4)).map((p) => ({ ...p, lo: Number(p.lo), hi: Number(p.hi) })),
    ipv6: flatten(read(d.ipv6_prefixes, 'ipv6_prefix', 6)).map((p) => ({ ...p, lo: hex(p.lo), hi: hex(p.hi) })),
  };
}

/** Prefers a named service over AMAZON for the same prefix. */
function better(a: Prefix, b: Prefix): Prefix {
  return a.service === 'AMAZON' && b.service !== 'AMAZON' ? b : a;
}

/**
 * CIDR prefixes nest or do not meet, so a walk in address order with a stack of the prefixes that hold the
 * current address gives each address its innermost prefix.
 */
function flatten(prefixes: Prefix[]): { lo: bigint; hi: bigint; service: string; region: string }[] {
  const sorted = [...prefixes].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : a.bits - b.bits));
  const out: { lo: bigint; hi: bigint; service: string; region: string }[] = [];
  const stack: Prefix[] = [];
  let cursor = 0n;
  const emitUntil = (end: bigint) => {
    while (cursor < end && stack.length) {
      const top = stack.at(-1)!;
      if (top.hi < cursor) {
        stack.pop();
        continue;
      }
      const last = top.hi < end - 1n ? top.hi : end - 1n;
      const prev = out.at(-1);
      if (prev && prev.hi + 1n === cursor && prev.service === top.service && prev.region === top.region) prev.hi = last;
      else out.push({ lo: cursor, hi: last, service: top.service, region: top.region });
      cursor = last + 1n;
    }
    if (cursor < end) cursor = end;
  };
  for (const p of sorted) {
    emitUntil(p.lo);
    const top = stack.at(-1);
    if (top && top.lo === p.lo && top.hi === p.hi) stack[stack.length - 1] = better(top, p);
    else stack.push(p);
  }
  emitUntil(1n << 128n);
  return out;
}

/** The ranges as CSV lines (`lo,hi,service,region`), addresses as integers (IPv6 as 128-bit ones). */
export function awsIpRangesCsv(ranges: AwsIpRanges): { ipv4: string; ipv6: string } {
  const line = (lo: number | bigint, hi: number | bigint, service: string, region: string) =>
    `${lo},${hi},${service},${region}\n`;
  return {
    ipv4: ranges.ipv4.map((r) => line(r.lo, r.hi, r.service, r.region)).join(''),
    ipv6: ranges.ipv6.map((r) => line(BigInt(`0x${r.lo}`), BigInt(`0x${r.hi}`), r.service, r.region)).join(''),
  };
}
