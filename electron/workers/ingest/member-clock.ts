/**
 * Per-member time context (zone, clock offset, streaming year and date inference), shared by the
 * ingest engine and the parse worker. Its state is plain data: the parse worker sends it back to the
 * writer thread at the end of a member (`state()` / `MemberClock.restore`).
 */
import type { ParsedTime } from '../../../shared/domain/parsed';
import { EventFlag } from '../../../shared/domain/event-flags';
import { isRollover, yearFromReference, type YearReference } from '../../core/time/year';
import { utcToZonedWall, zonedWallToUtc } from '../../core/time/zoned';

export type YearState = { ref: YearReference; provisional: number; prevMonth: number | null; lastMonth: number; lastDay: number; rollovers: number; base: number; seen: boolean };

/** Date inference for times of day without a date (strace -t/-tt): from the file's mtime, rolled over at midnight. */
export type DayState = { refDay: number; refSecond: number; current: number; prevSecond: number; rollovers: number; seen: boolean };

export const DAY_MS = 86_400_000;
/** A time of day this far before the previous line's starts the next day (strace -f lines can be slightly out of order). */
const DAY_ROLLOVER_BACKSTEP_S = 3600;

/** Per-member time context: zone, clock offset, and the streaming year inference for year-less times. */
export type MemberClockState = Readonly<{ zone: string; clockOffsetMs: number; analystYear: number | null; mtimeMs: number; year: YearState; day: DayState | null }>;

export class MemberClock {
  readonly zone: string;
  readonly clockOffsetMs: number;
  readonly analystYear: number | null;
  readonly year: YearState;
  readonly mtimeMs: number;
  day: DayState | null = null;

  constructor(zone: string, clockOffsetMs: number, mtimeMs: number, analystYear: number | null) {
    this.zone = zone;
    this.clockOffsetMs = clockOffsetMs;
    this.analystYear = analystYear;
    this.mtimeMs = mtimeMs > 0 ? mtimeMs : Date.now();
    const d = new Date(this.mtimeMs);
    const ref: YearReference = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
    this.year = { ref, provisional: ref.year, prevMonth: null, lastMonth: 0, lastDay: 0, rollovers: 0, base: ref.year, seen: false };
  }

  /**
   * A time of day: the first line takes the date of the file's mtime in the evidence's zone (the day
   * before when its time of day is after the mtime's: the trace was written up to the mtime); a step
   * back of more than an hour starts the next day. `dayCorrection` moves the whole file back when the
   * last line would end up after the mtime (a trace of more than a day).
   */
  #resolveTimeOfDay(t: Extract<ParsedTime, { kind: 'time_of_day' }>): [number | null, number | null, number] {
    const second = t.hour * 3600 + t.minute * 60 + t.second;
    let d = this.day;
    if (d === null) {
      const w = utcToZonedWall(this.mtimeMs, this.zone);
      const refDay = Date.UTC(w.year, w.month - 1, w.day);
      const refSecond = w.hour * 3600 + w.minute * 60 + w.second;
      d = { refDay, refSecond, current: second > refSecond + 60 ? refDay - DAY_MS : refDay, prevSecond: second, rollovers: 0, seen: true };
      this.day = d;
    } else if (second < d.prevSecond - DAY_ROLLOVER_BACKSTEP_S) {
      d.current += DAY_MS;
      d.rollovers += 1;
    }
    d.prevSecond = second;
    const date = new Date(d.current);
    const r = zonedWallToUtc(
      { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: t.hour, minute: t.minute, second: t.second, millis: t.millis },
      this.zone,
    );
    let flags = EventFlag.TimeZoned | EventFlag.YearInferred | EventFlag.DateInferred;
    if (r.ambiguous) {
      flags |= EventFlag.TimeAmbiguous;
    }
    if (r.nonexistent) {
      flags |= EventFlag.TimeNonexistent;
    }
    return [r.epochMs + this.clockOffsetMs, r.offsetMinutes, flags];
  }

  /** Days to add to every date-inferred time so the last line is not after the file's mtime (0 normally). */
  dayCorrection(): number {
    const d = this.day;
    if (d === null) {
      return 0;
    }
    return d.current > d.refDay ? Math.round((d.refDay - d.current) / DAY_MS) : 0;
  }

  /** Returns [utcMs, tzOffMinutes, flags] for a parsed time. */
  resolve(t: ParsedTime): [number | null, number | null, number] {
    if (t.kind === 'absolute') {
      return [t.epochMs + this.clockOffsetMs, null, EventFlag.TimeAbsolute];
    }
    if (t.kind === 'time_of_day') {
      return this.#resolveTimeOfDay(t);
    }
    let flags = EventFlag.TimeZoned;
    let year = t.year;
    if (year === null) {
      flags |= EventFlag.YearInferred;
      if (this.analystYear !== null) {
        year = this.analystYear;
      } else {
        const y = this.year;
        if (!y.seen) {
          // First year-less line: start the year below the reference if this month is after it.
          y.provisional = yearFromReference(t.month, y.ref);
          y.base = y.provisional;
          y.seen = true;
        } else if (y.prevMonth !== null && isRollover(y.prevMonth, t.month)) {
          y.provisional += 1;
          y.rollovers += 1;
        }
        if (y.provisional !== y.base) {
          flags |= EventFlag.YearRollover;
        }
        y.prevMonth = t.month;
        y.lastMonth = t.month;
        y.lastDay = t.day;
        year = y.provisional;
      }
    }
    if (t.month === 2 && t.day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) {
      return [null, null, flags];
    }
    const r = zonedWallToUtc({ year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second, millis: t.millis }, this.zone);
    if (r.ambiguous) {
      flags |= EventFlag.TimeAmbiguous;
    }
    if (r.nonexistent) {
      flags |= EventFlag.TimeNonexistent;
    }
    return [r.epochMs + this.clockOffsetMs, r.offsetMinutes, flags];
  }

  /** The clock's whole state, as plain data (structured-clone safe). */
  state(): MemberClockState {
    return { zone: this.zone, clockOffsetMs: this.clockOffsetMs, analystYear: this.analystYear, mtimeMs: this.mtimeMs, year: { ...this.year, ref: { ...this.year.ref } }, day: this.day === null ? null : { ...this.day } };
  }

  /** A clock with the state another thread's clock ended with (the parse worker's, at the end of a member). */
  static restore(s: MemberClockState): MemberClock {
    const c = new MemberClock(s.zone, s.clockOffsetMs, s.mtimeMs, s.analystYear);
    Object.assign(c.year, s.year);
    c.day = s.day;
    return c;
  }

  /** Years to add to every inferred year so the last line is not after the reference (0 normally). */
  yearCorrection(): number {
    const y = this.year;
    if (!y.seen) {
      return 0;
    }
    const correctLast = yearFromReference(y.lastMonth, y.ref, y.lastDay);
    return correctLast - y.provisional;
  }
}
