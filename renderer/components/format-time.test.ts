import { describe, expect, it } from 'vitest';
import { formatInZone, formatUtc } from './format-time';

describe('format-time', () => {
  it('formats UTC ISO strings', () => {
    expect(formatUtc('2026-11-22T00:12:33.123Z')).toBe('2026-11-22 00:12:33.123');
    expect(formatUtc('garbage')).toBe('garbage');
  });
  it('formats in a zone', () => {
    expect(formatInZone('2026-07-01T10:00:00.000Z', 'Europe/Zurich')).toBe('2026-07-01 12:00:00');
    expect(formatInZone('2026-01-01T00:00:00.000Z', 'UTC')).toBe('2026-01-01 00:00:00');
    expect(formatInZone('2026-01-01T00:00:00.000Z', 'Not/AZone')).toBe('2026-01-01 00:00:00.000 UTC');
  });
});
