/**
 * What each panel and saved search of Sumo Logic's published "AWS VPC Flow Logs" app answers over a file of
 * default-format flow-log lines, computed from the lines by the independent reader
 * (`tests/support/logged-records.ts`), never from Flowscope's own output; and the suite that runs every
 * query of the app verbatim on a workspace imported from such a file and compares. The development sample
 * (`sumo-vpc-app.test.ts`) and the held-out files (`sumo-vpc-held-out.test.ts`) share it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertRows,
  assertTop,
  groupBy,
  num,
  outlier,
  percentile,
  predictLinear,
  readLogged,
  slice,
  sortRows,
  sum,
  transpose,
  type Logged,
  type Row,
} from '../../support/logged-records';
import { SUMO_VPC_APP } from '../../fixtures/published-queries/sumo-apps';
import { filled, openSampleWorkspace, type SampleWorkspace } from './sample-workspace';

export type Check =
  | { rows: Row[]; ordered?: boolean; columns?: string[]; descending?: string }
  | { top: Row[]; n: number; value: string; keys: string[] }
  | { geo: true };

const MINUTE = 60;
const time = (r: Logged) => Number(r.startsample);
const count = (records: readonly Logged[], keys: string[], as = '_count'): Row[] =>
  groupBy(
    records,
    (r) => keys.map((k) => r[k.toLowerCase()]!),
    (rs) => ({ ...Object.fromEntries(keys.map((k) => [k, rs[0]![k.toLowerCase()]!])), [as]: rs.length }),
  );
const perMinute = (records: readonly Logged[], as: string, value: (rs: Logged[]) => number): Row[] =>
  groupBy(
    records,
    (r) => [slice(time(r), MINUTE)],
    (rs) => ({ _timeslice: slice(time(rs[0]!), MINUTE), [as]: value(rs) }),
  ).sort((a, b) => Number(a._timeslice) - Number(b._timeslice));
const sumOf = (field: string) => (rs: Logged[]) => sum(rs.map((r) => num(r[field])));
const rejects = (r: readonly Logged[]) => r.filter((x) => x.action === 'REJECT');
/** The app's `if(protocol="1","ICMP", protocol) as protocol | …` chain. */
const protocolName = (p: string) => ({ '1': 'ICMP', '6': 'TCP', '17': 'UDP', '4': 'IPv4', '41': 'IPv6' })[p] ?? p;
const withProtocolNames = (r: readonly Logged[]) => r.map((x) => ({ ...x, protocol: protocolName(x.protocol!) }));
const overTime = (records: readonly Logged[], column: string, as: string): Row[] => {
  const counted = groupBy(
    records,
    (r) => [r[column]!, slice(time(r), MINUTE)],
    (rs) => ({ [column]: rs[0]![column]!, _timeslice: slice(time(rs[0]!), MINUTE), [as]: rs.length }),
  );
  // `sort by _timeslice` is descending in Sumo.
  return transpose(sortRows(counted, '_timeslice'), '_timeslice', column, as);
};
const byMb = (records: readonly Logged[], key: string) =>
  count(records, [key]).map((g) => ({
    [key]: g[key]!,
    MB: sum(records.filter((r) => r[key] === g[key]).map((r) => num(r.bytes))) / (1024 * 1024),
  }));
const duration = (x: Logged) => Number(x.endsample) - Number(x.startsample);
/** formatDate(fromSeconds(t), "MM-dd-yyyy hh:mm") and "MM/dd/yy HH:mm", in UTC. */
const formatted = (t: number, slashes: boolean) => {
  const d = new Date(t * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  const hour = slashes ? d.getUTCHours() : d.getUTCHours() % 12 || 12;
  return slashes
    ? `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${p(d.getUTCFullYear() % 100)} ${p(hour)}:${p(d.getUTCMinutes())}`
    : `${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${d.getUTCFullYear()} ${p(hour)}:${p(d.getUTCMinutes())}`;
};

/** The answer of each panel (by name, and by dashboard where two dashboards differ), from the lines. */
export const EXPECTED: Record<string, (r: Logged[]) => Check> = {
  Actions: (r) => ({
    rows: count(
      r.filter((x) => x.action !== '-'),
      ['Action'],
    ),
  }),
  'Actions by Destination Address Over Time': (r) => ({ rows: overTime(r, 'dest_ip', 'ACTIONS'), ordered: true }),
  'Actions by InterfaceID': (r) => ({ rows: count(r, ['interfaceID']) }),
  'Actions by Minute - Outlier': (r) => ({
    rows: outlier(
      perMinute(r, 'action', (rs) => rs.length),
      'action',
    ),
    ordered: true,
  }),
  'Actions by Minute - Trend': (r) => ({
    rows: predictLinear(
      perMinute(r, 'action', (rs) => rs.length),
      'action',
      MINUTE * 1000,
      5,
    ),
    ordered: true,
  }),
  'Actions by Source Address Over Time': (r) => ({ rows: overTime(r, 'src_ip', 'ACTIONS'), ordered: true }),
  'Bytes by Minute - Outlier': (r) => ({
    rows: outlier(perMinute(r, 'bytes', sumOf('bytes')), 'bytes'),
    ordered: true,
  }),
  'Bytes by Minute - Trend': (r) => ({
    rows: predictLinear(perMinute(r, 'bytes', sumOf('bytes')), 'bytes', MINUTE * 1000, 5),
    ordered: true,
  }),
  'Flow Durations': (r) => ({
    // Grouped by the formatted times (to the minute), so records a few seconds apart fall together.
    rows: groupBy(
      r,
      (x) => [x.src_ip!, formatted(Number(x.startsample), false), formatted(Number(x.endsample), true), duration(x)],
      (rs) => ({
        src_ip: rs[0]!.src_ip!,
        startsample: formatted(Number(rs[0]!.startsample), false),
        endsample: formatted(Number(rs[0]!.endsample), true),
        flow_time: duration(rs[0]!),
        _count: rs.length,
      }),
    ),
    descending: 'flow_time',
  }),
  'Flow Record Count by Destination Address': (r) => ({ rows: count(r, ['dest_ip']) }),
  'Flow Record Count by Source Address': (r) => ({ rows: count(r, ['src_ip']) }),
  'Flow Records by InterfaceID': (r) => ({ rows: count(r, ['interfaceID'], 'Records') }),
  'Flow Records per Protocol by Hour': (r) => ({
    rows: transpose(
      groupBy(
        withProtocolNames(r),
        (x) => [x.protocol!, slice(time(x), 3600)],
        (rs) => ({ Protocol: rs[0]!.protocol!, _timeslice: slice(time(rs[0]!), 3600), _count: rs.length }),
      ),
      '_timeslice',
      'Protocol',
      '_count',
    ),
  }),
  'Log Status': (r) => ({ rows: count(r, ['status']) }),
  'Max Flow Time': (r) => ({ rows: [{ _max: Math.max(...r.map(duration)) }], columns: ['_max'] }),
  'Packets Box Plot': (r) => ({
    rows: groupBy(
      r,
      (x) => [slice(time(x), MINUTE)],
      (rs) => {
        const packets = rs.map((x) => num(x.packets)).filter((p): p is number => p !== null);
        return {
          _timeslice: slice(time(rs[0]!), MINUTE),
          _min: packets.length ? Math.min(...packets) : null,
          _Packets_pct_25: percentile(packets, 25),
          _Packets_pct_50: percentile(packets, 50),
          _Packets_pct_75: percentile(packets, 75),
          _max: packets.length ? Math.max(...packets) : null,
        };
      },
    ),
  }),
  'Packets by Minute - Outlier': (r) => ({
    rows: outlier(perMinute(r, 'packets', sumOf('packets')), 'packets'),
    ordered: true,
  }),
  'Packets by Minute - Trend | Amazon VPC Flow Logs - Live - Traffic - New': (r) => ({
    rows: predictLinear(
      perMinute(r, 'packets', (rs) => rs.length),
      'packets',
      MINUTE * 1000,
      5,
    ),
    ordered: true,
  }),
  'Packets by Minute - Trend | Amazon VPC Flow Logs - Interactive - Traffic - New': (r) => ({
    rows: predictLinear(perMinute(r, 'packets', sumOf('packets')), 'packets', MINUTE * 1000, 5),
    ordered: true,
  }),
  'Rejections per Minute': (r) => ({
    rows: perMinute(rejects(r), '_count', (rs) => rs.length),
  }),
  'REJECTs by InterfaceID, Destination Address': (r) => ({
    rows: sortRows(count(rejects(r), ['interfaceID', 'dest_ip']), '_count'),
  }),
  'REJECTs by Minute - Outlier': (r) => ({
    rows: outlier(
      perMinute(rejects(r), 'drops', (rs) => rs.length),
      'drops',
      { window: 10, threshold: 3 },
    ),
    ordered: true,
  }),
  'REJECTs by Minute - Trend': (r) => ({
    rows: predictLinear(
      perMinute(rejects(r), 'drops', (rs) => rs.length),
      'drops',
      MINUTE * 1000,
      5,
    ),
    ordered: true,
  }),
  'REJECTs by Source Address': (r) => ({ rows: overTime(rejects(r), 'src_ip', 'REJECTS'), ordered: true }),
  'Source Address Locations': () => ({ geo: true }),
  'Source Address Locations - REJECTs': () => ({ geo: true }),
  'Top 10 Actions by Protocol': (r) => {
    const groups = count(withProtocolNames(r.filter((x) => x.action !== '-' && x.action !== '')), [
      'Action',
      'Protocol',
    ]);
    const top = sortRows(groups, '_count').slice(0, 10);
    assert.ok(
      groups.length <= 10 || Number(top[9]!._count) > Number(sortRows(groups, '_count')[10]!._count),
      'the sample has no tie at the 10th group',
    );
    return { rows: transpose(top, 'Protocol', 'Action', '_count') };
  },
  'Top 10 Destination Addresses by MB': (r) => ({ top: byMb(r, 'dest_ip'), n: 10, value: 'MB', keys: ['dest_ip'] }),
  'Top 10 Destination Ports by Flow Record': (r) => ({
    top: count(r, ['dest_port'], 'Records'),
    n: 10,
    value: 'Records',
    keys: ['dest_port'],
  }),
  'Top 10 Ports by Action': (r) => {
    const groups = sortRows(
      count(
        r.filter((x) => x.dest_port !== '-' && x.dest_port !== ''),
        ['Action', 'dest_port'],
      ),
      '_count',
    );
    assert.ok(groups.length <= 10 || Number(groups[9]!._count) > Number(groups[10]!._count), 'no tie at the 10th');
    return { rows: transpose(groups.slice(0, 10), 'Action', 'dest_port', '_count') };
  },
  'Top 10 REJECT Destination Addresses': (r) => ({
    top: count(rejects(r), ['dest_ip']),
    n: 10,
    value: '_count',
    keys: ['dest_ip'],
  }),
  'Top 10 REJECT Destination Addresses, Ports': (r) => ({
    top: count(rejects(r), ['dest_ip', 'dest_port']),
    n: 10,
    value: '_count',
    keys: ['dest_ip', 'dest_port'],
  }),
  'Top 10 REJECT Source Addresses': (r) => ({
    top: count(rejects(r), ['src_ip']),
    n: 10,
    value: '_count',
    keys: ['src_ip'],
  }),
  'Top 10 REJECT Source Addresses, Ports': (r) => ({
    top: count(rejects(r), ['src_ip', 'src_port']),
    n: 10,
    value: '_count',
    keys: ['src_ip', 'src_port'],
  }),
  'Top 10 REJECTs by interfaceID': (r) => ({
    top: count(rejects(r), ['interfaceID']),
    n: 10,
    value: '_count',
    keys: ['interfaceID'],
  }),
  'Top 10 REJECTs by Protocol': (r) => ({
    top: count(withProtocolNames(rejects(r)), ['Protocol']),
    n: 10,
    value: '_count',
    keys: ['Protocol'],
  }),
  'Top 10 Source Addresses by MB': (r) => ({ top: byMb(r, 'src_ip'), n: 10, value: 'MB', keys: ['src_ip'] }),
  'Top 10 Source IPs by Flow Time': (r) => ({
    // `count by src_ip, flow_time | top 10 src_ip by flow_time`: the rows with the longest flows.
    top: groupBy(
      r,
      (x) => [x.src_ip!, duration(x)],
      (rs) => ({ src_ip: rs[0]!.src_ip!, flow_time: duration(rs[0]!) }),
    ),
    n: 10,
    value: 'flow_time',
    keys: ['src_ip', 'flow_time'],
  }),
};

const dashboard = (origin: string) => origin.split('/').at(-1)!;

/** The expected answer of a query of the app (by name, or by name and dashboard where two differ). */
export function expectationOf(panel: { name: string; origin: string }): ((r: Logged[]) => Check) | undefined {
  return EXPECTED[`${panel.name} | ${dashboard(panel.origin)}`] ?? EXPECTED[panel.name];
}

/**
 * A suite that imports `text()` (a default-format flow-log file) into a workspace and runs every query of
 * the app on it as published, each compared with its expected answer from the lines; `first` checks
 * that the file holds what the panels ask about.
 */
export function describeVpcApp(title: string, text: () => Promise<string>, first?: (records: Logged[]) => void): void {
  describe(title, () => {
    let ws: SampleWorkspace;
    let records: Logged[];
    before(async () => {
      ws = await openSampleWorkspace(await text());
      records = readLogged(ws.text);
    });
    after(() => ws?.close());

    if (first) test('the file holds what the panels ask about', () => first(records));

    for (const panel of SUMO_VPC_APP.queries) {
      const expectation = expectationOf(panel);
      test(`${panel.name} (${dashboard(panel.origin)})`, async () => {
        assert.ok(expectation, `no expected answer is written for ${panel.name}`);
        const check = expectation(records);
        if ('geo' in check) {
          // Geolocation is answered by the offline geo database; without it the refusal names the lookup.
          const out = await ws.rows(filled(panel.query)).catch((err: Error) => err);
          if (out instanceof Error) assert.match(out.message, /geo:\/\/location/);
          else assert.ok(out.length > 0);
          return;
        }
        const actual = await ws.rows(filled(panel.query));
        if ('top' in check) assertTop(actual, check.top, check.n, check.value, check.keys);
        else assertRows(actual, check.rows, check);
        if ('descending' in check && check.descending)
          for (let i = 1; i < actual.length; i++)
            assert.ok(Number(actual[i - 1]![check.descending]) >= Number(actual[i]![check.descending]), 'sorted');
      });
    }
  });
}
