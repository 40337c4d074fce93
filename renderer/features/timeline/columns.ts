import type { TimelineRow } from '../../../shared/domain/timeline';
import type { ColumnPrefs } from './view-state';
import { formatEventTime } from './zoned-time';

export const COLUMN_IDS = ['marks', 'time', 'source', 'host', 'program', 'severity', 'srcIp', 'user', 'message', 'file', 'pid', 'method', 'status', 'path'] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

export type ColumnDef = Readonly<{
  label: string;
  size: number;
  minSize: number;
  visible: boolean;
  /** Part of "Copy as text / CSV". */
  copy: boolean;
  /** Right-aligned numbers. */
  numeric?: boolean;
}>;

/** Default layout: the analyst changes visibility and widths; both are kept per case. */
export const COLUMN_DEFS: Readonly<Record<ColumnId, ColumnDef>> = {
  marks: { label: 'Marks', size: 46, minSize: 40, visible: true, copy: false },
  time: { label: 'Time', size: 172, minSize: 120, visible: true, copy: true },
  source: { label: 'Source', size: 96, minSize: 60, visible: true, copy: true },
  host: { label: 'Host', size: 64, minSize: 40, visible: true, copy: true },
  program: { label: 'Program / kind', size: 130, minSize: 60, visible: true, copy: true },
  severity: { label: 'Severity', size: 60, minSize: 48, visible: true, copy: true },
  srcIp: { label: 'Source IP', size: 108, minSize: 60, visible: true, copy: true },
  user: { label: 'User', size: 72, minSize: 40, visible: true, copy: true },
  message: { label: 'Message', size: 240, minSize: 120, visible: true, copy: true },
  file: { label: 'Evidence : line', size: 220, minSize: 80, visible: false, copy: true },
  pid: { label: 'PID', size: 60, minSize: 40, visible: false, copy: true, numeric: true },
  method: { label: 'Method', size: 64, minSize: 40, visible: false, copy: true },
  status: { label: 'Status', size: 56, minSize: 40, visible: false, copy: true, numeric: true },
  path: { label: 'HTTP path', size: 220, minSize: 60, visible: false, copy: true },
};

export function isColumnId(id: string): id is ColumnId {
  return (COLUMN_IDS as ReadonlyArray<string>).includes(id);
}

export const DEFAULT_COLUMN_PREFS: ColumnPrefs = {
  visible: COLUMN_IDS.filter((id) => COLUMN_DEFS[id].visible),
  sizes: {},
};

/** The visible columns in display order ('time' is always shown). */
export function visibleColumns(prefs: ColumnPrefs): ColumnId[] {
  const wanted = new Set(prefs.visible);
  return COLUMN_IDS.filter((id) => id === 'time' || wanted.has(id));
}

export function columnSize(prefs: ColumnPrefs, id: ColumnId): number {
  const size = prefs.sizes[id];
  return size === undefined ? COLUMN_DEFS[id].size : Math.max(COLUMN_DEFS[id].minSize, size);
}

/** The text of one cell, as shown and as copied. */
export function cellText(row: TimelineRow, id: ColumnId, zone: string): string {
  switch (id) {
    case 'marks':
      return [row.starred ? 'starred' : '', row.tagIds.length > 0 ? `${row.tagIds.length} tags` : '', row.comments > 0 ? `${row.comments} comments` : ''].filter((s) => s !== '').join(', ');
    case 'time':
      return formatEventTime(row.ts, zone);
    case 'source':
      return row.sourceKind;
    case 'host':
      return row.host ?? '';
    case 'program':
      return row.program === null ? row.kind : `${row.program} (${row.kind})`;
    case 'severity':
      return row.severity ?? '';
    case 'srcIp':
      return row.srcIp ?? '';
    case 'user':
      return row.user ?? '';
    case 'message':
      return row.message;
    case 'file':
      return `${row.evidencePath}:${row.lineNo}`;
    case 'pid':
      return row.pid === null ? '' : String(row.pid);
    case 'method':
      return row.method ?? '';
    case 'status':
      return row.status === null ? '' : String(row.status);
    case 'path':
      return row.path ?? '';
  }
}
