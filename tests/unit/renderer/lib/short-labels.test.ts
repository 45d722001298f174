import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distinguishingTail, elideMiddle, shortLabels, splitTail } from '../../../../renderer/src/lib/short-labels';

const v6 = (i: number) => `2600:1f18:4e2a:9b00:1234:5678:9abc:${i}`;

describe('long labels shortened in the middle', () => {
  it('keeps the start and the end of an address, and leaves what fits alone', () => {
    assert.equal(elideMiddle('2600:1f18:4e2a:9b00:1234:5678:9abc:9a2b', 16), '2600:…:9abc:9a2b');
    assert.equal(elideMiddle('10.0.1.7', 16), '10.0.1.7');
    assert.equal(elideMiddle('2600:1f18:4e2a:9b00:1234:5678:9abc:9a2b', 16).length, 16);
  });

  it('shows thirty addresses of one /64 as thirty different labels, each with its own end', () => {
    const addresses = Array.from({ length: 30 }, (_, i) => v6(i));
    for (const max of [8, 12, 22]) {
      const shown = shortLabels(addresses, max);
      assert.equal(new Set(shown.values()).size, 30, `all differ at ${max} characters`);
      for (const a of addresses) {
        const s = shown.get(a)!;
        assert.ok(s.length <= max, `${s} fits ${max}`);
        assert.ok(s.startsWith('2'), `${s} keeps the start`);
        assert.ok(s.endsWith(`:${a.split(':').at(-1)}`), `${s} keeps the last group of ${a}`);
      }
    }
    assert.equal(shortLabels(addresses, 22).get(v6(29)), '2600:1f18…5678:9abc:29');
  });

  it('shows more of labels that would read alike, and only of those', () => {
    // Differ in the middle only: cut to 12, both read "2600:…::1".
    const a = '2600:1f18:aaaa:0000::1';
    const b = '2600:1f18:bbbb:0000::1';
    const c = 'fe80::1ff:fe23:4567:890a';
    const shown = shortLabels([a, b, c], 12);
    assert.notEqual(shown.get(a), shown.get(b));
    assert.match(shown.get(a)!, /a:0000::1$/);
    assert.match(shown.get(b)!, /b:0000::1$/);
    assert.equal(shown.get(c)!.length, 12, 'a label that differs anyway keeps its room');
  });

  it('reads ARNs, endpoint ids and host names by the part that tells them apart', () => {
    const arns = ['a1b2c3', 'd4e5f6'].map(
      (id) => `arn:aws:ec2:us-east-1:123456789012:vpc-endpoint/vpce-0aa${id}ffff0011`,
    );
    const shownArns = shortLabels(arns, 22);
    assert.equal(new Set(shownArns.values()).size, 2);
    for (const arn of arns) assert.ok(shownArns.get(arn)!.startsWith('arn:'), shownArns.get(arn));
    // Host names of one domain share their end: the start is what differs, and gets the room.
    const hosts = ['ip-10-0-1-23.ec2.internal', 'ip-10-0-1-24.ec2.internal', 'ip-10-0-2-99.ec2.internal'];
    const shownHosts = shortLabels(hosts, 18);
    assert.equal(new Set(shownHosts.values()).size, 3);
    assert.equal(shownHosts.get(hosts[0]!), 'ip-10-0-1-23…ernal');
    assert.equal(shortLabels(['vpce-0123456789abcdef0'], 22).get('vpce-0123456789abcdef0'), 'vpce-0123456789abcdef0');
  });

  it('keeps in sight of a cut list the fewest end characters that tell its values apart', () => {
    const addresses = [0, 1, 2, 29, 14].map(v6);
    assert.equal(distinguishingTail(addresses), 4);
    assert.equal(distinguishingTail(['x-000000000a', 'y-000000000a']), 4, 'ends alike: the start gets the room');
    assert.equal(distinguishingTail(['aaaa-10000', 'aaaa-20000']), 5);
    assert.deepEqual(splitTail(v6(29), 4), { head: '2600:1f18:4e2a:9b00:1234:5678:', tail: '9abc:29' });
    assert.deepEqual(splitTail('22', 4), { head: '2', tail: '2' });
  });
});
