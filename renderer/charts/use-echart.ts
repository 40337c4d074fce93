import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { initChart, type EChartsCoreOption, type EChartsInstance } from './echarts-setup';

export type UseEChartResult = Readonly<{
  /** Attach to the element the chart draws into (it must have a size). */
  ref: RefObject<HTMLDivElement | null>;
  /** The live instance once mounted (null before and after). */
  chart: EChartsInstance | null;
}>;

/**
 * One ECharts instance per element: created on mount (canvas renderer), resized with the element
 * (ResizeObserver), given `option` whenever it changes (`notMerge`: the option is the whole
 * picture), and disposed on unmount. `afterSetOption` runs after every update (e.g. to re-arm a
 * brush cursor, which a full option replace resets).
 */
export function useEChart(option: EChartsCoreOption | null, afterSetOption?: (chart: EChartsInstance) => void): UseEChartResult {
  const ref = useRef<HTMLDivElement | null>(null);
  const [chart, setChart] = useState<EChartsInstance | null>(null);
  const after = useRef(afterSetOption);
  useLayoutEffect(() => {
    after.current = afterSetOption;
  });

  useEffect(() => {
    const el = ref.current;
    if (el === null) {
      return undefined;
    }
    const instance = initChart(el, undefined, { renderer: 'canvas' });
    setChart(instance);
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (!instance.isDisposed()) {
          instance.resize();
        }
      });
    });
    observer.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      instance.dispose();
      setChart(null);
    };
  }, []);

  useEffect(() => {
    if (chart === null || option === null || chart.isDisposed()) {
      return;
    }
    chart.setOption(option, { notMerge: true });
    after.current?.(chart);
  }, [chart, option]);

  return { ref, chart };
}
