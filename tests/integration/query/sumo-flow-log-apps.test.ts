/**
 * Sumo Logic's other published flow-log apps (PCI Compliance for Amazon VPC Flow, Cloud Security
 * Monitoring and Analytics, Threat Intel for AWS, and the "Alex Amazon VPC Flow" folder of variants of them) as
 * an acceptance corpus: every query runs unchanged on
 * the flow-log sample (dashboard variables filled with `*`), its geo/ASN lookups answered from the shipped
 * address data and its threat lookups from a threat list imported as an analyst would. Answers are checked
 * against the independent reader for a set of them that exercise the CIDR tests, lookups, `fields -`,
 * transpose, compare and the threat list's `raw` JSON.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call } from '../../../main/engine/dispatch';
import { after, before, describe, test } from 'node:test';
import { BUSY_FROM, BUSY_TO } from '../../support/flow-log-sample';
import {
  assertRows,
  assertTop,
  groupBy,
  num,
  readLogged,
  slice,
  sortRows,
  sum,
  transpose,
  type Logged,
  type Row,
} from '../../support/logged-records';
import { SUMO_APPS } from '../../fixtures/published-queries/sumo-apps';
import { filled, openSampleWorkspace, type SampleWorkspace } from './sample-workspace';
import { tempDir } from '../workspace/helpers';

const OTHER_APPS = SUMO_APPS.filter((a) => a.app !== 'AWS VPC Flow Logs');

const query = (app: string, name: string, nth = 0) =>
  filled(SUMO_APPS.find((a) => a.app === app)!.queries.filter((q) => q.name === name)[nth]!.query);
const PCI = 'PCI Compliance For Amazon VPC Flow';
const CSMA = 'Amazon VPC Flow - Cloud Security Monitoring and Analytics';
const THREAT_INTEL = 'Threat Intel for AWS';

/** The PCI app's names for the fields (`parse … as version, account_id, interface_id, src_ip, …`). */
const PCI_NAMES = [
  'version',
  'account_id',
  'interface_id',
  'src_ip',
  'dest_ip',
  'src_port',
  'dest_port',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log_status',
];
/** IANA's protocol keywords of the sample's protocols (the `Keyword` column of protocol-numbers.csv). */
const KEYWORD: Record<string, string> = {
  '1': 'ICMP',
  '4': 'IPv4',
  '6': 'TCP',
  '17': 'UDP',
  '41': 'IPv6',
  '50': 'ESP',
};

/** `compareCIDRPrefix(network, ip, bits)` for the app's three private networks. */
const inNet = (ip: string, net: string, bits: number) => {
  const n = (a: string) => a.split('.').reduce((x, o) => x * 256 + Number(o), 0);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false;
  return Math.floor(n(ip) / 2 ** (32 - bits)) === Math.floor(n(net) / 2 ** (32 - bits));
};
const cde = (ip: string) => inNet(ip, '172.16.0.0', 12) || inNet(ip, '192.168.0.0', 16) || inNet(ip, '10.0.0.0', 8);
/**
 * Sumo's isPrivateIP and isPublicIP test IPv4 only ("Invalid IPv4 addresses are dropped from the results"):
 * private is RFC 1918 (`cde`); public is neither that nor loopback, link-local, shared (100.64/10) or not a host's.
 */
const isIpv4 = (ip: string) => /^\d+\.\d+\.\d+\.\d+$/.test(ip);
const NOT_PUBLIC: [string, number][] = [
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['100.64.0.0', 10],
  ['0.0.0.0', 8],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const isPublic = (ip: string) => isIpv4(ip) && !cde(ip) && !NOT_PUBLIC.some(([net, bits]) => inNet(ip, net, bits));
/**
 * The app's `where` that keeps flows crossing the CDE boundary, with Sumo's precedence (`and` before `or`):
 * `(s172 or s192 or s10 and !d…) or (d172 or d192 or d10 and !s…)`.
 */
const crossing = (r: Logged) => {
  const [s, d] = [r.src_ip!, r.dest_ip!];
  const s10 = inNet(s, '10.0.0.0', 8);
  const d10 = inNet(d, '10.0.0.0', 8);
  const sOther = inNet(s, '172.16.0.0', 12) || inNet(s, '192.168.0.0', 16);
  const dOther = inNet(d, '172.16.0.0', 12) || inNet(d, '192.168.0.0', 16);
  return sOther || (s10 && !cde(d)) || dOther || (d10 && !cde(s));
};
const count = (records: readonly Logged[], keys: string[], as = '_count'): Row[] =>
  groupBy(
    records,
    (r) => keys.map((k) => r[k.toLowerCase()]!),
    (rs) => ({ ...Object.fromEntries(keys.map((k) => [k, rs[0]![k.toLowerCase()]!])), [as]: rs.length }),
  );

/** The analyst's threat list, written where the file's end removes it. */
const threatListDir = tempDir('flowscope-threats-');

describe("Sumo Logic's other flow-log apps, as published", () => {
  let ws: SampleWorkspace;
  let records: Logged[];
  /** The threat list: the two busiest public sources, listed with CrowdStrike's `raw` keys as extra columns. */
  let threats: { indicator: string; actor: string; families: string[]; updated: number }[];
  before(async () => {
    ws = await openSampleWorkspace();
    records = readLogged(ws.text, PCI_NAMES);
    const busiest = count(
      records.filter((r) => isPublic(r.src_ip!)),
      ['src_ip'],
    ).sort((a, b) => Number(b._count) - Number(a._count) || String(a.src_ip).localeCompare(String(b.src_ip)));
    threats = busiest.slice(0, 2).map((r, i) => ({
      indicator: String(r.src_ip),
      actor: ['FANCY BEAR', 'WIZARD SPIDER'][i]!,
      families: [['Emotet'], ['TrickBot', 'Ryuk']][i]!,
      updated: 1_700_000_000 + i * 86_400,
    }));
    const file = join(threatListDir, 'threats.csv');
    const cell = (v: string) => `"${v.replace(/"/g, '""')}"`;
    writeFileSync(
      file,
      'indicator,type,actor,threat level,malware_families,last_updated,labels\n' +
        threats
          .map((t) => [
            t.indicator,
            'ip_address',
            t.actor,
            'High',
            JSON.stringify(t.families),
            String(t.updated),
            JSON.stringify([{ name: `Actor/${t.actor}` }]),
          ])
          .map((cells) => cells.map(cell).join(','))
          .join('\n') +
        '\n',
    );
    await call(ws.engine, 'lookup.import', { name: 'threat', file: ws.engine.files.register(file) });
  });
  after(() => ws?.close());

  for (const app of OTHER_APPS)
    for (const [i, q] of app.queries.entries())
      test(`${app.app}: ${q.name} ${q.refused ? 'is refused naming what is wrong' : 'runs as published'} (${i + 1})`, async () => {
        const answer = ws.rows(filled(q.query), { from: BUSY_FROM - 86_400, to: BUSY_TO });
        if (q.refused) await assert.rejects(answer, (err: Error) => err.message.includes(q.refused!));
        else assert.ok(Array.isArray(await answer));
      });

  test('Threat intel: hits per actor and action, the threat list read through `raw` (json field=raw)', async () => {
    const actorOf = new Map(threats.map((t) => [t.indicator, t.actor]));
    const hits = records.filter((r) => actorOf.has(r.src_ip!));
    assert.ok(hits.length > 0);
    const expected = groupBy(
      hits,
      (r) => [actorOf.get(r.src_ip!)!, r.action!],
      (rs) => ({ actor: actorOf.get(rs[0]!.src_ip!)!, Action: rs[0]!.action!, _count: rs.length }),
    );
    assertRows(await ws.rows(query(THREAT_INTEL, 'Threat Breakdown')), expected);
    // What the app reads out of `raw`: the families as a JSON array, the date, the labels (its replaces turn `"` to
    // blanks; its `replace(label_name, "\\/", "->")` searches the text `\/`, since only a /regex/ is a regular
    // expression (Sumo's replace reference), so the label's `/` stays).
    const read = await ws.rows(
      query(THREAT_INTEL, 'Threat Breakdown').replace(
        /\|count by actor, Action\s*$/,
        '| count by actor, threat_malware_families, threat_last_updated, label_name',
      ),
    );
    const day = (t: number) => new Date(t * 1000).toISOString().replace(/^(\d+)-(\d+)-(\d+).*/, '$2-$3-$1');
    assert.deepEqual(
      read.map((r) => [r.actor, r.threat_malware_families, r.threat_last_updated, r.label_name]).sort(),
      threats.map((t) => [t.actor, JSON.stringify(t.families), day(t.updated), `[ Actor/${t.actor} ]`]).sort(),
    );
  });

  test('accum, diff, smooth, rollingstd and total run over the result in its order, per group', async () => {
    const hourly = sortRows(
      groupBy(
        records,
        (r) => [slice(Number(r.start), 3600)],
        (rs) => ({ _timeslice: slice(Number(rs[0]!.start), 3600), _count: rs.length }),
      ),
      '_timeslice',
      true,
    );
    const counts = hourly.map((r) => Number(r._count));
    const mean = (xs: number[]) => sum(xs) / xs.length;
    const sd = (xs: number[]) =>
      xs.length < 2 ? null : Math.sqrt(sum(xs.map((x) => (x - mean(xs)) ** 2)) / (xs.length - 1));
    const expected = hourly.map((r, i) => ({
      ...r,
      _accum: sum(counts.slice(0, i + 1)),
      _diff: i === 0 ? null : counts[i]! - counts[i - 1]!,
      _smooth: mean(counts.slice(Math.max(0, i - 2), i + 1)),
      sd: sd(counts.slice(Math.max(0, i - 2), i + 1)),
      t: records.length,
    }));
    const actual = await ws.rows(
      '_sourceCategory=v | timeslice 1h | count by _timeslice | accum _count | diff _count | smooth _count, 3 | rollingstd _count, 3 as sd | total _count as t',
    );
    assert.equal(actual.length, expected.length);
    for (const [i, row] of actual.entries())
      for (const [k, v] of Object.entries(expected[i]!))
        if (typeof v === 'number' && !Number.isInteger(v)) assert.ok(Math.abs(Number(row[k]) - v) < 1e-9, `${i} ${k}`);
        else assert.equal(row[k], v, `row ${i} ${k}`);
    // Per group, in a sort's order: the running count of each action's records, newest slice last.
    const byAction = await ws.rows(
      '_sourceCategory=v | timeslice 1h | count by _timeslice, action | sort by _timeslice asc | accum _count as run by action',
    );
    const rejects = byAction.filter((r) => r.action === 'REJECT');
    assert.equal(rejects.at(-1)!.run, records.filter((r) => r.action === 'REJECT').length);
    assert.deepEqual(
      rejects.map((r) => r.run),
      rejects.map((_, i) => sum(rejects.slice(0, i + 1).map((r) => Number(r._count)))),
    );
  });

  test('dedup keeps the latest n records of each key, as Sumo lists records newest first', async () => {
    const kept = await ws.rows('_sourceCategory=v | dedup 2 by src_ip | count by src_ip');
    assert.deepEqual(
      kept.map((r) => [r.src_ip === null ? '-' : r.src_ip, r._count]).sort(),
      count(records, ['src_ip'])
        .map((r) => [r.src_ip, Math.min(2, Number(r._count))])
        .sort(),
    );
    const latest = await ws.rows('_sourceCategory=v | dedup by action | fields action, StartSample');
    const newest = (a: string) => Math.max(...records.filter((r) => r.action === a).map((r) => Number(r.start)));
    assert.equal(latest.length, new Set(records.map((r) => r.action)).size);
    for (const r of latest) assert.equal(Number(r.StartSample), newest(r.action === null ? '-' : String(r.action)));
  });

  test("Sumo's older geoip and threatip operators answer from the same data as the lookups", async () => {
    const hits = await ws.rows(
      '_sourceCategory=v | threatip src_ip | where !isNull(malicious_confidence) | count by src_ip, actor, malicious_confidence, type, raw_threat',
    );
    assert.deepEqual(
      hits
        .map((r) => [
          r.src_ip,
          r.actor,
          r.malicious_confidence,
          r.type,
          JSON.parse(String(r.raw_threat)).malware_families,
          r._count,
        ])
        .sort(),
      threats
        .map((t) => [
          t.indicator,
          t.actor,
          'High',
          'ip_address',
          t.families,
          records.filter((r) => r.src_ip === t.indicator).length,
        ])
        .sort(),
    );
    const byGeoip = await ws.rows(
      '_sourceCategory=v | geoip src_ip | count by country_code, country_name, latitude, state',
    );
    const byLookup = await ws.rows(
      '_sourceCategory=v | lookup country_code, country_name from geo://location on ip=src_ip | count by country_code, country_name',
    );
    assert.ok(byLookup.some((r) => r.country_code !== null));
    assert.deepEqual(
      byGeoip.map((r) => [r.country_code, r.country_name, r.latitude, r.state, r._count]).sort(),
      byLookup.map((r) => [r.country_code, r.country_name, null, null, r._count]).sort(),
    );
  });

  test('Security analytics: accepted public sources with their country from the shipped address data', async () => {
    const flows = records.filter((r) => r.action === 'ACCEPT' && isPublic(r.src_ip!));
    const expected = count(flows, ['src_ip']).map((r) => [r.src_ip, r._count]);
    const out = await ws.rows(query(CSMA, 'Source Address Locations'));
    assert.deepEqual(out.map((r) => [r.srcDevice_ip, r._count]).sort(), expected.sort());
    assert.ok(
      out.every((r) => r.latitude === null && r.city === null),
      'the data is by country only',
    );
    assert.ok(out.some((r) => typeof r.country_code === 'string' && /^[A-Z]{2}$/.test(r.country_code)));
  });

  test('PCI: top TCP destination ports of accepted flows crossing the CDE boundary', async () => {
    const flows = records.filter((r) => r.action === 'ACCEPT' && r.protocol === '6' && crossing(r));
    assertTop(await ws.rows(query(PCI, 'Top TCP Dest Ports')), count(flows, ['dest_port'], 'count'), 10, 'count', [
      'dest_port',
    ]);
  });

  test('PCI: accepted vs rejected per minute, transposed', async () => {
    const flows = records.filter((r) => r.action === 'ACCEPT' || r.action === 'REJECT');
    const counted = groupBy(
      flows,
      (r) => [slice(Number(r.start), 60), r.action!],
      (rs) => ({ _timeslice: slice(Number(rs[0]!.start), 60), action: rs[0]!.action!, _count: rs.length }),
    );
    assertRows(
      await ws.rows(query(PCI, 'Network Traffic Accepted vs Rejected')),
      transpose(counted, '_timeslice', 'action', '_count'),
      { columns: ['_timeslice', 'ACCEPT', 'REJECT'] },
    );
  });

  test('PCI: insecure transport to or from the CDE, with the severity and message it writes', async () => {
    const flows = records.filter(
      (r) => r.action === 'ACCEPT' && ['21', '23', '513'].includes(r.dest_port!) && (cde(r.dest_ip!) || cde(r.src_ip!)),
    );
    // The columns are named as the `by` writes them (`account_Id`); Sumo reads any case as one field.
    const keys = ['account_Id', 'dest_ip', 'dest_port', 'interface_Id', 'protocol', 'src_ip', 'src_port'];
    const expected = groupBy(
      flows,
      (r) => [slice(Number(r.start), 900), ...keys.map((k) => r[k.toLowerCase()]!)],
      (rs) => ({
        _timeslice: slice(Number(rs[0]!.start), 900),
        ...Object.fromEntries(keys.map((k) => [k, rs[0]![k.toLowerCase()]!])),
        eventCount: rs.length,
        Severity: 'High',
        message: 'Insecure Transport Protocol to or from CDE',
      }),
    );
    assert.ok(expected.length > 0);
    assertRows(await ws.rows(query(PCI, 'Insecure Transport Protocol to or from CDE')), expected);
  });

  test('PCI: hosts with a web port and a database port open', async () => {
    const web = ['80', '8008', '8080', '443'];
    const db = ['3306', '5439', '5432', '1433', '2638', '5984'];
    const accepted = records.filter((r) => r.action === 'ACCEPT');
    const hosts = [...new Set(accepted.map((r) => r.dest_ip!))].filter(
      (h) =>
        accepted.some((r) => r.dest_ip === h && web.includes(r.dest_port!)) &&
        accepted.some((r) => r.dest_ip === h && db.includes(r.dest_port!)),
    );
    const actual = await ws.rows(query(PCI, 'Multi-service Detected on Same Host'));
    assert.deepEqual(actual.map((r) => r.dest_ip).sort(), hosts.sort());
    for (const r of actual) {
      assert.equal(r.Severity, 'Medium');
      assert.ok(Math.abs(Number(r._timeslice) - Date.now()) < 600_000, 'toMillis(now()) is now');
      assert.ok(!('webcount' in r) && !('dbcount' in r), 'fields - leaves them out');
    }
  });

  test('PCI: allowed activity crossing the CDE by IANA protocol keyword, transposed', async () => {
    const flows = records.filter((r) => r.action === 'ACCEPT' && crossing(r));
    const counted = groupBy(
      flows,
      (r) => [slice(Number(r.start), 60), r.protocol!],
      (rs) => ({
        _timeslice: slice(Number(rs[0]!.start), 60),
        Protocol: KEYWORD[rs[0]!.protocol!]!,
        _count: rs.length,
      }),
    );
    const expected = transpose(counted, '_timeslice', 'Protocol', '_count');
    assertRows(
      await ws.rows(query(PCI, 'Allowed Network Activity by Transport and Internet Layer Protocol')),
      expected,
      {
        columns: Object.keys(expected[0]!),
      },
    );
  });

  test('Security analytics: accepted bytes per protocol keyword', async () => {
    const accepted = records.filter((r) => r.action === 'ACCEPT');
    const expected = groupBy(
      accepted,
      (r) => [r.protocol!],
      (rs) => ({ Protocol: KEYWORD[rs[0]!.protocol!]!, _sum: sum(rs.map((r) => num(r.bytes))) }),
    );
    assertRows(await ws.rows(query(CSMA, 'Bytes Accepted by Transport Protocol')), expected, {
      columns: ['_sum', 'Protocol'],
    });
  });

  test('Security analytics: inbound accepted flows per 5 minutes, from public sources', async () => {
    const flows = records.filter((r) => r.action === 'ACCEPT' && isPublic(r.src_ip!));
    const expected = groupBy(
      flows,
      (r) => [slice(Number(r.start), 300)],
      (rs) => ({ _timeslice: slice(Number(rs[0]!.start), 300), _count: rs.length }),
    );
    // `sort _timeslice` is descending in Sumo.
    assertRows(await ws.rows(query(CSMA, 'Inbound Accepted Flows')), sortRows(expected, '_timeslice'), {
      ordered: true,
    });
  });

  test('Security analytics: accepted bytes compared with the three days before, per 5 minutes', async () => {
    const accepted = records.filter((r) => r.action === 'ACCEPT');
    const bytesIn = (from: number, to: number) =>
      accepted.filter((r) => Number(r.start) >= from && Number(r.start) < to);
    const slices = groupBy(
      bytesIn(BUSY_FROM, BUSY_TO),
      (r) => [slice(Number(r.start), 300)],
      (rs) => ({ _timeslice: slice(Number(rs[0]!.start), 300), total_bytes: sum(rs.map((r) => num(r.bytes))) }),
    );
    const back = (t: number, days: number) => {
      const rs = bytesIn(t / 1000 - days * 86_400, t / 1000 - days * 86_400 + 300);
      return rs.length ? sum(rs.map((r) => num(r.bytes))) : null;
    };
    const expected = slices.map((s) => ({
      ...s,
      total_bytes_1d: back(Number(s._timeslice), 1),
      total_bytes_2d: back(Number(s._timeslice), 2),
      total_bytes_3d: back(Number(s._timeslice), 3),
    }));
    assert.ok(expected.some((e) => e.total_bytes_3d !== null));
    assertRows(
      await ws.rows(query(CSMA, 'Bytes Accepted Comparison for Last 3 Days'), { from: BUSY_FROM, to: BUSY_TO }),
      expected,
      { columns: ['_timeslice', 'total_bytes', 'total_bytes_1d', 'total_bytes_2d', 'total_bytes_3d'] },
    );
  });

  test('Security analytics: top 10 destination ports of inbound flows', async () => {
    const flows = records.filter((r) => isPublic(r.src_ip!) && r.dest_port !== '-');
    assertTop(
      await ws.rows(query(CSMA, 'Top 10 Inbound Destination Ports by Flow Records')),
      count(flows, ['dest_port'], 'Records'),
      10,
      'Records',
      ['dest_port'],
    );
  });
});
