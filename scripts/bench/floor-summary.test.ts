import { describe, expect, it } from 'vitest';
import { floorSummary, floorTable, type FloorResult } from './floor-summary.mjs';

const stage = (wallMs: number, cpuMs: number) => ({ wallMs, cpuMs });
const result = (over: Partial<Record<string, { wallMs: number; cpuMs: number }>> = {}): FloorResult => ({
  lines: 5_000_000, cores: 2,
  stages: {
    hash: stage(1000, 1000), parse: stage(3000, 3000), compress: stage(2000, 2000),
    copyRows: stage(4000, 4000), copyBlocks: stage(1000, 1000), copy: stage(5000, 5000), bind: stage(7000, 7000),
    indexes: stage(4000, 7000), engineIngest: stage(16_000, 30_000), ...over,
  },
});

describe('bench:floor summary', () => {
  it('bounds the wall time by the CPU of all the parts over the cores when the writer is not the longer path', () => {
    const s = floorSummary(result(), 5000);
    // SQLite alone: hash + parse + compress + copy + indexes
    expect(s.floors.sqlite).toMatchObject({ cpuMs: 18_000, serialMs: 9000, floorMs: 9000, linesPerSec: 555_556, lnavRatio: 0.56, targetBelowFloor: false });
    expect(s.floors.sqlite.parts).toEqual(['hash', 'parse', 'compress', 'copy', 'indexes']);
    expect(s.engineMs).toBe(20_000);
    expect(s.engineLinesPerSec).toBe(250_000);
    expect(s.lnav).toEqual({ ms: 5000, linesPerSec: 1_000_000, targetMs: 10_000, engineRatio: 0.25 });
  });

  it('bounds it by the one writer (rows, raw blocks, then indexes) when that path is longer, and says when the target is below the bound', () => {
    const s = floorSummary(result(), 5000);
    // this stack: the rows bound from JavaScript (7 s) and the raw blocks (1 s) before the indexes (4 s)
    expect(s.floors.stack).toMatchObject({ cpuMs: 21_000, serialMs: 12_000, floorMs: 12_000, lnavRatio: 0.42, targetBelowFloor: true });
    expect(floorSummary(result(), 6000).floors.stack.targetBelowFloor).toBe(false);
  });

  it('uses every core it is given', () => {
    expect(floorSummary({ ...result(), cores: 4 }).floors.sqlite.floorMs).toBe(9000);
    expect(floorSummary({ ...result(), cores: 1 }).floors.sqlite.floorMs).toBe(18_000);
  });

  it('has no lnav figures without lnav, and refuses incomplete results', () => {
    const s = floorSummary(result());
    expect(s.lnav).toBeNull();
    expect(s.floors.stack.lnavRatio).toBeNull();
    const { bind: _bind, ...rest } = result().stages;
    expect(() => floorSummary({ ...result(), stages: rest })).toThrow(/stage bind/u);
    expect(() => floorSummary({ ...result(), lines: 0 })).toThrow(/positive/u);
  });

  it('prints each part, both bounds and the verdict', () => {
    const r = result();
    const table = floorTable(r, floorSummary(r, 5000));
    for (const line of [
      '| copyRows | 4.00 | 4.00 |',
      '| bind | 7.00 | 7.00 |',
      '| SQLite alone (rows copied, no JavaScript) | 9.00 | 18.00 | **9.00** | 555,556 | 0.56 |',
      '| this stack (rows bound from JavaScript) | 12.00 | 21.00 | **12.00** | 416,667 | 0.42 |',
      '| the engine: ingest + indexes | | | **20.00** | 250,000 | 0.25 |',
      '0.5x lnav needs <= 10.00 s; the target is **below** the bound of this stack (rows bound from JavaScript)',
    ]) {
      expect(table).toContain(line);
    }
    expect(floorTable(r, floorSummary(r, 8000))).toContain('the target is above both bounds');
  });
});
