/**
 * Text for the report's HTML: every piece of case content goes through `esc`, which escapes the
 * five HTML-significant characters and shows control characters (ANSI escapes, NUL, ...) as visible
 * `\xNN` text, so a log line can never become markup and never hides what it contains.
 */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// eslint-disable-next-line no-control-regex
const UNSAFE = /[&<>"'\u0000-\u0008\v\f\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff]/gu;

export function esc(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return text.replace(UNSAFE, (c) => ENTITIES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Time as `YYYY-MM-DD HH:mm:ss` in `zone` with its offset, e.g. `2024-03-01 10:00:00 +01:00`. */
export function formatInZone(ms: number | null, zone: string): string {
  if (ms === null || !Number.isFinite(ms)) {
    return '';
  }
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset',
    }).formatToParts(new Date(ms));
    const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
    const off = get('timeZoneName').replace('GMT', '') || '+00:00';
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} ${off}`;
  } catch {
    return new Date(ms).toISOString();
  }
}

export function formatUtc(iso: string | null): string {
  return iso === null ? '' : iso.replace('T', ' ').replace(/\.\d{3}Z$/u, ' UTC').replace(/Z$/u, ' UTC');
}

export function formatBytes(n: number): string {
  if (n < 1024) {
    return `${n} B`;
  }
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(1)} ${units[i] ?? 'TiB'} (${n.toLocaleString('en')} B)`;
}

export function formatOffsetMs(ms: number): string {
  if (ms === 0) {
    return 'none';
  }
  const sign = ms < 0 ? '-' : '+';
  const a = Math.abs(ms);
  const h = Math.floor(a / 3_600_000);
  const m = Math.floor((a % 3_600_000) / 60_000);
  const s = (a % 60_000) / 1000;
  return `${sign}${h}h ${String(m).padStart(2, '0')}m ${s.toFixed(s % 1 === 0 ? 0 : 3)}s`;
}
