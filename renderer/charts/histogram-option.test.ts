import { describe, expect, it } from 'vitest';
import { bucketRange, bucketTotals, buildHistogramOption, MARKED_SERIES_ID, orderedSeries, seriesColor, tooltipModel, type HistogramData } from './histogram-option';

const H: HistogramData = {
  bucketMs: 60_000,
  starts: [0, 60_000, 120_000, 180_000],
  series: [
    { key: 'info', counts: [5, 0, 2, 1] },
    { key: 'error', counts: [1, 0, 0, 3] },
    { key: 'warn', counts: [0, 0, 4, 0] },
  ],
  marked: [120_000],
};

describe('histogram option', () => {
  it('stacks one bar series per key on a category axis, most severe first', () => {
    const option = buildHistogramOption({ histogram: H, groupBy: 'severity', dark: false, axisLabel: (ms) => `t${ms}` });
    const series = option.series as Array<{ type: string; id: string; stack?: string; data: unknown[] }>;
    expect(series.map((s) => s.id)).toEqual(['series:error', 'series:warn', 'series:info', MARKED_SERIES_ID]);
    expect(series.slice(0, 3).every((s) => s.type === 'bar' && s.stack === 'events')).toBe(true);
    expect(series[0]?.data).toEqual([1, 0, 0, 3]);
    const xAxis = option.xAxis as { type: string; data: string[]; axisLabel: { formatter: (v: string) => string } };
    expect(xAxis.type).toBe('category');
    expect(xAxis.data).toEqual(['0', '60000', '120000', '180000']);
    expect(xAxis.axisLabel.formatter('60000')).toBe('t60000');
    expect(option.animation).toBe(false);
  });

  it('puts a marker on top of every bucket with tagged or starred events', () => {
    const option = buildHistogramOption({ histogram: H, groupBy: 'severity', dark: true, axisLabel: String });
    const marks = (option.series as Array<{ id: string; type: string; data: unknown[] }>).find((s) => s.id === MARKED_SERIES_ID);
    expect(marks?.type).toBe('scatter');
    expect(marks?.data).toEqual([[2, 6]]);
  });

  it('brushes along x only, one range at a time', () => {
    const option = buildHistogramOption({ histogram: H, groupBy: 'sourceKind', dark: false, axisLabel: String });
    expect(option.brush).toMatchObject({ xAxisIndex: 0, brushType: 'lineX', brushMode: 'single' });
    expect((option.tooltip as { show: boolean }).show).toBe(false);
  });

  it('keeps colours stable per key and orders source kinds by name', () => {
    expect(seriesColor('auth', 'sourceKind')).toBe(seriesColor('auth', 'sourceKind'));
    expect(seriesColor('error', 'severity')).not.toBe(seriesColor('info', 'severity'));
    expect(seriesColor('some_new_kind', 'sourceKind')).toMatch(/^#[0-9A-F]{6}$/iu);
    const bySource = orderedSeries({ ...H, series: [{ key: 'syslog', counts: [] }, { key: 'auth', counts: [] }] }, 'sourceKind');
    expect(bySource.map((s) => s.key)).toEqual(['auth', 'syslog']);
  });

  it('maps bucket indexes to a time range (either order, clamped)', () => {
    expect(bucketRange(H, 1, 2)).toEqual({ from: 60_000, to: 180_000 });
    expect(bucketRange(H, 2, 1)).toEqual({ from: 60_000, to: 180_000 });
    expect(bucketRange(H, -5, 99)).toEqual({ from: 0, to: 240_000 });
    expect(bucketRange({ ...H, starts: [] }, 0, 1)).toBeNull();
    expect(bucketTotals(H)).toEqual([6, 0, 6, 4]);
  });

  it('describes a bucket for the tooltip: range, non-zero counts, marked', () => {
    expect(tooltipModel(H, 'severity', 2)).toEqual({
      start: 120_000,
      end: 180_000,
      total: 6,
      rows: [
        { key: 'info', count: 2, color: seriesColor('info', 'severity') },
        { key: 'warn', count: 4, color: seriesColor('warn', 'severity') },
      ],
      marked: true,
    });
    expect(tooltipModel(H, 'severity', 9)).toBeNull();
  });
});
