/**
 * `flowscope about` and `flowscope lookup import/list`, in-process on a real workspace: the attribution the
 * ASN data's licence asks for is printed, and a table imported without a name is named after its file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Engine } from '../../../main/engine';
import { flowscopeInProcess } from '../../support/flowscope-cli';

let dir: string;
let workspace: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-about-cli-'));
  workspace = join(dir, 'flows.duckdb');
  await (await Engine.open({ workspace, create: true })).close();
  process.env.FLOWSCOPE_AWS_IP_RANGES = join(dir, 'nowhere', 'aws-ip-ranges.json');
});
after(() => {
  delete process.env.FLOWSCOPE_AWS_IP_RANGES;
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => flowscopeInProcess(args);

test('about prints the version, each data set with its licence and attribution, and the AWS file state', async () => {
  const r = await cli('about');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Flowscope \d+\.\d+\.\d+ \(MIT\)/);
  assert.match(r.out, /Autonomous system of an address \(@ip-location-db\/asn \d[\d.]*\)/);
  assert.match(r.out, /Licence: CC BY 4\.0 .*\n.*IP Geolocation by DB-IP/);
  assert.match(r.out, /Made with Natural Earth/);
  assert.match(r.out, /Country of an address .*\n(.*\n){3} {2}Countries only: .*GeoLite2 City/);
  assert.match(r.out, /AWS ip-ranges\.json: not fetched yet \(flowscope aws ip-ranges --refresh/);
  const json = JSON.parse((await cli('about', '--json')).out) as { data: unknown[]; awsIpRanges: { present: boolean } };
  assert.equal(json.data.length, 6);
  assert.equal(json.awsIpRanges.present, false);
});

test('lookup import takes the name from the file unless given one; list shows rows; a bad line is named', async () => {
  const file = join(dir, 'Asset owners.csv');
  writeFileSync(file, 'ip,team\n10.0.0.5,web\n10.0.0.6,db\n');
  const imported = await cli('lookup', 'import', file, '--workspace', workspace);
  assert.equal(imported.code, 0, imported.err);
  assert.equal(imported.out, 'Imported asset_owners: 2 rows; ip, team\n');
  assert.equal((await cli('lookup', 'import', 'owners', file, '--workspace', workspace)).code, 0);
  assert.equal(
    (await cli('lookup', 'list', '--workspace', workspace)).out,
    'asset_owners: 2 rows; ip, team\nowners: 2 rows; ip, team\n',
  );
  writeFileSync(file, 'ip,team\n10.0.0.5,"web\n');
  const bad = await cli('lookup', 'import', file, '--workspace', workspace);
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /Asset owners\.csv, line 2: a quoted field is not closed/);
});
