import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPanelTitle, pinBlocked } from '../../../../renderer/src/lib/pin-title';

describe('the Pin to dashboard dialog', () => {
  it("starts with a title: the saved query's name, else the tab's own name, else the query on one line", () => {
    assert.equal(defaultPanelTitle('SSH rejects', 'Query 2', 'filter dstPort = 22'), 'SSH rejects');
    assert.equal(defaultPanelTitle(null, 'Top talkers', 'stats sum(bytes) by srcAddr'), 'Top talkers');
    assert.equal(
      defaultPanelTitle(null, 'Query 2', 'stats sum(bytes) as bytes\n  | by bin(15m), action\n'),
      'stats sum(bytes) as bytes | by bin(15m), action',
    );
    const long = defaultPanelTitle('', 'Query 1', `filter ${'srcAddr = "10.0.0.1" or '.repeat(10)}`);
    assert.ok(long.length <= 80 && long.endsWith('…'), long);
  });

  it('says why Pin is disabled', () => {
    assert.equal(pinBlocked('  ', null), 'Give the panel a title to pin it.');
    assert.equal(pinBlocked('Rejects', ' '), 'Name the new dashboard to pin it.');
    assert.equal(pinBlocked('Rejects', null), null);
    assert.equal(pinBlocked('Rejects', 'SOC'), null);
  });
});
