/**
 * The VPC ranges `direction()` is relative to, in every dialect (through the `in_vpc*_` macros):
 *  - set in the workspace: the `meta` row `vpc_cidrs`, a JSON array of CIDR blocks (IPv4 and IPv6);
 *  - otherwise seen in the data: each ENI's own address is the one in most of its records (the source of an
 *    egress record, the destination of an ingress one, either end when `flow-direction` is absent), and the
 *    ranges are the /16 (IPv4) or /56 (IPv6, the block AWS gives a VPC) holding those addresses;
 *  - with no records to infer from, the private ranges (`DEFAULT_VPC_CIDRS`).
 * The inferred ranges are kept until the import ledger changes (the signal the panel cache uses too), in
 * memory and in `<file>.flowscope/vpc-ranges-inferred.json` with the ledger fingerprint they were inferred at:
 * inferring scans every record (3.8 s on a busy VPC's 10 million, 40 s on 100 million), which every process opening the
 * workspace (each `flowscope query` with `direction()`, the app, `serve`) paid again before.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_VPC_CIDRS } from '../../../queries/catalog/address-ranges';
import { expandIpv6, ipv4Text, parseCidr } from '../../../queries/catalog/ip';
import { FlowscopeError } from '../errors';
import { workspaceDirs } from './config';
import { readKeptFile, writeKeptFile } from './kept-file';
import type { Workspace } from './index';
import { ledgerFingerprint } from './ledger-fingerprint';

export type VpcRangeSource = 'workspace' | 'data' | 'default';

export interface VpcRangeSet {
  cidrs: string[];
  source: VpcRangeSource;
}

const META_KEY = 'vpc_cidrs';
/** Each block is a range test in every VPC macro; a VPC has at most 5 IPv4 and 5 IPv6 blocks. */
const MAX_CIDRS = 256;

/** Only these macros read the VPC ranges: a query that calls none of them needs no current ranges. */
export function usesVpcRanges(sql: string): boolean {
  return /\b(?:direction|in_vpc\w*)\s*\(/i.test(sql);
}

/** Trimmed, without repeats, every entry a CIDR block; otherwise the error names the first bad entry. */
function checkVpcCidrs(cidrs: readonly string[], code: 'bad_request' | 'workspace_incompatible'): string[] {
  const checked = [...new Set(cidrs.map((c) => c.trim()))];
  for (const cidr of checked) {
    if (!/\/\d+$/.test(cidr) || !parseCidr(cidr))
      throw new FlowscopeError(
        code,
        `"${cidr}" is not a CIDR block (an IPv4 or IPv6 address, a slash and a prefix length, e.g. 10.0.0.0/16 or 2600:1f18:abcd:ef00::/56).`,
        { cidr },
      );
  }
  if (checked.length > MAX_CIDRS)
    throw new FlowscopeError(code, `At most ${MAX_CIDRS} VPC ranges can be set; these are ${checked.length}.`);
  return checked;
}

/**
 * Per ENI and address family, the address in most of its records: one scan of each end, on the integer
 * `src_ip4`/`dst_ip4` for IPv4 and on the text only where those are NULL and the text is IPv6.
 */
function ownEndSql(ip4: string, text: string, otherDirection: string): string {
  return (
    `SELECT interface_id AS eni, ${ip4} AS ip4, CASE WHEN ${ip4} IS NULL AND contains(${text}, ':') THEN ${text} END AS ip6 ` +
    `FROM flows WHERE interface_id IS NOT NULL AND ${text} IS NOT NULL AND flow_direction IS DISTINCT FROM '${otherDirection}'`
  );
}

/**
 * Each ENI's most frequent address counted by a GROUP BY of ENI and address, then taken with `arg_max`: the
 * same answer as `mode()` per ENI, whose state is a map of counts per group, in a fraction of its time (a busy
 * VPC's 10 M records, 600 ENIs and 820,000 addresses, on a quiet machine: 3.8 s and 6.0 CPU-s against 8.3 s and
 * 14 CPU-s, the same address for every ENI; 100 M records: 40 s). DuckDB's `approx_top_k` was faster still but not right: merging its
 * threads' sketches put an address seen once before one seen twice.
 */
const INFER_VPC_SQL =
  `SELECT DISTINCT (arg_max(ip4, n) FILTER (WHERE ip4 IS NOT NULL) >> 16)::INTEGER AS block16, ` +
  `arg_max(ip6, n) FILTER (WHERE ip6 IS NOT NULL) AS ip6 FROM (SELECT eni, ip4, ip6, count(*) AS n FROM (` +
  `${ownEndSql('src_ip4', 'srcaddr', 'ingress')} UNION ALL ${ownEndSql('dst_ip4', 'dstaddr', 'egress')}) ` +
  `GROUP BY eni, ip4, ip6) GROUP BY eni`;

/**
 * The /56 holding an IPv6 address, written with its first four groups as RFC 5952 writes them: the zero groups
 * they end with are part of the `::` (`2600:1f18:abcd:ef00::/56`, `2001:db8:1::/56`, not `2001:db8:1:0::/56`).
 */
function ipv6Block56(address: string): string | undefined {
  const hex = expandIpv6(address);
  if (hex === undefined) return undefined;
  const prefix = `${hex.slice(0, 14)}00`;
  const groups = [0, 4, 8, 12].map((i) => prefix.slice(i, i + 4).replace(/^0+(?=.)/, ''));
  while (groups.at(-1) === '0') groups.pop();
  return `${groups.join(':')}::/56`;
}

/** IPv4 blocks first, each family in address order. */
export function inferredCidrs(rows: readonly { block16: number | null; ip6: string | null }[]): string[] {
  const v4 = [...new Set(rows.flatMap((r) => (r.block16 === null ? [] : [r.block16])))].sort((a, b) => a - b);
  const v6 = new Map<string, string>();
  for (const r of rows) {
    const cidr = r.ip6 === null ? undefined : ipv6Block56(r.ip6);
    if (cidr) v6.set(expandIpv6(cidr.split('/')[0]!)!, cidr);
  }
  return [
    ...v4.map((b) => `${ipv4Text(b * 65536)}/16`),
    ...[...v6.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, cidr]) => cidr),
  ];
}

export class VpcRanges {
  /** What `meta` holds (empty: not set); read once, then kept, since only this process writes the file. */
  private stored: Promise<string[]> | null = null;
  private inferred: { fingerprint: string; cidrs: Promise<string[]> } | null = null;

  constructor(private readonly workspace: Workspace) {}

  async current(): Promise<VpcRangeSet> {
    const stored = await this.storedCidrs();
    if (stored.length) return { cidrs: stored, source: 'workspace' };
    const fingerprint = await ledgerFingerprint(this.workspace);
    if (this.inferred?.fingerprint !== fingerprint) {
      const cidrs = this.infer(fingerprint);
      this.inferred = { fingerprint, cidrs };
      cidrs.catch(() => {
        if (this.inferred?.cidrs === cidrs) this.inferred = null;
      });
    }
    const cidrs = await this.inferred.cidrs;
    return cidrs.length ? { cidrs, source: 'data' } : { cidrs: [...DEFAULT_VPC_CIDRS], source: 'default' };
  }

  /** Stores the list in the workspace; an empty list clears it, and the ranges seen in the data apply again. */
  async set(cidrs: readonly string[]): Promise<VpcRangeSet> {
    const checked = checkVpcCidrs(cidrs, 'bad_request');
    await this.workspace.transaction(async (tx) => {
      await tx.run(`DELETE FROM meta WHERE key = $1`, [META_KEY]);
      if (checked.length) await tx.run(`INSERT INTO meta VALUES ($1, $2)`, [META_KEY, JSON.stringify(checked)]);
    });
    this.stored = Promise.resolve(checked);
    return this.current();
  }

  private storedCidrs(): Promise<string[]> {
    this.stored ??= this.readStored();
    return this.stored;
  }

  private async readStored(): Promise<string[]> {
    const [row] = await this.workspace.all<{ value: string }>(`SELECT value FROM meta WHERE key = $1`, [META_KEY]);
    if (!row) return [];
    let list: unknown;
    try {
      list = JSON.parse(row.value);
    } catch {
      list = null;
    }
    // A shared file may hold anything here: say so, rather than compute directions against something else.
    if (!Array.isArray(list) || !list.every((c) => typeof c === 'string'))
      throw new FlowscopeError(
        'workspace_incompatible',
        `The workspace's VPC ranges (meta ${META_KEY}) are not a list of CIDR blocks; set them again.`,
      );
    return checkVpcCidrs(list, 'workspace_incompatible');
  }

  private async infer(fingerprint: string): Promise<string[]> {
    const kept = this.keptInferred(fingerprint);
    if (kept) return kept;
    const cidrs = inferredCidrs(
      await this.workspace.all<{ block16: number | null; ip6: string | null }>(INFER_VPC_SQL),
    );
    this.keepInferred(fingerprint, cidrs);
    return cidrs;
  }

  private get keptFile(): string {
    return join(workspaceDirs(this.workspace.path).root, 'vpc-ranges-inferred.json');
  }

  /** The ranges a process inferred at this state of the ledger; anything else in the file is ignored. */
  private keptInferred(fingerprint: string): string[] | null {
    try {
      const kept = JSON.parse(readKeptFile(this.keptFile) ?? 'null') as { fingerprint?: unknown; cidrs?: unknown };
      if (kept.fingerprint !== fingerprint || !Array.isArray(kept.cidrs)) return null;
      return checkVpcCidrs(kept.cidrs as string[], 'workspace_incompatible');
    } catch {
      return null;
    }
  }

  /** Best effort: a file that cannot be written only means the next process infers again. */
  private keepInferred(fingerprint: string, cidrs: readonly string[]): void {
    try {
      mkdirSync(workspaceDirs(this.workspace.path).root, { recursive: true });
      // Never through a link planted beside a shared workspace (kept-file.ts).
      writeKeptFile(this.keptFile, JSON.stringify({ fingerprint, cidrs }));
    } catch {
      // See above.
    }
  }
}

const perWorkspace = new WeakMap<Workspace, VpcRanges>();

/** The one VpcRanges of a workspace, shared by the engine's channels and the query runner. */
export function vpcRangesOf(workspace: Workspace): VpcRanges {
  let ranges = perWorkspace.get(workspace);
  if (!ranges) perWorkspace.set(workspace, (ranges = new VpcRanges(workspace)));
  return ranges;
}
