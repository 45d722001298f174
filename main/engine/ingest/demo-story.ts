/**
 * What happens in the demo VPC, so that the built-in dashboards tell a story on first start: a daily rhythm
 * (quiet at night, busy in the afternoon, UTC), an SSH brute force and a port scan from the internet, a NAT
 * gateway carrying the private subnets' internet traffic, a data transfer burst out of one host, and an ENI
 * whose logging stops for a few hours (NODATA). Times are offsets from the story's first day, so one story
 * spans the demo's day files. An event adds records on top of the usual traffic (the time of records crowds
 * into its window), so a scan is a spike, not a dip in everything else. Used by the generator when `story` is set; the benchmarks and tests that count
 * generated records keep the plain, even mix.
 */

/** Where an event writes its record: the generator's value slots by name. */
export interface EventRecord {
  srcaddr: string;
  dstaddr: string;
  srcport: number;
  dstport: number;
  protocol: number;
  packets: number;
  bytes: number;
  action: 'ACCEPT' | 'REJECT';
  inbound: boolean;
}

export interface StoryEvent {
  name: string;
  /** Seconds after the story's first day. */
  from: number;
  to: number;
  /** Records per minute it adds on top of the usual traffic, as a multiple of the busiest hour's rate. */
  boost: number;
  /** Index of the ENI it happens on (the generator's eight). */
  eni: number;
  record(random: () => number, at: number): EventRecord;
}

const H = 3600;
const D = 86_400;

/** Documentation and well-known scanner addresses, so no real host is named as an attacker. */
export const BRUTE_FORCE_SOURCE = '185.220.101.45';
export const SCANNER = '45.33.32.156';
export const EXFIL_PEER = '203.0.113.50';
/** The NAT gateway's ENI and private address in the public subnet. */
export const NAT_ENI = {
  id: 'eni-0a7a7a7a7a7a7a7a7',
  ip: '10.0.0.5',
  subnet: 'subnet-0a1b2c3d4e5f60000',
  az: 'use1-az1',
};

const STORY_EVENTS: readonly StoryEvent[] = [
  {
    name: 'SSH brute force',
    from: 2 * H + 10 * 60,
    to: 3 * H + 40 * 60,
    boost: 1.5,
    eni: 0,
    record: (r) => ({
      srcaddr: BRUTE_FORCE_SOURCE,
      dstaddr: '',
      srcport: 32768 + Math.floor(r() * 28000),
      dstport: 22,
      protocol: 6,
      packets: 1 + Math.floor(r() * 3),
      bytes: 60 + Math.floor(r() * 120),
      action: r() < 0.97 ? 'REJECT' : 'ACCEPT',
      inbound: true,
    }),
  },
  {
    name: 'port scan',
    from: D + 13 * H,
    to: D + 13 * H + 25 * 60,
    boost: 4,
    eni: 3,
    // Ports in order through the window, as a sequential scan goes.
    record: (r, at) => ({
      srcaddr: SCANNER,
      dstaddr: '',
      srcport: 40000 + Math.floor(r() * 20),
      dstport: 1 + Math.floor(((at - (D + 13 * H)) / (25 * 60)) * 1024),
      protocol: 6,
      packets: 1,
      bytes: 44,
      action: 'REJECT',
      inbound: true,
    }),
  },
  {
    name: 'data transfer burst',
    from: 2 * D + 9 * H,
    to: 2 * D + 9 * H + 40 * 60,
    boost: 0.6,
    eni: 5,
    record: (r) => {
      const packets = 20_000 + Math.floor(r() * 40_000);
      return {
        srcaddr: '',
        dstaddr: EXFIL_PEER,
        srcport: 32768 + Math.floor(r() * 28000),
        dstport: 443,
        protocol: 6,
        packets,
        bytes: packets * 1400,
        action: 'ACCEPT',
        inbound: false,
      };
    },
  },
];

/** The ENI whose logging stops, and when (its records in the window are NODATA). */
export const QUIET_ENI = { eni: 6, from: D + 20 * H, to: D + 23 * H };

/** Share of outbound internet traffic that leaves through the NAT gateway (its ENI's record of it). */
export const NAT_SHARE = 0.5;

/** How busy an hour of the day is (UTC): 0.3 at 03:00, 1 at 15:00. */
function busyness(hourOfDay: number): number {
  return 0.3 + 0.7 * (0.5 - 0.5 * Math.cos((2 * Math.PI * (hourOfDay - 3)) / 24));
}

/** The event happening `at` seconds after the story's origin, if any. */
export function eventAt(at: number): StoryEvent | undefined {
  return STORY_EVENTS.find((e) => at >= e.from && at < e.to);
}

/** How many records a minute gets at `at` seconds after the origin: the hour's traffic plus any event's. */
export function density(at: number): number {
  const hour = (((at % D) + D) % D) / H;
  return busyness(hour) + (eventAt(at)?.boost ?? 0);
}

/**
 * Maps a position in a span (0..1, records spread evenly) to seconds into it, so that records crowd into
 * the busy hours and the events: the inverse of the span's cumulative density, minute by minute.
 * `start` is the span's first second as an offset from the story's origin.
 */
export function storyTime(start: number, span: number): (position: number) => number {
  const minutes = Math.max(1, Math.ceil(span / 60));
  const cumulative = new Float64Array(minutes + 1);
  for (let i = 0; i < minutes; i++) cumulative[i + 1] = cumulative[i]! + density(start + i * 60 + 30);
  const total = cumulative[minutes]!;
  return (position) => {
    const want = position * total;
    let lo = 0;
    let hi = minutes;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid + 1]! <= want) lo = mid + 1;
      else hi = mid;
    }
    const within = (want - cumulative[lo]!) / (cumulative[lo + 1]! - cumulative[lo]! || 1);
    return Math.min(span - 1, (lo + within) * 60);
  };
}
