/** IANA protocol numbers and transport port service names, from the generated registry data. */
import { IANA_PROTOCOLS } from './generated/iana-protocols';
import { IANA_SERVICES } from './generated/iana-services';

export type Transport = keyof typeof IANA_SERVICES;

const keywordByNumber = new Map(IANA_PROTOCOLS.map(([n, keyword]) => [n, keyword]));
const numberByKeyword = new Map(IANA_PROTOCOLS.filter(([, k]) => k).map(([n, keyword]) => [keyword.toLowerCase(), n]));
// The name analysts use for IPv6-ICMP.
numberByKeyword.set('icmpv6', 58);

/** `6` → `TCP`; null for a number IANA has not assigned a keyword to. */
export function protocolName(protocol: number): string | null {
  return keywordByNumber.get(protocol) || null;
}

/** A protocol as analysts write it, by number (`6`, `"6"`) or IANA keyword (`tcp`, `IPv6-ICMP`, `icmpv6`). */
export function protocolNumber(protocol: number | string): number | null {
  if (typeof protocol === 'number')
    return Number.isInteger(protocol) && protocol >= 0 && protocol <= 255 ? protocol : null;
  if (/^\d{1,3}$/.test(protocol)) return Number(protocol) <= 255 ? Number(protocol) : null;
  return numberByKeyword.get(protocol.toLowerCase()) ?? null;
}

/** The transport whose port registry applies to an IP protocol number (TCP 6, UDP 17, SCTP 132). */
function transportOf(protocol: number): Transport | null {
  return protocol === 6 ? 'tcp' : protocol === 17 ? 'udp' : protocol === 132 ? 'sctp' : null;
}

const servicesByTransport = new Map<Transport, Map<number, string>>();

/** Every IANA service name of a transport, by port. */
export function serviceTable(transport: Transport): ReadonlyMap<number, string> {
  let table = servicesByTransport.get(transport);
  if (!table) {
    table = new Map();
    for (const pair of IANA_SERVICES[transport].split(' ')) {
      const colon = pair.indexOf(':');
      table.set(Number(pair.slice(0, colon)), pair.slice(colon + 1));
    }
    servicesByTransport.set(transport, table);
  }
  return table;
}

/** `serviceName(22, 6)` → `ssh`; null when IANA names no service there, or the protocol has no ports. */
export function serviceName(port: number, protocol: number): string | null {
  const transport = transportOf(protocol);
  return transport ? (serviceTable(transport).get(port) ?? null) : null;
}
