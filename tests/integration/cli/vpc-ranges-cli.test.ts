/** `flowscope info` shows the VPC ranges and their source, sets and clears them, and refuses a bad CIDR. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../workspace/helpers';
import { flowscope } from '../../support/flowscope-cli';

const dir = tempDir('flowscope-cli-vpc-');

function vpcLine(stdout: string): string | undefined {
  return stdout.split('\n').find((l) => l.startsWith('VPC ranges'));
}

test('info shows the inferred VPC ranges, --set-vpc-ranges stores them, --clear-vpc-ranges removes them', async () => {
  const log = join(dir, 'flows.log');
  writeFileSync(
    log,
    [
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
      '2 123456789012 eni-a 10.1.0.5 198.51.100.7 40000 443 6 10 1000 1772409600 1772409660 ACCEPT OK',
      '2 123456789012 eni-a 203.0.113.9 10.1.0.5 40000 22 6 10 1000 1772409600 1772409660 REJECT OK',
      '',
    ].join('\n'),
  );
  const ws = join(dir, 'w.duckdb');
  assert.equal((await flowscope('import', log, '--workspace', ws)).code, 0);

  assert.equal(
    vpcLine((await flowscope('info', '--workspace', ws)).stdout),
    'VPC ranges     10.1.0.0/16 (seen in the data)',
  );

  const set = await flowscope('info', '-w', ws, '--set-vpc-ranges', '10.0.0.0/16, 2600:1f18:abcd:ef00::/56', '--json');
  assert.equal(set.code, 0, set.stderr);
  assert.deepEqual(JSON.parse(set.stdout).vpcRanges, {
    cidrs: ['10.0.0.0/16', '2600:1f18:abcd:ef00::/56'],
    source: 'workspace',
  });
  assert.equal(
    vpcLine((await flowscope('info', '-w', ws)).stdout),
    'VPC ranges     10.0.0.0/16, 2600:1f18:abcd:ef00::/56 (set in the workspace)',
  );

  const bad = await flowscope('info', '-w', ws, '--set-vpc-ranges', '10.0.0.0/16,10.300.0.0/16');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /"10\.300\.0\.0\/16" is not a CIDR block/);

  const cleared = await flowscope('info', '-w', ws, '--clear-vpc-ranges', '--json');
  assert.deepEqual(JSON.parse(cleared.stdout).vpcRanges, { cidrs: ['10.1.0.0/16'], source: 'data' });
});
