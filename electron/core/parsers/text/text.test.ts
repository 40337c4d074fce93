import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { offsetAt } from './datetime';
import { findTimestamp, parseTextLine, sniffScore, textFormat, timeOfDayAt } from './index';

const lines = readFileSync(new URL('./fixtures/mixed.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l !== '');

describe('offsetAt', () => {
  it('reads -00:00 and -0000 as 0, not -0 (JSON has no -0)', () => {
    for (const text of ['-00:00', '-0000', '-00', '+00:00']) {
      const r = offsetAt(text, 0);
      expect(r).not.toBeNull();
      expect(Object.is(r?.minutes, 0), text).toBe(true);
    }
    expect(offsetAt('-05:30', 0)?.minutes).toBe(-330);
  });
});

describe('findTimestamp', () => {
  it('finds each supported format', () => {
    const t = lines.map(findTimestamp);
    expect(t[0]).toEqual({ kind: 'absolute', epochMs: Date.UTC(2024, 4, 5, 13, 42, 45, 123), offsetMinutes: 0, text: '2024-05-05T13:42:45.123Z' });
    expect(t[1]).toMatchObject({ kind: 'local', year: 2024, month: 5, day: 5, hour: 13, millis: 123, text: '2024-05-05 13:42:45,123' });
    expect(t[2]).toMatchObject({ kind: 'local', year: 2024, text: '2024/05/05 13:42:45' });
    expect(t[3]).toMatchObject({ kind: 'local', year: null, month: 5, day: 5 });
    expect(t[4]).toEqual({ kind: 'absolute', epochMs: Date.UTC(2024, 4, 5, 11, 42, 45), offsetMinutes: 120, text: '05/May/2024:13:42:45 +0200' });
    expect(t[5]).toMatchObject({ kind: 'local', year: 2024, month: 5, day: 5, second: 45, text: 'Sun May 05 13:42:45.123456 2024' });
    expect(t[6]).toMatchObject({ kind: 'absolute', offsetMinutes: null, text: '1697048351.000541' });
    if (t[6]?.kind === 'absolute') {
      expect(t[6].epochMs).toBeCloseTo(1697048351000.541, 2);
    }
    expect(t[7]).toMatchObject({ kind: 'absolute', text: '1697048351.000001' });
    expect(t[8]).toBeNull(); // strace -tt: time of day only
    expect(t[9]).toMatchObject({ kind: 'local', year: 2024, month: 5, day: 31 });
    expect(t[10]).toBeNull();
  });

  it('reads offsets and zone names', () => {
    expect(findTimestamp('2024-05-05T13:42:45+0530 x')).toMatchObject({ kind: 'absolute', offsetMinutes: 330 });
    expect(findTimestamp('2024-05-05 13:42:45 UTC x')).toMatchObject({ kind: 'absolute', offsetMinutes: 0 });
    expect(findTimestamp('2024-05-05T13:42 x')).toMatchObject({ kind: 'local', minute: 42, second: 0 });
    expect(findTimestamp('May  5 13:42:45 2024 x')).toMatchObject({ kind: 'local', year: 2024 });
  });

  it('rejects impossible dates and epoch-like counters', () => {
    expect(findTimestamp('2023-02-29 10:00:00 x')).toBeNull();
    expect(findTimestamp('2024-02-29 10:00:00 x')).toMatchObject({ day: 29 });
    expect(findTimestamp('0000-12-30 00:00:00 x')).toBeNull();
    expect(findTimestamp('1697048351 plain integer')).toBeNull();
    expect(findTimestamp('12345678901.5 too long')).toBeNull();
  });

  it('exposes strace time of day', () => {
    expect(timeOfDayAt('08:09:33.814936 execve(x)')).toBe('08:09:33.814936');
    expect(timeOfDayAt('478760 12:21:46.284771 execve')).toBe('12:21:46.284771');
    expect(timeOfDayAt('no')).toBeNull();
  });
});

describe('parseTextLine', () => {
  it('is total: every string is an event', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const r = parseTextLine(s);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(r.event.kind).toBe('text');
          expect(s.startsWith(r.event.message)).toBe(true);
          if (r.event.time !== null) {
            expect(s).toContain(r.event.time.text);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps hostile lines and handles a 1 MB line quickly', () => {
    const r = parseTextLine('=cmd|\' /C calc\'!A0 <script>x</script>\u001b[2J\u0000');
    expect(r.ok && r.event.message).toBe('=cmd|\' /C calc\'!A0 <script>x</script>\u001b[2J\u0000');
    const big = `2024-05-05T13:42:45Z ${'x'.repeat(1 << 20)}`;
    const b = parseTextLine(big);
    expect(b.ok && b.event.time?.kind).toBe('absolute');
  });

  it('records the time of day for date-less strace lines', () => {
    const r = parseTextLine('08:09:33.814936 brk(0) = 0x1513000');
    expect(r.ok && r.event.time).toBeNull();
    expect(r.ok && r.event.extra['time_of_day']).toBe('08:09:33.814936');
  });

  it('sniffs at most 0.5', () => {
    expect(sniffScore(lines)).toBeCloseTo((0.5 * 9) / 11, 5);
    expect(textFormat.sniffScore(['', ' '])).toBe(0);
    expect(textFormat).toMatchObject({ id: 'text', sourceKind: 'text' });
  });
});
