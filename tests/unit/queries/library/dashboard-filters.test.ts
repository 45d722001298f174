import assert from 'node:assert/strict';
import { test } from 'node:test';
import { protocolNumber } from '../../../../queries/catalog/protocols';
import { DashboardFilters, filterPredicate } from '../../../../queries/library/dashboard-filters';

test('an IPv4 CIDR filter becomes a range test on the integer address column', () => {
  assert.equal(filterPredicate({ srcAddr: '10.0.0.0/8' }), '(src_ip4 BETWEEN 167772160 AND 184549375)');
  assert.equal(filterPredicate({ dstAddr: '192.168.1.7' }), '(dst_ip4 BETWEEN 3232235783 AND 3232235783)');
  assert.equal(filterPredicate({ srcAddr: '0.0.0.0/0' }), '(src_ip4 BETWEEN 0 AND 4294967295)');
  assert.equal(filterPredicate({ srcAddr: '10.1.2.3/24' }), '(src_ip4 BETWEEN 167838208 AND 167838463)');
});

test('every filter is ANDed, and port matches either end of the flow', () => {
  const filters = DashboardFilters.parse({ port: 22, protocol: 'tcp', action: 'REJECT', interfaceId: 'eni-0a1b2c' });
  assert.equal(
    filterPredicate(filters),
    "(srcport = 22 OR dstport = 22) AND protocol = 6 AND action = 'REJECT' AND interface_id = 'eni-0a1b2c'",
  );
});

test('no filter set gives no predicate', () => {
  assert.equal(filterPredicate({}), null);
  assert.equal(filterPredicate(undefined), null);
});

test('protocols are accepted by number or IANA name, case-insensitive', () => {
  assert.equal(protocolNumber('UDP'), 17);
  assert.equal(protocolNumber('icmpv6'), 58);
  assert.equal(protocolNumber('17'), 17);
  assert.equal(protocolNumber(17), 17);
  assert.equal(protocolNumber('nope'), null);
  assert.equal(protocolNumber('300'), null);
});

test('values that could carry SQL or nonsense are refused by the schema with the field named', () => {
  for (const [key, value] of [
    ['srcAddr', "10.0.0.1' OR 1=1 --"],
    ['srcAddr', '10.0.0.0/33'],
    ['dstAddr', '999.1.1.1'],
    ['interfaceId', "eni-1' OR '1"],
    ['action', 'accept; DROP'],
    ['protocol', 'nope'],
    ['port', 70000],
  ] as const) {
    const r = DashboardFilters.safeParse({ [key]: value });
    assert.equal(r.success, false, `${key}=${value} should be refused`);
    assert.deepEqual(r.error!.issues[0]!.path, [key]);
  }
  assert.equal(DashboardFilters.safeParse({ sql: 'x' }).success, false, 'unknown keys are refused');
});

test('an IPv6 address or range compares the expanded address, so every spelling of it is the same', () => {
  const [a, b] = ['2001:DB8::1', '2001:db8:0:0:0:0:0:1'].map((srcAddr) =>
    filterPredicate(DashboardFilters.parse({ srcAddr })),
  );
  assert.equal(a, b);
  assert.match(a!, /BETWEEN '20010db8000000000000000000000001' AND '20010db8000000000000000000000001'/);
  assert.match(
    filterPredicate(DashboardFilters.parse({ dstAddr: '2001:db8::/32' }))!,
    /BETWEEN '20010db8000000000000000000000000' AND '20010db8ffffffffffffffffffffffff'/,
  );
  assert.equal(DashboardFilters.safeParse({ srcAddr: '2001:db8::1::2' }).success, false);
});
