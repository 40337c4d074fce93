/**
 * Event times (UTC milliseconds) as wall-clock text in a display zone. One cached
 * Intl.DateTimeFormat per zone finds the zone's UTC offset; the offset is cached per quarter hour
 * (every real zone changes its offset on a quarter hour), so formatting a scrolled table is
 * arithmetic, not a formatToParts call per cell.
 */

export type ZoneMode = 'case' | 'utc' | 'local';

const QUARTER_HOUR = 900_000;
const MAX_CACHED_OFFSETS = 20_000;

const formatters = new Map<string, Intl.DateTimeFormat | null>();
const offsets = new Map<string, number>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        hourCycle: 'h23',
        era: 'short',
      });
    } catch {
      f = null;
    }
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC at `ms`, in milliseconds (0 for UTC or an unknown zone). */
export function zoneOffsetMs(ms: number, zone: string): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') {
    return 0;
  }
  const quarter = Math.floor(ms / QUARTER_HOUR);
  const key = `${zone}|${quarter}`;
  const cached = offsets.get(key);
  if (cached !== undefined) {
    return cached;
  }
  const f = formatterFor(zone);
  let offset = 0;
  if (f !== null) {
    const at = quarter * QUARTER_HOUR;
    const p: Record<string, string> = {};
    for (const part of f.formatToParts(new Date(at))) {
      p[part.type] = part.value;
    }
    const yearNum = Number(p['year']);
    const year = p['era'] === 'BC' || p['era'] === 'B' ? 1 - yearNum : yearNum;
    const wall = Date.UTC(year, Number(p['month']) - 1, Number(p['day']), Number(p['hour']), Number(p['minute']), Number(p['second']));
    const utc = new Date(at);
    utc.setUTCMilliseconds(0);
    offset = wall - utc.getTime();
  }
  if (offsets.size > MAX_CACHED_OFFSETS) {
    offsets.clear();
  }
  offsets.set(key, offset);
  return offset;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function wallDate(ms: number, zone: string): Date {
  return new Date(ms + zoneOffsetMs(ms, zone));
}

function datePart(d: Date): string {
  const y = d.getUTCFullYear();
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : String(y);
  return `${year}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** "2024-03-16 02:00:00.000" in `zone`; "—" for an event without a time. */
export function formatEventTime(ms: number | null, zone: string): string {
  if (ms === null || !Number.isFinite(ms)) {
    return '—';
  }
  const d = wallDate(ms, zone);
  return `${datePart(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** "2024-03-16 02:00" or with seconds when they are not zero (range chips, tooltips). */
export function formatShortTime(ms: number, zone: string): string {
  const d = wallDate(ms, zone);
  const base = `${datePart(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (d.getUTCMilliseconds() !== 0) {
    return `${base}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  }
  return d.getUTCSeconds() !== 0 ? `${base}:${pad(d.getUTCSeconds())}` : base;
}

/** Histogram axis labels: dates for day buckets, times with seconds below a minute. */
export function formatAxisTime(ms: number, zone: string, bucketMs: number): string {
  const d = wallDate(ms, zone);
  const day = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (bucketMs >= 86_400_000) {
    return day;
  }
  if (bucketMs >= 60_000) {
    return `${day} ${hm}`;
  }
  return `${hm}:${pad(d.getUTCSeconds())}`;
}

/** "+01:00" / "-04:30" / "+00:00". */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The instant as ISO 8601 UTC ("2024-03-16T01:00:00.000Z"). */
export function formatUtcIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** This computer's zone (falls back to UTC when the runtime does not say). */
export function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function resolveZone(mode: ZoneMode, caseZone: string): string {
  switch (mode) {
    case 'utc':
      return 'UTC';
    case 'local':
      return localZone();
    case 'case':
      return caseZone;
  }
}
