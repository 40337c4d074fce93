/**
 * ParsedTime → UTC with provenance.
 *
 * - `absolute` times carried their own offset: the evidence zone is ignored and `zone` is recorded as 'text'.
 * - `local` times are read in `ctx.zone` (IANA). A year-less time takes `ctx.year` (from the year resolver)
 *   and records `yearInferred`/`yearReason`.
 * - The analyst's clock correction `ctx.clockOffsetMs` (for a server clock known to be wrong) is added last.
 *
 * `utcMs` is null only when no instant can be given: a year-less time without `ctx.year`, or a date that
 * does not exist in the inferred year (Feb 29 in a non-leap year) — `invalid` says which.
 * Fractions of a millisecond are kept (`utcMs` may be fractional: rsyslog writes microseconds).
 */
import type { ParsedTime } from '../../../shared/domain/parsed';
import { isValidDate } from '../parsers/text/datetime';
import { zonedWallToUtc } from './zoned';

export type TimeContext = Readonly<{
  /** IANA zone of the evidence (validated by the caller; an unknown zone throws RangeError). */
  zone: string;
  /** Analyst clock correction, added to the UTC instant. */
  clockOffsetMs: number;
  /** Year for year-less times (from createYearResolver / inferYears). */
  year?: number;
  yearReason?: string;
}>;

export type ResolvedTime = Readonly<{
  utcMs: number | null;
  /** The zone used: `ctx.zone` for local times, 'text' when the text carried its offset. */
  zone: string;
  /** Clock offset applied (ms). */
  offsetMs: number;
  /** UTC offset of the wall time (minutes east), null for epoch values and unresolved times. */
  tzOffsetMinutes: number | null;
  yearInferred: number | null;
  yearReason: string | null;
  text: string;
  /** DST flags of the zone conversion. */
  ambiguous: boolean;
  nonexistent: boolean;
  invalid: 'no_year' | 'no_date' | 'invalid_date' | null;
}>;

export function resolveTime(parsed: ParsedTime, ctx: TimeContext): ResolvedTime {
  if (parsed.kind === 'absolute') {
    return {
      utcMs: parsed.epochMs + ctx.clockOffsetMs,
      zone: 'text',
      offsetMs: ctx.clockOffsetMs,
      tzOffsetMinutes: parsed.offsetMinutes,
      yearInferred: null,
      yearReason: null,
      text: parsed.text,
      ambiguous: false,
      nonexistent: false,
      invalid: null,
    };
  }
  if (parsed.kind === 'time_of_day') {
    // No date written: the ingest infers it from the file's modification time (see ingest-engine MemberClock).
    return {
      utcMs: null, zone: ctx.zone, offsetMs: ctx.clockOffsetMs, tzOffsetMinutes: null, yearInferred: null, yearReason: null,
      text: parsed.text, ambiguous: false, nonexistent: false, invalid: 'no_date',
    };
  }
  const inferred = parsed.year === null;
  const year = parsed.year ?? ctx.year ?? null;
  const yearInferred = inferred ? year : null;
  const yearReason = inferred && year !== null ? (ctx.yearReason ?? 'unknown') : null;
  // explicit literals (no spreads): this runs once per event
  if (year === null || !isValidDate(year, parsed.month, parsed.day)) {
    return {
      utcMs: null,
      zone: ctx.zone,
      offsetMs: ctx.clockOffsetMs,
      tzOffsetMinutes: null,
      yearInferred,
      yearReason,
      text: parsed.text,
      ambiguous: false,
      nonexistent: false,
      invalid: year === null ? 'no_year' : 'invalid_date',
    };
  }
  const z = zonedWallToUtc(
    { year, month: parsed.month, day: parsed.day, hour: parsed.hour, minute: parsed.minute, second: parsed.second, millis: parsed.millis },
    ctx.zone,
  );
  return {
    utcMs: z.epochMs + ctx.clockOffsetMs,
    zone: ctx.zone,
    offsetMs: ctx.clockOffsetMs,
    tzOffsetMinutes: z.offsetMinutes,
    yearInferred,
    yearReason,
    text: parsed.text,
    ambiguous: z.ambiguous,
    nonexistent: z.nonexistent,
    invalid: null,
  };
}
