/**
 * The built-in library holds Sumo Logic's VPC Flow Logs app as published: every panel and saved search is a
 * `sumo-vpc-*` query whose text is the published one byte for byte, naming where it comes from, and the
 * built-in dashboards named after the app's hold its panels.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SUMO_VPC_APP } from '../../../fixtures/published-queries/sumo-apps';

const LIBRARY = new URL('../../../../queries/library/', import.meta.url).pathname;
const published = SUMO_VPC_APP.queries;

const read = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
interface Saved {
  description: string;
  query: string;
  dialect: string;
}
const verbatim = readdirSync(LIBRARY)
  .filter((f) => f.startsWith('sumo-vpc-') && f.endsWith('.flowquery.json'))
  .map((f) => ({ id: `builtin:${f.replace(/\.flowquery\.json$/, '')}`, ...read<Saved>(join(LIBRARY, f)) }));

test('every published panel and saved search is a built-in query, verbatim, naming its source', () => {
  assert.equal(verbatim.length, published.length);
  for (const p of published) {
    const dashboard = p.origin.split('/').at(-1)!;
    const q = verbatim.find(
      (v) => String(v.description).includes(`“${p.name}”`) && String(v.description).includes(`“${dashboard}”`),
    );
    assert.ok(q, `${dashboard}: ${p.name}`);
    assert.equal(q.query, p.query, `${q.id} is the published text`);
    assert.equal(q.dialect, 'sumo');
    assert.match(String(q.description), /^Verbatim: .*rjury-sumo\/sumologic-query-examples/);
  }
});

test("the app's dashboards are built in with its panels", () => {
  const dashboards: Record<string, string> = {
    'overview.flowdash.json': 'Amazon VPC Flow Logs - Live - Overview - New',
    'traffic.flowdash.json': 'Amazon VPC Flow Logs - Live - Traffic - New',
    'rejections.flowdash.json': 'Amazon VPC Flow Logs - Live - Rejections - New',
    'activity.flowdash.json': 'Amazon VPC Flow Logs - Interactive - Activity - New',
    'interactive-traffic.flowdash.json': 'Amazon VPC Flow Logs - Interactive - Traffic - New',
  };
  for (const [file, origin] of Object.entries(dashboards)) {
    const dash = read<{ description: string; panels: { title: string; query: { ref: string } }[] }>(
      join(LIBRARY, 'dashboards', file),
    );
    assert.ok(dash.description.includes(`“${origin}”`), file);
    const panels = published.filter((p) => p.origin.endsWith(`/${origin}`));
    assert.deepEqual(
      dash.panels.map((p) => p.title),
      panels.map((p) => p.name),
      file,
    );
    for (const [i, p] of dash.panels.entries())
      assert.equal(verbatim.find((v) => v.id === p.query.ref)?.query, panels[i]!.query, `${file} ${p.title}`);
  }
});
