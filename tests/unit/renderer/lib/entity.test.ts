import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandIpv6, ipv6Text } from '../../../../queries/catalog/ip';
import { entityFromHash, entityHref, entityOfCell, parseEntity } from '../../../../renderer/src/lib/entity';
import { entityQueries } from '../../../../renderer/src/lib/entity-queries';

describe('an entity from what the analyst typed or clicked', () => {
  it('reads addresses, ENI ids and ports, each in the text flow logs write', () => {
    assert.deepEqual(parseEntity(' 10.0.1.5 '), { kind: 'ip', value: '10.0.1.5' });
    assert.deepEqual(parseEntity('2001:DB8:0:0:0:0:0:1'), { kind: 'ip', value: '2001:db8::1' });
    assert.deepEqual(parseEntity('eni-0A1B2C3D4E5F60001'), { kind: 'eni', value: 'eni-0a1b2c3d4e5f60001' });
    assert.deepEqual(parseEntity('22'), { kind: 'port', value: '22' });
    assert.deepEqual(parseEntity('0'), { kind: 'port', value: '0' });
    assert.deepEqual(parseEntity('65535'), { kind: 'port', value: '65535' });
  });

  it('refuses anything else, so nothing but a plain value reaches a query', () => {
    for (const text of [
      '',
      '65536',
      '-1',
      '256.1.1.1',
      '10.0.0.1/24',
      "10.0.0.1' OR '1'='1",
      "eni-abc' OR 1=1 --",
      'eni-',
      'eni-xyz',
      '1:2:3:4:5:6:7:8:9',
      '22; DROP TABLE flows',
      'i-0123456789abcdef0',
    ])
      assert.equal(parseEntity(text), null, text);
  });

  it('writes IPv6 as RFC 5952 does: lower case, no leading zeros, the longest zero run as ::', () => {
    const canonical = (text: string) => ipv6Text(expandIpv6(text)!);
    assert.equal(canonical('2001:0db8:0000:0000:0001:0000:0000:0001'), '2001:db8::1:0:0:1');
    assert.equal(canonical('0:0:0:0:0:0:0:1'), '::1');
    assert.equal(canonical('0:0:0:0:0:0:0:0'), '::');
    assert.equal(canonical('fe80:0:0:0:0:0:0:0'), 'fe80::');
    assert.equal(canonical('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1', 'one zero group stays');
    assert.equal(canonical('2600:1F18:ABCD:EF00::10'), '2600:1f18:abcd:ef00::10');
  });

  it('lives in the URL, so Back returns to it and a link opens it', () => {
    for (const text of ['10.0.1.5', '2001:db8::1', 'eni-0a7a7a7a7a7a7a7a7', '443']) {
      const entity = parseEntity(text)!;
      assert.deepEqual(entityFromHash(entityHref(entity)), entity);
    }
    assert.equal(entityHref(parseEntity('2001:db8::1')!), '#entity/2001%3Adb8%3A%3A1');
    assert.equal(entityFromHash('#explore'), null);
    assert.equal(entityFromHash('#entity/%E0%A4%A'), null, 'a malformed escape is no entity');
    assert.equal(entityFromHash('#entity/not-a-thing'), null);
  });

  it('comes from a cell only when the column holds that kind of value', () => {
    assert.deepEqual(entityOfCell('ip', '10.0.0.5'), { kind: 'ip', value: '10.0.0.5' });
    assert.deepEqual(entityOfCell('port', 22), { kind: 'port', value: '22' });
    assert.deepEqual(entityOfCell('eni', 'eni-a1'), { kind: 'eni', value: 'eni-a1' });
    assert.equal(entityOfCell('number', 22), null, 'a count is not a port');
    assert.equal(entityOfCell('ip', 22), null, 'a number in an address column is no address');
    assert.equal(entityOfCell('port', '10.0.0.5'), null);
    assert.equal(entityOfCell('ip', null), null);
    assert.equal(entityOfCell('text', 'eni-a1'), null);
  });
});

describe('the entity queries', () => {
  it('name the entity as its canonical literal, and start as SQL with a comment saying what they are', () => {
    for (const [entity, literal] of [
      [parseEntity('10.0.0.5')!, "'10.0.0.5'"],
      [parseEntity('2001:DB8::0001')!, "'2001:db8::1'"],
      [parseEntity('eni-A')!, "'eni-a'"],
      [parseEntity('22')!, '= 22'],
    ] as const) {
      for (const q of entityQueries(entity)) {
        assert.ok(q.sql.includes(literal), `${q.id} names ${literal}`);
        assert.match(q.sql, /^-- .+ \(entity view\)\n(SELECT|WITH)\b/, q.id);
      }
    }
  });

  it('ask what fits each kind: peers for an address, conversations for an ENI or a port', () => {
    const ids = (text: string) => entityQueries(parseEntity(text)!).map((q) => q.id);
    assert.deepEqual(ids('10.0.0.5'), [
      'summary',
      'overTime',
      'direction',
      'peers',
      'ports',
      'protocols',
      'interfaces',
      'about',
      'aws',
    ]);
    assert.deepEqual(ids('eni-a'), ['summary', 'overTime', 'direction', 'peers', 'ports', 'protocols', 'about']);
    assert.deepEqual(ids('22'), ['summary', 'overTime', 'direction', 'peers', 'protocols', 'interfaces']);
    assert.equal(entityQueries(parseEntity('eni-a')!).find((q) => q.id === 'peers')!.title, 'Conversations');
  });
});
