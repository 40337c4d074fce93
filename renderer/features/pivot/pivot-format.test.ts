import { describe, expect, it } from 'vitest';
import { addressWithPort, formatDuration, pivotTime } from './pivot-format';

describe('pivot formatting', () => {
  it('writes durations at the right scale', () => {
    expect([null, -1, 0, 45_000, 60_000, 725_000, 3_600_000, 10_920_000, 2 * 86_400_000, 2 * 86_400_000 + 4 * 3_600_000].map(formatDuration)).toEqual([
      '—', '—', '0 s', '45 s', '1 min', '12 min 5 s', '1 h', '3 h 2 min', '2 d', '2 d 4 h',
    ]);
  });
  it('writes addresses with their port, IPv6 in brackets', () => {
    expect(addressWithPort('203.0.113.45', 51234)).toBe('203.0.113.45:51234');
    expect(addressWithPort('2001:db8::1', 22)).toBe('[2001:db8::1]:22');
    expect(addressWithPort('192.0.2.1', null)).toBe('192.0.2.1');
    expect(addressWithPort(null, 22)).toBe('—');
  });
  it('shows times in the zone, to the second', () => {
    expect(pivotTime(Date.UTC(2024, 2, 16, 1, 16, 34, 500), 'Europe/Berlin')).toBe('2024-03-16 02:16:34');
    expect(pivotTime(null, 'UTC')).toBe('—');
  });
});
