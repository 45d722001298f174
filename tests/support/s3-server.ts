/**
 * A real S3-compatible server for pull tests: `s3rver` on 127.0.0.1, a free port, a temp directory, one
 * bucket, path-style addressing. Objects go in through the real SDK client, so their ETags and listings
 * are what the server itself computes. s3rver knows one key pair, S3RVER/S3RVER, which the tests pass as
 * ordinary environment credentials.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver';

export const S3RVER_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' } as const;

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  client: S3Client;
  put(key: string, body: Buffer | string): Promise<string>;
  remove(key: string): Promise<void>;
  close(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}

export async function startS3Server(bucket = 'flow-logs'): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'flowscope-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] }) as S3rverInstance;
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    bucket,
    client,
    async put(key, body) {
      const out = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      return out.ETag ?? '';
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async close() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
