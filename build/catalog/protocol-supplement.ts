/**
 * Changes IANA made to the Assigned Internet Protocol Numbers registry after the snapshot the npm
 * package `protocol-numbers` ships (2012, and the only package of that registry). The package stays the
 * source for every other number; this list is checked against
 * https://www.iana.org/assignments/protocol-numbers/ and only overrides what it knows the snapshot says:
 * each entry records the snapshot's keyword (`''` where the snapshot still reads "Unassigned"), and the
 * generator fails if the package says anything else for that number, so a newer package cannot be
 * silently overridden by a stale entry here. Where the package has caught up (same keyword) it wins.
 *
 * Known and left as the package has them: the descriptions of 84 (IPTM) and 122 (SM), which differ in
 * wording only.
 */
export interface ProtocolSupplementEntry {
  number: number;
  keyword: string;
  description: string;
  /** The registry entry's reference, as IANA lists it. */
  reference: string;
  /** What `protocol-numbers` says for this number (keyword, without " (deprecated)"). */
  snapshotKeyword: string;
}

export const PROTOCOL_SUPPLEMENT: readonly ProtocolSupplementEntry[] = [
  // Renamed: IANA replaced the "IP Mobility" keyword MOBILE with Minimal IPv4 Encapsulation's.
  {
    number: 55,
    keyword: 'Min-IPv4',
    description: 'Minimal IPv4 Encapsulation',
    reference: 'RFC 2004',
    snapshotKeyword: 'MOBILE',
  },
  { number: 143, keyword: 'Ethernet', description: 'Ethernet', reference: 'RFC 8986', snapshotKeyword: '' },
  {
    number: 144,
    keyword: 'AGGFRAG',
    description: 'AGGFRAG encapsulation payload for ESP',
    reference: 'RFC 9347',
    snapshotKeyword: '',
  },
  { number: 145, keyword: 'NSH', description: 'Network Service Header', reference: 'RFC 9491', snapshotKeyword: '' },
  // Registered without an RFC; the Linux Homa module uses it as IPPROTO_HOMA.
  {
    number: 146,
    keyword: 'Homa',
    description: 'Homa',
    reference: 'registered by John Ousterhout, no RFC',
    snapshotKeyword: '',
  },
];
