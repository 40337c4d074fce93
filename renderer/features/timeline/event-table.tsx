import { Classes, Icon, Menu, MenuDivider, MenuItem, showContextMenu } from '@blueprintjs/core';
import { createColumnHelper, getCoreRowModel, useReactTable, type ColumnSizingState, type Updater, type VisibilityState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useMemo, useRef, type CSSProperties, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import type { TimelineRow } from '../../../shared/domain/timeline';
import { COLUMN_DEFS, COLUMN_IDS, columnSize, visibleColumns, type ColumnId } from './columns';
import { extendTo, moveFocus, orderedSelection, selectOne, toggleOne, type Selection } from './selection';
import type { ColumnPrefs } from './view-state';
import { formatEventTime } from './zoned-time';

export const ROW_HEIGHT = 24;
const HEAD_HEIGHT = 26;
/** Load the next (or previous) page when the visible rows come this close to the loaded edge. */
const PREFETCH_ROWS = 150;
const PAGE_STEP = 20;
const NO_ROWS: TimelineRow[] = [];

export type TagInfo = Readonly<{ name: string; color: string }>;
export type CopyFormat = 'tsv' | 'csv';

export type Paging = Readonly<{
  hasNext: boolean;
  hasPrevious: boolean;
  fetchingNext: boolean;
  fetchingPrevious: boolean;
  fetchNext: () => void;
  fetchPrevious: () => void;
}>;

type Props = Readonly<{
  rows: ReadonlyArray<TimelineRow>;
  columns: ColumnPrefs;
  onColumnsChange: (prefs: ColumnPrefs) => void;
  zone: string;
  tags: ReadonlyMap<number, TagInfo>;
  selection: Selection;
  onSelection: (selection: Selection) => void;
  onOpen: (id: number) => void;
  onEscape: () => void;
  onCopy: (format: CopyFormat) => void;
  onStar: (on: boolean) => void;
  /** "Add as evidence to hypothesis…" for these rows (the selection the menu was opened on). */
  onAddToHypothesis?: (ids: ReadonlyArray<number>) => void;
  /** A row to bring into view once it is loaded (a jump to an event from elsewhere). */
  revealId?: number | null;
  paging: Paging;
  /** Shown over the empty body (no rows, an error, loading). */
  overlay: ReactNode;
}>;

const SEVERITY_CLASS: Readonly<Record<string, string>> = {
  emerg: 'dossier-sev-crit',
  alert: 'dossier-sev-crit',
  crit: 'dossier-sev-crit',
  error: 'dossier-sev-error',
  warn: 'dossier-sev-warn',
  notice: 'dossier-sev-notice',
  info: 'dossier-sev-info',
  debug: 'dossier-sev-debug',
};

function statusClass(status: number | null): string | undefined {
  if (status === null) {
    return undefined;
  }
  return status >= 500 ? 'dossier-sev-error' : status >= 400 ? 'dossier-sev-warn' : undefined;
}

function Marks({ row, tags }: Readonly<{ row: TimelineRow; tags: ReadonlyMap<number, TagInfo> }>) {
  return (
    <span className="dossier-tl-marks">
      {row.starred ? <span className="dossier-tl-star" title="Starred" aria-label="Starred">★</span> : null}
      {row.tagIds.map((id) => {
        const tag = tags.get(id);
        return <span key={id} className="dossier-tl-tagdot" style={{ backgroundColor: tag?.color ?? '#8F99A8' }} title={`Tag: ${tag?.name ?? `#${id}`}`} aria-label={`Tag ${tag?.name ?? id}`} />;
      })}
      {row.comments > 0 ? (
        <span className="dossier-tl-comments" title={`${row.comments} comment${row.comments === 1 ? '' : 's'}`} aria-label={`${row.comments} comment${row.comments === 1 ? '' : 's'}`} data-testid="mark-comments">
          <Icon icon="comment" size={10} />
          {row.comments > 1 ? row.comments : null}
        </span>
      ) : null}
    </span>
  );
}

/** One cell's content: log-derived text only ever as React text. */
function Cell({ row, id, zone, tags }: Readonly<{ row: TimelineRow; id: ColumnId; zone: string; tags: ReadonlyMap<number, TagInfo> }>): ReactNode {
  switch (id) {
    case 'marks':
      return <Marks row={row} tags={tags} />;
    case 'time':
      return formatEventTime(row.ts, zone);
    case 'source':
      return <span title={`${row.evidencePath}:${row.lineNo}`}>{row.sourceKind}</span>;
    case 'program':
      return row.program === null ? (
        row.kind
      ) : (
        <>
          {row.program} <span className={Classes.TEXT_MUTED}>{row.kind}</span>
        </>
      );
    case 'severity':
      return row.severity === null ? null : <span className={SEVERITY_CLASS[row.severity]}>{row.severity}</span>;
    case 'status':
      return row.status === null ? null : <span className={statusClass(row.status)}>{row.status}</span>;
    case 'message':
      return <span title={row.message.length > 80 ? row.message : undefined}>{row.message}</span>;
    case 'host':
      return row.host;
    case 'srcIp':
      return row.srcIp;
    case 'user':
      return row.user;
    case 'file':
      return `${row.evidencePath}:${row.lineNo}`;
    case 'pid':
      return row.pid;
    case 'method':
      return row.method;
    case 'path':
      return row.path;
  }
}

type RowProps = Readonly<{
  row: TimelineRow;
  index: number;
  top: number;
  cols: ReadonlyArray<ColumnId>;
  zone: string;
  tags: ReadonlyMap<number, TagInfo>;
  selected: boolean;
  focused: boolean;
}>;

function RowView({ row, index, top, cols, zone, tags, selected, focused }: RowProps) {
  const className = `dossier-tl-row${selected ? ' dossier-tl-row-selected' : ''}${focused ? ' dossier-tl-row-focus' : ''}${index % 2 === 1 ? ' dossier-tl-row-odd' : ''}`;
  return (
    <div
      role="row"
      id={`tl-row-${row.id}`}
      className={className}
      style={{ transform: `translateY(${top}px)` }}
      aria-selected={selected}
      data-testid="timeline-row"
      data-row-id={row.id}
      data-ts={row.ts ?? ''}
    >
      {cols.map((c) => (
        <div key={c} role="gridcell" className={`dossier-tl-cell dossier-tl-c-${c}`} data-col={c}>
          <Cell row={row} id={c} zone={zone} tags={tags} />
        </div>
      ))}
    </div>
  );
}

const Row = memo(RowView);

const columnHelper = createColumnHelper<TimelineRow>();
const TABLE_COLUMNS = COLUMN_IDS.map((id) =>
  columnHelper.display({ id, header: COLUMN_DEFS[id].label, size: COLUMN_DEFS[id].size, minSize: COLUMN_DEFS[id].minSize, maxSize: 2000, enableHiding: id !== 'time' }),
);

function resolve<T>(updater: Updater<T>, old: T): T {
  return typeof updater === 'function' ? (updater as (o: T) => T)(old) : updater;
}

function rowIdAt(target: EventTarget | null): number | null {
  const el = target instanceof Element ? target.closest<HTMLElement>('[data-row-id]') : null;
  return el === null ? null : Number(el.dataset['rowId']);
}

/**
 * The events of the view: a virtualised grid (only the visible rows exist in the DOM) over keyset
 * pages loaded as the analyst scrolls either way. TanStack Table owns the columns (visibility,
 * widths, resizing); widths reach the cells as CSS variables, so a resize does not re-render rows.
 */
export function EventTable(props: Props) {
  const { rows, columns, zone, tags, selection, paging } = props;
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const order = useMemo(() => rows.map((r) => r.id), [rows]);
  const indexById = useMemo(() => new Map(order.map((id, i) => [id, i])), [order]);

  const visibility = useMemo<VisibilityState>(() => {
    const shown = new Set(visibleColumns(columns));
    return Object.fromEntries(COLUMN_IDS.map((id) => [id, shown.has(id)]));
  }, [columns]);
  const sizing = useMemo<ColumnSizingState>(() => Object.fromEntries(COLUMN_IDS.map((id) => [id, columnSize(columns, id)])), [columns]);
  const latestColumns = useRef({ columns, onColumnsChange: props.onColumnsChange, sizing });
  useLayoutEffect(() => {
    latestColumns.current = { columns, onColumnsChange: props.onColumnsChange, sizing };
  });
  const table = useReactTable({
    data: NO_ROWS,
    columns: TABLE_COLUMNS,
    state: { columnVisibility: visibility, columnSizing: sizing },
    onColumnSizingChange: (updater) => {
      const { columns: prefs, onColumnsChange, sizing: old } = latestColumns.current;
      const next = resolve(updater, old);
      const sizes: Record<string, number> = {};
      for (const id of COLUMN_IDS) {
        const size = next[id];
        if (size !== undefined && size !== COLUMN_DEFS[id].size) {
          sizes[id] = Math.round(size);
        }
      }
      onColumnsChange({ ...prefs, sizes });
    },
    columnResizeMode: 'onChange',
    enableColumnResizing: true,
    getCoreRowModel: getCoreRowModel(),
  });
  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const cols = useMemo(() => visibleColumns(columns), [columns]);
  const widthVars = useMemo(() => {
    const style: Record<string, string> = {};
    let total = 0;
    for (const id of cols) {
      const w = columnSize(columns, id);
      style[`--tl-w-${id}`] = `${w}px`;
      total += w;
    }
    style['--tl-total'] = `${total}px`;
    return style as CSSProperties;
  }, [cols, columns]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => rows[i]?.id ?? i,
    overscan: 16,
    scrollMargin: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items.at(-1)?.index ?? 0;

  // more rows as the visible range nears either loaded edge
  useEffect(() => {
    if (rows.length === 0) {
      return;
    }
    if (paging.hasNext && !paging.fetchingNext && lastIndex >= rows.length - PREFETCH_ROWS) {
      paging.fetchNext();
    }
    if (paging.hasPrevious && !paging.fetchingPrevious && firstIndex <= PREFETCH_ROWS) {
      paging.fetchPrevious();
    }
  }, [firstIndex, lastIndex, rows.length, paging]);

  // keep the same event at the top when pages are dropped or added above it
  const anchor = useRef<{ id: number; offset: number } | null>(null);
  function recordAnchor(): void {
    const el = scrollRef.current;
    if (el === null) {
      return;
    }
    const index = Math.floor(el.scrollTop / ROW_HEIGHT);
    const row = rows[Math.min(index, rows.length - 1)];
    anchor.current = row === undefined ? null : { id: row.id, offset: el.scrollTop - Math.min(index, rows.length - 1) * ROW_HEIGHT };
  }
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const a = anchor.current;
    if (el === null || a === null) {
      return;
    }
    const index = indexById.get(a.id);
    if (index === undefined) {
      // another view: start at its top
      el.scrollTop = 0;
      anchor.current = null;
      return;
    }
    const want = index * ROW_HEIGHT + a.offset;
    if (Math.abs(el.scrollTop - want) > 1) {
      el.scrollTop = want;
    }
  }, [indexById]);

  // a jump to an event: its row is scrolled to the middle once, as soon as it is loaded
  const revealed = useRef<number | null>(null);
  const revealId = props.revealId ?? null;
  useEffect(() => {
    if (revealId === null || revealed.current === revealId) {
      return;
    }
    const index = indexById.get(revealId);
    if (index !== undefined) {
      revealed.current = revealId;
      virtualizer.scrollToIndex(index, { align: 'center' });
    }
  }, [revealId, indexById, virtualizer]);

  function scrollToId(id: number): void {
    const index = indexById.get(id);
    if (index !== undefined) {
      virtualizer.scrollToIndex(index, { align: 'auto' });
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    if (e.target !== e.currentTarget) {
      return;
    }
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const mod = e.ctrlKey || e.metaKey;
    let delta = 0;
    if ((key === 'j' && !mod) || key === 'ArrowDown') {
      delta = 1;
    } else if ((key === 'k' && !mod) || key === 'ArrowUp') {
      delta = -1;
    } else if (key === 'PageDown') {
      delta = PAGE_STEP;
    } else if (key === 'PageUp') {
      delta = -PAGE_STEP;
    } else if (key === 'Home') {
      delta = -order.length;
    } else if (key === 'End') {
      delta = order.length;
    }
    if (delta !== 0) {
      e.preventDefault();
      const next = moveFocus(selection, order, delta, e.shiftKey);
      props.onSelection(next);
      if (next.focus !== null) {
        scrollToId(next.focus);
      }
      return;
    }
    if (key === 'Enter' && selection.focus !== null) {
      e.preventDefault();
      props.onOpen(selection.focus);
    } else if (key === 'Escape') {
      props.onEscape();
    } else if (mod && key === 'c' && selection.ids.size > 0 && (window.getSelection()?.isCollapsed ?? true)) {
      e.preventDefault();
      props.onCopy('tsv');
    } else if (mod && key === 'a') {
      e.preventDefault();
      props.onSelection({ ids: new Set(order), anchor: order[0] ?? null, focus: selection.focus ?? order[0] ?? null });
    }
  }

  function onClick(e: MouseEvent<HTMLDivElement>): void {
    const id = rowIdAt(e.target);
    if (id === null) {
      return;
    }
    if (e.shiftKey) {
      props.onSelection(extendTo(selection, order, id));
    } else if (e.ctrlKey || e.metaKey) {
      props.onSelection(toggleOne(selection, id));
    } else {
      props.onSelection(selectOne(id));
    }
  }

  function onMouseDown(e: MouseEvent<HTMLDivElement>): void {
    // shift-click extends the selection; it should not select text
    if (e.shiftKey && rowIdAt(e.target) !== null) {
      e.preventDefault();
      scrollRef.current?.focus({ preventScroll: true });
    }
  }

  function onDoubleClick(e: MouseEvent<HTMLDivElement>): void {
    const id = rowIdAt(e.target);
    if (id !== null) {
      props.onOpen(id);
    }
  }

  function onContextMenu(e: MouseEvent<HTMLDivElement>): void {
    const id = rowIdAt(e.target);
    if (id === null) {
      return;
    }
    e.preventDefault();
    const current = selection.ids.has(id) ? selection : selectOne(id);
    if (current !== selection) {
      props.onSelection(current);
    }
    const count = orderedSelection(current, order).length;
    showContextMenu({
      targetOffset: { left: e.clientX, top: e.clientY },
      content: (
        <Menu aria-label="Row actions" size="small">
          <MenuItem icon="eye-open" text="Open detail" label="Enter" onClick={() => props.onOpen(id)} />
          <MenuDivider title={count === 1 ? '1 row' : `${count} rows`} />
          <MenuItem icon="clipboard" text="Copy as text" label="Ctrl+C" onClick={() => props.onCopy('tsv')} />
          <MenuItem icon="th" text="Copy as CSV" onClick={() => props.onCopy('csv')} />
          <MenuDivider />
          <MenuItem icon="star" text="Star" onClick={() => props.onStar(true)} />
          <MenuItem icon="star-empty" text="Unstar" onClick={() => props.onStar(false)} />
          {props.onAddToHypothesis !== undefined ? (
            <>
              <MenuDivider />
              <MenuItem icon="lab-test" text="Add as evidence to hypothesis…" onClick={() => props.onAddToHypothesis?.(orderedSelection(current, order))} data-testid="menu-add-hypothesis" />
            </>
          ) : null}
        </Menu>
      ),
    });
  }

  return (
    <div
      ref={scrollRef}
      className="dossier-tl-scroll"
      role="grid"
      aria-label="Events"
      aria-rowcount={rows.length}
      aria-multiselectable="true"
      aria-activedescendant={selection.focus !== null && indexById.has(selection.focus) ? `tl-row-${selection.focus}` : undefined}
      tabIndex={0}
      style={widthVars}
      data-testid="timeline-scroll"
      data-rows={rows.length}
      onScroll={recordAnchor}
      onKeyDown={onKeyDown}
      onClick={onClick}
      onMouseDown={onMouseDown}
      onDoubleClick={onDoubleClick}
      onContextMenu={onContextMenu}
    >
      <div className="dossier-tl-head" role="row">
        {headers
          .filter((h) => h.column.getIsVisible())
          .map((h) => (
            <div key={h.id} role="columnheader" className={`dossier-tl-hcell dossier-tl-c-${h.column.id}`} data-col={h.column.id}>
              {h.column.id === 'marks' ? (
                <span className="dossier-tl-hlabel" title="Marks: star, tags, comments" aria-label="Marks">
                  <Icon icon="star-empty" size={12} />
                </span>
              ) : (
                <span className="dossier-tl-hlabel">{COLUMN_DEFS[h.column.id as ColumnId].label}</span>
              )}
              {h.column.id === 'time' ? <span className={`${Classes.TEXT_MUTED} dossier-tl-hzone`}>{zone}</span> : null}
              <div
                className={`dossier-tl-resizer${h.column.getIsResizing() ? ' dossier-tl-resizing' : ''}`}
                onMouseDown={h.getResizeHandler()}
                onTouchStart={h.getResizeHandler()}
                onDoubleClick={(e) => {
                  e.stopPropagation();
                  h.column.resetSize();
                }}
                onClick={(e) => e.stopPropagation()}
                role="separator"
                aria-orientation="vertical"
                aria-label={`Resize ${COLUMN_DEFS[h.column.id as ColumnId].label}`}
              />
            </div>
          ))}
      </div>
      <div className="dossier-tl-body" style={{ height: virtualizer.getTotalSize() }} role="rowgroup">
        {items.map((item) => {
          const row = rows[item.index];
          return row === undefined ? null : (
            <Row
              key={row.id}
              row={row}
              index={item.index}
              top={item.start - HEAD_HEIGHT}
              cols={cols}
              zone={zone}
              tags={tags}
              selected={selection.ids.has(row.id)}
              focused={selection.focus === row.id}
            />
          );
        })}
      </div>
      {props.overlay !== null ? <div className="dossier-tl-overlay">{props.overlay}</div> : null}
    </div>
  );
}
