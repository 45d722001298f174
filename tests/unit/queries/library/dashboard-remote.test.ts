/**
 * A dashboard panel bound to Athena names its table only: a shared file cannot say as whom, in which region
 * or at which endpoint it runs (the app's Athena settings do), nor bind a panel to another engine.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Dashboard } from '../../../../queries/library/dashboard';

const dashboard = (remote: unknown) => ({
  version: 1,
  name: 'Athena watch',
  panels: [
    {
      id: 'p1',
      title: 'Actions',
      query: { version: 1, name: 'Actions', dialect: 'insights', query: 'stats count(*) by action' },
      layout: { x: 0, y: 0, w: 6, h: 4 },
      ...(remote === undefined ? {} : { remote }),
    },
  ],
});

test('a panel may run on an Athena table, and without `remote` runs on the workspace as before', () => {
  const parsed = Dashboard.parse(dashboard({ engine: 'athena', table: 'flowlogs.vpc_flow_logs' }));
  assert.deepEqual(parsed.panels[0]!.remote, { engine: 'athena', table: 'flowlogs.vpc_flow_logs' });
  assert.equal(Dashboard.parse(dashboard(undefined)).panels[0]!.remote, undefined);
});

test('an endpoint, a profile, another engine or a table that is not database.table is refused by its key path', () => {
  for (const remote of [
    { engine: 'athena', table: 'flowlogs.vpc_flow_logs', endpointUrl: 'https://elsewhere.example' },
    { engine: 'athena', table: 'flowlogs.vpc_flow_logs', profile: 'admin' },
    { engine: 'cloudwatch', table: 'flowlogs.vpc_flow_logs' },
    { engine: 'athena', table: 'vpc_flow_logs; DROP TABLE x' },
  ]) {
    const result = Dashboard.safeParse(dashboard(remote));
    assert.equal(result.success, false, JSON.stringify(remote));
    assert.deepEqual(result.error!.issues[0]!.path.slice(0, 3), ['panels', 0, 'remote']);
  }
});
