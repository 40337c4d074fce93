/** Numbers in the ingest views: sizes, durations, counts. */

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/** 1536 → "1.5 KiB"; below 1 KiB in bytes. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) {
    return `${Math.max(0, Math.round(Number.isFinite(bytes) ? bytes : 0))} B`;
  }
  let value = bytes;
  let unit: string = 'B';
  for (const u of UNITS) {
    if (value < 1024) {
      break;
    }
    value /= 1024;
    unit = u;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value).toString()} ${unit}`;
}

/** 0.4 → "<1 s", 65 → "1 min 05 s", 3720 → "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 1) {
    return '<1 s';
  }
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) {
    return `${h} h ${String(m).padStart(2, '0')} min`;
  }
  if (m > 0) {
    return `${m} min ${String(s).padStart(2, '0')} s`;
  }
  return `${s} s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 0.901 → "90%". */
export function formatPercent(ratio: number): string {
  return `${Math.round(Math.min(Math.max(ratio, 0), 1) * 100)}%`;
}
