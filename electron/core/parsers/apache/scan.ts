/**
 * Small, allocation-light scanning helpers shared by the Apache parsers. Everything here is total:
 * out-of-range indices and odd input yield "no match" values, never exceptions.
 */
import type { ParsedTime, Severity } from '../../../../shared/domain/parsed';

/** A frozen empty bag, shared by events that carry no extra fields. */
export const EMPTY_EXTRA: Readonly<Record<string, never>> = Object.freeze({});

const CH_0 = 48;
const CH_9 = 57;

export function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

function isHex(c: number): boolean {
  return (c >= CH_0 && c <= CH_9) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** True when `s[from, to)` is 1+ ASCII digits. */
export function allDigits(s: string, from: number, to: number): boolean {
  if (to <= from) {
    return false;
  }
  for (let i = from; i < to; i++) {
    if (!isDigit(s.charCodeAt(i))) {
      return false;
    }
  }
  return true;
}

/**
 * Value of the ASCII digits in `s[from, to)`; the caller checks `allDigits` first. Longer than 15 digits
 * cannot be represented exactly and yields null.
 */
export function digitsValue(s: string, from: number, to: number): number | null {
  if (to - from > 15 || to <= from) {
    return null;
  }
  let v = 0;
  for (let i = from; i < to; i++) {
    v = v * 10 + (s.charCodeAt(i) - CH_0);
  }
  return v;
}

/** A non-negative integer written as the whole string, or null. */
export function parseUInt(s: string): number | null {
  return allDigits(s, 0, s.length) ? digitsValue(s, 0, s.length) : null;
}

/** Dotted-quad IPv4 (`1.2.3.4`, each octet 0-255, no empty parts). */
export function isIPv4(s: string, from = 0, to: number = s.length): boolean {
  if (to - from < 7 || to - from > 15) {
    return false;
  }
  let parts = 0;
  let digits = 0;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0) {
        return false;
      }
      parts++;
      digits = 0;
      value = 0;
    } else if (isDigit(c)) {
      digits++;
      value = value * 10 + (c - CH_0);
      if (digits > 3 || value > 255) {
        return false;
      }
    } else {
      return false;
    }
  }
  return parts === 3 && digits > 0;
}

/**
 * IPv6 text form (RFC 4291 section 2.2): up to 8 groups of 1-4 hex digits, at most one `::`, an optional
 * embedded IPv4 tail and an optional `%zone`. No brackets.
 */
export function isIPv6(s: string, from = 0, to: number = s.length): boolean {
  const pct = s.indexOf('%', from);
  const end = pct >= 0 && pct < to ? pct : to;
  if (end - from < 2 || end - from > 45) {
    return false;
  }
  let groups = 0;
  let doubleColon = false;
  let i = from;
  if (s.charCodeAt(i) === 58) {
    if (s.charCodeAt(i + 1) !== 58) {
      return false;
    }
    doubleColon = true;
    i += 2;
    if (i === end) {
      return true;
    }
  }
  while (i < end) {
    let j = i;
    while (j < end && isHex(s.charCodeAt(j))) {
      j++;
    }
    if (j < end && s.charCodeAt(j) === 46) {
      // Embedded IPv4 must be the last part.
      let k = i;
      while (k < end && s.charCodeAt(k) !== 58) {
        k++;
      }
      if (k !== end || !isIPv4(s, i, end)) {
        return false;
      }
      groups += 2;
      break;
    }
    const len = j - i;
    if (len === 0 || len > 4) {
      return false;
    }
    groups++;
    i = j;
    if (i === end) {
      break;
    }
    if (s.charCodeAt(i) !== 58) {
      return false;
    }
    i++;
    if (s.charCodeAt(i) === 58 && i < end) {
      if (doubleColon) {
        return false;
      }
      doubleColon = true;
      i++;
      if (i === end) {
        break;
      }
    } else if (i === end) {
      return false;
    }
  }
  return doubleColon ? groups <= 7 : groups === 8;
}

export function isIp(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

/** Month number (1-12) of a three-letter English abbreviation at `s[i..i+3)`, case-insensitive; 0 if none. */
export function monthAbbrev(s: string, i: number): number {
  const key = ((s.charCodeAt(i) | 32) << 16) | ((s.charCodeAt(i + 1) | 32) << 8) | (s.charCodeAt(i + 2) | 32);
  switch (key) {
    case 0x6a616e: // jan
      return 1;
    case 0x666562: // feb
      return 2;
    case 0x6d6172: // mar
      return 3;
    case 0x617072: // apr
      return 4;
    case 0x6d6179: // may
      return 5;
    case 0x6a756e: // jun
      return 6;
    case 0x6a756c: // jul
      return 7;
    case 0x617567: // aug
      return 8;
    case 0x736570: // sep
      return 9;
    case 0x6f6374: // oct
      return 10;
    case 0x6e6f76: // nov
      return 11;
    case 0x646563: // dec
      return 12;
    default:
      return 0;
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Validates calendar and clock fields (second 60 is accepted: it is how a leap second is written). */
export function validDateTime(y: number, mo: number, d: number, h: number, mi: number, sec: number): boolean {
  return (
    mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 60
  );
}

/** Epoch milliseconds of a wall-clock time at a given UTC offset (minutes east). */
export function epochMsOf(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  sec: number,
  millis: number,
  offsetMinutes: number,
): number {
  return (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offsetMinutes * 60) * 1000 + millis;
}

/** Reads exactly `n` digits at `i`; -1 when they are not all digits. */
function fixedDigits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k);
    if (!isDigit(c)) {
      return -1;
    }
    v = v * 10 + (c - CH_0);
  }
  return v;
}

/** Milliseconds of a fraction written as digits in `s[from, to)` (`569531` → 569.531). */
export function fractionMillis(s: string, from: number, to: number): number {
  let v = 0;
  let scale = 1;
  const end = Math.min(to, from + 9);
  for (let i = from; i < end; i++) {
    v = v * 10 + (s.charCodeAt(i) - CH_0);
    scale *= 10;
  }
  return (v * 1000) / scale;
}

/** End of a run of digits starting at `i`. */
export function skipDigits(s: string, i: number, end: number): number {
  let j = i;
  while (j < end && isDigit(s.charCodeAt(j))) {
    j++;
  }
  return j;
}

/**
 * Parses an Apache `%t` timestamp held in `s[from, to)` (the text between the brackets):
 * `10/Oct/2000:13:55:36 -0700`, also without the zone (`27/Jun/2013:11:55:44`, trailing blanks allowed),
 * with a fraction of a second (`13:55:36.123`) or a `+hh:mm` zone. With a zone the result is `absolute`,
 * without it `local`.
 */
export function parseClfTime(s: string, from: number, to: number): ParsedTime | null {
  let i = from;
  let day: number;
  let month: number;
  let year: number;
  let days: number;
  if (clfCacheKey.length > 0 && s.startsWith(clfCacheKey, from) && from + clfCacheKey.length <= to) {
    // Same calendar day as the previous line (the usual case): reuse the parsed date.
    day = clfCacheDay;
    month = clfCacheMonth;
    year = clfCacheYear;
    days = clfCacheDays;
    i = from + clfCacheKey.length;
  } else {
    const d1 = s.charCodeAt(i);
    if (!isDigit(d1)) {
      return null;
    }
    day = d1 - CH_0;
    i++;
    if (isDigit(s.charCodeAt(i))) {
      day = day * 10 + (s.charCodeAt(i) - CH_0);
      i++;
    }
    if (s.charCodeAt(i) !== 47) {
      return null;
    }
    month = monthAbbrev(s, i + 1);
    if (month === 0 || s.charCodeAt(i + 4) !== 47) {
      return null;
    }
    i += 5;
    year = fixedDigits(s, i, 4);
    if (year < 0 || s.charCodeAt(i + 4) !== 58 || i + 5 > to || day < 1 || day > daysInMonth(year, month)) {
      return null;
    }
    i += 5;
    days = daysFromCivil(year, month, day);
    clfCacheKey = s.slice(from, i);
    clfCacheDay = day;
    clfCacheMonth = month;
    clfCacheYear = year;
    clfCacheDays = days;
  }
  const hour = fixedDigits(s, i, 2);
  const minute = fixedDigits(s, i + 3, 2);
  const second = fixedDigits(s, i + 6, 2);
  if (hour < 0 || minute < 0 || second < 0 || s.charCodeAt(i + 2) !== 58 || s.charCodeAt(i + 5) !== 58) {
    return null;
  }
  i += 8;
  if (i > to || hour > 23 || minute > 59 || second > 60) {
    return null;
  }
  let millis = 0;
  if (i < to && (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44)) {
    const fe = skipDigits(s, i + 1, to);
    if (fe === i + 1) {
      return null;
    }
    millis = fractionMillis(s, i + 1, fe);
    i = fe;
  }
  while (i < to && s.charCodeAt(i) === 32) {
    i++;
  }
  const text = s.slice(from, to);
  if (i === to) {
    return { kind: 'local', year, month, day, hour, minute, second, millis, text };
  }
  const sign = s.charCodeAt(i);
  if (sign !== 43 && sign !== 45) {
    return null;
  }
  const oh = fixedDigits(s, i + 1, 2);
  let j = i + 3;
  if (s.charCodeAt(j) === 58) {
    j++;
  }
  const om = fixedDigits(s, j, 2);
  j += 2;
  while (j < to && s.charCodeAt(j) === 32) {
    j++;
  }
  if (oh < 0 || om < 0 || oh > 23 || om > 59 || j !== to) {
    return null;
  }
  // `-0000` is UTC: + 0 turns the -0 of a negated zero into 0 (JSON has no -0)
  const offsetMinutes = (sign === 45 ? -1 : 1) * (oh * 60 + om) + 0;
  return {
    kind: 'absolute',
    epochMs: (days * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60) * 1000 + millis,
    offsetMinutes,
    text,
  };
}

/*
 * One-entry memo of the last `dd/Mon/yyyy:` date prefix seen by parseClfTime. It only ever holds a
 * validated prefix and its derived values, so results do not depend on call order.
 */
let clfCacheKey = '';
let clfCacheDay = 0;
let clfCacheMonth = 0;
let clfCacheYear = 0;
let clfCacheDays = 0;

/**
 * Parses the error-log timestamp in `s[from, to)`: `Sun May 05 13:42:45 2010`, `Sun Aug  1 04:02:10 2004`,
 * `Sat Jul 20 21:34:49.453232 2013`, and the ISO-like `%{cu}t` form `2013-07-20 21:34:49.453232`.
 * Always `local` (the error log writes no zone).
 */
export function parseErrorTime(s: string, from: number, to: number): ParsedTime | null {
  const text = s.slice(from, to);
  let i = from;
  let year: number;
  let month: number;
  let day: number;
  if (isDigit(s.charCodeAt(i))) {
    year = fixedDigits(s, i, 4);
    month = fixedDigits(s, i + 5, 2);
    day = fixedDigits(s, i + 8, 2);
    if (year < 0 || month < 0 || day < 0 || s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45) {
      return null;
    }
    const sep = s.charCodeAt(i + 10);
    if (sep !== 32 && sep !== 84) {
      return null;
    }
    i += 11;
    const clock = readClock(s, i, to);
    if (clock === null || clock.end !== to) {
      return null;
    }
    return buildLocal(year, month, day, clock, text);
  }
  // Weekday: three letters and a space.
  for (let k = 0; k < 3; k++) {
    const c = s.charCodeAt(i + k) | 32;
    if (c < 97 || c > 122) {
      return null;
    }
  }
  if (s.charCodeAt(i + 3) !== 32) {
    return null;
  }
  month = monthAbbrev(s, i + 4);
  if (month === 0 || s.charCodeAt(i + 7) !== 32) {
    return null;
  }
  i += 8;
  while (s.charCodeAt(i) === 32 && i < to) {
    i++;
  }
  const de = skipDigits(s, i, to);
  if (de === i || de - i > 2 || s.charCodeAt(de) !== 32) {
    return null;
  }
  day = digitsValue(s, i, de) ?? 0;
  const clock = readClock(s, de + 1, to);
  if (clock === null || s.charCodeAt(clock.end) !== 32) {
    return null;
  }
  year = fixedDigits(s, clock.end + 1, 4);
  if (year < 0 || clock.end + 5 !== to) {
    return null;
  }
  return buildLocal(year, month, day, clock, text);
}

type Clock = { hour: number; minute: number; second: number; millis: number; end: number };

function readClock(s: string, i: number, to: number): Clock | null {
  const hour = fixedDigits(s, i, 2);
  const minute = fixedDigits(s, i + 3, 2);
  const second = fixedDigits(s, i + 6, 2);
  if (hour < 0 || minute < 0 || second < 0 || s.charCodeAt(i + 2) !== 58 || s.charCodeAt(i + 5) !== 58 || i + 8 > to) {
    return null;
  }
  let end = i + 8;
  let millis = 0;
  const c = s.charCodeAt(end);
  if ((c === 46 || c === 44) && end < to) {
    const fe = skipDigits(s, end + 1, to);
    if (fe === end + 1) {
      return null;
    }
    millis = fractionMillis(s, end + 1, fe);
    end = fe;
  }
  return { hour, minute, second, millis, end };
}

function buildLocal(year: number, month: number, day: number, c: Clock, text: string): ParsedTime | null {
  if (!validDateTime(year, month, day, c.hour, c.minute, c.second)) {
    return null;
  }
  return { kind: 'local', year, month, day, hour: c.hour, minute: c.minute, second: c.second, millis: c.millis, text };
}

/** Index of the next `"` at or after `from` that is not escaped by an odd run of backslashes; -1 if none. */
export function nextUnescapedQuote(s: string, from: number): number {
  let q = s.indexOf('"', from);
  while (q >= 0) {
    let bs = 0;
    let k = q - 1;
    while (k >= from && s.charCodeAt(k) === 92) {
      bs++;
      k--;
    }
    if ((bs & 1) === 0) {
      return q;
    }
    q = s.indexOf('"', q + 1);
  }
  return -1;
}

/**
 * End quote of a quoted field opened just before `from`: the first unescaped `"` followed by a space or
 * the end of the line (so an unescaped quote inside the value does not end it early); -1 when unterminated.
 */
export function quotedFieldEnd(s: string, from: number): number {
  let q = nextUnescapedQuote(s, from);
  while (q >= 0) {
    const n = q + 1;
    if (n === s.length || s.charCodeAt(n) === 32) {
      return q;
    }
    q = nextUnescapedQuote(s, n);
  }
  return -1;
}

export type RequestParts = {
  method: string | null;
  path: string | null;
  query: string | null;
  protocol: string | null;
};

/**
 * Splits a logged request line (`GET /a?b HTTP/1.1`) verbatim into `out` (no un-escaping, no decoding);
 * fields it cannot find are left untouched (callers pass nulls). `-` and the empty request give nothing;
 * a single word (e.g. TLS bytes sent to a plain port) gives no method. The protocol is the last word
 * when it starts with `HTTP/`; the URL may contain spaces.
 */
export function splitRequestInto(req: string, out: RequestParts): void {
  const len = req.length;
  const sp1 = req.indexOf(' ');
  if (sp1 <= 0) {
    return;
  }
  out.method = req.slice(0, sp1);
  let urlStart = sp1 + 1;
  while (urlStart < len && req.charCodeAt(urlStart) === 32) {
    urlStart++;
  }
  let urlEnd = len;
  const sp2 = req.lastIndexOf(' ');
  if (sp2 >= urlStart && req.startsWith('HTTP/', sp2 + 1)) {
    out.protocol = req.slice(sp2 + 1);
    urlEnd = sp2;
    while (urlEnd > urlStart && req.charCodeAt(urlEnd - 1) === 32) {
      urlEnd--;
    }
  }
  if (urlEnd <= urlStart) {
    return;
  }
  const qm = req.indexOf('?', urlStart);
  if (qm >= 0 && qm < urlEnd) {
    out.path = req.slice(urlStart, qm);
    out.query = req.slice(qm + 1, urlEnd);
  } else {
    out.path = req.slice(urlStart, urlEnd);
  }
}

/** `splitRequestInto` returning a new object. */
export function splitRequest(req: string): RequestParts {
  const out: RequestParts = { method: null, path: null, query: null, protocol: null };
  splitRequestInto(req, out);
  return out;
}

/** 5xx → error, 4xx → warn, anything else (including no status) → info. */
export function severityFromStatus(status: number | null): Severity {
  if (status === null) {
    return 'info';
  }
  if (status >= 500 && status <= 599) {
    return 'error';
  }
  if (status >= 400 && status <= 499) {
    return 'warn';
  }
  return 'info';
}

/** The event message of an HTTP request: the request line as logged, then the status in parentheses. */
export function requestMessage(request: string, status: number | null): string {
  return status === null ? request : `${request} (${status})`;
}

/**
 * mod_unique_id token: 19+ characters of its alphabet (`A-Z a-z 0-9 @ - _`, plus `+ / =` of older
 * builds), containing at least one letter. The callers apply their own minimum length.
 */
export function looksLikeUniqueId(s: string, minLength: number): boolean {
  if (s.length < minLength || s.length > 64) {
    return false;
  }
  let letters = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const lower = c | 32;
    if (lower >= 97 && lower <= 122) {
      letters++;
    } else if (!(isDigit(c) || c === 64 || c === 45 || c === 95 || c === 43 || c === 47 || c === 61)) {
      return false;
    }
  }
  return letters > 0;
}

/** Splits `host:port` (or `[v6]:port`); `port` is null when there is none or it is not a number. */
export function splitHostPort(s: string): { host: string; port: number | null } {
  if (s.charCodeAt(0) === 91) {
    const rb = s.indexOf(']');
    if (rb > 0) {
      const host = s.slice(1, rb);
      if (s.charCodeAt(rb + 1) === 58 && allDigits(s, rb + 2, s.length)) {
        return { host, port: digitsValue(s, rb + 2, s.length) };
      }
      return { host, port: null };
    }
    return { host: s, port: null };
  }
  const c = s.lastIndexOf(':');
  if (c > 0 && s.indexOf(':') === c && allDigits(s, c + 1, s.length)) {
    return { host: s.slice(0, c), port: digitsValue(s, c + 1, s.length) };
  }
  return { host: s, port: null };
}

/** `Foo-Bar.Baz` → `foo_bar_baz`: lower case, runs of other characters become one `_`, trimmed. */
export function snakeName(name: string): string {
  let out = '';
  let pendingSep = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const lower = c >= 65 && c <= 90 ? c | 32 : c;
    if ((lower >= 97 && lower <= 122) || isDigit(lower)) {
      if (pendingSep && out.length > 0) {
        out += '_';
      }
      pendingSep = false;
      out += String.fromCharCode(lower);
    } else {
      pendingSep = true;
    }
  }
  return out.length > 0 ? out : 'x';
}
