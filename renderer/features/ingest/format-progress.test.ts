import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatPercent } from './format-progress';

describe('format-progress', () => {
  it('formats sizes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(42_317_690)).toBe('40 MiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
  });
  it('formats durations', () => {
    expect(formatDuration(0.4)).toBe('<1 s');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(65)).toBe('1 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
  });
  it('formats ratios', () => {
    expect(formatPercent(0.901)).toBe('90%');
    expect(formatPercent(2)).toBe('100%');
  });
});
