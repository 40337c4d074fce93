import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import type { TimelineFilter } from '../../../shared/domain/timeline';
import { DEFAULT_COLUMN_PREFS, isColumnId } from './columns';
import { compactFilter, DEFAULT_VIEW, hashForState, isTimelineHash, stateFromHash, type ColumnPrefs, type GroupBy, type ViewState } from './view-state';
import type { ZoneMode } from './zoned-time';

const COLUMNS_KEY = 'dossier.timeline.columns:';

type TimeRange = Readonly<{ from?: number; to?: number }>;

function loadColumns(casePath: string): ColumnPrefs {
  try {
    const raw = window.localStorage.getItem(COLUMNS_KEY + casePath);
    if (raw !== null) {
      const parsed = JSON.parse(raw) as { visible?: unknown; sizes?: unknown };
      const visible = Array.isArray(parsed.visible) ? parsed.visible.filter((c): c is string => typeof c === 'string' && isColumnId(c)) : DEFAULT_COLUMN_PREFS.visible;
      const sizes: Record<string, number> = {};
      if (typeof parsed.sizes === 'object' && parsed.sizes !== null) {
        for (const [k, v] of Object.entries(parsed.sizes)) {
          if (isColumnId(k) && typeof v === 'number' && Number.isFinite(v)) {
            sizes[k] = Math.min(Math.max(v, 20), 4000);
          }
        }
      }
      return { visible, sizes };
    }
  } catch {
    // unreadable or unavailable storage: the defaults
  }
  return DEFAULT_COLUMN_PREFS;
}

function storeColumns(casePath: string, prefs: ColumnPrefs): void {
  try {
    window.localStorage.setItem(COLUMNS_KEY + casePath, JSON.stringify(prefs));
  } catch {
    // not persisted; still applied
  }
}

function rangeOf(filter: TimelineFilter): TimeRange {
  return { ...(filter.from === undefined ? {} : { from: filter.from }), ...(filter.to === undefined ? {} : { to: filter.to }) };
}

type Extent = Readonly<{ from: number; to: number }>;

type ViewModel = Readonly<{ view: ViewState; zoomStack: ReadonlyArray<TimeRange> }>;

export type ViewAction =
  | Readonly<{ type: 'filter'; update: (f: TimelineFilter) => TimelineFilter }>
  | Readonly<{ type: 'zone'; zone: ZoneMode }>
  | Readonly<{ type: 'groupBy'; groupBy: GroupBy }>
  | Readonly<{ type: 'apply'; view: ViewState }>
  | Readonly<{ type: 'zoomTo'; from: number; to: number }>
  | Readonly<{ type: 'zoomBack' }>
  | Readonly<{ type: 'zoomOut'; extent: Extent | null }>;

const MAX_ZOOM_STACK = 50;

function withRange(view: ViewState, range: TimeRange): ViewState {
  return { ...view, filter: compactFilter({ ...view.filter, from: range.from, to: range.to }) };
}

function push(stack: ReadonlyArray<TimeRange>, view: ViewState): ReadonlyArray<TimeRange> {
  return [...stack.slice(-(MAX_ZOOM_STACK - 1)), rangeOf(view.filter)];
}

/** Pure: the view and its zoom stack after an action. */
export function viewReducer(model: ViewModel, action: ViewAction): ViewModel {
  const { view, zoomStack } = model;
  switch (action.type) {
    case 'filter':
      return { view: { ...view, filter: compactFilter(action.update(view.filter)) }, zoomStack };
    case 'zone':
      return { view: { ...view, zone: action.zone }, zoomStack };
    case 'groupBy':
      return { view: { ...view, groupBy: action.groupBy }, zoomStack };
    case 'apply':
      return { view: { filter: compactFilter(action.view.filter), zone: action.view.zone, groupBy: action.view.groupBy }, zoomStack: [] };
    case 'zoomTo':
      return { view: withRange(view, { from: action.from, to: action.to }), zoomStack: push(zoomStack, view) };
    case 'zoomBack': {
      const previous = zoomStack.at(-1);
      return previous === undefined ? model : { view: withRange(view, previous), zoomStack: zoomStack.slice(0, -1) };
    }
    case 'zoomOut': {
      const from = view.filter.from ?? action.extent?.from;
      const to = view.filter.to ?? action.extent?.to;
      if (from === undefined || to === undefined) {
        return model;
      }
      const width = Math.max(to - from, 1000);
      const wider = { from: Math.floor(from - width), to: Math.ceil(to + width) };
      // wider than the data: the whole range, without a time filter
      const whole = action.extent !== null && wider.from <= action.extent.from && wider.to >= action.extent.to;
      return { view: withRange(view, whole ? {} : wider), zoomStack: push(zoomStack, view) };
    }
  }
}

export type TimelineView = Readonly<{
  filter: TimelineFilter;
  zone: ZoneMode;
  groupBy: GroupBy;
  columns: ColumnPrefs;
  setFilter: (update: (f: TimelineFilter) => TimelineFilter) => void;
  setZone: (zone: ZoneMode) => void;
  setGroupBy: (groupBy: GroupBy) => void;
  setColumns: (prefs: ColumnPrefs) => void;
  /** A saved view: its filter, zone, grouping and (when it has them) columns. */
  applyView: (state: ViewState) => void;
  /** Zooms to [from, to), remembering the current range for "Back". */
  zoomTo: (from: number, to: number) => void;
  zoomBack: () => void;
  /** Three times wider around the current range (`extent`: the data's range, for a view without one). */
  zoomOut: (extent: Extent | null) => void;
  canZoomBack: boolean;
}>;

/**
 * The timeline's view state: the filter, display zone and grouping (mirrored into the URL hash so
 * a reload keeps them), the column layout (kept per case in localStorage) and the zoom stack.
 */
export function useTimelineView(casePath: string): TimelineView {
  const [model, dispatch] = useReducer(viewReducer, null, () => ({ view: stateFromHash(window.location.hash) ?? DEFAULT_VIEW, zoomStack: [] }));
  const [columns, setColumnsState] = useState<ColumnPrefs>(() => loadColumns(casePath));
  const { view } = model;

  // the address bar follows the view; leaving the timeline leaves the hash clean
  useEffect(() => {
    const hash = hashForState(view);
    if (window.location.hash !== hash) {
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${hash}`);
    }
  }, [view]);
  useEffect(
    () => () => {
      if (isTimelineHash(window.location.hash)) {
        window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
      }
    },
    [],
  );
  // a pasted address with another view
  useEffect(() => {
    function onHashChange(): void {
      const next = stateFromHash(window.location.hash);
      if (next !== null) {
        dispatch({ type: 'apply', view: next });
      }
    }
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const setColumns = useCallback(
    (prefs: ColumnPrefs) => {
      setColumnsState(prefs);
      storeColumns(casePath, prefs);
    },
    [casePath],
  );
  const actions = useMemo(
    () => ({
      setFilter: (update: (f: TimelineFilter) => TimelineFilter) => dispatch({ type: 'filter', update }),
      setZone: (zone: ZoneMode) => dispatch({ type: 'zone', zone }),
      setGroupBy: (groupBy: GroupBy) => dispatch({ type: 'groupBy', groupBy }),
      zoomTo: (from: number, to: number) => dispatch({ type: 'zoomTo', from, to }),
      zoomBack: () => dispatch({ type: 'zoomBack' }),
      zoomOut: (extent: Extent | null) => dispatch({ type: 'zoomOut', extent }),
    }),
    [],
  );
  const applyView = useCallback(
    (next: ViewState) => {
      dispatch({ type: 'apply', view: next });
      if (next.columns !== undefined) {
        setColumns(next.columns);
      }
    },
    [setColumns],
  );

  return useMemo(
    () => ({ filter: view.filter, zone: view.zone, groupBy: view.groupBy, columns, setColumns, applyView, canZoomBack: model.zoomStack.length > 0, ...actions }),
    [view, columns, setColumns, applyView, model.zoomStack.length, actions],
  );
}
