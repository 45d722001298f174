/**
 * Every panel and saved search of Sumo Logic's published "AWS VPC Flow Logs" app runs exactly as
 * published, on a workspace imported from the flow-log sample, and answers what Sumo would: each expected
 * answer is computed from the sample's lines by the independent reader (`sumo-vpc-answers.ts` over
 * `tests/support/logged-records.ts`), never from Flowscope's own output.
 */
import assert from 'node:assert/strict';
import { BUSY_FROM, flowLogSampleFile } from '../../support/flow-log-sample';
import { describeVpcApp } from './sumo-vpc-answers';

describeVpcApp(
  'the Sumo Logic VPC Flow Logs app, as published',
  () => Promise.resolve(flowLogSampleFile()),
  (records) => {
    assert.ok(records.some((r) => r.status === 'NODATA' && r.action === '-'));
    const burst = records.filter(
      (r) =>
        r.action === 'REJECT' && Number(r.startsample) >= BUSY_FROM + 2400 && Number(r.startsample) < BUSY_FROM + 2460,
    );
    assert.ok(burst.length > 50);
    assert.deepEqual(
      [...new Set(records.map((r) => r.protocol))].sort(),
      ['-', '1', '17', '4', '41', '50', '6'].sort(),
    );
  },
);
