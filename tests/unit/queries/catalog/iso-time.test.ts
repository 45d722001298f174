import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoTimeMs } from '../../../../queries/catalog/iso-time';
import { TimeRange } from '../../../../preload/contract';
import { SavedQuery } from '../../../../queries/library/saved-query';
import { requestBounds } from '../../../../main/engine/ingest/aws/pull-report';

test('ISO 8601 dates and times read as the moments they name, UTC unless an offset is given', () => {
  const utc = (...parts: number[]) => Date.UTC(parts[0]!, parts[1]! - 1, ...parts.slice(2));
  const cases: [string, number][] = [
    ['2026-03-02', utc(2026, 3, 2)],
    ['2026-03-02T10:00', utc(2026, 3, 2, 10)],
    ['2026-03-02 10:00:30', utc(2026, 3, 2, 10, 0, 30)],
    ['2026-03-02T10:00:30.250Z', utc(2026, 3, 2, 10, 0, 30, 250)],
    ['2026-03-02T10:00:30.123456789Z', utc(2026, 3, 2, 10, 0, 30, 123)],
    ['2026-03-02T10:00:00+02:00', utc(2026, 3, 2, 8)],
    ['2026-03-02T10:00:00-0530', utc(2026, 3, 2, 15, 30)],
    ['2024-02-29T23:59:59Z', utc(2024, 2, 29, 23, 59, 59)],
    ['0001-01-01T00:00:00Z', Date.parse('0001-01-01T00:00:00Z')],
  ];
  for (const [text, ms] of cases) assert.equal(isoTimeMs(text), ms, text);
});

test('a date or time that does not exist is no time, where Date.parse rolls it over to another day', () => {
  for (const text of [
    '2026-02-30',
    '2025-02-29T00:00:00Z',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-03-10T24:00:00Z',
    '2026-03-10T23:60:00Z',
    '2026-03-10T23:59:60Z',
    '2026-03-10T10:00:00+25:00',
    '+275760-09-13T00:00:00Z',
    'yesterday',
    '2026-03-10T10:00:00-05',
    '',
  ])
    assert.equal(isoTimeMs(text), null, text);
  // Before: accepted on the wire and read as 2 March.
  assert.equal(TimeRange.safeParse({ from: '2026-02-30', to: null }).success, false);
  assert.equal(TimeRange.safeParse({ from: '2026-03-02T10:00', to: '2026-03-03' }).success, true);
});

test('a saved query file and a pull read their times the same strict way', () => {
  const saved = (from: string) =>
    SavedQuery.safeParse({
      version: 1,
      name: 'x',
      dialect: 'insights',
      query: 'stats count(*)',
      timeRange: { from, to: '2026-03-03T00:00:00Z' },
    }).success;
  assert.equal(saved('2026-03-02T00:00:00Z'), true);
  assert.equal(saved('2026-02-30T00:00:00Z'), false);
  assert.deepEqual(requestBounds('2026-03-02', null), { from: Date.UTC(2026, 2, 2), to: null });
  assert.throws(() => requestBounds('2026-02-30', null), /not an ISO 8601 time that exists/);
});
