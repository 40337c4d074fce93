import './timeline.css';
import { Button, Classes, Menu, MenuItem, NonIdealState, PopoverNext, Spinner, Tag } from '@blueprintjs/core';
import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import { ApiCallError, errorMessage } from '../../api/api-error';
import { useTheme } from '../../app/theme';
import { toastError, toastSuccess } from '../../app/toaster';
import { ErrorCallout } from '../../components/error-callout';
import { useAppInfo } from '../cases/use-cases';
import { useEvidenceList } from '../evidence/use-evidence';
import type { SectionProps } from '../workspace/sections';
import { AddFilter } from './add-filter';
import { copyText } from './clipboard';
import { ColumnChooser } from './column-chooser';
import { visibleColumns } from './columns';
import { EventDetail, type PivotField } from './event-detail';
import { EventTable, type CopyFormat, type Paging, type TagInfo } from './event-table';
import { ExportButton } from './export-button';
import { addFilterValue, chipsFor } from './filter-model';
import { HistogramPanel } from './histogram-panel';
import { rowsToCsv, rowsToTsv } from './rows-to-text';
import { SearchBox } from './search-box';
import { EMPTY_SELECTION, orderedSelection, selectOne, type Selection } from './selection';
import { useFullTextState, useRefreshAfterIngest, useStarEvents, useTags, useTimelinePages } from './use-timeline-data';
import { useTimelineJump } from './use-timeline-jump';
import { useTimelineView } from './use-timeline-view';
import { AddToHypothesisDialog, type EvidenceTarget } from '../hypotheses/add-to-hypothesis';
import { ViewsMenu } from './views-menu';
import { ZoneSwitch } from './zone-switch';
import { resolveZone } from './zoned-time';
import { eventLabel } from '../hypotheses/labels';

const DETAIL_WIDTH_KEY = 'dossier.timeline.detailWidth';
const DETAIL_MIN = 320;

function initialDetailWidth(): number {
  const stored = Number(window.localStorage.getItem(DETAIL_WIDTH_KEY));
  return Number.isFinite(stored) && stored >= DETAIL_MIN ? stored : 380;
}

/** The side panel's width: dragged on its left edge, kept across sessions. */
function useDetailWidth(): [number, (e: PointerEvent<HTMLDivElement>) => void] {
  const [width, setWidth] = useState(initialDetailWidth);
  const onPointerDown = useCallback((e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const target = e.currentTarget;
    const startX = e.clientX;
    const startWidth = target.parentElement?.querySelector<HTMLElement>('.dossier-tl-side')?.offsetWidth ?? DETAIL_MIN;
    target.setPointerCapture(e.pointerId);
    let last = startWidth;
    const move = (ev: globalThis.PointerEvent) => {
      last = Math.min(Math.max(startWidth + (startX - ev.clientX), DETAIL_MIN), Math.max(window.innerWidth - 420, DETAIL_MIN));
      setWidth(last);
    };
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
      window.localStorage.setItem(DETAIL_WIDTH_KEY, String(Math.round(last)));
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  }, []);
  return [width, onPointerDown];
}

function isSearchError(error: unknown): boolean {
  return error instanceof ApiCallError && error.code === 'bad_input' && /search/iu.test(error.message);
}

/** The timeline: histogram, search and filters, the event table and the event detail. */
export function TimelinePanel({ summary }: SectionProps) {
  const casePath = summary.path;
  const view = useTimelineView(casePath);
  const zone = resolveZone(view.zone, summary.timeZone);
  const { theme } = useTheme();
  const info = useAppInfo();
  const evidence = useEvidenceList(casePath, false);
  const tags = useTags(casePath);
  const fullText = useFullTextState(casePath);
  const pages = useTimelinePages(casePath, view.filter);
  const star = useStarEvents(casePath);
  useRefreshAfterIngest(casePath);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [detailId, setDetailId] = useState<number | null>(null);
  const [detailWidth, onSplitterDown] = useDetailWidth();
  const tableFocus = useRef<HTMLDivElement | null>(null);
  // a jump to an event (renderer/app/navigation.ts): its detail opens, its row is selected once loaded
  const [pendingFocus, setPendingFocus] = useState<number | null>(null);
  const [revealId, setRevealId] = useState<number | null>(null);
  const [evidenceTargets, setEvidenceTargets] = useState<ReadonlyArray<EvidenceTarget> | null>(null);
  useTimelineJump(casePath, view, view.applyView, (id) => {
    setDetailId(id);
    setPendingFocus(id);
    setRevealId(id);
  });

  const rows = useMemo(() => pages.data?.pages.flatMap((p) => p.rows) ?? [], [pages.data]);
  const order = useMemo(() => rows.map((r) => r.id), [rows]);
  const searchIncomplete = view.filter.text !== undefined && pages.data?.pages.some((p) => !p.searchComplete) === true;
  const indexBuilding = fullText.data !== undefined && !fullText.data.complete;
  const tagMap = useMemo(() => new Map<number, TagInfo>((tags.data ?? []).map((t) => [t.id, { name: t.name, color: t.color }])), [tags.data]);
  const evidenceItems = useMemo(() => evidence.data ?? [], [evidence.data]);
  const extent = useMemo(() => {
    const firsts = evidenceItems.flatMap((e) => (e.firstUtc === null ? [] : [Date.parse(e.firstUtc)]));
    const lasts = evidenceItems.flatMap((e) => (e.lastUtc === null ? [] : [Date.parse(e.lastUtc)]));
    return firsts.length === 0 ? null : { from: Math.min(...firsts), to: Math.max(...lasts) + 1 };
  }, [evidenceItems]);

  const chips = chipsFor(view.filter, {
    zone,
    evidenceName: (id) => evidenceItems.find((e) => e.id === id)?.path ?? `evidence #${id}`,
    tagName: (id) => tagMap.get(id)?.name ?? `tag #${id}`,
  });

  const { hasNextPage, hasPreviousPage, isFetchingNextPage, isFetchingPreviousPage, fetchNextPage, fetchPreviousPage } = pages;
  const paging = useMemo<Paging>(
    () => ({
      hasNext: hasNextPage,
      hasPrevious: hasPreviousPage,
      fetchingNext: isFetchingNextPage,
      fetchingPrevious: isFetchingPreviousPage,
      fetchNext: () => void fetchNextPage(),
      fetchPrevious: () => void fetchPreviousPage(),
    }),
    [hasNextPage, hasPreviousPage, isFetchingNextPage, isFetchingPreviousPage, fetchNextPage, fetchPreviousPage],
  );

  // the open detail follows the keyboard
  const onSelection = useCallback(
    (next: Selection) => {
      setSelection(next);
      if (detailId !== null && next.focus !== null && next.focus !== detailId && next.ids.size === 1) {
        setDetailId(next.focus);
      }
    },
    [detailId],
  );

  if (pendingFocus !== null && order.includes(pendingFocus)) {
    setSelection(selectOne(pendingFocus));
    setPendingFocus(null);
  }

  const openDetail = useCallback((id: number) => setDetailId(id), []);
  const closeDetail = useCallback(() => {
    setDetailId(null);
    tableFocus.current?.querySelector<HTMLElement>('[data-testid="timeline-scroll"]')?.focus({ preventScroll: true });
  }, []);

  async function copySelection(format: CopyFormat): Promise<void> {
    const ids = new Set(orderedSelection(selection, order));
    const chosen = rows.filter((r) => ids.has(r.id));
    if (chosen.length === 0) {
      return;
    }
    const cols = visibleColumns(view.columns);
    try {
      await copyText(format === 'csv' ? rowsToCsv(chosen, cols, zone) : rowsToTsv(chosen, cols, zone));
      await toastSuccess(`Copied ${chosen.length} ${chosen.length === 1 ? 'row' : 'rows'} as ${format === 'csv' ? 'CSV' : 'text'}`);
    } catch (error) {
      await toastError(error, 'Nothing was copied');
    }
  }

  function starSelection(on: boolean): void {
    const ids = orderedSelection(selection, order);
    if (ids.length > 0) {
      star.mutate({ ids, on }, { onError: (e) => void toastError(e, 'The star was not changed') });
    }
  }

  /** "Add as evidence to hypothesis…" for the selected rows (their time and message as labels). */
  function addSelectionToHypothesis(selected: ReadonlyArray<number> = orderedSelection(selection, order)): void {
    const ids = new Set(selected);
    const chosen = rows.filter((r) => ids.has(r.id)).slice(0, 200);
    if (chosen.length > 0) {
      setEvidenceTargets(chosen.map((r) => ({ targetKind: 'event', targetId: String(r.id), label: eventLabel(r.ts, r.message, zone) })));
    }
  }

  function pivot(field: PivotField, value: string | number): void {
    view.setFilter((f) => addFilterValue(f, field, value));
  }

  function openEvent(id: number): void {
    setDetailId(id);
    if (order.includes(id)) {
      setSelection(selectOne(id));
    }
  }

  // Escape anywhere in the timeline (outside inputs and dialogs) closes the detail
  useEffect(() => {
    function onKey(e: KeyboardEvent): void {
      if (e.key === 'Escape' && detailId !== null && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) && document.querySelector('.bp6-overlay-open') === null) {
        setDetailId(null);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [detailId]);

  const searchError = isSearchError(pages.error) ? errorMessage(pages.error) : null;
  const otherError = pages.isError && searchError === null ? pages.error : null;
  const selectedCount = selection.ids.size;

  let overlay = null;
  if (pages.isPending) {
    overlay = <Spinner size={24} />;
  } else if (pages.isError) {
    overlay = <NonIdealState icon="search" title={searchError !== null ? 'Fix the search' : 'The events could not be read'} description={errorMessage(pages.error)} />;
  } else if (rows.length === 0) {
    overlay = (
      <NonIdealState
        icon="filter-remove"
        title="No events in this view"
        description={chips.length > 0 ? 'Nothing matches these filters.' : 'This case has no timed events yet.'}
        action={chips.length > 0 ? <Button icon="filter-remove" text="Clear all filters" onClick={() => view.setFilter(() => ({}))} /> : undefined}
      />
    );
  }

  return (
    <div className="dossier-tl" data-testid="timeline">
      <div className="dossier-tl-toolbar">
        <SearchBox value={view.filter.text ?? ''} onSearch={(text) => view.setFilter((f) => ({ ...f, text }))} indexBuilding={indexBuilding || searchIncomplete} error={searchError} />
        <AddFilter casePath={casePath} filter={view.filter} evidence={evidenceItems} tags={tags.data ?? []} onChange={view.setFilter} />
        <ViewsMenu casePath={casePath} current={{ filter: view.filter, zone: view.zone, groupBy: view.groupBy, columns: view.columns }} onOpen={view.applyView} />
        <ExportButton filter={view.filter} info={info.data} />
        <ZoneSwitch mode={view.zone} zone={zone} caseZone={summary.timeZone} onChange={view.setZone} />
        <ColumnChooser prefs={view.columns} onChange={view.setColumns} />
      </div>
      {chips.length > 0 ? (
        <div className="dossier-tl-chips" aria-label="Active filters" data-testid="filter-chips">
          {chips.map((c) => (
            <Tag
              key={c.key}
              minimal
              interactive={false}
              intent={c.field === 'time' ? 'primary' : 'none'}
              onRemove={() => view.setFilter(c.remove)}
              data-testid="filter-chip"
              data-chip={c.key}
              className="dossier-tl-chip"
              title={`${c.label}: ${c.value}`}
            >
              <span className="dossier-tl-chip-label">{c.label}</span> {c.value}
            </Tag>
          ))}
          <Button size="small" variant="minimal" text="Clear all" onClick={() => view.setFilter(() => ({}))} />
        </div>
      ) : null}
      {otherError !== null ? <ErrorCallout error={otherError} title="The filter was refused" /> : null}
      <HistogramPanel
        casePath={casePath}
        filter={view.filter}
        groupBy={view.groupBy}
        zone={zone}
        dark={theme === 'dark'}
        canZoomBack={view.canZoomBack}
        extent={extent}
        onGroupBy={view.setGroupBy}
        onZoom={view.zoomTo}
        onZoomBack={view.zoomBack}
        onZoomOut={view.zoomOut}
        onFullRange={() => view.setFilter((f) => ({ ...f, from: undefined, to: undefined }))}
      />
      <div className="dossier-tl-main" ref={tableFocus}>
        <div className="dossier-tl-table">
          <EventTable
            rows={rows}
            columns={view.columns}
            onColumnsChange={view.setColumns}
            zone={zone}
            tags={tagMap}
            selection={selection}
            onSelection={onSelection}
            onOpen={openDetail}
            onEscape={closeDetail}
            onCopy={(format) => void copySelection(format)}
            onStar={starSelection}
            onAddToHypothesis={addSelectionToHypothesis}
            revealId={revealId}
            paging={paging}
            overlay={overlay}
          />
          <div className={`dossier-tl-status ${Classes.TEXT_SMALL}`} data-testid="timeline-status">
            <span className={Classes.TEXT_MUTED}>
              {rows.length.toLocaleString('en-US')} rows loaded
              {pages.hasPreviousPage ? ' · more above' : ''}
              {pages.hasNextPage ? ' · more below' : rows.length > 0 ? ' · end of view' : ''}
            </span>
            {pages.isFetchingNextPage || pages.isFetchingPreviousPage ? <Spinner size={12} /> : null}
            <span className="dossier-grow" />
            {selectedCount > 0 ? (
              <>
                <span data-testid="selection-count">{selectedCount.toLocaleString('en-US')} selected</span>
                <PopoverNext
                  placement="top-end"
                  arrow={false}
                  animation="minimal"
                  content={
                    <Menu size="small" aria-label="Copy">
                      <MenuItem icon="clipboard" text="Copy as text" label="Ctrl+C" onClick={() => void copySelection('tsv')} />
                      <MenuItem icon="th" text="Copy as CSV" onClick={() => void copySelection('csv')} />
                    </Menu>
                  }
                >
                  <Button size="small" variant="minimal" icon="duplicate" text="Copy" endIcon="caret-up" data-testid="copy-menu" />
                </PopoverNext>
                <Button size="small" variant="minimal" icon="star" text="Star" onClick={() => starSelection(true)} />
                <Button size="small" variant="minimal" icon="lab-test" text="Add to hypothesis…" onClick={() => addSelectionToHypothesis()} data-testid="selection-add-hypothesis" />
              </>
            ) : (
              <span className={Classes.TEXT_MUTED}>j/k or ↑/↓ move · shift extends · Enter opens · Ctrl+C copies</span>
            )}
          </div>
        </div>
        {detailId !== null ? (
          <>
            <div className="dossier-tl-splitter" role="separator" aria-orientation="vertical" aria-label="Resize the detail" onPointerDown={onSplitterDown} />
            <aside className="dossier-tl-side" style={{ width: detailWidth }} aria-label="Event detail">
              <EventDetail casePath={casePath} id={detailId} zone={zone} allTags={tags.data ?? []} onClose={closeDetail} onOpenEvent={openEvent} onPivot={pivot} />
            </aside>
          </>
        ) : null}
      </div>
      <AddToHypothesisDialog targets={evidenceTargets ?? []} isOpen={evidenceTargets !== null} onClose={() => setEvidenceTargets(null)} />
    </div>
  );
}
