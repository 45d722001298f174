/**
 * Held-out acceptance for the Sumo Logic VPC Flow Logs app: the same published panels and saved searches,
 * on files that no answer was ever tuned on, each answer checked against the independent reader's
 * (`sumo-vpc-answers.ts`). The files differ from the development sample in what made them: another seed
 * of the sample, and the records of Flowscope's own generator (another mix of ENIs, peers, services,
 * NODATA and SKIPDATA, and days), plain and with the demo's story of incidents.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFlowLogFile, type FileOptions } from '../../../main/engine/ingest/generator';
import { flowLogSampleFile } from '../../support/flow-log-sample';
import { readLogged } from '../../support/logged-records';
import { tempDir } from '../workspace/helpers';
import { SUMO_VPC_APP } from '../../fixtures/published-queries/sumo-apps';
import { describeVpcApp, expectationOf } from './sumo-vpc-answers';

const dir = tempDir('flowscope-held-out-');
const START = Date.UTC(2026, 4, 11, 6) / 1000;

async function generated(name: string, options: FileOptions): Promise<string> {
  const path = join(dir, name);
  await writeFlowLogFile(path, options);
  return readFileSync(path, 'utf8');
}

test('at least 13 published panels are checked against independently computed answers', () => {
  const lines = readLogged(flowLogSampleFile(1009));
  const checked = SUMO_VPC_APP.queries.filter((q) => !('geo' in expectationOf(q)!(lines)));
  assert.ok(checked.length >= 13, `${checked.length} checked`);
});

/** Both kinds of records without data are there, so the panels meet `-`. */
const holdsNoData = (records: { status?: string; action?: string }[]) => {
  assert.ok(records.some((r) => r.status === 'NODATA' && r.action === '-'));
  assert.ok(records.some((r) => r.status === 'SKIPDATA' && r.action === '-'));
};

describeVpcApp(
  'held out: the flow-log sample of another seed',
  () => Promise.resolve(flowLogSampleFile(1009)),
  holdsNoData,
);

describeVpcApp(
  "held out: Flowscope's generator, two hours of an even mix",
  () => generated('even.log', { seed: 2718, records: 2500, start: START, span: 7200 }),
  holdsNoData,
);

describeVpcApp(
  "held out: Flowscope's generator, a day of the demo's story",
  () => generated('story.log', { seed: 31337, records: 4000, start: START, span: 86_400, story: { origin: START } }),
  holdsNoData,
);
