import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../../../../../main/engine/ingest/s3';

const PREFIX = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/';
const key = (n: number) =>
  `${PREFIX}2026/03/02/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20260302T10${String(n).padStart(2, '0')}Z_ab12.log.gz`;

/** A client whose ListObjectsV2 answers `pages` in turn (the last one for ever after). */
function listing(pages: { keys: number[]; token?: string }[]): { client: S3Client; calls: () => number } {
  let i = 0;
  const client = {
    send: async () => {
      const page = pages[Math.min(i++, pages.length - 1)]!;
      return {
        Contents: page.keys.map((n) => ({ Key: key(n), Size: 100, ETag: `"${n}"` })),
        IsTruncated: page.token !== undefined,
        NextContinuationToken: page.token,
      };
    },
  } as unknown as S3Client;
  return { client, calls: () => i };
}

const list = (client: S3Client) =>
  listObjects(client, 'flow-logs', PREFIX, { from: null, to: null }, {}, { region: 'us-east-1' });

test('a listing that moves on is read to its end, each key once', async () => {
  const { client } = listing([{ keys: [0, 1], token: 't1' }, { keys: [2], token: 't2' }, { keys: [3] }]);
  const { objects } = await list(client);
  assert.deepEqual(
    objects.map((o) => o.key),
    [0, 1, 2, 3].map(key),
  );
});

test('a continuation token answered again and again fails the listing, naming it, rather than list the same keys for ever', async () => {
  // The same page, its token and all, page after page (20 times here, then an end, so that without the bound
  // the test fails rather than runs for ever); and a loop of two pages.
  const end = { keys: [9] };
  const loops: [{ keys: number[]; token?: string }[], number][] = [
    [[...Array.from({ length: 20 }, () => ({ keys: [0, 1], token: 't1' })), end], 11],
    [
      [
        ...Array.from({ length: 10 }, () => [
          { keys: [0], token: 't1' },
          { keys: [1], token: 't2' },
        ]).flat(),
        end,
      ],
      12,
    ],
  ];
  for (const [pages, calls] of loops) {
    const l = listing(pages);
    await assert.rejects(
      list(l.client),
      /s3:\/\/flow-logs\/AWSLogs\/123456789012\/vpcflowlogs\/us-east-1\/: S3 answered a continuation token it had given before 10 times in a row \(ListObjectsV2\); its listing does not move on$/,
    );
    assert.equal(l.calls(), calls);
  }
});
