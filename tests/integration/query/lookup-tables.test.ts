/**
 * Lookup tables the analyst imports (Insights `lookup`) and the threat list (Sumo `sumo://threat/cs`,
 * `threatIntel()`), on a real workspace through the engine's channels, from CSV files on disk.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { FlowscopeError } from '../../../main/engine/errors';
import { workspaceDirs } from '../../../main/engine/workspace/config';
import { openFixture, ROWS } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

function csv(name: string, text: string): string {
  const path = join(fx().dir, name);
  writeFileSync(path, text);
  return fx().engine.files.register(path);
}

async function rows(query: string, dialect: 'insights' | 'sumo' | 'sql'): Promise<Record<string, CellValue>[]> {
  const out = (await call(fx().engine, 'query.run', { query, dialect, pageSize: 100 })) as Output<'query.run'>;
  return out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!])));
}

test('without a threat list, the threat lookup says how to import one', async () => {
  await assert.rejects(
    rows('_sourceCategory=vpc | lookup actor from sumo://threat/cs on threat=src_ip | count by actor', 'sumo'),
    (err: FlowscopeError) => {
      assert.equal(err.code, 'query_error');
      assert.match(err.message, /No threat list is imported.*flowscope threat import list\.csv/);
      return true;
    },
  );
});

test('Insights lookup adds the table columns of the row matching each record, nulls where none matches', async () => {
  const table = (await call(fx().engine, 'lookup.import', {
    name: 'owners',
    file: csv('owners.csv', 'ip,team,owner\n10.0.0.5,web,"Smith, Alice"\n10.0.0.6,db,bob\n10.0.0.5,dupe,first wins\n'),
  })) as Output<'lookup.import'>;
  const { importedAt, ...rest } = table;
  assert.deepEqual(rest, { name: 'owners', columns: ['ip', 'team', 'owner'], rows: 3 });
  assert.ok(Math.abs(Date.parse(importedAt) - Date.now()) < 60_000);
  const r = await rows(
    'filter ispresent(srcAddr) | lookup owners ip as srcAddr OUTPUT team, owner | stats count(*) as n by srcAddr, team, owner | sort srcAddr',
    'insights',
  );
  assert.deepEqual(
    r.filter((x) => String(x.srcAddr).startsWith('10.')),
    [
      { srcAddr: '10.0.0.5', team: 'web', owner: 'Smith, Alice', n: 1 },
      { srcAddr: '10.0.0.6', team: 'db', owner: 'bob', n: 1 },
    ],
  );
  assert.ok(r.filter((x) => !String(x.srcAddr).startsWith('10.')).every((x) => x.team === null));
  const listed = (await call(fx().engine, 'lookup.list', {})) as Output<'lookup.list'>;
  assert.deepEqual(listed.tables, [{ name: 'owners', columns: ['ip', 'team', 'owner'], rows: 3, importedAt }]);
});

test('a table imported without a name is named after its file; a quoted newline is one row', async () => {
  const table = (await call(fx().engine, 'lookup.import', {
    file: csv('Asset Owners.csv', 'ip,note\n10.0.0.5,"two\nlines"\n'),
  })) as Output<'lookup.import'>;
  assert.equal(table.name, 'asset_owners');
  assert.equal(table.rows, 1);
  const r = await rows(
    'lookup asset_owners ip as srcAddr OUTPUT note | filter ispresent(note) | stats count(*) as n by srcAddr, note',
    'insights',
  );
  assert.deepEqual(r, [{ srcAddr: '10.0.0.5', note: 'two\nlines', n: 1 }]);
  const listed = (await call(fx().engine, 'lookup.list', {})) as Output<'lookup.list'>;
  assert.deepEqual(
    listed.tables.map((t) => [t.name, t.rows]),
    [
      ['asset_owners', 1],
      ['owners', 3],
    ],
  );
});

test("in SQL an imported table is lookup_<name>, named bare; one not imported is DuckDB's own error", async () => {
  assert.deepEqual(await rows('SELECT team FROM lookup_owners ORDER BY team', 'sql'), [
    { team: 'db' },
    { team: 'dupe' },
    { team: 'web' },
  ]);
  await assert.rejects(rows('SELECT * FROM lookup_nothing', 'sql'), /lookup_nothing does not exist/);
});

test('a lookup of a table or column that is not there is an error at its place, naming what there is', async () => {
  const compiled = (await call(fx().engine, 'query.compile', {
    query: 'lookup ownrs ip as srcAddr OUTPUT team',
    dialect: 'insights',
  })) as Output<'query.compile'>;
  assert.equal(compiled.diagnostics[0]!.span.column, 8);
  assert.match(compiled.diagnostics[0]!.message, /no lookup table `ownrs`/);
  assert.match(compiled.diagnostics[0]!.hint!, /did you mean `owners`\?.*flowscope lookup import/);
  const column = (await call(fx().engine, 'query.compile', {
    query: 'lookup owners ip as srcAddr OUTPUT tema',
    dialect: 'insights',
  })) as Output<'query.compile'>;
  assert.match(column.diagnostics[0]!.message, /has no column `tema`/);
});

test('a CSV with a line of the wrong width or a threat list without its columns is refused, nothing kept', async () => {
  await assert.rejects(
    call(fx().engine, 'lookup.import', { name: 'bad', file: csv('bad.csv', 'a,b\n1,2\n3\n') }),
    /bad\.csv, line 3: 1 fields where the header has 2/,
  );
  await assert.rejects(
    call(fx().engine, 'lookup.import', { name: 'threat', file: csv('t.csv', 'ip,who\n1.2.3.4,x\n') }),
    /a threat list's columns are indicator, type, actor, threat level/,
  );
  assert.equal(existsSync(join(`${fx().path}.flowscope`, 'lookups', 'bad.csv')), false);
  assert.equal(existsSync(join(`${fx().path}.flowscope`, 'lookups', 'threat.csv')), false);
});

test('the imported threat list answers sumo://threat/cs under Sumo column names, and threatIntel() in Insights', async () => {
  await call(fx().engine, 'lookup.import', {
    name: 'threat',
    file: csv(
      'threats.csv',
      'Indicator,Type,Actor,Threat Level\n192.0.2.10,ip_address,FANCY BEAR,High\n8.8.8.8,ip_address,"Nobody, really",Low\n',
    ),
  });
  assert.match(
    readFileSync(join(`${fx().path}.flowscope`, 'lookups', 'threat.csv'), 'utf8'),
    /^indicator,type,actor,threatlevel\n/,
  );
  const sumo = await rows(
    `_sourceCategory=vpc | json "message" | lookup type, actor, raw, threatlevel as malicious_confidence from sumo://threat/cs on threat=src_ip
| where !isNull(actor) | count by src_ip, actor, malicious_confidence, type, raw`,
    'sumo',
  );
  assert.deepEqual(sumo, [
    {
      src_ip: '192.0.2.10',
      actor: 'FANCY BEAR',
      malicious_confidence: 'High',
      type: 'ip_address',
      raw: '{"indicator":"192.0.2.10","type":"ip_address","actor":"FANCY BEAR","threatlevel":"High"}',
      _count: 2,
    },
  ]);
  const insights = await rows(
    'filter ispresent(threatIntel(dstAddr, "actor")) | stats count(*) by dstAddr, threatIntel(dstAddr, "actor") as actor',
    'insights',
  );
  assert.deepEqual(insights.map((x) => [x.dstAddr, x.actor]).sort(), [
    ['192.0.2.10', 'FANCY BEAR'],
    ['8.8.8.8', 'Nobody, really'],
  ]);
});

test('cidrlookup adds the columns of the most specific CIDR range that holds the address; OUTPUTNEW keeps a value', async () => {
  await call(fx().engine, 'lookup.import', {
    name: 'nets',
    file: csv(
      'nets.csv',
      'range,owner\n192.0.2.0/24,docs\n192.0.2.0/28,docs-small\n10.0.0.0/8,corp\n2001:db8::/32,v6\n',
    ),
  });
  // The fixture's sources, matched by hand: .10 is in the /28, .20 and .255 only in the /24.
  const owner: Record<string, string | null> = {
    '192.0.2.10': 'docs-small',
    '192.0.2.20': 'docs',
    '192.0.2.255': 'docs',
    '198.51.100.7': null,
    '10.0.0.5': 'corp',
    '10.0.0.6': 'corp',
    '2001:db8::1': 'v6',
    '2001:db9::1': null,
    '-': null,
  };
  const expected = new Map<string | null, number>();
  for (const r of ROWS) expected.set(owner[r[0] ?? '-']!, (expected.get(owner[r[0] ?? '-']!) ?? 0) + 1);
  const answer = await rows(
    'cidrlookup nets srcAddr AS range OUTPUT owner AS net | stats count(*) as n by net',
    'insights',
  );
  assert.deepEqual(new Map(answer.map((r) => [r.net, r.n])), expected);
  // Without AS the table's first column is the ranges'; OUTPUTNEW leaves a field that has a value.
  const kept = await rows(
    'fields if(srcAddr = "10.0.0.5", "mine", "") as owner | cidrlookup nets srcAddr OUTPUTNEW owner | filter srcAddr like "10.0.0." | stats count(*) as n by srcAddr, owner | sort srcAddr',
    'insights',
  );
  assert.deepEqual(kept, [
    { srcAddr: '10.0.0.5', owner: 'mine', n: ROWS.filter((r) => r[0] === '10.0.0.5').length },
    { srcAddr: '10.0.0.6', owner: 'corp', n: ROWS.filter((r) => r[0] === '10.0.0.6').length },
  ]);
});

// Found by an outside probe: the lookups folder travels with a shared workspace, and a `leak.csv` there that
// linked to a file elsewhere (an AWS credentials file, say) was listed and read into `lookup_leak` like a
// table the analyst imported, so a shared query could show that file's lines.
test('a lookup file that is a link to elsewhere is neither listed nor read', async () => {
  const outside = join(fx().dir, 'credentials.csv');
  writeFileSync(outside, 'secret,n\nAKIAEXAMPLEKEY,1\n');
  const lookups = workspaceDirs(fx().engine.workspace.path).lookups;
  mkdirSync(lookups, { recursive: true });
  symlinkSync(outside, join(lookups, 'leak.csv'));
  const listed = (await call(fx().engine, 'lookup.list', {})) as Output<'lookup.list'>;
  assert.ok(!listed.tables.some((t) => t.name === 'leak'));
  await assert.rejects(
    rows('lookup leak secret as srcAddr OUTPUT n | filter ispresent(n) | stats count(*) as c', 'insights'),
    (err: FlowscopeError) => err.code === 'query_error' && /leak/.test(err.message),
  );
});
