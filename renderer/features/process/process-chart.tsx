import { useEffect, useLayoutEffect, useRef } from 'react';
import type { EChartsCoreOption, EChartsInstance } from '../../charts/echarts-setup';
import { useEChart } from '../../charts/use-echart';

type Props = Readonly<{
  option: EChartsCoreOption;
  height: number;
  testId: string;
  label: string;
  /** Drag across the chart (brush, along time): the range as UTC ms. */
  onBrush?: (from: number, to: number) => void;
  /** Click on an item: its series and data index. */
  onItem?: (seriesIndex: number, dataIndex: number) => void;
}>;

function armBrush(chart: EChartsInstance): void {
  chart.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: 'lineX', brushMode: 'single' } });
}

type BrushEndParams = { areas?: Array<{ coordRange?: unknown }> };

/** One chart of the Apache workers section: brush along time to narrow, click an item to follow it. */
export function ProcessChart({ option, height, testId, label, onBrush, onItem }: Props) {
  const latest = useRef({ onBrush, onItem });
  useLayoutEffect(() => {
    latest.current = { onBrush, onItem };
  });
  const { ref, chart } = useEChart(option, onBrush === undefined ? undefined : armBrush);
  useEffect(() => {
    if (chart === null) {
      return undefined;
    }
    const onBrushEnd = (params: unknown) => {
      const coords = (params as BrushEndParams).areas?.[0]?.coordRange;
      chart.dispatchAction({ type: 'brush', areas: [] });
      if (Array.isArray(coords) && coords.length >= 2) {
        const a = Number(coords[0]);
        const b = Number(coords[1]);
        if (Number.isFinite(a) && Number.isFinite(b) && b > a) {
          latest.current.onBrush?.(Math.floor(a), Math.ceil(b));
        }
      }
    };
    const onClick = (params: unknown) => {
      const p = params as { seriesIndex?: number; dataIndex?: number };
      if (typeof p.seriesIndex === 'number' && typeof p.dataIndex === 'number') {
        latest.current.onItem?.(p.seriesIndex, p.dataIndex);
      }
    };
    chart.on('brushEnd', onBrushEnd);
    chart.on('click', onClick);
    return () => {
      if (!chart.isDisposed()) {
        chart.off('brushEnd', onBrushEnd);
        chart.off('click', onClick);
      }
    };
  }, [chart]);
  return <div ref={ref} data-testid={testId} role="img" aria-label={label} style={{ height, width: '100%' }} />;
}
