import { EventFlag } from '../../shared/domain/event-flags';
import { zonedWallToUtc } from '../core/time/zoned';
import type { WritableDb } from './connection/sql';

function wallOf(ts: number, tzOff: number, clockMs: number): Date {
  return new Date(ts - clockMs + tzOff * 60_000);
}

/** Re-times one event: the wall clock it was read from, moved by yearDelta, read again in newZone, plus newClock. */
export function retime(ts: number, tzOff: number | null, flags: number, oldClock: number, newClock: number, newZone: string, yearDelta: number): { ts: number; tzOff: number | null } {
  if ((flags & EventFlag.TimeZoned) === 0 || tzOff === null) {
    return { ts: ts - oldClock + newClock, tzOff };
  }
  const wall = wallOf(ts, tzOff, oldClock);
  const delta = (flags & EventFlag.YearInferred) !== 0 ? yearDelta : 0;
  const r = zonedWallToUtc(
    {
      year: wall.getUTCFullYear() + delta,
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
      millis: wall.getUTCMilliseconds(),
    },
    newZone,
  );
  return { ts: r.epochMs + newClock, tzOff: r.offsetMinutes };
}

/** SQL functions used to re-time evidence without re-reading it. */
export function registerTimeFunctions(db: WritableDb): void {
  const args = (v: unknown[]): [number, number | null, number, number, number, string, number] => [
    Number(v[0]), typeof v[1] === 'number' ? v[1] : null, Number(v[2]), Number(v[3]), Number(v[4]), String(v[5]), Number(v[6]),
  ];
  db.function('dossier_retime', { deterministic: true, varargs: true }, (...v: unknown[]) => (v[0] === null ? null : retime(...args(v)).ts));
  db.function('dossier_retime_off', { deterministic: true, varargs: true }, (...v: unknown[]) => (v[0] === null ? null : retime(...args(v)).tzOff));
}
