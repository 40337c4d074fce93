import { describe, expect, it } from 'vitest';
import { formatAxisTime, formatEventTime, formatOffset, formatShortTime, formatUtcIso, resolveZone, zoneOffsetMs } from './zoned-time';

// 2024-03-16T01:00:00.123Z: 02:00 in Berlin (CET, +01:00) before the switch to summer time
const T = Date.UTC(2024, 2, 16, 1, 0, 0, 123);

describe('zoned time', () => {
  it('formats with milliseconds in the display zone', () => {
    expect(formatEventTime(T, 'UTC')).toBe('2024-03-16 01:00:00.123');
    expect(formatEventTime(T, 'Europe/Berlin')).toBe('2024-03-16 02:00:00.123');
    expect(formatEventTime(T, 'America/New_York')).toBe('2024-03-15 21:00:00.123');
    expect(formatEventTime(null, 'UTC')).toBe('—');
  });
  it('follows daylight saving time', () => {
    const summer = Date.UTC(2024, 6, 1, 12, 0, 0);
    expect(formatEventTime(summer, 'Europe/Berlin')).toBe('2024-07-01 14:00:00.000');
    expect(zoneOffsetMs(summer, 'Europe/Berlin')).toBe(7_200_000);
    // the switch: 2024-03-31 01:00 UTC
    expect(formatEventTime(Date.UTC(2024, 2, 31, 0, 59, 59, 999), 'Europe/Berlin')).toBe('2024-03-31 01:59:59.999');
    expect(formatEventTime(Date.UTC(2024, 2, 31, 1, 0, 0, 0), 'Europe/Berlin')).toBe('2024-03-31 03:00:00.000');
    expect(formatEventTime(Date.UTC(2024, 2, 16, 0, 0, 0), 'Asia/Kolkata')).toBe('2024-03-16 05:30:00.000');
  });
  it('falls back to UTC for an unknown zone', () => {
    expect(formatEventTime(T, 'Not/AZone')).toBe('2024-03-16 01:00:00.123');
  });
  it('formats short times, axis labels and offsets', () => {
    expect(formatShortTime(Date.UTC(2024, 2, 16, 1, 5), 'UTC')).toBe('2024-03-16 01:05');
    expect(formatShortTime(Date.UTC(2024, 2, 16, 1, 5, 7), 'UTC')).toBe('2024-03-16 01:05:07');
    expect(formatAxisTime(T, 'Europe/Berlin', 3_600_000)).toBe('03-16 02:00');
    expect(formatAxisTime(T, 'Europe/Berlin', 86_400_000)).toBe('03-16');
    expect(formatAxisTime(T, 'UTC', 5_000)).toBe('01:00:00');
    expect(formatOffset(60)).toBe('+01:00');
    expect(formatOffset(-270)).toBe('-04:30');
    expect(formatUtcIso(T)).toBe('2024-03-16T01:00:00.123Z');
  });
  it('resolves the display zone', () => {
    expect(resolveZone('utc', 'Europe/Berlin')).toBe('UTC');
    expect(resolveZone('case', 'Europe/Berlin')).toBe('Europe/Berlin');
    expect(resolveZone('local', 'Europe/Berlin')).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});
