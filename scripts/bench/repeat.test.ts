import { describe, expect, it } from 'vitest';
import { repeatTable, summariseRuns } from './repeat.mjs';

const run = (size: string, lps: number, rss: number, hist: number) => ({
  size, kind: 'access',
  ingest: { linesPerSec: lps, phases: { ingestMs: 1_000_000_000 / lps }, indexMs: 2000, jobExclFtsMs: 9000, peakTreeRssMb: rss },
  reopen: { firstHistogramMs: hist },
});

describe('bench --repeat summary', () => {
  it('gives the median and range of each figure per size and kind, and skips single runs', () => {
    const s = summariseRuns([run('1m', 100_000, 260, 300), run('1m', 130_000, 250, 280), run('1m', 120_000, 270, 310), run('5m', 140_000, 290, 400)]);
    expect(s).toHaveLength(1);
    const one = s[0];
    expect(one?.runs).toBe(3);
    expect(one?.figures['lines/s (ingest + indexes)']).toEqual({ median: 120_000, min: 100_000, max: 130_000 });
    expect(one?.figures['peak RSS MB']).toEqual({ median: 260, min: 250, max: 270 });
    expect(one?.figures['reopen → histogram ms']).toEqual({ median: 300, min: 280, max: 310 });
    const table = repeatTable(s);
    expect(table).toContain('| 1m | access | 3 | **120,000** (100,000–130,000) |');
    expect(table).not.toContain('5m');
  });

  it('takes the mean of the middle two for an even number of runs, and leaves out missing figures', () => {
    const a = run('1m', 100_000, 200, 300);
    const b = { ...run('1m', 110_000, 220, 300), reopen: undefined };
    const s = summariseRuns([a, b]);
    expect(s[0]?.figures['peak RSS MB']).toEqual({ median: 210, min: 200, max: 220 });
    expect(s[0]?.figures['reopen → histogram ms']).toEqual({ median: 300, min: 300, max: 300 });
    expect(repeatTable([])).toBe('');
  });
});
