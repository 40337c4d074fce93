import { describe, expect, it } from 'vitest';
import { formatClockOffset, parseClockOffset } from './clock-offset';

describe('parseClockOffset', () => {
  it('reads ±HH:MM:SS[.mmm]', () => {
    expect(parseClockOffset('+01:30:00')).toEqual({ ok: true, ms: 5_400_000 });
    expect(parseClockOffset('-00:00:05.250')).toEqual({ ok: true, ms: -5_250 });
    expect(parseClockOffset('00:01:00')).toEqual({ ok: true, ms: 60_000 });
    expect(parseClockOffset('-1:05')).toEqual({ ok: true, ms: -3_900_000 });
    expect(parseClockOffset('+48:00:00.5')).toEqual({ ok: true, ms: 172_800_500 });
  });
  it('reads seconds', () => {
    expect(parseClockOffset('90')).toEqual({ ok: true, ms: 90_000 });
    expect(parseClockOffset('-5.25')).toEqual({ ok: true, ms: -5_250 });
    expect(parseClockOffset(' +3s ')).toEqual({ ok: true, ms: 3_000 });
  });
  it('treats an empty field as no offset', () => {
    expect(parseClockOffset('  ')).toEqual({ ok: true, ms: 0 });
  });
  it('rejects anything else', () => {
    for (const bad of ['01:60:00', '1:2:3', 'abc', '+-5', '5.1234', '00:00:61', '1e3']) {
      expect(parseClockOffset(bad).ok, bad).toBe(false);
    }
    expect(parseClockOffset('999999:00:00').ok).toBe(false);
  });
});

describe('formatClockOffset', () => {
  it('round-trips', () => {
    expect(formatClockOffset(5_400_000)).toBe('+01:30:00');
    expect(formatClockOffset(-5_250)).toBe('-00:00:05.250');
    expect(formatClockOffset(0)).toBe('+00:00:00');
    for (const ms of [1, -59_999, 86_400_000 * 3 + 7]) {
      expect(parseClockOffset(formatClockOffset(ms))).toEqual({ ok: true, ms });
    }
  });
});
