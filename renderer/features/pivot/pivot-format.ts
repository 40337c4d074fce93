import { formatEventTime } from '../timeline/zoned-time';

/** "2024-03-16 02:16:34" in the zone (seconds are enough on the pivot pages); "—" without a time. */
export function pivotTime(ms: number | null, zone: string): string {
  return ms === null ? '—' : formatEventTime(ms, zone).slice(0, 19);
}

/** "45 s", "12 min 5 s", "3 h 2 min", "2 d 4 h"; "—" when unknown. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) {
    return '—';
  }
  const s = Math.round(ms / 1000);
  if (s < 60) {
    return `${s} s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  }
  const h = Math.floor(m / 60);
  if (h < 48) {
    return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  }
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** "203.0.113.45:51234", "[2001:db8::1]:22", or the address alone. */
export function addressWithPort(ip: string | null, port: number | null): string {
  if (ip === null) {
    return '—';
  }
  if (port === null) {
    return ip;
  }
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}
