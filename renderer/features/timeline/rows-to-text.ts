import type { TimelineRow } from '../../../shared/domain/timeline';
import { cellText, COLUMN_DEFS, type ColumnId } from './columns';

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return at the start) gets
 * a leading apostrophe: log content is hostile, and a pasted row must stay text.
 */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/u.test(value) ? `'${value}` : value;
}

function csvCell(value: string): string {
  const safe = neutraliseCell(value);
  return /[",\r\n]/u.test(safe) ? `"${safe.replace(/"/gu, '""')}"` : safe;
}

/** TSV cells cannot hold tabs or line breaks: they become spaces. */
function tsvCell(value: string): string {
  return neutraliseCell(value).replace(/[\t\r\n]/gu, ' ');
}

function copyColumns(columns: ReadonlyArray<ColumnId>): ColumnId[] {
  return columns.filter((c) => COLUMN_DEFS[c].copy);
}

/** Rows as tab-separated text with a header line (the visible columns, times in `zone`). */
export function rowsToTsv(rows: ReadonlyArray<TimelineRow>, columns: ReadonlyArray<ColumnId>, zone: string): string {
  const cols = copyColumns(columns);
  const lines = [cols.map((c) => tsvCell(COLUMN_DEFS[c].label)).join('\t'), ...rows.map((r) => cols.map((c) => tsvCell(cellText(r, c, zone))).join('\t'))];
  return `${lines.join('\n')}\n`;
}

/** Rows as RFC 4180 CSV with a header line, formula-like cells neutralised. */
export function rowsToCsv(rows: ReadonlyArray<TimelineRow>, columns: ReadonlyArray<ColumnId>, zone: string): string {
  const cols = copyColumns(columns);
  const lines = [cols.map((c) => csvCell(COLUMN_DEFS[c].label)).join(','), ...rows.map((r) => cols.map((c) => csvCell(cellText(r, c, zone))).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
