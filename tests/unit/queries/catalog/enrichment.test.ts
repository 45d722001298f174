import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { GENERATED, protocolRows, protocolsModule, servicesModule } from '../../../../build/catalog/generate-catalog';
import { direction, isPrivateIp, isPublicIp } from '../../../../queries/catalog/address-class';
import { IANA_PROTOCOLS } from '../../../../queries/catalog/generated/iana-protocols';
import { protocolName, protocolNumber, serviceName, serviceTable } from '../../../../queries/catalog/protocols';

describe('IANA protocol numbers', () => {
  test('cover every number from 0 to 255 once', () => {
    assert.deepEqual(
      IANA_PROTOCOLS.map(([n]) => n),
      Array.from({ length: 256 }, (_, i) => i),
    );
  });

  test('name the protocols flow logs carry', () => {
    assert.equal(protocolName(6), 'TCP');
    assert.equal(protocolName(17), 'UDP');
    assert.equal(protocolName(1), 'ICMP');
    assert.equal(protocolName(58), 'IPv6-ICMP');
    assert.equal(protocolName(50), 'ESP');
    assert.equal(protocolName(132), 'SCTP');
    assert.equal(protocolNumber('gre'), 47);
  });

  test('name the numbers IANA assigned or renamed after the package snapshot', () => {
    assert.equal(protocolName(143), 'Ethernet');
    assert.equal(protocolName(144), 'AGGFRAG');
    assert.equal(protocolName(145), 'NSH');
    assert.equal(protocolName(146), 'Homa');
    assert.equal(protocolName(55), 'Min-IPv4');
    assert.equal(protocolNumber('nsh'), 145);
  });

  test('give no name to unassigned numbers', () => {
    assert.equal(protocolName(147), null);
    assert.equal(protocolName(200), null);
  });
});

describe('IANA service names', () => {
  test('name well-known ports per transport', () => {
    assert.equal(serviceName(22, 6), 'ssh');
    assert.equal(serviceName(443, 6), 'https');
    assert.equal(serviceName(53, 17), 'domain');
    assert.equal(serviceName(3389, 6), 'ms-wbt-server');
    assert.equal(serviceName(123, 17), 'ntp');
  });

  test('have thousands of entries (the full registry, not a short list)', () => {
    assert.ok(serviceTable('tcp').size > 5000);
    assert.ok(serviceTable('udp').size > 5000);
  });

  test('give no name where the protocol has no ports', () => {
    assert.equal(serviceName(22, 1), null);
  });
});

describe('address classes', () => {
  test('private covers RFC 1918, CGNAT, link-local, loopback and IPv6 ULA/link-local', () => {
    for (const a of [
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.169.254',
      '127.0.0.1',
      'fd00::1',
      'fe80::1',
      '::1',
    ]) {
      assert.equal(isPrivateIp(a), true, a);
    }
    for (const a of ['172.32.0.1', '8.8.8.8', '100.128.0.1', '2600:1f18::1']) assert.equal(isPrivateIp(a), false, a);
  });

  test('public excludes private, multicast, broadcast and non-addresses', () => {
    assert.equal(isPublicIp('8.8.8.8'), true);
    assert.equal(isPublicIp('203.0.113.9'), true);
    assert.equal(isPublicIp('2600:1f18::1'), true);
    for (const a of ['10.0.0.1', '224.0.0.5', '255.255.255.255', '0.0.0.0', 'ff02::1', 'not-an-ip', '-'])
      assert.equal(isPublicIp(a), false, a);
  });

  test('direction is relative to the VPC ranges', () => {
    assert.equal(direction('10.0.0.1', '8.8.8.8'), 'outbound');
    assert.equal(direction('8.8.8.8', '10.0.0.1'), 'inbound');
    assert.equal(direction('10.0.0.1', '10.0.0.2'), 'internal');
    assert.equal(direction('1.1.1.1', '8.8.8.8'), 'external');
    assert.equal(direction('10.0.0.1', '10.9.0.2', ['10.0.0.0/16']), 'outbound');
  });
});

describe('generated catalog data', () => {
  test('is what the generator makes from the installed IANA packages', () => {
    assert.equal(readFileSync(GENERATED.protocols, 'utf8'), protocolsModule());
    assert.equal(readFileSync(GENERATED.services, 'utf8'), servicesModule());
  });

  test('the protocol supplement fills only what the package snapshot left, and the package wins once it agrees', () => {
    const supplement = [
      { number: 143, keyword: 'Ethernet', description: 'Ethernet', reference: 'RFC 8986', snapshotKeyword: '' },
    ];
    const unassigned = { '143-144': { value: '143-144', description: 'Unassigned' } };
    assert.deepEqual(protocolRows(unassigned, supplement), [
      [143, 'Ethernet', 'Ethernet'],
      [144, '', 'Unassigned'],
    ]);
    const caughtUp = { '143': { value: '143', name: 'Ethernet', description: 'Ethernet encapsulation' } };
    assert.deepEqual(protocolRows(caughtUp, supplement), [[143, 'Ethernet', 'Ethernet encapsulation']]);
  });

  test('the generator fails when the package names a supplemented number differently', () => {
    const supplement = [
      {
        number: 145,
        keyword: 'NSH',
        description: 'Network Service Header',
        reference: 'RFC 9491',
        snapshotKeyword: '',
      },
    ];
    assert.throws(
      () => protocolRows({ '145': { value: '145', name: 'NSH-v2', description: '' } }, supplement),
      /protocol-numbers now names protocol 145 "NSH-v2", not "" .*protocol-supplement\.ts/,
    );
  });
});
