import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  answerChange,
  answeredRange,
  capNote,
  emptyAnswer,
  recordsHeld,
  type Asked,
} from '../../../../renderer/src/lib/answer-status';

const lastHour = { from: '2026-03-04T23:00:00.000Z', to: '2026-03-05T00:00:00.000Z' };
const none = { from: null, to: null };
const asked: Asked = {
  query: 'stats count(*) by action',
  dialect: 'insights',
  ran: { engine: 'local', preset: '1h', custom: none, range: lastHour },
};
const now = { query: asked.query, dialect: 'auto' as const, preset: '1h' as const, custom: none, range: lastHour };

describe('what a shown answer answers', () => {
  it('names the range it ran over, in the chosen zone, or the whole workspace', () => {
    assert.equal(answeredRange(asked.ran, 'utc'), '2026-03-04 23:00 → 2026-03-05 00:00 UTC');
    assert.equal(answeredRange({ ...asked.ran, preset: 'all', range: null }, 'utc'), 'the whole workspace');
    assert.equal(answeredRange({ ...asked.ran, engine: 'athena', preset: 'all', range: null }, 'utc'), 'whole table');
  });

  it('is current while the range and text are what ran, and says which one changed', () => {
    assert.equal(answerChange(asked, now), null);
    // Custom… opened on the same hour is the same range.
    assert.equal(answerChange(asked, { ...now, preset: 'custom', custom: lastHour }), null);
    const custom = { from: '2026-03-03T10:00:00.000Z', to: '2026-03-03T11:00:00.000Z' };
    assert.equal(answerChange(asked, { ...now, preset: 'custom', custom, range: custom }), 'range');
    assert.equal(answerChange(asked, { ...now, query: `${asked.query} | limit 1` }), 'text');
    assert.equal(answerChange(asked, { ...now, dialect: 'sumo' }), 'text', 'the same text read as another language');
  });

  it("compares a remote answer's range by the choice, since its instants were the clock's when it ran", () => {
    const remote: Asked = { ...asked, ran: { ...asked.ran, engine: 'athena' } };
    assert.equal(answerChange(remote, { ...now, range: { from: '2026-03-05T09:00:00.000Z', to: null } }), null);
    assert.equal(answerChange(remote, { ...now, preset: '24h' }), 'range');
  });

  it('says why an answer has no rows, with the range it looked at', () => {
    const range = answeredRange(asked.ran, 'utc');
    assert.equal(emptyAnswer(0, range), 'No record matched in 2026-03-04 23:00 → 2026-03-05 00:00 UTC.');
    assert.match(emptyAnswer(1345, range), /^No rows: 1,345 records matched in .*, and the query left none of them\.$/);
    assert.equal(emptyAnswer(null, 'the whole workspace'), 'No rows in the whole workspace.');
  });

  it("names where the workspace's records are when the range held none of them", () => {
    const span = {
      from: '2026-01-01T00:00:01.000Z',
      to: '2026-01-01T03:09:47.000Z',
      newestStart: '2026-01-01T03:08:00.000Z',
    };
    const later = { from: '2027-01-01T00:00:00.000Z', to: null };
    const held = recordsHeld(0, later, span, 'utc');
    assert.equal(held, "the workspace's records span 2026-01-01 00:00 → 2026-01-01 03:09 UTC");
    assert.equal(
      emptyAnswer(0, answeredRange({ ...asked.ran, range: later }, 'utc'), held),
      "No record in 2027-01-01 00:00 → … UTC: the workspace's records span 2026-01-01 00:00 → 2026-01-01 03:09 UTC.",
    );
    assert.equal(recordsHeld(0, later, null, 'utc'), 'the workspace holds no records');
    assert.equal(recordsHeld(12, later, span, 'utc'), null, 'the range held records: the query matched none');
    assert.equal(recordsHeld(0, null, span, 'utc'), null, 'no range: the whole workspace was looked at');
    assert.equal(recordsHeld(undefined, later, span, 'utc'), null, 'not counted yet');
  });
});

describe("a list of records cut by Insights' implicit limit", () => {
  it('says that more matched, and nothing for an answer that was not cut', () => {
    assert.equal(capNote(10_000), 'Insights returns at most 10,000; more matched (add | limit N to see more)');
    assert.equal(capNote(null), null);
  });
});
