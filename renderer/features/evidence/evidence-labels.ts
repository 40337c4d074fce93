import type { Intent } from '@blueprintjs/core';

export type FormatOption = Readonly<{ id: string; label: string }>;

/** Formats the scan reports that are not parsers. */
const PSEUDO_FORMATS: Readonly<Record<string, string>> = {
  archive: 'Archive',
  binary: 'Binary',
  none: 'Not read',
  unknown: 'Unknown',
};

/** A format id as the analyst reads it ("apache_access" → "Apache access log"). */
export function formatLabel(id: string, formats: ReadonlyArray<FormatOption> | undefined): string {
  return formats?.find((f) => f.id === id)?.label ?? PSEUDO_FORMATS[id] ?? id;
}

/** The label without its parenthesised note ("Syslog (RFC 3164 / …)" → "Syslog"), for narrow columns. */
export function shortFormatLabel(id: string, formats: ReadonlyArray<FormatOption> | undefined): string {
  return formatLabel(id, formats).replace(/\s*\([^()]*\)$/u, '');
}

export function outcomeIntent(outcome: string): Intent {
  switch (outcome) {
    case 'parsed':
      return 'success';
    case 'raw_text':
      return 'primary';
    case 'unreadable':
    case 'symlink_loop':
      return 'danger';
    case 'symlink_outside':
      return 'warning';
    default:
      return 'none';
  }
}

export function statusIntent(status: string): Intent {
  switch (status) {
    case 'complete':
      return 'success';
    case 'partial':
    case 'cancelled':
      return 'warning';
    case 'failed':
      return 'danger';
    case 'running':
      return 'primary';
    default:
      return 'none';
  }
}

/** "raw_text" → "raw text". */
export function humanize(value: string): string {
  return value.replace(/_/gu, ' ');
}

/** Statuses the analyst needs explained (the detail says why). */
export function isIncomplete(status: string): boolean {
  return status === 'partial' || status === 'cancelled' || status === 'failed';
}

/** The first 12 hex digits, enough to tell hashes apart at a glance. */
export function shortHash(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}

/** "detected", "chosen" (by the analyst) or '' (no format applies). */
export function formatSourceLabel(source: string): string {
  return source === 'detected' ? 'detected' : source === 'analyst' ? 'chosen' : '';
}

const YEAR_REASONS: Readonly<Record<string, string>> = {
  analyst: 'set by the analyst',
  file_mtime: "from the file's modification time",
  'file_mtime+rollover': "from the file's modification time, with a year rollover",
  case_source: 'aligned with the other sources in the case',
};

/** Why year-less timestamps got the year they have. */
export function yearReasonLabel(reason: string | null): string {
  return reason === null ? '' : (YEAR_REASONS[reason] ?? humanize(reason));
}
