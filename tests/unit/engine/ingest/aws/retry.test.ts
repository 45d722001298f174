import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, RateLimiter, tokenPages, withRetry } from '../../../../../main/engine/ingest/aws/retry';

const throttled = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

test('the rate limiter spaces requests so no second holds more than the rate', async () => {
  const limiter = new RateLimiter(20);
  const started = performance.now();
  const times: number[] = [];
  for (let i = 0; i < 12; i++) {
    await limiter.take();
    times.push(performance.now());
  }
  // Request i may not go out before i gaps of 50 ms have passed, however late the loop woke up.
  times.forEach((t, i) => assert.ok(t - started >= 50 * i, `request ${i} went out after ${t - started} ms`));
});

test('backoff grows exponentially, is capped, and is jittered over the whole interval', () => {
  assert.equal(
    backoffDelay(1, 100, 10_000, () => 1),
    200,
  );
  assert.equal(
    backoffDelay(4, 100, 10_000, () => 1),
    1600,
  );
  assert.equal(
    backoffDelay(12, 100, 10_000, () => 1),
    10_000,
  );
  assert.equal(
    backoffDelay(3, 100, 10_000, () => 0),
    0,
  );
  assert.equal(
    backoffDelay(3, 100, 10_000, () => 0.5),
    400,
  );
});

test('throttled calls are retried until they succeed, each retry reported', async () => {
  let calls = 0;
  const retries: string[] = [];
  const value = await withRetry(
    { subject: 'g' },
    async () => {
      if (++calls < 3) throw throttled();
      return 'ok';
    },
    { baseDelayMs: 1, onRetry: (r) => retries.push(r.reason) },
  );
  assert.equal(value, 'ok');
  assert.equal(calls, 3);
  assert.equal(retries.length, 2);
  assert.match(retries[0]!, /ThrottlingException/);
});

test('a slow attempt is abandoned and retried', async () => {
  let calls = 0;
  const value = await withRetry(
    { subject: 'g' },
    (signal) =>
      new Promise<string>((resolve, reject) => {
        calls++;
        if (calls === 1)
          signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
        else resolve('second');
      }),
    { baseDelayMs: 1, attemptTimeoutMs: 50 },
  );
  assert.equal(value, 'second');
  assert.equal(calls, 2);
});

test('attempts run out with an error that says how many were made', async () => {
  await assert.rejects(
    withRetry({ subject: 'log group g' }, async () => Promise.reject(throttled()), { attempts: 3, baseDelayMs: 1 }),
    /log group g: gave up after 3 attempts/,
  );
});

test('cancelling stops the waiting at once', async () => {
  const ac = new AbortController();
  const started = performance.now();
  setTimeout(() => ac.abort(), 30);
  await assert.rejects(
    withRetry({ subject: 'g' }, async () => Promise.reject(throttled()), {
      signal: ac.signal,
      baseDelayMs: 10_000,
      random: () => 1,
    }),
    (err: { code?: string }) => err.code === 'cancelled',
  );
  assert.ok(performance.now() - started < 2000);
});

test('a listing whose nextToken comes back again and again fails, naming what it listed; one now and then is followed', async () => {
  const pages = (tokens: (string | undefined)[]) => {
    let i = 0;
    return tokenPages(
      { subject: 'log group /vpc/flow-logs' },
      async () => ({ nextToken: tokens[Math.min(i++, tokens.length - 1)] }),
      { operation: 'FilterLogEvents' },
    );
  };
  const count = async (listing: AsyncGenerator<unknown>) => {
    let n = 0;
    for await (const _ of listing) n++;
    return n;
  };
  // A few empty pages that carry back the token sent, then the listing goes on to its end.
  assert.equal(await count(pages(['a', 'a', 'a', 'b', 'c', undefined])), 6);
  // The same token page after page, and a loop of two: given up on after ten such pages (these end after 20
  // pages, so that without the bound the test fails rather than runs for ever).
  const end = [undefined];
  const loops: [tokens: (string | undefined)[], pages: number][] = [
    [[...Array<string>(20).fill('a'), ...end], 11],
    [[...Array.from({ length: 10 }, () => ['a', 'b']).flat(), ...end], 12],
  ];
  for (const [tokens, given] of loops) {
    let n = 0;
    await assert.rejects(
      (async () => {
        for await (const _ of pages(tokens)) n++;
      })(),
      /: log group \/vpc\/flow-logs: the service answered a page token it had given before 10 times in a row \(FilterLogEvents\); its listing does not move on$/,
    );
    assert.equal(n, given);
  }
});
