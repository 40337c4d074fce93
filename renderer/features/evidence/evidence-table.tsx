import { Classes, Icon, Tag, Tooltip } from '@blueprintjs/core';
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { EvidenceItem } from '../../../shared/domain/evidence';
import { formatInZone, formatUtc } from '../../components/format-time';
import { formatBytes, formatCount, formatPercent } from '../ingest/format-progress';
import { formatClockOffset } from './clock-offset';
import { CopyButton } from './copy-button';
import {
  formatLabel,
  formatSourceLabel,
  humanize,
  isIncomplete,
  outcomeIntent,
  shortFormatLabel,
  shortHash,
  statusIntent,
  yearReasonLabel,
  type FormatOption,
} from './evidence-labels';
import { useVirtualRows } from './virtual-rows';

type ColumnMeta = { className?: string; width: number };

const ROW_HEIGHT = 27;
const column = createColumnHelper<EvidenceItem>();

/** Time cells: wall-clock time in the case's zone, the UTC instant on hover. */
function TimeCell({ iso, zone }: Readonly<{ iso: string | null; zone: string }>) {
  if (iso === null) {
    return <span className={Classes.TEXT_DISABLED}>—</span>;
  }
  return <span title={`${formatUtc(iso)} UTC`}>{formatInZone(iso, zone)}</span>;
}

function Count({ value, warn = false, title }: Readonly<{ value: number; warn?: boolean; title?: string }>) {
  if (value === 0) {
    return <span className={Classes.TEXT_DISABLED}>0</span>;
  }
  return (
    <span className={warn ? 'dossier-count-warn' : undefined} title={title}>
      {formatCount(value)}
    </span>
  );
}

export function OutcomeTags({ item }: Readonly<{ item: EvidenceItem }>) {
  const status = (
    <Tag minimal={!isIncomplete(item.status)} intent={statusIntent(item.status)} data-testid="evidence-status">
      {item.status}
    </Tag>
  );
  return (
    <span className="dossier-tags">
      <Tag minimal intent={outcomeIntent(item.outcome)} htmlTitle={item.outcomeDetail} data-testid="evidence-outcome">
        {humanize(item.outcome)}
      </Tag>
      {isIncomplete(item.status) && item.outcomeDetail !== '' ? (
        <Tooltip content={<span className="dossier-tooltip-text">{item.outcomeDetail}</span>} placement="top" compact>
          {status}
        </Tooltip>
      ) : (
        status
      )}
    </span>
  );
}

function buildColumns(zone: string, formats: ReadonlyArray<FormatOption> | undefined) {
  return [
    column.accessor((e) => e.path, {
      id: 'path',
      header: 'Path',
      meta: { width: 250, className: 'dossier-evidence-path' } satisfies ColumnMeta,
      cell: ({ row: { original: e } }) => (
        <span title={e.originalPath === null ? e.path : `${e.path}\noriginally ${e.originalPath}`}>
          {e.path}
          {e.originalPath !== null ? <span className={`${Classes.TEXT_MUTED} dossier-original-path`}> ← {e.originalPath}</span> : null}
        </span>
      ),
    }),
    column.accessor((e) => formatLabel(e.format, formats), {
      id: 'format',
      header: 'Format',
      meta: { width: 150 } satisfies ColumnMeta,
      cell: ({ row: { original: e }, getValue }) => (
        <span className="dossier-format-cell" title={`${getValue()}: ${formatPercent(e.formatConfidence)} confidence${formatSourceLabel(e.formatSource) !== '' ? `, ${formatSourceLabel(e.formatSource)}` : ''}`}>
          <span className="dossier-ellipsis">{shortFormatLabel(e.format, formats)}</span>
          {e.formatSource !== 'none' ? <span className={`${Classes.TEXT_MUTED} dossier-small`}>{formatPercent(e.formatConfidence)}</span> : null}
          {e.formatSource === 'analyst' ? (
            <Tag minimal intent="primary" className="dossier-small-tag">
              chosen
            </Tag>
          ) : null}
        </span>
      ),
    }),
    column.accessor((e) => `${e.outcome} ${e.status}`, {
      id: 'outcome',
      header: 'Outcome / status',
      meta: { width: 140 } satisfies ColumnMeta,
      cell: ({ row: { original: e } }) => <OutcomeTags item={e} />,
    }),
    column.accessor('lines', {
      header: 'Lines',
      meta: { width: 64, className: 'dossier-num' } satisfies ColumnMeta,
      cell: ({ getValue }) => <Count value={getValue()} />,
    }),
    column.accessor('events', {
      header: 'Events',
      meta: { width: 64, className: 'dossier-num' } satisfies ColumnMeta,
      cell: ({ getValue }) => <Count value={getValue()} />,
    }),
    column.accessor('rawOnly', {
      header: 'Raw-only',
      meta: { width: 70, className: 'dossier-num' } satisfies ColumnMeta,
      cell: ({ getValue }) => <Count value={getValue()} warn title="Lines kept as raw text: no event could be read from them" />,
    }),
    column.accessor((e) => e.firstUtc ?? '', {
      id: 'first',
      header: 'First',
      meta: { width: 158, className: 'dossier-mono-cell' } satisfies ColumnMeta,
      cell: ({ row: { original: e } }) => <TimeCell iso={e.firstUtc} zone={zone} />,
    }),
    column.accessor((e) => e.lastUtc ?? '', {
      id: 'last',
      header: 'Last',
      meta: { width: 158, className: 'dossier-mono-cell' } satisfies ColumnMeta,
      cell: ({ row: { original: e } }) => <TimeCell iso={e.lastUtc} zone={zone} />,
    }),
    column.accessor((e) => e.sha256 ?? '', {
      id: 'sha256',
      header: 'SHA-256',
      enableSorting: false,
      meta: { width: 136, className: 'dossier-mono-cell' } satisfies ColumnMeta,
      cell: ({ row: { original: e } }) =>
        e.sha256 === null ? (
          <span className={Classes.TEXT_DISABLED} title="Not hashed: the file was not read to the end">—</span>
        ) : (
          <span className="dossier-hash-cell">
            <span title={e.sha256} data-testid="evidence-sha256-short">
              {shortHash(e.sha256)}
            </span>
            <CopyButton text={e.sha256} what="SHA-256" />
          </span>
        ),
    }),
    column.accessor('size', {
      header: 'Size',
      meta: { width: 70, className: 'dossier-num' } satisfies ColumnMeta,
      cell: ({ getValue }) => <span title={`${formatCount(getValue())} bytes`}>{formatBytes(getValue())}</span>,
    }),
    column.accessor((e) => e.invalidUtf8 + e.oversized, {
      id: 'issues',
      header: 'Bad UTF-8 / long',
      meta: { width: 112, className: 'dossier-num' } satisfies ColumnMeta,
      cell: ({ row: { original: e } }) =>
        e.invalidUtf8 + e.oversized === 0 ? (
          <span className={Classes.TEXT_DISABLED}>0 / 0</span>
        ) : (
          <span className="dossier-count-warn" title={`${formatCount(e.invalidUtf8)} lines with invalid UTF-8, ${formatCount(e.oversized)} oversized lines`}>
            {formatCount(e.invalidUtf8)} / {formatCount(e.oversized)}
          </span>
        ),
    }),
    column.accessor('timeZone', {
      header: 'Zone',
      meta: { width: 110 } satisfies ColumnMeta,
      cell: ({ getValue }) => <span title="Zone of the wall-clock times in this file">{getValue()}</span>,
    }),
    column.accessor('clockOffsetMs', {
      header: 'Offset',
      meta: { width: 84, className: 'dossier-mono-cell' } satisfies ColumnMeta,
      cell: ({ getValue }) =>
        getValue() === 0 ? <span className={Classes.TEXT_DISABLED}>—</span> : <span title="Clock offset added to this file's times">{formatClockOffset(getValue())}</span>,
    }),
    column.accessor((e) => e.yearBase ?? 0, {
      id: 'year',
      header: 'Year',
      meta: { width: 60, className: 'dossier-num' } satisfies ColumnMeta,
      cell: ({ row: { original: e } }) =>
        e.yearBase === null ? <span className={Classes.TEXT_DISABLED}>—</span> : <span title={`Year ${e.yearBase}: ${yearReasonLabel(e.yearReason)}`}>{e.yearBase}</span>,
    }),
    column.accessor('version', {
      header: 'Ver.',
      meta: { width: 64 } satisfies ColumnMeta,
      cell: ({ row: { original: e } }) => (
        <span title={e.supersedes === null ? `Version ${e.version}` : `Version ${e.version}: supersedes evidence #${e.supersedes}`}>
          v{e.version}
          {e.supersedes !== null ? <span className={Classes.TEXT_MUTED}> ↻#{e.supersedes}</span> : null}
        </span>
      ),
    }),
  ];
}

type Props = Readonly<{
  items: ReadonlyArray<EvidenceItem>;
  zone: string;
  formats: ReadonlyArray<FormatOption> | undefined;
  selectedId: number | null;
  onSelect: (id: number) => void;
}>;

/** Every evidence of the case in one dense, sortable table; rows are windowed above 200. */
export function EvidenceTable({ items, zone, formats, selectedId, onSelect }: Props) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const columns = useMemo(() => buildColumns(zone, formats), [zone, formats]);
  const data = useMemo(() => [...items], [items]);
  const table = useReactTable({
    data,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (e) => String(e.id),
  });
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const windowed = useVirtualRows(rows.length, scrollRef, ROW_HEIGHT);
  const leafColumns = table.getVisibleLeafColumns();
  const totalWidth = leafColumns.reduce((n, c) => n + ((c.columnDef.meta as ColumnMeta | undefined)?.width ?? 100), 0);

  function onRowKey(e: KeyboardEvent, id: number): void {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(id);
    }
  }

  return (
    <div className="dossier-grid-scroll" ref={scrollRef} data-testid="evidence-table-scroll" data-virtualised={windowed.virtualised ? 'true' : 'false'}>
      <table className="dossier-grid" style={{ width: totalWidth }} aria-label="Evidence" aria-rowcount={rows.length + 1} data-testid="evidence-table">
        <colgroup>
          {leafColumns.map((c) => (
            <col key={c.id} style={{ width: (c.columnDef.meta as ColumnMeta | undefined)?.width }} />
          ))}
        </colgroup>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta as ColumnMeta | undefined;
                const sorted = header.column.getIsSorted();
                const label = flexRender(header.column.columnDef.header, header.getContext());
                const zoneNote = header.column.id === 'first' || header.column.id === 'last' ? <span className={Classes.TEXT_MUTED}> ({zone})</span> : null;
                return (
                  <th
                    key={header.id}
                    className={meta?.className === 'dossier-num' ? 'dossier-num' : undefined}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                    scope="col"
                  >
                    {header.column.getCanSort() ? (
                      <button type="button" className="dossier-sort-button" onClick={header.column.getToggleSortingHandler()} title="Sort">
                        {label}
                        {zoneNote}
                        <Icon icon={sorted === 'asc' ? 'caret-up' : sorted === 'desc' ? 'caret-down' : 'double-caret-vertical'} size={10} className={sorted === false ? 'dossier-sort-idle' : undefined} />
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {windowed.paddingTop > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={leafColumns.length} style={{ height: windowed.paddingTop, padding: 0, border: 'none' }} />
            </tr>
          ) : null}
          {windowed.indexes.map((index) => {
            const row = rows[index];
            if (row === undefined) {
              return null;
            }
            const e = row.original;
            return (
              <tr
                key={row.id}
                data-testid="evidence-row"
                data-path={e.path}
                data-status={e.status}
                data-outcome={e.outcome}
                data-format={e.format}
                aria-rowindex={index + 2}
                aria-selected={e.id === selectedId}
                tabIndex={0}
                className={e.id === selectedId ? 'dossier-grid-row dossier-grid-row-selected' : 'dossier-grid-row'}
                onClick={() => onSelect(e.id)}
                onKeyDown={(ev) => onRowKey(ev, e.id)}
                style={{ height: ROW_HEIGHT }}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={(cell.column.columnDef.meta as ColumnMeta | undefined)?.className} data-col={cell.column.id}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
          {windowed.paddingBottom > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={leafColumns.length} style={{ height: windowed.paddingBottom, padding: 0, border: 'none' }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
