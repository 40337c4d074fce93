import { useMemo } from 'react';
import type { FileActivity } from '../../../shared/domain/files';
import { useEChart } from '../../charts/use-echart';
import { formatAxisTime, formatShortTime } from '../timeline/zoned-time';

const SERIES = [
  { key: 'm', name: 'modified', color: '#cd4246' },
  { key: 'a', name: 'accessed', color: '#8f99a8' },
  { key: 'c', name: 'changed', color: '#c87619' },
  { key: 'b', name: 'born', color: '#2d72d2' },
] as const;

/** Tooltip built from text nodes (never an HTML string). */
function tip(activity: FileActivity, index: number, zone: string): HTMLElement {
  const root = document.createElement('div');
  const h = activity.histogram[index];
  if (h === undefined) {
    return root;
  }
  const title = document.createElement('div');
  title.textContent = `${formatShortTime(h.start, zone)} – ${formatShortTime(h.start + activity.bucketMs, zone)}`;
  root.append(title);
  for (const s of SERIES) {
    const line = document.createElement('div');
    line.textContent = `${s.name}: ${h[s.key]}`;
    root.append(line);
  }
  return root;
}

/** A small stacked histogram of MACB times around the chosen time. */
export function ActivityChart({ activity, zone }: Readonly<{ activity: FileActivity; zone: string }>) {
  const option = useMemo(
    () => ({
      animation: false,
      grid: { left: 36, right: 8, top: 8, bottom: 22 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (p: unknown) => tip(activity, (p as Array<{ dataIndex: number }>)[0]?.dataIndex ?? 0, zone) },
      xAxis: {
        type: 'category',
        data: activity.histogram.map((h) => formatAxisTime(h.start, zone, activity.bucketMs)),
        axisLabel: { fontSize: 10 },
      },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 10 } },
      series: SERIES.map((s) => ({ type: 'bar', stack: 'macb', name: s.name, itemStyle: { color: s.color }, data: activity.histogram.map((h) => h[s.key]) })),
    }),
    [activity, zone],
  );
  const { ref } = useEChart(option);
  return <div ref={ref} className="dossier-files-chart" data-testid="files-activity-chart" aria-label="File activity histogram" />;
}
