/**
 * Year inference for year-less (RFC 3164) syslog stamps.
 *
 * A syslog file is written in time order and rotated, so its *last* line is not after the file's
 * modification time (the reference), and the year changes where the month jumps backwards. As in plaso,
 * a "rollover" is a month strictly more than one below the previous line's month (Dec→Jan, Dec→Mar,
 * Nov→Feb); a step back of one month (Apr 30 → Apr 29 → May 1 → Apr 30 out-of-order writes) is tolerated.
 *
 * Two-pass (exact): collect the month sequence, count the rollovers R; the last line's year is the
 * reference year (or the one before when its month is after the reference month), the first line's year is
 * that minus R, and every rollover adds one. `inferYears` does it on an array; `createYearResolver` does it
 * streaming with `observe()` (pass 1) then `yearFor()` (pass 2).
 *
 * Single-pass (when `yearFor` is called without any `observe`): each line gets the reference year, or the
 * year before when its month is after the reference month. Identical to two-pass for files spanning less
 * than twelve months that end by the reference (the usual rotated log); longer files need two passes.
 *
 * Reasons recorded per event: the reference's reason (`file_mtime`, `case_source`, `analyst`) for the base
 * year, `rollover` for years reached by counting a Dec→Jan style jump.
 */

export type YearReason = 'file_mtime' | 'rollover' | 'case_source' | 'analyst' | 'reference';

export type YearReference = Readonly<{
  year: number;
  /** 1-12; when absent the reference is taken as December (no line is "after" it). */
  month?: number;
  /** 1-31; with `month`, lines in the reference month but more than one day after it go to the year before. */
  day?: number;
}>;

/** plaso's rule: a backwards jump of more than one month starts a new year. */
export function isRollover(previousMonth: number, month: number): boolean {
  return previousMonth > month + 1;
}

function afterReference(month: number, day: number | null, ref: YearReference): boolean {
  const rm = ref.month ?? 12;
  if (month !== rm) {
    return month > rm;
  }
  return ref.day !== undefined && day !== null && day > ref.day + 1;
}

/** Year for one line with the per-line reference rule (month after the reference month → year before). */
export function yearFromReference(month: number, ref: YearReference, day: number | null = null): number {
  return afterReference(month, day, ref) ? ref.year - 1 : ref.year;
}

export type InferredYears = Readonly<{
  years: number[];
  reasons: YearReason[];
  baseYear: number;
  rollovers: number;
}>;

/**
 * Years for a file's month sequence (in file order) given the reference (file mtime by default).
 * `days` (optional, same length) refines the "after the reference" test for the last line.
 */
export function inferYears(
  months: ReadonlyArray<number>,
  ref: YearReference,
  reason: YearReason = 'file_mtime',
  days?: ReadonlyArray<number>,
): InferredYears {
  if (months.length === 0) {
    return { years: [], reasons: [], baseYear: ref.year, rollovers: 0 };
  }
  let rollovers = 0;
  for (let i = 1; i < months.length; i++) {
    if (isRollover(months[i - 1] ?? 0, months[i] ?? 0)) {
      rollovers++;
    }
  }
  const lastMonth = months[months.length - 1] ?? 12;
  const lastDay = days?.[months.length - 1] ?? null;
  const lastYear = yearFromReference(lastMonth, ref, lastDay);
  const baseYear = lastYear - rollovers;
  const years: number[] = [];
  const reasons: YearReason[] = [];
  let y = baseYear;
  let rolled = false;
  for (let i = 0; i < months.length; i++) {
    if (i > 0 && isRollover(months[i - 1] ?? 0, months[i] ?? 0)) {
      y++;
      rolled = true;
    }
    years.push(y);
    reasons.push(rolled ? 'rollover' : reason);
  }
  return { years, reasons, baseYear, rollovers };
}

export type YearResolverOptions = Readonly<{
  referenceYear: number;
  referenceMonth?: number;
  referenceDay?: number;
  reason: YearReason;
  /**
   * 'end' (default): the reference bounds the *last* line (file mtime). 'start': the reference year is the
   * year of the *first* line (an analyst or a dated case source saying when the file starts).
   */
  anchor?: 'end' | 'start';
}>;

export type YearResolver = Readonly<{
  /** Pass 1: feed each timed line's month, in file order. */
  observe(month: number, day?: number): void;
  /** Pass 2 (or single pass): the year for the next line, in the same order. */
  yearFor(month: number, day?: number): { year: number; reason: YearReason };
  /** 'two_pass' once observe() was used, else 'single_pass'. */
  mode(): 'two_pass' | 'single_pass';
}>;

export function createYearResolver(opts: YearResolverOptions): YearResolver {
  const ref: YearReference = {
    year: opts.referenceYear,
    ...(opts.referenceMonth !== undefined ? { month: opts.referenceMonth } : {}),
    ...(opts.referenceDay !== undefined ? { day: opts.referenceDay } : {}),
  };
  const anchor = opts.anchor ?? 'end';
  // pass 1 state
  let observed = 0;
  let obsPrev = -1;
  let obsRollovers = 0;
  let obsLastMonth = 12;
  let obsLastDay: number | null = null;
  // pass 2 state
  let prev = -1;
  let year = Number.NaN;
  let rolled = false;
  function observe(month: number, day?: number): void {
    if (obsPrev >= 0 && isRollover(obsPrev, month)) {
      obsRollovers++;
    }
    obsPrev = month;
    obsLastMonth = month;
    obsLastDay = day ?? null;
    observed++;
  }
  function yearFor(month: number, day?: number): { year: number; reason: YearReason } {
    if (Number.isNaN(year)) {
      // first line of pass 2
      if (anchor === 'start') {
        year = ref.year;
      } else if (observed > 0) {
        year = yearFromReference(obsLastMonth, ref, obsLastDay) - obsRollovers;
      } else {
        year = yearFromReference(month, ref, day ?? null);
      }
      prev = month;
      return { year, reason: opts.reason };
    }
    if (isRollover(prev, month)) {
      rolled = true;
      year++;
    }
    prev = month;
    if (anchor === 'end' && observed === 0) {
      // single pass: per-line rule, still reporting rollovers it went through
      const y = yearFromReference(month, ref, day ?? null);
      return { year: y, reason: rolled && y > ref.year - 1 ? 'rollover' : opts.reason };
    }
    return { year, reason: rolled ? 'rollover' : opts.reason };
  }
  return { observe, yearFor, mode: () => (observed > 0 ? 'two_pass' : 'single_pass') };
}
