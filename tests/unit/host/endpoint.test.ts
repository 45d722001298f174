import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serveEndpoint } from '../../../main/engine/host/endpoint';
import { memoryEndpoint } from '../../support/memory-endpoint';
import { contractDouble } from './contract-double';

test('a valid request is answered with the engine value under the same id', async () => {
  const engine = contractDouble();
  const wire = memoryEndpoint();
  serveEndpoint(engine, wire.endpoint);
  wire.deliver({ id: 'a1', channel: 'query.run', input: { query: 'fields srcAddr' } });
  await wire.settle();
  assert.equal(wire.sent.length, 1);
  const reply = wire.sent[0] as { id: string; ok: boolean; value: { rows: unknown[][] } };
  assert.equal(reply.id, 'a1');
  assert.equal(reply.ok, true);
  assert.deepEqual(reply.value.rows, [['fields srcAddr']]);
});

test('bad messages are answered with coded errors and never reach the engine', async () => {
  const engine = contractDouble();
  const wire = memoryEndpoint();
  serveEndpoint(engine, wire.endpoint);
  const cases: [unknown, string][] = [
    ['just text', 'bad_request'],
    [{ id: 1, input: {} }, 'bad_request'],
    [{ id: 2, channel: 'fs.readFile', input: { path: '/etc/passwd' } }, 'unknown_channel'],
    [{ id: 3, channel: 'query.run', input: { query: 42 } }, 'bad_request'],
    [{ id: 4, channel: 'query.run', input: { query: 'x', pageSize: 1e9 } }, 'bad_request'],
    [{ id: 5, channel: 'constructor', input: {} }, 'unknown_channel'],
  ];
  for (const [message] of cases) wire.deliver(message);
  await wire.settle();
  const codes = wire.sent.map((reply) => (reply as { error: { code: string } }).error.code);
  assert.deepEqual(
    codes,
    cases.map(([, code]) => code),
  );
  assert.deepEqual(engine.calls, []);
});

test('engine events are forwarded until the connection closes', async () => {
  const engine = contractDouble();
  const wire = memoryEndpoint();
  serveEndpoint(engine, wire.endpoint);
  const event = { event: 'job.state', payload: { jobId: 'j1', kind: 'import', state: 'done' } };
  engine.emit(event);
  assert.deepEqual(wire.sent, [event]);
  wire.close();
  engine.emit(event);
  assert.equal(wire.sent.length, 1);
  assert.equal(engine.listenerCount(), 0);
});
