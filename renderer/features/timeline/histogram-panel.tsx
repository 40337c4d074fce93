import { Button, ButtonGroup, Classes, SegmentedControl, Spinner, Tooltip } from '@blueprintjs/core';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { TimelineFilter } from '../../../shared/domain/timeline';
import { orderedSeries, seriesColor } from '../../charts/histogram-option';
import { useHistogram } from './use-timeline-data';
import type { GroupBy } from './view-state';

const HistogramChart = lazy(async () => ({ default: (await import('./histogram-chart')).HistogramChart }));

type Props = Readonly<{
  casePath: string;
  filter: TimelineFilter;
  groupBy: GroupBy;
  zone: string;
  dark: boolean;
  canZoomBack: boolean;
  /** The case's whole time range (first to last event), for "Zoom out". */
  extent: Readonly<{ from: number; to: number }> | null;
  onGroupBy: (groupBy: GroupBy) => void;
  onZoom: (from: number, to: number) => void;
  onZoomBack: () => void;
  onZoomOut: (extent: Readonly<{ from: number; to: number }> | null) => void;
  onFullRange: () => void;
}>;

/** About one bar per 9 px, in steps of 10 so small resizes do not ask again. */
function bucketsFor(width: number): number {
  return Math.min(Math.max(Math.round(width / 9 / 10) * 10, 20), 300);
}

function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(1000);
  useEffect(() => {
    const el = ref.current;
    if (el === null) {
      return undefined;
    }
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w !== undefined && w > 0) {
        setWidth(w);
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** Counts over time (stacked by source or severity), the bucket size, and zoom controls. */
export function HistogramPanel(props: Props) {
  const [ref, width] = useWidth();
  const buckets = bucketsFor(width);
  const histogram = useHistogram(props.casePath, props.filter, props.groupBy, buckets, props.zone);
  const data = histogram.data;
  const zoomed = props.filter.from !== undefined || props.filter.to !== undefined;

  return (
    <section className="dossier-hist" aria-label="Event histogram" data-testid="histogram" aria-busy={histogram.isFetching}>
      <div className="dossier-hist-head">
        <span className="dossier-hist-total" data-testid="histogram-total">
          {data === undefined ? '…' : `${data.total.toLocaleString('en-US')} events`}
        </span>
        <span className={`${Classes.TEXT_MUTED} dossier-hist-bucket`} data-testid="histogram-bucket">
          {data === undefined || data.starts.length === 0 ? '' : `per ${data.bucketLabel}`}
        </span>
        {histogram.isFetching ? <Spinner size={12} /> : null}
        <span className="dossier-hist-legend" aria-label="Legend">
          {data === undefined
            ? null
            : orderedSeries(data, props.groupBy).map((s) => (
                <span key={s.key} className="dossier-hist-legend-item">
                  <span className="dossier-hist-swatch" style={{ backgroundColor: seriesColor(s.key, props.groupBy) }} />
                  {s.key}
                </span>
              ))}
          {data !== undefined && data.marked.length > 0 ? (
            <span className="dossier-hist-legend-item">
              <span className="dossier-hist-marker">▼</span>tagged / starred
            </span>
          ) : null}
        </span>
        <span className="dossier-grow" />
        <SegmentedControl
          size="small"
          aria-label="Stack the histogram by"
          options={[
            { label: 'Source', value: 'sourceKind' },
            { label: 'Severity', value: 'severity' },
          ]}
          value={props.groupBy}
          onValueChange={(v) => props.onGroupBy(v === 'severity' ? 'severity' : 'sourceKind')}
        />
        <ButtonGroup variant="minimal" size="small">
          <Tooltip content="Back to the previous range" placement="bottom" compact>
            <Button icon="undo" aria-label="Zoom back" disabled={!props.canZoomBack} onClick={props.onZoomBack} />
          </Tooltip>
          <Tooltip content="Zoom out (three times wider)" placement="bottom" compact>
            <Button icon="zoom-out" aria-label="Zoom out" disabled={!zoomed} onClick={() => props.onZoomOut(props.extent)} />
          </Tooltip>
          <Tooltip content="The whole time range" placement="bottom" compact>
            <Button icon="zoom-to-fit" aria-label="Whole range" disabled={!zoomed} onClick={props.onFullRange} />
          </Tooltip>
        </ButtonGroup>
      </div>
      <div className="dossier-hist-body" ref={ref}>
        {data !== undefined && data.starts.length > 0 ? (
          <Suspense fallback={<Spinner size={20} className="dossier-hist-spinner" />}>
            <HistogramChart histogram={data} groupBy={props.groupBy} zone={props.zone} dark={props.dark} onRange={props.onZoom} />
          </Suspense>
        ) : (
          <div className={`dossier-hist-empty ${Classes.TEXT_MUTED}`}>
            {histogram.isPending ? <Spinner size={20} /> : histogram.isError ? 'No histogram for this filter.' : 'No timed events in this view.'}
          </div>
        )}
      </div>
    </section>
  );
}
