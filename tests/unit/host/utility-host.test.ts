import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { ParentReply } from '../../../main/engine/host/parent-protocol';
import { runUtilityHost, type ClosablePort, type UtilityEngine } from '../../../main/engine/host/utility-host';
import { FlowscopeError } from '../../../main/engine/errors';
import { z } from 'zod';
import { contractDouble } from './contract-double';
import { AwsTarget, channels, credentialChannels } from '../../../preload/contract';

/** A parent channel driven by the test, shaped like the worker_threads one (ports travel as `port`). */
function testParent() {
  const unread: ParentReply[] = [];
  const waiters: ((reply: ParentReply) => void)[] = [];
  let deliver: (message: unknown, ports: ClosablePort[]) => void = () => undefined;
  return {
    channel: {
      kind: 'worker' as const,
      post(reply: ParentReply) {
        const waiter = waiters.shift();
        if (waiter) waiter(reply);
        else unread.push(reply);
      },
      onMessage: (listener: typeof deliver) => (deliver = listener),
    },
    send: (message: unknown, ports: ClosablePort[] = []) => deliver(message, ports),
    next: () =>
      new Promise<ParentReply>((resolve) => (unread.length ? resolve(unread.shift()!) : waiters.push(resolve))),
  };
}

function start(openEngine = async (): Promise<UtilityEngine> => fakeUtilityEngine()) {
  const parent = testParent();
  let exited = false;
  runUtilityHost(parent.channel, openEngine, () => (exited = true));
  return { parent, exited: () => exited };
}

function fakeUtilityEngine(): UtilityEngine & { closed: boolean; registered: string[] } {
  const engine = contractDouble() as unknown as UtilityEngine & { closed: boolean; registered: string[] };
  const double = Object.assign(Object.create(engine) as typeof engine, {
    closed: false,
    registered: [] as string[],
    files: {
      register(path: string) {
        const registered = (double as { registered: string[] }).registered;
        registered.push(path);
        return `fh_test${String(registered.length - 1).padStart(6, '0')}`;
      },
    },
    async close(this: { closed: boolean }) {
      this.closed = true;
    },
  });
  return double;
}

function call(
  port: MessagePort,
  message: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  return new Promise((resolve) => {
    port.once('message', resolve);
    port.postMessage(message);
  });
}

test("the engine opens on the parent's word and serves the renderer port it is handed", async () => {
  const { parent } = start();
  parent.send({ type: 'open', workspace: '/w.duckdb' });
  assert.equal((await parent.next()).type, 'opened');
  const { port1, port2 } = new MessageChannel();
  parent.send({ type: 'connect' }, [port2]);
  assert.equal((await parent.next()).type, 'connected');
  const reply = await call(port1, { id: 1, channel: 'workspace.info', input: {} });
  assert.equal(reply.ok, true);
  assert.equal((reply.value as { records: number }).records, 3);
  port1.close();
});

test('a new renderer port replaces the old one, which is closed', async () => {
  const { parent } = start();
  parent.send({ type: 'open', workspace: '/w.duckdb' });
  await parent.next();
  const first = new MessageChannel();
  const firstClosed = new Promise((resolve) => first.port1.once('close', resolve));
  parent.send({ type: 'connect' }, [first.port2]);
  await parent.next();
  const second = new MessageChannel();
  parent.send({ type: 'connect' }, [second.port2]);
  await parent.next();
  await firstClosed;
  assert.equal((await call(second.port1, { id: 2, channel: 'workspace.info', input: {} })).ok, true);
  second.port1.close();
});

test('picked paths become file handles only through the parent channel', async () => {
  let engine: ReturnType<typeof fakeUtilityEngine> | null = null;
  const { parent } = start(async () => (engine = fakeUtilityEngine()));
  parent.send({ type: 'open', workspace: '/w.duckdb' });
  await parent.next();
  parent.send({ type: 'files.register', requestId: 7, paths: ['/data/a.log', '/data/b.log.gz'] });
  const reply = await parent.next();
  assert.deepEqual(reply, { type: 'files.registered', requestId: 7, handles: ['fh_test000000', 'fh_test000001'] });
  assert.deepEqual(engine!.registered, ['/data/a.log', '/data/b.log.gz']);
});

test('a workspace that fails to open is reported with its error code and can be retried', async () => {
  let attempts = 0;
  const { parent } = start(async () => {
    attempts += 1;
    if (attempts === 1) throw new FlowscopeError('workspace_in_use', 'in use');
    return fakeUtilityEngine();
  });
  parent.send({ type: 'open', workspace: '/w.duckdb' });
  assert.deepEqual(await parent.next(), {
    type: 'open-failed',
    error: { code: 'workspace_in_use', message: 'in use' },
  });
  parent.send({ type: 'open', workspace: '/w.duckdb' });
  assert.equal((await parent.next()).type, 'opened');
});

test('unknown parent messages, port-less connects and calls before open are refused with codes', async () => {
  const { parent } = start();
  parent.send({ type: 'eval', code: 'process.exit()' });
  assert.equal((await parent.next()).type, 'protocol-error');
  parent.send({ type: 'connect' });
  const portless = await parent.next();
  assert.equal(portless.type === 'protocol-error' && portless.error.code, 'bad_request');
  parent.send({ type: 'files.register', requestId: 1, paths: ['/x'] });
  const early = await parent.next();
  assert.equal(early.type === 'files.failed' && early.error.code, 'bad_request');
});

test('shutdown closes the engine before exiting', async () => {
  let engine: ReturnType<typeof fakeUtilityEngine> | null = null;
  const host = start(async () => (engine = fakeUtilityEngine()));
  host.parent.send({ type: 'open', workspace: '/w.duckdb' });
  await host.parent.next();
  host.parent.send({ type: 'shutdown' });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(engine!.closed, true);
  assert.equal(host.exited(), true);
});

test('the renderer port refuses every channel that acts with AWS credentials; the parent may call them', async (t) => {
  const { parent } = start();
  parent.send({ type: 'open', workspace: '/w.duckdb' });
  await parent.next();
  const { port1, port2 } = new MessageChannel();
  t.after(() => port1.close()); // an open port would keep a failed run from ending
  parent.send({ type: 'connect' }, [port2]);
  await parent.next();
  for (const channel of credentialChannels) {
    const reply = await call(port1, { id: channel, channel, input: {} });
    assert.equal(reply.ok, false, channel);
    assert.match(JSON.stringify(reply.error), /acts with your AWS credentials/, channel);
  }
  assert.equal((await call(port1, { id: 'info', channel: 'workspace.info', input: {} })).ok, true);

  // Through the parent the call reaches the engine (whose double does not serve it: `internal` says so).
  parent.send({ type: 'call', requestId: 9, channel: 'aws.buckets', input: { profile: 'prod' } });
  const called = await parent.next();
  assert.equal(called.type, 'called');
  assert.equal(called.type === 'called' && called.requestId, 9);
  assert.match(JSON.stringify(called), /does not serve awsBuckets/);
  parent.send({ type: 'call', requestId: 10, channel: 'workspace.info', input: {} });
  assert.equal((await parent.next()).type, 'protocol-error', 'the parent calls only what the port refuses');
});

/** Whether an object anywhere in a JSON schema (nested, or one option of a union) has every key of an AWS target. */
function holdsAwsTarget(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  const properties = (schema as { properties?: Record<string, unknown> }).properties ?? {};
  if (Object.keys(AwsTarget.shape).every((key) => key in properties)) return true;
  return Object.values(schema).some(holdsAwsTarget);
}

test('every channel whose input holds an AWS target, at any depth, is a credential channel', () => {
  const holding = Object.entries(channels)
    .filter(([, { input }]) => holdsAwsTarget(z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' })))
    .map(([channel]) => channel);
  assert.deepEqual(holding.sort(), [...credentialChannels].sort());
  assert.ok(holding.includes('remote.run'), 'a target nested in the input counts');
});
