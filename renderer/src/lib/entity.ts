/**
 * What the entity view is about: an IP address, an ENI or a port, read from what the analyst typed or
 * clicked, and where it lives in the URL (`#entity/<value>`, so Back returns and a reload stays). Only a
 * value that parses as one of the three becomes an entity, in one canonical text (the way flow logs write
 * it), so whatever reaches a query is a plain address, `eni-` and hex digits, or a number.
 */
import type { CellValue } from '../../../preload/contract';
import { expandIpv6, ipv4Text, ipv6Text, parseIpv4 } from '../../../queries/catalog/ip';
import type { ColumnKind } from '../../../queries/chart/column-kind';

export type EntityKind = 'ip' | 'eni' | 'port';

export interface Entity {
  kind: EntityKind;
  /** Canonical text: `10.0.1.5`, `2001:db8::1`, `eni-0a1b2c3d`, `22`. */
  value: string;
}

const ENTITY_HASH = '#entity/';

const ENI = /^eni-[0-9a-f]{1,32}$/;

/** An address, an ENI id or a port number (0–65535), or null when the text is none of them. */
export function parseEntity(text: string): Entity | null {
  const t = text.trim();
  if (/^\d{1,5}$/.test(t)) return Number(t) <= 65535 ? { kind: 'port', value: String(Number(t)) } : null;
  const v4 = parseIpv4(t);
  if (v4 !== undefined) return { kind: 'ip', value: ipv4Text(v4) };
  const v6 = expandIpv6(t);
  if (v6 !== undefined) return { kind: 'ip', value: ipv6Text(v6) };
  const eni = t.toLowerCase();
  return ENI.test(eni) ? { kind: 'eni', value: eni } : null;
}

export function entityHref(entity: Entity): string {
  return `${ENTITY_HASH}${encodeURIComponent(entity.value)}`;
}

export function entityFromHash(hash: string): Entity | null {
  if (!hash.startsWith(ENTITY_HASH)) return null;
  try {
    return parseEntity(decodeURIComponent(hash.slice(ENTITY_HASH.length)));
  } catch {
    return null;
  }
}

/** The entity a result cell names: an address, an ENI or a port column's value, when it parses as one. */
export function entityOfCell(kind: ColumnKind, value: CellValue): Entity | null {
  if (value === null || typeof value === 'object' || typeof value === 'boolean') return null;
  if (kind !== 'ip' && kind !== 'eni' && kind !== 'port') return null;
  const entity = parseEntity(String(value));
  return entity?.kind === kind ? entity : null;
}

export const ENTITY_KIND_NAMES: Record<EntityKind, string> = {
  ip: 'IP address',
  eni: 'Network interface',
  port: 'Port',
};
