/**
 * Sumo Logic's field names are one field whatever their case: in assignments, `by`, `sort`, `fields`,
 * `where`, `top` and lookups. Answers are computed from the fixture's rows in plain code.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { openFixture, recordOf, ROWS, type Fixture } from './fixture';

let fx: Fixture;
before(async () => {
  fx = await openFixture();
});
after(async () => {
  await fx.close();
});

async function run(query: string): Promise<Output<'query.run'>> {
  return (await call(fx.engine, 'query.run', { query, dialect: 'sumo', pageSize: 1000 })) as Output<'query.run'>;
}
const rows = (out: { rows: CellValue[][] }) => out.rows.map((r) => [...r]);
const logged = (v: string | number | null) => (v === null ? '-' : String(v));
function counted(values: string[]): [string, number][] {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  return [...n.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}

test('an assignment in one case replaces the field read in another, and `by` and `sort` find it', async () => {
  const out = await run(
    '_sourceCategory=vpc | if(protocol = "6", "TCP", protocol) as PROTOCOL | count by Protocol | sort by _COUNT, protocol asc',
  );
  assert.deepEqual(
    out.columns.map((c) => c.name),
    ['Protocol', '_count'],
  );
  assert.deepEqual(rows(out), counted(ROWS.map((r) => (r[4] === 6 ? 'TCP' : logged(r[4])))));
});

test("records list a parsed field once, under the parse's name in the shown field's place (the apps' 14-star parse)", async () => {
  const out = await run(
    '_sourceCategory=vpc | parse "* * * * * * * * * * * * * *" as version,accountID,interfaceID,src_ip,dest_ip,src_port,dest_port,Protocol,Packets,bytes,StartSample,EndSample,Action,status | limit 1',
  );
  const names = out.columns.map((c) => c.name);
  assert.deepEqual(
    names.filter((n) => /_\d+$/.test(n)),
    [],
    'no name made unique with a number',
  );
  for (const n of ['accountID', 'interfaceID', 'Protocol', 'Packets', 'Action'])
    assert.equal(names.filter((x) => x.toLowerCase() === n.toLowerCase()).join(), n);
  assert.ok(names.indexOf('accountID') < names.indexOf('srcAddr'), names.join());
});

test('`where`, `fields` and `top` name fields in any case', async () => {
  const rejects = ROWS.filter((r) => r[8] === 'REJECT');
  const fields = await run('_sourceCategory=vpc | where ACTION = "REJECT" | fields Src_IP, DEST_IP');
  assert.deepEqual(rows(fields).sort(), rejects.map((r) => [r[0], r[1]]).sort());
  const top = await run('_sourceCategory=vpc | count as Records by InterfaceID | top 2 interfaceid by RECORDS');
  // eni-a and eni-d tie at 4 records, ahead of eni-b's 3: the two rows are fixed, their order is not.
  assert.deepEqual(
    rows(top).sort(),
    counted(ROWS.map((r) => r[10]))
      .slice(0, 2)
      .sort(),
  );
  assert.deepEqual(
    top.columns.map((c) => c.name),
    ['InterfaceID', 'Records'],
  );
});

test('a lookup is keyed and read in any case', async () => {
  const out = await run(
    '_sourceCategory=vpc | lookup keyword from https://s3.amazonaws.com/sumologic-app-data/protocol-numbers.csv on decimal=PROTOCOL | count by KEYWORD | sort by _count, keyword asc',
  );
  const name = (p: number | null) => (p === 6 ? 'TCP' : p === 17 ? 'UDP' : null);
  assert.ok(
    ROWS.every((r) => r[4] === null || name(r[4]) !== null),
    'the fixture has TCP and UDP only',
  );
  const expected = counted(ROWS.map((r) => name(r[4]) ?? '')).map(([k, n]) => [k === '' ? null : k, n]);
  assert.deepEqual(rows(out), expected);
});

test('the scope ignores case and takes `!` for NOT, as Sumo does; an exclusion list answers like its terms', async () => {
  const count = async (query: string) => Number((await run(query)).rows[0]![0]);
  const where = (keep: (r: (typeof ROWS)[number]) => boolean) => ROWS.filter(keep).length;
  assert.equal(
    await count('_sourceCategory=vpc action=reject | count'),
    where((r) => r[8] === 'REJECT'),
  );
  assert.equal(
    await count('_sourceCategory=vpc Action=Reject* | count'),
    where((r) => r[8] === 'REJECT'),
  );
  assert.equal(
    await count('_sourceCategory=vpc interfaceid=ENI-A | count'),
    where((r) => r[10] === 'eni-a'),
  );
  // A NODATA record's action was logged as `-`: it is not REJECT, so `!action=REJECT` keeps it.
  assert.equal(
    await count('_sourceCategory=vpc !action=REJECT | count'),
    where((r) => r[8] !== 'REJECT'),
  );
  assert.equal(
    await count('_sourceCategory=vpc !!REJECT | count'),
    where((r) => r[8] === 'REJECT'),
  );
  assert.equal(
    await count('_sourceCategory=vpc !REJECT !(NODATA or SKIPDATA) | count'),
    where((r) => r[8] !== 'REJECT' && r[9] === 'OK'),
  );
  // Addresses excluded at either end, written one by one: one NOT IN list per column, the same answer.
  const excluded = ['192.0.2.10', '10.0.0.6', '2001:db8::2'];
  const expected = where((r) => !excluded.includes(String(r[0])) && !excluded.includes(String(r[1])));
  assert.equal(await count(`_sourceCategory=vpc ${excluded.map((a) => `!${a}`).join(' ')} | count`), expected);
  assert.equal(await count(`_sourceCategory=vpc ${excluded.map((a) => `NOT ${a}`).join(' AND ')} | count`), expected);
  const bySide = await count(
    `_sourceCategory=vpc ${excluded.map((a) => `!src_ip=${a} !dest_ip=${a}`).join(' ')} | count`,
  );
  assert.equal(bySide, expected);
});

test('a scope keyword matches whole terms of the record, as Sumo indexes them; `*` and `?` stand for term characters', async () => {
  // The record as Sumo receives it, broken into terms at every character that is not a letter or digit.
  const terms = (r: (typeof ROWS)[number]) => {
    const x = recordOf(r);
    const line = [
      2,
      '123456789012',
      x.eni,
      x.src,
      x.dst,
      x.sport,
      x.dport,
      x.proto,
      x.packets,
      x.bytes,
      x.start,
      x.end,
      x.action,
      x.status,
    ];
    return line
      .map(logged)
      .join(' ')
      .toLowerCase()
      .split(/[^0-9a-z]+/);
  };
  const count = async (scope: string) => Number((await run(`${scope} | count`)).rows[0]![0]);
  const matching = (test: (t: string[]) => boolean) => ROWS.filter((r) => test(terms(r))).length;
  // `5` is a term of 10.0.0.5, not of port 53 or of 500 bytes: a substring test counted those too.
  assert.equal(
    await count('5'),
    matching((t) => t.includes('5')),
  );
  assert.ok((await count('5')) < ROWS.filter((r) => terms(r).join(' ').includes('5')).length);
  assert.equal(
    await count('51*'),
    matching((t) => t.some((w) => w.startsWith('51'))),
  );
  assert.equal(
    await count('*0*'),
    matching((t) => t.some((w) => w.includes('0'))),
  );
  assert.equal(
    await count('5?'),
    matching((t) => t.some((w) => /^5.$/.test(w))),
  );
  // A phrase's terms stand next to each other: 10.0.0 is the start of 10.0.0.5, 10.0.0.6 and 10.0.0.7.
  const next = (t: string[], phrase: string[]) => t.some((_, i) => phrase.every((w, k) => t[i + k] === w));
  assert.equal(
    await count('10.0.0'),
    matching((t) => next(t, ['10', '0', '0'])),
  );
  assert.ok((await count('10.0.0')) > 0);
  assert.equal(
    await count('NOT 53'),
    matching((t) => !t.includes('53')),
  );
});

test("the CloudWatch envelope's direction is empty, so the PCI app's sample falls back to its own direction", async () => {
  // Sumo's PCI Compliance for VPC Flow Logs app, "Possible Vertical Port Scan - Allowed", with the count by
  // direction that its two `if`s make (the records have no envelope, so `direction` is empty in each).
  const out = await run(
    `_sourceCategory=vpc_flow_logs ACCEPT
| where Action="ACCEPT"
| if (isPrivateIP(src_ip) and isPrivateIP(dest_ip), "internal", if (isPrivateIP(src_ip) and !isPrivateIP(dest_ip), "outbound","inbound")) as direction2
| if (!isEmpty(direction), direction, direction2) as direction
| count by direction`,
  );
  const inside = (a: string | null) => a !== null && a.startsWith('10.');
  const expected = counted(
    ROWS.filter((r) => r[8] === 'ACCEPT').map((r) =>
      inside(r[0]) && inside(r[1]) ? 'internal' : inside(r[0]) ? 'outbound' : 'inbound',
    ),
  );
  assert.deepEqual(rows(out).sort(), expected.sort());
});
