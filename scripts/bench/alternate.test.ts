import { describe, expect, it } from 'vitest';
import { parseVariant, summariseAlternation } from './alternate.mjs';

describe('the alternating A/B harness', () => {
  it('reads a variant as a bundle directory under .bench and optional node flags', () => {
    expect(parseVariant('dist-a')).toEqual({ name: 'dist-a', dir: 'dist-a', nodeArgs: [] });
    expect(parseVariant('dist-b:--max-semi-space-size=8,--expose-gc')).toEqual({
      name: 'dist-b:--max-semi-space-size=8,--expose-gc', dir: 'dist-b', nodeArgs: ['--max-semi-space-size=8', '--expose-gc'],
    });
    expect(() => parseVariant('../elsewhere')).toThrow(/bad variant/u);
    expect(() => parseVariant(':--flag')).toThrow(/bad variant/u);
  });

  it('gives each variant the minimum and median of its own runs, in the order given', () => {
    const runs = [
      { variant: 'a', ingestMs: 5000, indexMs: 2000, ingestCpuMs: 8000, indexCpuMs: 2500, peakRssMb: 260 },
      { variant: 'b', ingestMs: 4000, indexMs: 1500, ingestCpuMs: 7000, indexCpuMs: 2000, peakRssMb: 250 },
      { variant: 'a', ingestMs: 6000, indexMs: 2100, ingestCpuMs: 9000, indexCpuMs: 2600, peakRssMb: 270 },
      // CPU times unknown (the process was gone): left out of the CPU figures only
      { variant: 'b', ingestMs: 4200, indexMs: 1700, ingestCpuMs: null, indexCpuMs: 1900, peakRssMb: null },
      { variant: 'a', ingestMs: 5500, indexMs: 1900, ingestCpuMs: 8600, indexCpuMs: 2400, peakRssMb: 255 },
    ];
    expect(summariseAlternation(runs, ['b', 'a', 'c'])).toEqual([
      { variant: 'b', runs: 2, totalMinMs: 5500, totalMedianMs: 5700, ingestMinMs: 4000, ingestMedianMs: 4100, peakRssMb: [250, 250], cpuMinMs: 9000, cpuMedianMs: 9000 },
      { variant: 'a', runs: 3, totalMinMs: 7000, totalMedianMs: 7400, ingestMinMs: 5000, ingestMedianMs: 5500, peakRssMb: [255, 270], cpuMinMs: 10500, cpuMedianMs: 11000 },
      { variant: 'c', runs: 0, totalMinMs: null, totalMedianMs: null, ingestMinMs: null, ingestMedianMs: null, peakRssMb: null, cpuMinMs: null, cpuMedianMs: null },
    ]);
  });
});
