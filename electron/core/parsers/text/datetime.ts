/**
 * Low-level, allocation-light date/time scanning shared by the syslog, fail2ban and generic-text parsers.
 * Every function is total: it returns null (or -1) instead of throwing, whatever the input.
 */
import type { ParsedTime } from '../../../../shared/domain/parsed';

const CH_0 = 48;
const CH_9 = 57;

export function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

/** Value of exactly `len` ASCII digits at `pos`, or -1. */
export function digitsAt(s: string, pos: number, len: number): number {
  if (pos < 0 || pos + len > s.length) {
    return -1;
  }
  let v = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(pos + i);
    if (c < CH_0 || c > CH_9) {
      return -1;
    }
    v = v * 10 + (c - CH_0);
  }
  return v;
}

/** Index just past a run of digits starting at `pos` (== pos when none), looking at most `max` characters. */
export function digitRunEnd(s: string, pos: number, max: number): number {
  let i = pos;
  const stop = Math.min(s.length, pos + max);
  while (i < stop && isDigit(s.charCodeAt(i))) {
    i++;
  }
  return i;
}

/** Parses a run of 1..max digits; returns -1 when there is none. */
export function readUint(s: string, pos: number, max: number): { value: number; end: number } | null {
  const end = digitRunEnd(s, pos, max);
  if (end === pos) {
    return null;
  }
  let v = 0;
  for (let i = pos; i < end; i++) {
    v = v * 10 + (s.charCodeAt(i) - CH_0);
  }
  return { value: v, end };
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month; with an unknown year, February has 29 (a year-less Feb 29 is plausible). */
export function daysInMonth(year: number | null, month: number): number {
  if (month === 2) {
    return year === null || isLeapYear(year) ? 29 : 28;
  }
  return DAYS[month - 1] ?? 0;
}

export function isValidDate(year: number | null, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Milliseconds since the epoch of a wall-clock value read as UTC (years 0-99 are *not* shifted to 19xx). */
export function utcFields(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): number {
  const base = Date.UTC(2000, month - 1, day, hour, minute, second, 0);
  if (year === 2000) {
    return base + millis;
  }
  const d = new Date(base);
  d.setUTCFullYear(year);
  return d.getTime() + millis;
}

/*
 * Month names: English (abbreviated and full), French and German, lower-cased. Common mis-decodings of the
 * accented ones are accepted too: U+FFFD (invalid UTF-8 replaced) and UTF-8 read as Latin-1 (`dÃ©c`).
 */
const MONTHS = new Map<string, number>();
function addMonth(month: number, names: string): void {
  for (const n of names.split(' ')) {
    MONTHS.set(n, month);
  }
}
addMonth(1, 'jan january janv janvier jän jänner januar');
addMonth(2, 'feb february févr fevr février fevrier februar f\ufffdv f\ufffdvr fã©v fã©vr fã©vrier');
addMonth(3, 'mar march mars mär mrz märz maerz m\ufffdr mã¤r mã¤rz');
addMonth(4, 'apr april avr avril');
addMonth(5, 'may mai');
addMonth(6, 'jun june juin juni');
addMonth(7, 'jul july juil juillet juli');
addMonth(8, 'aug august août aout ao\ufffdt aoã»t');
addMonth(9, 'sep sept september septembre');
addMonth(10, 'oct october octobre okt oktober');
addMonth(11, 'nov november novembre');
addMonth(12, 'dec december déc décembre decembre dez dezember d\ufffdc d\ufffdcembre dã©c dã©cembre');

/** ASCII three-letter names keyed by their case-folded char codes. */
const MONTHS3 = new Map<number, number>();
for (const [name, month] of MONTHS) {
  if (name.length === 3 && /^[a-z]{3}$/.test(name)) {
    MONTHS3.set((name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2), month);
  }
}

/** English weekday abbreviations, for ctime-style stamps. */
const WEEKDAYS = new Set(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

function isWordChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0x80;
}

/**
 * Reads a month name at `pos` (letters, optionally followed by a `.`, e.g. `août`, `Dez`, `janv.`).
 * Returns the month number 1-12 and the index just past the name (and its dot), or null.
 */
export function monthAt(s: string, pos: number): { month: number; end: number } | null {
  let i = pos;
  const stop = Math.min(s.length, pos + 12);
  while (i < stop && isWordChar(s.charCodeAt(i))) {
    i++;
  }
  const len = i - pos;
  if (len < 3 || len > 10 || (i < s.length && isWordChar(s.charCodeAt(i)))) {
    return null;
  }
  let month: number | undefined;
  if (len === 3) {
    // fast path: ASCII three-letter names, case-folded without allocating
    const a = s.charCodeAt(pos);
    const b = s.charCodeAt(pos + 1);
    const c = s.charCodeAt(pos + 2);
    if (a < 0x80 && b < 0x80 && c < 0x80) {
      month = MONTHS3.get(((a | 0x20) << 16) | ((b | 0x20) << 8) | (c | 0x20));
    }
  }
  month ??= MONTHS.get(s.slice(pos, i).toLowerCase());
  if (month === undefined) {
    return null;
  }
  if (i < s.length && s.charCodeAt(i) === 46 /* . */) {
    i++;
  }
  return { month, end: i };
}

/** Reads an English weekday abbreviation (`Mon`..`Sun`), returns the end index or -1. */
export function weekdayAt(s: string, pos: number): number {
  if (pos + 3 > s.length) {
    return -1;
  }
  if (pos + 3 < s.length && isWordChar(s.charCodeAt(pos + 3))) {
    return -1;
  }
  return WEEKDAYS.has(s.slice(pos, pos + 3).toLowerCase()) ? pos + 3 : -1;
}

export type ClockTime = { hour: number; minute: number; second: number; millis: number; end: number };

/**
 * Reads `HH:MM:SS` with an optional fraction (`.` or `,` and 1-9 digits) at `pos`. With `allowNoSeconds`,
 * `HH:MM` alone is accepted (seconds 0). Hours may be a single digit only when `oneDigitHour`.
 */
export function clockAt(s: string, pos: number, allowNoSeconds = false, oneDigitHour = false, commaFraction = true): ClockTime | null {
  let p = pos;
  let hour = digitsAt(s, p, 2);
  if (hour >= 0) {
    p += 2;
  } else if (oneDigitHour) {
    hour = digitsAt(s, p, 1);
    p += 1;
  }
  if (hour < 0 || hour > 23 || s.charCodeAt(p) !== 58 /* : */) {
    return null;
  }
  const minute = digitsAt(s, p + 1, 2);
  if (minute < 0 || minute > 59) {
    return null;
  }
  p += 3;
  let second = 0;
  if (s.charCodeAt(p) === 58) {
    second = digitsAt(s, p + 1, 2);
    if (second < 0 || second > 60) {
      return null;
    }
    if (second === 60) {
      second = 59; // leap second: kept inside the minute (documented), never rolls into the next one
    }
    p += 3;
  } else if (!allowNoSeconds) {
    return null;
  }
  let millis = 0;
  const fc = s.charCodeAt(p);
  if ((fc === 46 || (fc === 44 && commaFraction)) && isDigit(s.charCodeAt(p + 1))) {
    const end = digitRunEnd(s, p + 1, 9);
    let frac = 0;
    let scale = 1;
    for (let i = p + 1; i < end; i++) {
      frac = frac * 10 + (s.charCodeAt(i) - CH_0);
      scale *= 10;
    }
    millis = (frac / scale) * 1000;
    p = end;
    if (isDigit(s.charCodeAt(p))) {
      return null; // more than 9 fraction digits: not a timestamp we understand
    }
  }
  if (isDigit(s.charCodeAt(p))) {
    return null;
  }
  return { hour, minute, second, millis, end: p };
}

/**
 * Reads a numeric UTC offset at `pos`: `Z`, `±HH:MM`, `±HHMM` or `±HH`. Returns minutes east of UTC.
 */
export function offsetAt(s: string, pos: number): { minutes: number; end: number } | null {
  const c = s.charCodeAt(pos);
  if (c === 90 /* Z */ || c === 122 /* z */) {
    if (isWordChar(s.charCodeAt(pos + 1))) {
      return null;
    }
    return { minutes: 0, end: pos + 1 };
  }
  if (c !== 43 && c !== 45 && c !== 0x2212 /* unicode minus */) {
    return null;
  }
  const sign = c === 43 ? 1 : -1;
  const hh = digitsAt(s, pos + 1, 2);
  if (hh < 0 || hh > 18) {
    return null;
  }
  let p = pos + 3;
  let mm = 0;
  if (s.charCodeAt(p) === 58) {
    mm = digitsAt(s, p + 1, 2);
    if (mm < 0) {
      return null;
    }
    p += 3;
  } else {
    const m2 = digitsAt(s, p, 2);
    if (m2 >= 0) {
      mm = m2;
      p += 2;
    }
  }
  if (mm > 59 || isDigit(s.charCodeAt(p))) {
    return null;
  }
  // + 0: `-00:00` is UTC, and JSON has no -0
  return { minutes: sign * (hh * 60 + mm) + 0, end: p };
}

/** Builds a ParsedTime from fields; `offsetMinutes === undefined` means a local (zone-less) time. */
export function makeTime(
  year: number | null,
  month: number,
  day: number,
  clock: ClockTime,
  offsetMinutes: number | undefined,
  text: string,
): ParsedTime {
  if (offsetMinutes === undefined || year === null) {
    return { kind: 'local', year, month, day, hour: clock.hour, minute: clock.minute, second: clock.second, millis: clock.millis, text };
  }
  const wall = utcFields(year, month, day, clock.hour, clock.minute, clock.second, clock.millis);
  return { kind: 'absolute', epochMs: wall - offsetMinutes * 60_000, offsetMinutes, text };
}

export type TimeMatch = { time: ParsedTime; end: number };

/**
 * ISO 8601-like stamp at `pos`: `YYYY-MM-DD[T ]HH:MM[:SS][.fff][zone]` where zone is `Z`, a numeric offset or
 * (after one space) the names `UTC`/`GMT`. `YYYY/MM/DD` is accepted when `allowSlashes`. With `requireZone`
 * a stamp without zone is rejected. Minutes-only clocks are accepted only when `allowNoSeconds`.
 * Year 0 is rejected (it appears in logs as a placeholder, e.g. `0000-12-30 00:00:00`).
 */
export function isoAt(
  s: string,
  pos: number,
  opts: {
    requireZone?: boolean;
    allowSpace?: boolean;
    allowSlashes?: boolean;
    allowNoSeconds?: boolean;
    allowNamedZone?: boolean;
    commaFraction?: boolean;
  } = {},
): TimeMatch | null {
  const year = digitsAt(s, pos, 4);
  if (year < 0) {
    return null;
  }
  const sep = s.charCodeAt(pos + 4);
  if (!(sep === 45 || (opts.allowSlashes === true && sep === 47))) {
    return null;
  }
  const month = digitsAt(s, pos + 5, 2);
  if (month < 0 || s.charCodeAt(pos + 7) !== sep) {
    return null;
  }
  const day = digitsAt(s, pos + 8, 2);
  if (day < 0) {
    return null;
  }
  const t = s.charCodeAt(pos + 10);
  if (!(t === 84 /* T */ || (opts.allowSpace !== false && t === 32))) {
    return null;
  }
  const clock = clockAt(s, pos + 11, opts.allowNoSeconds === true, false, opts.commaFraction !== false);
  if (clock === null || year === 0 || !isValidDate(year, month, day)) {
    return null;
  }
  let end = clock.end;
  let offset: number | undefined;
  const off = offsetAt(s, end);
  if (off !== null) {
    offset = off.minutes;
    end = off.end;
  } else if (opts.allowNamedZone !== false && s.charCodeAt(end) === 32) {
    const name = s.slice(end + 1, end + 4);
    if ((name === 'UTC' || name === 'GMT') && !isWordChar(s.charCodeAt(end + 4))) {
      offset = 0;
      end += 4;
    }
  }
  if (offset === undefined && opts.requireZone === true) {
    return null;
  }
  return { time: makeTime(year, month, day, clock, offset, s.slice(pos, end)), end };
}

/**
 * Syslog (RFC 3164) stamp at `pos`: `Mmm dd HH:MM:SS[.fff]` with any month name `monthAt` knows and one or
 * more spaces between the parts. The day may have one or two digits. The year is unknown (null).
 */
export function syslogStampAt(s: string, pos: number): TimeMatch | null {
  const m = monthAt(s, pos);
  if (m === null) {
    return null;
  }
  let p = m.end;
  const spStart = p;
  while (p < s.length && s.charCodeAt(p) === 32 && p - spStart < 3) {
    p++;
  }
  if (p === spStart) {
    return null;
  }
  const d = readUint(s, p, 2);
  if (d === null || isDigit(s.charCodeAt(d.end))) {
    return null;
  }
  p = d.end;
  const sp2 = p;
  while (p < s.length && s.charCodeAt(p) === 32 && p - sp2 < 3) {
    p++;
  }
  if (p === sp2) {
    return null;
  }
  const clock = clockAt(s, p);
  if (clock === null || !isValidDate(null, m.month, d.value)) {
    return null;
  }
  return { time: makeTime(null, m.month, d.value, clock, undefined, s.slice(pos, clock.end)), end: clock.end };
}
