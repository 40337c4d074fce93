import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { Histogram } from '../../../shared/domain/timeline';
import type { EChartsInstance } from '../../charts/echarts-setup';
import { bucketRange, buildHistogramOption, tooltipModel, type HistogramGroupBy } from '../../charts/histogram-option';
import { useEChart } from '../../charts/use-echart';
import { formatAxisTime, formatShortTime } from './zoned-time';

type Props = Readonly<{
  histogram: Histogram;
  groupBy: HistogramGroupBy;
  zone: string;
  dark: boolean;
  /** A brushed range or a clicked bucket, as [from, to) UTC ms. */
  onRange: (from: number, to: number) => void;
}>;

const CLICK_SLOP_PX = 4;

/** The tooltip as DOM built from text nodes (never an HTML string). */
function tooltipElement(histogram: Histogram, groupBy: HistogramGroupBy, zone: string, index: number): HTMLElement {
  const root = document.createElement('div');
  root.className = 'dossier-hist-tip';
  const model = tooltipModel(histogram, groupBy, index);
  if (model === null) {
    return root;
  }
  const title = document.createElement('div');
  title.className = 'dossier-hist-tip-title';
  title.textContent = `${formatShortTime(model.start, zone)} – ${formatShortTime(model.end, zone)}`;
  const sub = document.createElement('div');
  sub.className = 'dossier-hist-tip-sub';
  sub.textContent = `${zone} · ${histogram.bucketLabel} · ${model.total.toLocaleString('en-US')} events`;
  root.append(title, sub);
  for (const row of model.rows) {
    const line = document.createElement('div');
    line.className = 'dossier-hist-tip-row';
    const swatch = document.createElement('span');
    swatch.className = 'dossier-hist-tip-swatch';
    swatch.style.backgroundColor = row.color;
    const key = document.createElement('span');
    key.className = 'dossier-hist-tip-key';
    key.textContent = row.key;
    const count = document.createElement('span');
    count.className = 'dossier-hist-tip-count';
    count.textContent = row.count.toLocaleString('en-US');
    line.append(swatch, key, count);
    root.append(line);
  }
  if (model.marked) {
    const marked = document.createElement('div');
    marked.className = 'dossier-hist-tip-marked';
    marked.textContent = '▼ tagged or starred events in this bucket';
    root.append(marked);
  }
  const hint = document.createElement('div');
  hint.className = 'dossier-hist-tip-hint';
  hint.textContent = 'Click: this bucket · drag: a range';
  root.append(hint);
  return root;
}

function armBrush(chart: EChartsInstance): void {
  chart.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: 'lineX', brushMode: 'single' } });
}

type BrushEndParams = { areas?: Array<{ coordRange?: unknown; range?: unknown }> };

/**
 * The stacked-bar histogram (ECharts, canvas): drag across it to zoom into a range, click a bar to
 * zoom to that bucket. Loaded lazily with ECharts itself.
 */
export function HistogramChart({ histogram, groupBy, zone, dark, onRange }: Props) {
  // buckets are aligned to whole units: the first and last may reach past the range asked for
  const clamped = (from: number, to: number) => onRange(Math.max(from, histogram.from ?? from), Math.min(to, histogram.to ?? to));
  const latest = useRef({ histogram, onRange: clamped });
  useLayoutEffect(() => {
    latest.current = { histogram, onRange: clamped };
  });

  const option = useMemo(
    () =>
      buildHistogramOption({
        histogram,
        groupBy,
        dark,
        axisLabel: (ms) => formatAxisTime(ms, zone, histogram.bucketMs),
        tooltip: (params) => {
          const first = Array.isArray(params) ? params[0] : params;
          return tooltipElement(histogram, groupBy, zone, typeof first?.dataIndex === 'number' ? first.dataIndex : -1);
        },
      }),
    [histogram, groupBy, dark, zone],
  );
  const { ref, chart } = useEChart(option, armBrush);

  useEffect(() => {
    if (chart === null) {
      return undefined;
    }
    let down: { x: number; y: number } | null = null;
    let brushedAt = 0;
    const onBrushEnd = (params: unknown) => {
      const area = (params as BrushEndParams).areas?.[0];
      const coords = area?.coordRange;
      chart.dispatchAction({ type: 'brush', areas: [] });
      if (!Array.isArray(coords) || coords.length < 2) {
        return;
      }
      const [a, b] = coords as [unknown, unknown];
      const range = bucketRange(latest.current.histogram, Number(a), Number(b));
      if (range !== null) {
        brushedAt = Date.now();
        latest.current.onRange(range.from, range.to);
      }
    };
    const zr = chart.getZr();
    const onDown = (e: { offsetX: number; offsetY: number }) => {
      down = { x: e.offsetX, y: e.offsetY };
    };
    const onClick = (e: { offsetX: number; offsetY: number }) => {
      const start = down;
      down = null;
      if (start === null || Math.hypot(e.offsetX - start.x, e.offsetY - start.y) > CLICK_SLOP_PX || Date.now() - brushedAt < 150) {
        return;
      }
      const point = [e.offsetX, e.offsetY];
      if (!chart.containPixel({ gridIndex: 0 }, point)) {
        return;
      }
      const converted: unknown = chart.convertFromPixel({ gridIndex: 0 }, point);
      const index = Array.isArray(converted) ? Number(converted[0]) : Number(converted);
      if (!Number.isFinite(index)) {
        return;
      }
      const h = latest.current.histogram;
      const i = Math.round(index);
      const total = h.series.reduce((n, s) => n + (s.counts[i] ?? 0), 0);
      const range = total > 0 ? bucketRange(h, i, i) : null;
      if (range !== null) {
        latest.current.onRange(range.from, range.to);
      }
    };
    chart.on('brushEnd', onBrushEnd);
    zr.on('mousedown', onDown);
    zr.on('click', onClick);
    return () => {
      if (!chart.isDisposed()) {
        chart.off('brushEnd', onBrushEnd);
        zr.off('mousedown', onDown);
        zr.off('click', onClick);
      }
    };
  }, [chart]);

  return <div ref={ref} className="dossier-hist-canvas" data-testid="histogram-canvas" data-buckets={histogram.starts.length} />;
}
