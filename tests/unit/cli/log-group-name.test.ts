import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logGroupName } from '../../../main/cli/command';

test("a log group given by its ARN (the console's Copy ARN) is read as its name; a name stays as it is", () => {
  assert.equal(logGroupName('arn:aws:logs:us-east-1:123456789012:log-group:/vpc/flow-logs:*'), '/vpc/flow-logs');
  assert.equal(logGroupName('arn:aws:logs:eu-west-1:123456789012:log-group:vpc-flow'), 'vpc-flow');
  assert.equal(logGroupName('arn:aws-us-gov:logs:us-gov-west-1:123456789012:log-group:/a/b:*'), '/a/b');
  assert.equal(logGroupName('/vpc/flow-logs'), '/vpc/flow-logs');
  // Not an ARN of a log group: left for the contract to refuse by name.
  assert.equal(logGroupName('arn:aws:s3:::bucket'), 'arn:aws:s3:::bucket');
});
