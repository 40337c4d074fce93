/**
 * Finds a common timestamp at (or very near) the start of any text line.
 *
 * Recognised, tried at the first non-blank character, just inside a leading `[`/`(`, and after one leading
 * numeric token (a pid, as in `strace -f`):
 * - ISO 8601 / RFC 3339: `2024-05-05T13:42:45.123+02:00`, `2024-05-05 13:42:45,123`, `2024/05/05 13:42:45`,
 *   with or without zone (`Z`, `±hh[:mm]`, ` UTC`, ` GMT`) and fraction; minutes-only clocks accepted;
 * - syslog `May  5 13:42:45` (year null), optionally followed by a 4-digit year;
 * - Apache `05/May/2024:13:42:45 +0200`;
 * - ctime `Sun May 05 13:42:45[.123456] 2024` (weekday optional);
 * - epoch seconds with a fraction, `[1697048351.000541]` or bare `1697048351.000541` (9-10 integer digits);
 * - US `05/31/2024 13:42:45`.
 * A date-less time of day (strace `-tt`: `08:09:33.814936`) is *not* returned: without a date it cannot be
 * placed on a timeline (`timeOfDayAt` exposes it for callers that want to show it).
 */
import type { ParsedTime } from '../../../../shared/domain/parsed';
import { type TimeMatch, clockAt, digitsAt, isDigit, isValidDate, isoAt, makeTime, monthAt, offsetAt, readUint, syslogStampAt, weekdayAt } from './datetime';

function skipBlanks(s: string, p: number): number {
  while (s.charCodeAt(p) === 32 || s.charCodeAt(p) === 9) {
    p++;
  }
  return p;
}

/** Apache/CLF `dd/Mmm/yyyy:HH:MM:SS[ ±zzzz]`. */
function clfAt(s: string, p: number): TimeMatch | null {
  const day = digitsAt(s, p, 2);
  if (day < 0 || s.charCodeAt(p + 2) !== 47) {
    return null;
  }
  const m = monthAt(s, p + 3);
  if (m === null || s.charCodeAt(m.end) !== 47) {
    return null;
  }
  const year = digitsAt(s, m.end + 1, 4);
  if (year <= 0 || s.charCodeAt(m.end + 5) !== 58) {
    return null;
  }
  const clock = clockAt(s, m.end + 6);
  if (clock === null || !isValidDate(year, m.month, day)) {
    return null;
  }
  let end = clock.end;
  let offset: number | undefined;
  if (s.charCodeAt(end) === 32) {
    const off = offsetAt(s, end + 1);
    if (off !== null && s.charCodeAt(end + 1) !== 90) {
      offset = off.minutes;
      end = off.end;
    }
  }
  return { time: makeTime(year, m.month, day, clock, offset, s.slice(p, end)), end };
}

/** US `MM/DD/YYYY HH:MM[:SS]`. */
function usAt(s: string, p: number): TimeMatch | null {
  const month = digitsAt(s, p, 2);
  const day = digitsAt(s, p + 3, 2);
  const year = digitsAt(s, p + 6, 4);
  if (month < 0 || day < 0 || year <= 0 || s.charCodeAt(p + 2) !== 47 || s.charCodeAt(p + 5) !== 47) {
    return null;
  }
  const sep = s.charCodeAt(p + 10);
  if (sep !== 32 && sep !== 84) {
    return null;
  }
  const clock = clockAt(s, p + 11, true);
  if (clock === null || !isValidDate(year, month, day)) {
    return null;
  }
  return { time: makeTime(year, month, day, clock, undefined, s.slice(p, clock.end)), end: clock.end };
}

/** Epoch seconds `1697048351.000541` (9-10 digits, fraction required unless `bracketed`). */
function epochAt(s: string, p: number, bracketed: boolean): TimeMatch | null {
  const whole = readUint(s, p, 11);
  if (whole === null) {
    return null;
  }
  const len = whole.end - p;
  if (len < 9 || len > 10) {
    return null;
  }
  let end = whole.end;
  let frac = 0;
  if (s.charCodeAt(end) === 46) {
    const f = readUint(s, end + 1, 9);
    if (f === null) {
      return null;
    }
    frac = Number(`0.${s.slice(end + 1, f.end)}`);
    end = f.end;
  } else if (!bracketed) {
    return null;
  }
  if (isDigit(s.charCodeAt(end))) {
    return null;
  }
  if (bracketed ? s.charCodeAt(end) !== 93 : !(end === s.length || s.charCodeAt(end) === 32 || s.charCodeAt(end) === 9)) {
    return null;
  }
  const epochMs = (whole.value + frac) * 1000;
  return { time: { kind: 'absolute', epochMs, offsetMinutes: null, text: s.slice(p, end) }, end };
}

/** ctime `[Www ]Mmm dd HH:MM:SS[.fff] yyyy`, or syslog `Mmm dd HH:MM:SS[ yyyy]`. */
function wordDateAt(s: string, p: number): TimeMatch | null {
  let q = p;
  const wd = weekdayAt(s, p);
  if (wd >= 0) {
    if (s.charCodeAt(wd) === 44) {
      return null; // RFC 2822 `Sun, 05 May` is not handled here
    }
    q = skipBlanks(s, wd);
    if (q === wd) {
      return null;
    }
  }
  const st = syslogStampAt(s, q);
  if (st === null || st.time.kind !== 'local') {
    return null;
  }
  // optional year after the clock
  if (s.charCodeAt(st.end) === 32) {
    const y = digitsAt(s, st.end + 1, 4);
    if (y > 0 && !isDigit(s.charCodeAt(st.end + 5)) && isValidDate(y, st.time.month, st.time.day)) {
      const t = st.time;
      const clock = { hour: t.hour, minute: t.minute, second: t.second, millis: t.millis, end: st.end + 5 };
      return { time: makeTime(y, t.month, t.day, clock, undefined, s.slice(p, st.end + 5)), end: st.end + 5 };
    }
  }
  if (wd >= 0) {
    return null; // a weekday without a year is not a format we know
  }
  return st;
}

function at(s: string, p: number, bracketed: boolean): TimeMatch | null {
  const c = s.charCodeAt(p);
  if (isDigit(c)) {
    return isoAt(s, p, { allowSpace: true, allowSlashes: true, allowNoSeconds: true }) ?? clfAt(s, p) ?? usAt(s, p) ?? epochAt(s, p, bracketed);
  }
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0x80) {
    return wordDateAt(s, p);
  }
  return null;
}

/** Timestamp at the start of `line` with its span, or null. */
export function findTimestampSpan(line: string): { time: ParsedTime; start: number; end: number } | null {
  let p = line.charCodeAt(0) === 0xfeff ? 1 : 0;
  p = skipBlanks(line, p);
  const c = line.charCodeAt(p);
  const bracketed = c === 91 || c === 40;
  const starts = bracketed ? [p + 1] : [p];
  // after one leading numeric token (pid), e.g. `10000 1697048351.000001 execve(…)`
  const lead = readUint(line, p, 10);
  if (!bracketed && lead !== null && (line.charCodeAt(lead.end) === 32 || line.charCodeAt(lead.end) === 9) && lead.end - p <= 7) {
    starts.push(skipBlanks(line, lead.end));
  }
  for (const start of starts) {
    const m = at(line, start, bracketed && start === p + 1);
    if (m !== null) {
      return { time: m.time, start, end: m.end };
    }
  }
  return null;
}

/** A common timestamp near the start of any line, or null. See the module comment for the formats. */
export function findTimestamp(line: string): ParsedTime | null {
  return findTimestampSpan(line)?.time ?? null;
}

/** A date-less time of day (`08:09:33.814936`, strace -tt) at the start, after an optional pid; or null. */
export function timeOfDayAt(line: string): string | null {
  let p = skipBlanks(line, 0);
  const lead = readUint(line, p, 10);
  if (lead !== null && line.charCodeAt(lead.end) === 32 && lead.end - p <= 7) {
    p = skipBlanks(line, lead.end);
  }
  const clock = clockAt(line, p, false, false, false);
  if (clock === null || (clock.end < line.length && line.charCodeAt(clock.end) !== 32)) {
    return null;
  }
  return line.slice(p, clock.end);
}
