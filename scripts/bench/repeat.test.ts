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

  it('pairs each run with the lnav run beside it: median and range of lnav and of the ratio, to two decimals', () => {
    const withLnav = (lps: number, lnavMs: number, rss: number) => ({
      ...run('5m', lps, 220, 300),
      peers: [
        { tool: 'wc -l', wallMs: 300, peakTreeRssMb: 2, ingestRatio: 0.01 },
        { tool: 'lnav', wallMs: lnavMs, peakTreeRssMb: rss, ingestRatio: Number((lps / (5_000_000 / (lnavMs / 1000))).toPrecision(2)) },
      ],
    });
    const s = summariseRuns([withLnav(250_000, 8_000, 241), withLnav(200_000, 5_000, 248), withLnav(230_000, 8_500, 245)]);
    expect(s[0]?.figures['lnav s']).toEqual({ median: 8, min: 5, max: 8.5 });
    expect(s[0]?.figures['lnav peak RSS MB']).toEqual({ median: 245, min: 241, max: 248 });
    expect(s[0]?.figures['ingest + indexes / lnav']).toEqual({ median: 0.39, min: 0.2, max: 0.4 });
    expect(repeatTable(s)).toContain('**0.39** (0.20–0.40)');
    // runs without peers have no lnav figures
    expect(summariseRuns([run('1m', 1, 1, 1), run('1m', 2, 2, 2)])[0]?.figures['ingest + indexes / lnav']).toBeNull();
  });
});
