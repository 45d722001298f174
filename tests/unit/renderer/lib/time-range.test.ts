import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  choiceOfSaved,
  customStart,
  describeRange,
  fromInputValue,
  RANGE_PRESETS,
  rangeLabel,
  remoteRange,
  resolveRange,
  resolveSaved,
  toInputValue,
} from '../../../../renderer/src/lib/time-range';

// The newest record starts at noon and ends ten minutes later (AWS's default aggregation interval).
const span = {
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-01-08T12:10:00.000Z',
  newestStart: '2026-01-08T12:00:00.000Z',
};

describe('time ranges of the data', () => {
  it("counts the last minutes, hours and days back from the newest record's start, not from now or its end", () => {
    assert.deepEqual(resolveRange('15m', span, { from: null, to: null }), {
      from: '2026-01-08T11:45:01.000Z',
      to: '2026-01-08T12:00:01.000Z',
    });
    assert.equal(resolveRange('7d', span, { from: null, to: null })!.from, '2026-01-01T12:00:01.000Z');
    assert.equal(resolveRange('all', span, { from: null, to: null }), null);
    assert.equal(resolveRange('1h', null, { from: null, to: null }), null, 'an empty workspace has no last hour');
  });

  it('uses a custom range as given, open at either end', () => {
    assert.deepEqual(resolveRange('custom', span, { from: '2026-01-02T00:00:00.000Z', to: null }), {
      from: '2026-01-02T00:00:00.000Z',
      to: null,
    });
    assert.equal(resolveRange('custom', span, { from: null, to: null }), null);
  });

  it('opens Custom… with the range in force: a preset worked out, the whole workspace as its span of data', () => {
    const none = { from: null, to: null };
    assert.deepEqual(customStart('1h', none, span, 'local', 0), {
      from: '2026-01-08T11:00:01.000Z',
      to: '2026-01-08T12:00:01.000Z',
    });
    assert.deepEqual(customStart('all', none, span, 'local', 0), {
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-08T12:00:01.000Z',
    });
    assert.deepEqual(customStart('all', none, null, 'local', 0), none, 'an empty workspace has no range to start from');
    const now = Date.parse('2026-06-01T12:00:00.000Z');
    assert.deepEqual(customStart('15m', none, span, 'athena', now), {
      from: '2026-06-01T11:45:00.000Z',
      to: '2026-06-01T12:00:00.000Z',
    });
  });

  it('reads and writes the range inputs as ISO with a 24-hour clock, in UTC or in the local zone', () => {
    assert.equal(toInputValue('2026-03-03T23:59:58.000Z', 'utc'), '2026-03-03 23:59:58');
    assert.equal(toInputValue('2026-03-03T23:59:58.250Z', 'utc'), '2026-03-03 23:59:58.250');
    assert.equal(fromInputValue('2026-03-03 23:59:58', 'utc'), '2026-03-03T23:59:58.000Z');
    assert.equal(fromInputValue('2026-03-03 23:59:58.250', 'utc'), '2026-03-03T23:59:58.250Z');
    assert.equal(fromInputValue('2026-01-02T03:04', 'utc'), '2026-01-02T03:04:00.000Z');
    assert.equal(fromInputValue('2026-01-02 03:04 -05:00', 'utc'), '2026-01-02T08:04:00.000Z');
    assert.equal(fromInputValue('2026-01-02 03:04:00Z', 'local'), '2026-01-02T03:04:00.000Z');
    assert.equal(fromInputValue('2026-02-31 03:04', 'utc'), null);
    assert.equal(fromInputValue('03/03/2026, 11:59:58 PM', 'utc'), null);
    const local = toInputValue('2026-01-02T03:04:05.000Z', 'local');
    assert.equal(fromInputValue(local, 'local'), '2026-01-02T03:04:05.000Z');
    assert.equal(fromInputValue('nonsense', 'utc'), null);
  });

  it('on a remote engine, counts back from the clock (the data there is live) and names the whole range as the engine reads it', () => {
    const now = Date.parse('2026-06-01T12:00:00.000Z');
    assert.deepEqual(remoteRange('1h', { from: null, to: null }, now), {
      from: '2026-06-01T11:00:00.000Z',
      to: '2026-06-01T12:00:00.000Z',
    });
    assert.equal(remoteRange('all', { from: null, to: null }, now), null);
    const custom = { from: '2026-01-02T00:00:00.000Z', to: null };
    assert.deepEqual(remoteRange('custom', custom, now), custom);
    const label = (value: string, engine: 'local' | 'athena' | 'cloudwatch') =>
      rangeLabel(
        RANGE_PRESETS.find((o) => o.value === value)!,
        engine,
      );
    assert.equal(label('1h', 'local'), 'Last hour of data');
    assert.equal(label('1h', 'athena'), 'Last hour');
    assert.equal(label('all', 'athena'), 'Whole table');
    assert.equal(label('all', 'cloudwatch'), 'Last hour (CloudWatch default)');
  });

  it("resolves a dashboard's or a panel's saved range the way the picker resolves its presets", () => {
    assert.deepEqual(resolveSaved({ last: '1h' }, span), resolveRange('1h', span, { from: null, to: null }));
    assert.deepEqual(resolveSaved({ last: '90m' }, span), {
      from: '2026-01-08T10:30:01.000Z',
      to: '2026-01-08T12:00:01.000Z',
    });
    const fixed = { from: '2026-01-02T00:00:00.000Z', to: '2026-01-03T00:00:00.000Z' };
    assert.deepEqual(resolveSaved(fixed, span), fixed);
    assert.equal(resolveSaved({ last: '1h' }, null), null);
  });

  it('opens a saved range in the picker as its preset, else as a custom range', () => {
    assert.deepEqual(choiceOfSaved({ last: '24h' }, span), { preset: '24h', custom: { from: null, to: null } });
    assert.deepEqual(choiceOfSaved({ last: '2w' }, span), {
      preset: 'custom',
      custom: { from: '2025-12-25T12:00:01.000Z', to: '2026-01-08T12:00:01.000Z' },
    });
    assert.deepEqual(choiceOfSaved({ last: '2w' }, null), { preset: 'all', custom: { from: null, to: null } });
  });

  it('says what a range is in words, so a panel always names the range it shows', () => {
    assert.equal(describeRange(null, 'utc'), 'Whole workspace');
    assert.equal(
      describeRange({ from: '2026-01-08T11:00:00.000Z', to: '2026-01-08T12:00:01.000Z' }, 'utc'),
      '2026-01-08 11:00 → 2026-01-08 12:00 UTC',
    );
    assert.equal(describeRange({ from: '2026-01-08T11:00:00.000Z', to: null }, 'utc'), '2026-01-08 11:00 → … UTC');
  });

  it('in the local zone, tells the repeated hour of a DST fall-back apart and reads it back exactly', () => {
    // The hour 01:00–02:00 is there twice in New York on 2024-11-03: first at -04:00, then at -05:00.
    const script = `
      import { toInputValue, fromInputValue, describeRange } from './renderer/src/lib/time-range.ts';
      import { formatTime } from './renderer/src/lib/cell-format.ts';
      const out = {};
      for (const iso of ['2024-11-03T05:30:00.000Z', '2024-11-03T06:30:00.000Z', '2024-11-03T04:30:00.000Z', '2024-03-10T07:30:00.000Z']) {
        const shown = toInputValue(iso, 'local');
        out[iso] = [shown, fromInputValue(shown, 'local'), formatTime(iso, 'local')];
      }
      out.range = describeRange({ from: '2024-11-03T05:30:00.000Z', to: '2024-11-03T06:30:00.000Z' }, 'local');
      console.log(JSON.stringify(out));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, TZ: 'America/New_York' },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(out['2024-11-03T05:30:00.000Z'], [
      '2024-11-03 01:30:00 -04:00',
      '2024-11-03T05:30:00.000Z',
      '2024-11-03 01:30:00 -04:00',
    ]);
    assert.deepEqual(out['2024-11-03T06:30:00.000Z'], [
      '2024-11-03 01:30:00 -05:00',
      '2024-11-03T06:30:00.000Z',
      '2024-11-03 01:30:00 -05:00',
    ]);
    // A wall time that is there once needs no offset.
    assert.deepEqual(out['2024-11-03T04:30:00.000Z'], [
      '2024-11-03 00:30:00',
      '2024-11-03T04:30:00.000Z',
      '2024-11-03 00:30:00',
    ]);
    assert.deepEqual(out['2024-03-10T07:30:00.000Z'], [
      '2024-03-10 03:30:00',
      '2024-03-10T07:30:00.000Z',
      '2024-03-10 03:30:00',
    ]);
    assert.equal(out.range, '2024-11-03 01:30 -04:00 → 2024-11-03 01:30 -05:00 America/New_York');
  });
  it('in the local zone, refuses a wall time the clocks skip (the hour a DST change jumps over), saying so', () => {
    // New York springs forward on 2026-03-08 at 02:00 to 03:00; Lord Howe on 2026-10-04 at 02:00 to 02:30.
    const script = `
      import { fromInputValue, skippedByClocks } from './renderer/src/lib/time-range.ts';
      const read = (v) => [fromInputValue(v, 'local'), skippedByClocks(v, 'local'), skippedByClocks(v, 'utc')];
      console.log(JSON.stringify({
        ny: ['2026-03-08 02:30', '2026-03-08 03:30', '2026-03-08 01:59:59', '2026-03-08 02:30 -05:00', '2026-02-30 02:30'].map(read),
        lordHowe: ['2026-10-04 02:15', '2026-10-04 02:30'].map((v) => fromInputValue(v, 'local')),
      }));`;
    const run = (tz: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      });
    const ny = run('America/New_York');
    assert.equal(ny.status, 0, ny.stderr);
    assert.deepEqual(JSON.parse(ny.stdout).ny, [
      [null, true, false],
      ['2026-03-08T07:30:00.000Z', false, false],
      ['2026-03-08T06:59:59.000Z', false, false],
      ['2026-03-08T07:30:00.000Z', false, false],
      [null, false, false],
    ]);
    const lordHowe = run('Australia/Lord_Howe');
    assert.equal(lordHowe.status, 0, lordHowe.stderr);
    assert.deepEqual(JSON.parse(lordHowe.stdout).lordHowe, [null, '2026-10-03T15:30:00.000Z']);
  });
});
