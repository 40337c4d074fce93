import type { BarSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type { BrushComponentOption, GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { TooltipComponentFormatterCallback, TooltipComponentFormatterCallbackParams } from 'echarts';
import type { ComposeOption } from 'echarts/core';

/**
 * The event histogram as an ECharts option: pure functions of the data, tested in Node. Bars are
 * stacked per bucket (one series per source kind or severity) on a category axis (one category per
 * bucket), so a brush or a click maps to bucket indexes without any pixel arithmetic.
 */

export type HistogramOption = ComposeOption<BarSeriesOption | ScatterSeriesOption | GridComponentOption | TooltipComponentOption | BrushComponentOption>;

export type HistogramGroupBy = 'sourceKind' | 'severity';

export type HistogramData = Readonly<{
  bucketMs: number;
  starts: ReadonlyArray<number>;
  series: ReadonlyArray<Readonly<{ key: string; counts: ReadonlyArray<number> }>>;
  marked: ReadonlyArray<number>;
}>;

export type HistogramOptionInput = Readonly<{
  histogram: HistogramData;
  groupBy: HistogramGroupBy;
  dark: boolean;
  /** Axis label for a bucket start (in the display zone). */
  axisLabel: (startMs: number) => string;
  /** Tooltip content (built as DOM text by the caller); none when omitted. */
  tooltip?: TooltipComponentFormatterCallback<TooltipComponentFormatterCallbackParams>;
}>;

/** The marker series' id (tagged / starred events in a bucket). */
export const MARKED_SERIES_ID = 'marked';

const SEVERITY_ORDER = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug', 'none'] as const;

const SEVERITY_COLORS: Readonly<Record<string, string>> = {
  emerg: '#8E292C',
  alert: '#AC2F33',
  crit: '#CD4246',
  error: '#E76A6E',
  warn: '#EC9A3C',
  notice: '#7961DB',
  info: '#4C90F0',
  debug: '#8F99A8',
  none: '#C5CBD3',
};

const SOURCE_COLORS: Readonly<Record<string, string>> = {
  apache_access: '#4C90F0',
  nginx_access: '#4C90F0',
  apache_error: '#E76A6E',
  nginx_error: '#E76A6E',
  auth: '#D1980B',
  syslog: '#32A467',
  journal: '#32A467',
  fail2ban: '#9D3F9D',
  text: '#8F99A8',
  unknown: '#C5CBD3',
};

const FALLBACK_COLORS = ['#00A396', '#DB2C6F', '#7961DB', '#8EB125', '#147EB3', '#D33D17', '#5F6B7C', '#AD99FF'];

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i += 1) {
    h = (h * 31 + text.charCodeAt(i)) | 0;
  }
  return Math.abs(h);
}

/** A stable colour per series key, so a source kind keeps its colour when the filter changes. */
export function seriesColor(key: string, groupBy: HistogramGroupBy): string {
  const fixed = groupBy === 'severity' ? SEVERITY_COLORS[key] : SOURCE_COLORS[key];
  return fixed ?? FALLBACK_COLORS[hash(key) % FALLBACK_COLORS.length] ?? '#8F99A8';
}

/** Series in stacking order: severities from the most severe up, source kinds alphabetically. */
export function orderedSeries(histogram: HistogramData, groupBy: HistogramGroupBy): HistogramData['series'] {
  const rank = (key: string): number => {
    const i = (SEVERITY_ORDER as ReadonlyArray<string>).indexOf(key);
    return i < 0 ? SEVERITY_ORDER.length : i;
  };
  return [...histogram.series].sort((a, b) => (groupBy === 'severity' ? rank(a.key) - rank(b.key) : 0) || a.key.localeCompare(b.key));
}

/** Total count per bucket over all series. */
export function bucketTotals(histogram: HistogramData): number[] {
  return histogram.starts.map((_, i) => histogram.series.reduce((n, s) => n + (s.counts[i] ?? 0), 0));
}

/** The time range [from, to) covered by buckets i0..i1 (in either order, clamped). */
export function bucketRange(histogram: HistogramData, i0: number, i1: number): { from: number; to: number } | null {
  const n = histogram.starts.length;
  if (n === 0 || !Number.isFinite(i0) || !Number.isFinite(i1)) {
    return null;
  }
  const lo = Math.min(Math.max(Math.round(Math.min(i0, i1)), 0), n - 1);
  const hi = Math.min(Math.max(Math.round(Math.max(i0, i1)), 0), n - 1);
  const from = histogram.starts[lo];
  const last = histogram.starts[hi];
  return from === undefined || last === undefined ? null : { from, to: last + histogram.bucketMs };
}

export type TooltipModel = Readonly<{
  start: number;
  end: number;
  total: number;
  rows: ReadonlyArray<Readonly<{ key: string; count: number; color: string }>>;
  marked: boolean;
}>;

/** What the tooltip of bucket `index` says: its range, the non-zero counts, whether it is marked. */
export function tooltipModel(histogram: HistogramData, groupBy: HistogramGroupBy, index: number): TooltipModel | null {
  const start = histogram.starts[index];
  if (start === undefined) {
    return null;
  }
  const rows = orderedSeries(histogram, groupBy)
    .map((s) => ({ key: s.key, count: s.counts[index] ?? 0, color: seriesColor(s.key, groupBy) }))
    .filter((r) => r.count > 0)
    .reverse();
  return { start, end: start + histogram.bucketMs, total: rows.reduce((n, r) => n + r.count, 0), rows, marked: histogram.marked.includes(start) };
}

/** The stacked-bar option. Animation is off: the chart is redrawn on every zoom. */
export function buildHistogramOption(input: HistogramOptionInput): HistogramOption {
  const { histogram, groupBy, dark } = input;
  const text = dark ? '#ABB3BF' : '#5F6B7C';
  const line = dark ? 'rgba(255, 255, 255, 0.12)' : 'rgba(17, 20, 24, 0.1)';
  const totals = bucketTotals(histogram);
  const markedSet = new Set(histogram.marked);
  const bars: BarSeriesOption[] = orderedSeries(histogram, groupBy).map((s) => ({
    type: 'bar',
    id: `series:${s.key}`,
    name: s.key,
    stack: 'events',
    data: [...s.counts],
    itemStyle: { color: seriesColor(s.key, groupBy) },
    barCategoryGap: '12%',
    emphasis: { focus: 'none' },
    large: histogram.starts.length > 600,
  }));
  const marks: ScatterSeriesOption = {
    type: 'scatter',
    id: MARKED_SERIES_ID,
    name: 'Tagged or starred',
    data: histogram.starts.flatMap((start, i) => (markedSet.has(start) ? [[i, totals[i] ?? 0]] : [])),
    symbol: 'triangle',
    symbolRotate: 180,
    symbolSize: 8,
    symbolOffset: [0, -7],
    itemStyle: { color: dark ? '#FBD065' : '#C87619', borderColor: dark ? '#1C2127' : '#FFFFFF', borderWidth: 1 },
    z: 5,
    silent: true,
    tooltip: { show: false },
  };
  return {
    animation: false,
    grid: { left: 44, right: 14, top: 14, bottom: 22, containLabel: false },
    xAxis: {
      type: 'category',
      data: histogram.starts.map(String),
      axisLabel: { color: text, fontSize: 10, hideOverlap: true, formatter: (value: string) => input.axisLabel(Number(value)) },
      axisTick: { alignWithLabel: true, lineStyle: { color: line } },
      axisLine: { lineStyle: { color: line } },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      splitNumber: 3,
      axisLabel: { color: text, fontSize: 10 },
      splitLine: { lineStyle: { color: line } },
    },
    tooltip: {
      show: input.tooltip !== undefined,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      transitionDuration: 0,
      backgroundColor: dark ? '#2F343C' : '#FFFFFF',
      borderColor: dark ? '#404854' : '#D3D8DE',
      textStyle: { color: dark ? '#F6F7F9' : '#1C2127', fontSize: 12 },
      ...(input.tooltip === undefined ? {} : { formatter: input.tooltip }),
    },
    brush: {
      xAxisIndex: 0,
      brushType: 'lineX',
      brushMode: 'single',
      transformable: false,
      removeOnClick: true,
      brushStyle: { color: dark ? 'rgba(138, 187, 255, 0.2)' : 'rgba(45, 114, 210, 0.15)', borderColor: dark ? '#8ABBFF' : '#2D72D2', borderWidth: 1 },
      outOfBrush: { colorAlpha: 0.35 },
    },
    series: [...bars, marks],
  };
}
