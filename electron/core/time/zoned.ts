/**
 * Wall clock ⇄ UTC for IANA zones using Intl.DateTimeFormat only (no tz library).
 *
 * - One formatter per zone, cached.
 * - Conversions are memoised per (zone, wall-clock hour): logs are roughly monotone, so consecutive lines
 *   hit the same hour and cost a Map lookup. An hour is cached only when its first and last millisecond
 *   have the same, unambiguous offset, so DST transitions are always computed exactly.
 * - DST gaps (nonexistent wall times) resolve with the offset in force *before* the transition (the wall
 *   time is pushed forward: 02:30 in a 02:00→03:00 gap becomes 03:30 summer time) and are flagged.
 * - DST overlaps (ambiguous wall times) resolve to the *earlier* instant (the first occurrence, still
 *   summer time) and are flagged. This matches Temporal's `disambiguation: 'compatible'`.
 * - Invalid zone names throw a RangeError: the zone is configuration, validate it with `isValidZone`.
 */
import { utcFields } from '../parsers/text/datetime';

export type WallTime = Readonly<{
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0-999.999…, default 0 */
  millis?: number;
}>;

export type ZonedResult = Readonly<{
  epochMs: number;
  /** Offset applied, minutes east of UTC (epochMs = wall − offset). */
  offsetMinutes: number;
  /** The wall time occurs twice (DST end); the earlier instant was chosen. */
  ambiguous: boolean;
  /** The wall time does not exist (DST start); the pre-transition offset was applied. */
  nonexistent: boolean;
}>;

const HOUR = 3_600_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA zone name (or alias) this runtime knows. */
export function isValidZone(zone: string): boolean {
  if (zone === '') {
    return false;
  }
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Zone names for the UI: the runtime's IANA list plus 'UTC', sorted. */
export function listZones(): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  zones.add('UTC');
  return [...zones].sort();
}

type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function wallParts(zone: string, utcMs: number): Wall {
  const parts = formatter(zone).formatToParts(new Date(utcMs));
  const w: Wall = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        w.year = Number(p.value);
        break;
      case 'month':
        w.month = Number(p.value);
        break;
      case 'day':
        w.day = Number(p.value);
        break;
      case 'hour':
        w.hour = Number(p.value);
        break;
      case 'minute':
        w.minute = Number(p.value);
        break;
      case 'second':
        w.second = Number(p.value);
        break;
      case 'era':
        bc = p.value.startsWith('B');
        break;
      default:
        break;
    }
  }
  if (bc) {
    w.year = 1 - w.year;
  }
  return w;
}

/** Offset (ms east of UTC) of `zone` at instant `utcMs`. */
function offsetAtInstant(zone: string, utcMs: number): number {
  const whole = Math.floor(utcMs / 1000) * 1000;
  const w = wallParts(zone, whole);
  return utcFields(w.year, w.month, w.day, w.hour, w.minute, w.second, 0) - whole;
}

type Exact = { epochMs: number; offsetMs: number; ambiguous: boolean; nonexistent: boolean };

function exact(zone: string, t: number): Exact {
  const before = offsetAtInstant(zone, t - DAY);
  const after = offsetAtInstant(zone, t + DAY);
  const candidates = before === after ? [before] : [before, after];
  const valid: number[] = [];
  for (const o of candidates) {
    if (offsetAtInstant(zone, t - o) === o) {
      valid.push(o);
    }
  }
  if (valid.length === 0 && before === after) {
    // two transitions within two days (rare historical cases): iterate from the instant's own offset
    const o1 = offsetAtInstant(zone, t - before);
    if (offsetAtInstant(zone, t - o1) === o1) {
      valid.push(o1);
    }
  }
  if (valid.length === 0) {
    return { epochMs: t - before, offsetMs: before, ambiguous: false, nonexistent: true };
  }
  if (valid.length === 1) {
    const o = valid[0] ?? before;
    return { epochMs: t - o, offsetMs: o, ambiguous: false, nonexistent: false };
  }
  const o = Math.max(...valid); // larger offset → earlier instant
  return { epochMs: t - o, offsetMs: o, ambiguous: true, nonexistent: false };
}

const hourCache = new Map<string, Map<number, number>>();
const MAX_HOURS_PER_ZONE = 200_000;

/** Converts a wall-clock time in `zone` to UTC. Throws RangeError for an unknown zone. */
export function zonedWallToUtc(wall: WallTime, zone: string): ZonedResult {
  const t = utcFields(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second, wall.millis ?? 0);
  if (zone === 'UTC' || zone === 'Etc/UTC' || zone === 'GMT') {
    return { epochMs: t, offsetMinutes: 0, ambiguous: false, nonexistent: false };
  }
  const bucket = Math.floor(t / HOUR);
  let zc = hourCache.get(zone);
  if (zc === undefined) {
    formatter(zone); // validate (throws RangeError) before caching anything
    zc = new Map();
    hourCache.set(zone, zc);
  }
  const cached = zc.get(bucket);
  if (cached !== undefined) {
    return { epochMs: t - cached, offsetMinutes: cached / 60_000, ambiguous: false, nonexistent: false };
  }
  const r = exact(zone, t);
  if (!r.ambiguous && !r.nonexistent) {
    const a = exact(zone, bucket * HOUR);
    const b = exact(zone, bucket * HOUR + HOUR - 1);
    if (!a.ambiguous && !a.nonexistent && !b.ambiguous && !b.nonexistent && a.offsetMs === r.offsetMs && b.offsetMs === r.offsetMs) {
      if (zc.size >= MAX_HOURS_PER_ZONE) {
        zc.clear();
      }
      zc.set(bucket, r.offsetMs);
    }
  }
  return { epochMs: r.epochMs, offsetMinutes: r.offsetMs / 60_000, ambiguous: r.ambiguous, nonexistent: r.nonexistent };
}

export type ZonedWall = Readonly<{
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  offsetMinutes: number;
}>;

/** The wall clock of `zone` at instant `utcMs` (inverse of zonedWallToUtc away from DST edges). */
export function utcToZonedWall(utcMs: number, zone: string): ZonedWall {
  const whole = Math.floor(utcMs / 1000) * 1000;
  const w = wallParts(zone, whole);
  const offsetMs = utcFields(w.year, w.month, w.day, w.hour, w.minute, w.second, 0) - whole;
  return { ...w, millis: utcMs - whole, offsetMinutes: offsetMs / 60_000 };
}

function pad(n: number, len: number): string {
  return String(n).padStart(len, '0');
}

/** `YYYY-MM-DDTHH:MM:SS` wall clock of `zone` at `utcMs` (seconds precision). */
export function formatZonedSeconds(utcMs: number, zone: string): string {
  const w = utcToZonedWall(utcMs, zone);
  return `${pad(w.year, 4)}-${pad(w.month, 2)}-${pad(w.day, 2)}T${pad(w.hour, 2)}:${pad(w.minute, 2)}:${pad(w.second, 2)}`;
}
