/**
 * Compiles an Apache `LogFormat` string (as pasted from the server configuration) into a line parser.
 *
 * Compilation turns the format into alternating literals and fields. Parsing walks the line once:
 * - self-delimiting fields (numbers, `%{strftime}t`, epoch times) read their own extent, then the
 *   following literal must match there;
 * - a field between two `"` literals ends at the first unescaped `"` where the following literal matches
 *   (backslash escapes are honoured, values are kept verbatim, not un-escaped);
 * - any other field ends at the next occurrence of the following literal (`indexOf`); when the next field
 *   is numeric, an occurrence not followed by a digit or `-` is skipped (one-step lookahead, no
 *   backtracking), so a space inside `%r` or `%u` does not derail the line;
 * - the last field, with no literal after it, takes the rest of the line; a quoted last field ends at
 *   the first closing quote followed by a space or the end of the line; text left after the final
 *   literal is kept in `extra.trailing`.
 * Two fields written with nothing between them (`%h%l`) are split at the first space (or, for a numeric
 * first field, after its digits; for `%U%q`, at the `?`).
 *
 * Field mapping: see `fieldFor`. `-` always means "absent". Keys under `extra` are stable snake_case
 * names (`req_header_user_agent`, `resp_header_content_type`, `env_https`, `cookie_session`, `note_x`).
 */
import type { HttpFields, LineParser, ParseResult, ParsedEvent, ParsedTime } from '../../../../shared/domain/parsed';
import {
  allDigits,
  digitsValue,
  epochMsOf,
  isDigit,
  isIp,
  monthAbbrev,
  nextUnescapedQuote,
  parseClfTime,
  requestMessage,
  severityFromStatus,
  skipDigits,
  snakeName,
  splitRequest,
  validDateTime,
  fractionMillis,
  daysInMonth,
} from './scan';

/** Apache's predefined nicknames (httpd.conf defaults), as written after config un-escaping. */
export const NAMED_LOG_FORMATS: Readonly<Record<'common' | 'combined' | 'vhost_combined' | 'referer' | 'agent', string>> = {
  common: '%h %l %u %t "%r" %>s %b',
  combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"',
  vhost_combined: '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
  referer: '%{Referer}i -> %U',
  agent: '%{User-agent}i',
};

export type CompileResult =
  | Readonly<{ ok: true; parser: LineParser; fields: string[] }>
  | Readonly<{ ok: false; error: string }>;

type Extra = Record<string, string | number | boolean | null>;

/** Mutable accumulator filled by the fields of one line. */
type Acc = {
  time: ParsedTime | null;
  fracMillis: number | null;
  h: string | null;
  a: string | null;
  user: string | null;
  pid: number | null;
  tid: number | null;
  srcPort: number | null;
  request: string | null;
  method: string | null;
  path: string | null;
  query: string | null;
  protocol: string | null;
  status: number | null;
  statusOriginal: number | null;
  bytes: number | null;
  bytesOut: number | null;
  referer: string | null;
  userAgent: string | null;
  vhost: string | null;
  serverName: string | null;
  durationUs: number | null;
  durationFromT: number | null;
  extra: Extra | null;
  timeCount: number;
};

function newAcc(): Acc {
  return {
    time: null,
    fracMillis: null,
    h: null,
    a: null,
    user: null,
    pid: null,
    tid: null,
    srcPort: null,
    request: null,
    method: null,
    path: null,
    query: null,
    protocol: null,
    status: null,
    statusOriginal: null,
    bytes: null,
    bytesOut: null,
    referer: null,
    userAgent: null,
    vhost: null,
    serverName: null,
    durationUs: null,
    durationFromT: null,
    extra: null,
    timeCount: 0,
  };
}

function setExtra(acc: Acc, key: string, value: string | number | null): void {
  if (value === null) {
    return;
  }
  const extra = (acc.extra ??= {});
  if (extra[key] === undefined) {
    extra[key] = value;
  }
}

function isDash(s: string): boolean {
  return s.length === 1 && s.charCodeAt(0) === 45;
}

/** How a field finds its end. */
type Extent = 'delimited' | 'number' | 'self';

type Field = {
  directive: string;
  /** Where the value goes, for `fields` (e.g. `srcIp`, `http.status`, `extra.req_header_host`). */
  target: string;
  extent: Extent;
  /** For `self` extents: returns the end index of the value starting at `pos`, or -1. */
  scan: ((line: string, pos: number) => number) | null;
  /** Stores the value; false when the value is invalid for the field. */
  apply: (acc: Acc, value: string) => boolean;
};

// ---------------------------------------------------------------------------------------------------
// Value helpers

function applyInt(set: (acc: Acc, v: number | null) => void): (acc: Acc, value: string) => boolean {
  return (acc, value) => {
    if (isDash(value)) {
      return true;
    }
    if (!allDigits(value, 0, value.length)) {
      return false;
    }
    set(acc, digitsValue(value, 0, value.length));
    return true;
  };
}

function applyStr(set: (acc: Acc, v: string) => void): (acc: Acc, value: string) => boolean {
  return (acc, value) => {
    if (!isDash(value) && value.length > 0) {
      set(acc, value);
    }
    return true;
  };
}

function extraStr(key: string): (acc: Acc, value: string) => boolean {
  return applyStr((acc, v) => setExtra(acc, key, v));
}

function extraInt(key: string): (acc: Acc, value: string) => boolean {
  return applyInt((acc, v) => setExtra(acc, key, v));
}

function scanNumber(line: string, pos: number): number {
  if (line.charCodeAt(pos) === 45) {
    return pos + 1;
  }
  const e = skipDigits(line, pos, line.length);
  return e === pos ? -1 : e;
}

function scanHex(line: string, pos: number): number {
  if (line.charCodeAt(pos) === 45) {
    return pos + 1;
  }
  let e = pos;
  for (;;) {
    const c = line.charCodeAt(e) | 32;
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) {
      e++;
    } else {
      break;
    }
  }
  return e === pos ? -1 : e;
}

function setTime(acc: Acc, t: ParsedTime | null, raw: string): void {
  acc.timeCount++;
  if (t !== null && acc.time === null) {
    acc.time = t;
  } else {
    setExtra(acc, `time_${acc.timeCount}`, raw);
  }
}

// ---------------------------------------------------------------------------------------------------
// strftime subset used in `%{format}t`

type TimeParts = {
  year: number | null;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  pm: number;
  offset: number | null;
  epoch: number | null;
  yday: number;
};

type Step = { lit: string; conv: string };

const FULL_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const SUPPORTED_CONV = 'aAbBhdemyYHIMSpzZjsTDFRrcxXnt%';

/** Expands composite conversions and splits a strftime format into steps; null when unsupported. */
function strftimeSteps(fmt: string): Step[] | null {
  const steps: Step[] = [];
  let lit = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i] ?? '';
    if (c !== '%') {
      lit += c;
      continue;
    }
    let conv = fmt[i + 1] ?? '';
    i++;
    if (conv === 'E' || conv === 'O') {
      conv = fmt[i + 1] ?? '';
      i++;
    }
    if (conv === '' || SUPPORTED_CONV.indexOf(conv) < 0) {
      return null;
    }
    const expanded: Record<string, string> = {
      T: '%H:%M:%S',
      D: '%m/%d/%y',
      F: '%Y-%m-%d',
      R: '%H:%M',
      r: '%I:%M:%S %p',
      c: '%a %b %e %H:%M:%S %Y',
      x: '%m/%d/%y',
      X: '%H:%M:%S',
    };
    const exp = expanded[conv];
    if (exp !== undefined) {
      const inner = strftimeSteps(exp);
      if (inner === null) {
        return null;
      }
      if (lit.length > 0) {
        steps.push({ lit, conv: '' });
        lit = '';
      }
      steps.push(...inner);
      continue;
    }
    if (conv === '%') {
      lit += '%';
      continue;
    }
    if (conv === 'n' || conv === 't') {
      lit += conv === 'n' ? '\n' : '\t';
      continue;
    }
    if (lit.length > 0) {
      steps.push({ lit, conv: '' });
      lit = '';
    }
    steps.push({ lit: '', conv });
  }
  if (lit.length > 0) {
    steps.push({ lit, conv: '' });
  }
  return steps;
}

function letterRun(line: string, pos: number): number {
  let e = pos;
  for (;;) {
    const c = line.charCodeAt(e) | 32;
    if (c >= 97 && c <= 122) {
      e++;
    } else {
      return e;
    }
  }
}

/** Reads 1..max digits at pos (after optional leading spaces when `pad`); returns [value, end] or null. */
function readNum(line: string, pos: number, max: number, pad: boolean): [number, number] | null {
  let p = pos;
  if (pad) {
    while (line.charCodeAt(p) === 32 && p - pos < max - 1) {
      p++;
    }
  }
  let e = p;
  while (e - p < max && isDigit(line.charCodeAt(e))) {
    e++;
  }
  if (e === p) {
    return null;
  }
  return [digitsValue(line, p, e) ?? 0, e];
}

/** Runs the steps over the line from pos; returns the end index, filling `out`, or -1. */
function runSteps(steps: Step[], line: string, pos: number, out: TimeParts): number {
  let p = pos;
  for (const st of steps) {
    if (st.conv === '') {
      if (!line.startsWith(st.lit, p)) {
        return -1;
      }
      p += st.lit.length;
      continue;
    }
    let r: [number, number] | null;
    switch (st.conv) {
      case 'Y': {
        let sign = 1;
        if (line.charCodeAt(p) === 45) {
          sign = -1;
          p++;
        }
        r = readNum(line, p, 4, false);
        if (r === null) {
          return -1;
        }
        out.year = sign * r[0];
        break;
      }
      case 'y':
        r = readNum(line, p, 2, false);
        if (r === null) {
          return -1;
        }
        out.year = r[0] < 69 ? 2000 + r[0] : 1900 + r[0];
        break;
      case 'm':
        r = readNum(line, p, 2, true);
        if (r === null) {
          return -1;
        }
        out.month = r[0];
        break;
      case 'd':
      case 'e':
        r = readNum(line, p, 2, true);
        if (r === null) {
          return -1;
        }
        out.day = r[0];
        break;
      case 'H':
      case 'I':
        r = readNum(line, p, 2, true);
        if (r === null) {
          return -1;
        }
        out.hour = r[0];
        break;
      case 'M':
        r = readNum(line, p, 2, true);
        if (r === null) {
          return -1;
        }
        out.minute = r[0];
        break;
      case 'S':
        r = readNum(line, p, 2, true);
        if (r === null) {
          return -1;
        }
        out.second = r[0];
        break;
      case 'j':
        r = readNum(line, p, 3, true);
        if (r === null) {
          return -1;
        }
        out.yday = r[0];
        break;
      case 's': {
        let e = p;
        if (line.charCodeAt(e) === 45) {
          e++;
        }
        const de = skipDigits(line, e, line.length);
        if (de === e || de - e > 15) {
          return -1;
        }
        out.epoch = (e > p ? -1 : 1) * (digitsValue(line, e, de) ?? 0) + 0; // + 0: no -0
        p = de;
        continue;
      }
      case 'b':
      case 'h': {
        const m = monthAbbrev(line, p);
        if (m === 0) {
          return -1;
        }
        out.month = m;
        p += 3;
        continue;
      }
      case 'B': {
        const e = letterRun(line, p);
        const name = line.slice(p, e).toLowerCase();
        const m = FULL_MONTHS.indexOf(name);
        if (m < 0) {
          return -1;
        }
        out.month = m + 1;
        p = e;
        continue;
      }
      case 'a':
      case 'A':
      case 'Z': {
        const e = letterRun(line, p);
        if (e === p) {
          return -1;
        }
        p = e;
        continue;
      }
      case 'p': {
        const c0 = line.charCodeAt(p) | 32;
        const c1 = line.charCodeAt(p + 1) | 32;
        if ((c0 !== 97 && c0 !== 112) || c1 !== 109) {
          return -1;
        }
        out.pm = c0 === 112 ? 1 : 0;
        p += 2;
        continue;
      }
      case 'z': {
        const c = line.charCodeAt(p);
        if (c === 90) {
          out.offset = 0;
          p++;
          continue;
        }
        if (c !== 43 && c !== 45) {
          return -1;
        }
        if (!allDigits(line, p + 1, p + 3)) {
          return -1;
        }
        const oh = digitsValue(line, p + 1, p + 3) ?? 0;
        let q = p + 3;
        if (line.charCodeAt(q) === 58) {
          q++;
        }
        if (!allDigits(line, q, q + 2)) {
          return -1;
        }
        const om = digitsValue(line, q, q + 2) ?? 0;
        if (oh > 23 || om > 59) {
          return -1;
        }
        // `-0000` is UTC: + 0 turns the -0 of a negated zero into 0 (JSON has no -0)
        out.offset = (c === 45 ? -1 : 1) * (oh * 60 + om) + 0;
        p = q + 2;
        continue;
      }
      default:
        return -1;
    }
    p = r[1];
  }
  return p;
}

type TimeField = { scan: (line: string, pos: number) => number; apply: (acc: Acc, value: string) => boolean };

/** Builds the scanner/applier pair of a `%{format}t` field; null when the format is not supported. */
function strftimeField(fmt: string): TimeField | null {
  const steps = strftimeSteps(fmt);
  if (steps === null || steps.length === 0) {
    return null;
  }
  const hasPm = steps.some((s) => s.conv === 'p');
  const parts = (): TimeParts => ({
    year: null,
    month: 0,
    day: 0,
    hour: 0,
    minute: 0,
    second: 0,
    pm: -1,
    offset: null,
    epoch: null,
    yday: 0,
  });
  return {
    scan: (line, pos) => runSteps(steps, line, pos, parts()),
    apply: (acc, value) => {
      if (isDash(value)) {
        return true;
      }
      const t = parts();
      if (runSteps(steps, value, 0, t) !== value.length) {
        return false;
      }
      setTime(acc, timeFromParts(t, value, hasPm), value);
      return true;
    },
  };
}

function timeFromParts(t: TimeParts, text: string, hasPm: boolean): ParsedTime | null {
  if (t.epoch !== null) {
    return { kind: 'absolute', epochMs: t.epoch * 1000, offsetMinutes: null, text };
  }
  let hour = t.hour;
  if (hasPm && t.pm >= 0) {
    if (hour < 1 || hour > 12) {
      return null;
    }
    hour = (hour % 12) + (t.pm === 1 ? 12 : 0);
  }
  let month = t.month;
  let day = t.day;
  if (month === 0 && day === 0 && t.yday > 0 && t.year !== null) {
    // Day of the year → month/day.
    let rest = t.yday;
    month = 1;
    while (month < 12 && rest > daysInMonth(t.year, month)) {
      rest -= daysInMonth(t.year, month);
      month++;
    }
    day = rest;
  }
  const y = t.year ?? 2000;
  if (!validDateTime(y, month, day, hour, t.minute, t.second)) {
    return null;
  }
  if (t.offset !== null && t.year !== null) {
    return {
      kind: 'absolute',
      epochMs: epochMsOf(t.year, month, day, hour, t.minute, t.second, 0, t.offset),
      offsetMinutes: t.offset,
      text,
    };
  }
  return { kind: 'local', year: t.year, month, day, hour, minute: t.minute, second: t.second, millis: 0, text };
}

// ---------------------------------------------------------------------------------------------------
// Directive → field

function headerTarget(prefix: string, name: string): string {
  return `${prefix}${snakeName(name)}`;
}

/** Describes the field of one directive (`letter`, optional `{param}`, `<`/`>` modifier). */
function fieldFor(directive: string, letter: string, param: string | null, modifier: string): Field | null {
  const delimited = (target: string, apply: Field['apply']): Field => ({ directive, target, extent: 'delimited', scan: null, apply });
  const numeric = (target: string, apply: Field['apply']): Field => ({ directive, target, extent: 'number', scan: scanNumber, apply });
  const p = param ?? '';
  const pl = p.toLowerCase();
  switch (letter) {
    case 'h':
      return delimited('srcIp', applyStr((acc, v) => (acc.h = v)));
    case 'a':
      if (pl === 'c') {
        return delimited('extra.peer_ip', extraStr('peer_ip'));
      }
      return delimited('srcIp', applyStr((acc, v) => (acc.a = v)));
    case 'A':
      return delimited('extra.local_ip', extraStr('local_ip'));
    case 'b':
    case 'B':
      return numeric('http.bytes', applyInt((acc, v) => (acc.bytes ??= v)));
    case 'O':
      return numeric('extra.bytes_out', applyInt((acc, v) => {
        acc.bytesOut ??= v;
        setExtra(acc, 'bytes_out', v);
      }));
    case 'I':
      return numeric('extra.bytes_in', extraInt('bytes_in'));
    case 'S':
      return numeric('extra.bytes_transferred', extraInt('bytes_transferred'));
    case 'C':
      return delimited(`extra.${headerTarget('cookie_', p)}`, extraStr(headerTarget('cookie_', p)));
    case 'D':
      return numeric('http.durationUs', applyInt((acc, v) => (acc.durationUs ??= v)));
    case 'T': {
      const mult = pl === 'ms' ? 1000 : pl === 'us' ? 1 : 1_000_000;
      return numeric('http.durationUs', applyInt((acc, v) => (acc.durationFromT ??= v === null ? null : v * mult)));
    }
    case 'e':
      if (pl === 'unique_id') {
        return delimited('extra.unique_id', extraStr('unique_id'));
      }
      return delimited(`extra.${headerTarget('env_', p)}`, extraStr(headerTarget('env_', p)));
    case 'f':
      return delimited('extra.filename', extraStr('filename'));
    case 'H':
      return delimited('http.protocol', applyStr((acc, v) => (acc.protocol = v)));
    case 'i':
      if (pl === 'referer' || pl === 'referrer') {
        return delimited('http.referer', applyStr((acc, v) => (acc.referer ??= v)));
      }
      if (pl === 'user-agent') {
        return delimited('http.userAgent', applyStr((acc, v) => (acc.userAgent ??= v)));
      }
      if (pl === 'x-forwarded-for') {
        return delimited('extra.xff', extraStr('xff'));
      }
      return delimited(`extra.${headerTarget('req_header_', p)}`, extraStr(headerTarget('req_header_', p)));
    case 'k':
      return numeric('extra.keepalive_requests', extraInt('keepalive_requests'));
    case 'l':
      return delimited('extra.ident', extraStr('ident'));
    case 'L':
      return delimited('extra.log_id', extraStr('log_id'));
    case 'm':
      return delimited('http.method', applyStr((acc, v) => (acc.method = v)));
    case 'n':
      return delimited(`extra.${headerTarget('note_', p)}`, extraStr(headerTarget('note_', p)));
    case 'o':
      return delimited(`extra.${headerTarget('resp_header_', p)}`, extraStr(headerTarget('resp_header_', p)));
    case 'p':
      if (pl === 'remote') {
        return numeric('srcPort', applyInt((acc, v) => (acc.srcPort = v)));
      }
      if (pl === 'local') {
        return numeric('extra.local_port', extraInt('local_port'));
      }
      return numeric('extra.server_port', extraInt('server_port'));
    case 'P':
      if (pl === 'tid') {
        return numeric('tid', applyInt((acc, v) => (acc.tid = v)));
      }
      if (pl === 'hextid') {
        return {
          directive,
          target: 'tid',
          extent: 'self',
          scan: scanHex,
          apply: (acc, v) => {
            if (!isDash(v)) {
              const n = Number.parseInt(v, 16);
              acc.tid = Number.isSafeInteger(n) ? n : null;
            }
            return true;
          },
        };
      }
      return numeric('pid', applyInt((acc, v) => (acc.pid = v)));
    case 'q':
      return delimited('http.query', applyStr((acc, v) => (acc.query = v.charCodeAt(0) === 63 ? v.slice(1) : v)));
    case 'r':
      return delimited('http.request', (acc, v) => {
        acc.request = v;
        return true;
      });
    case 'R':
      return delimited('extra.handler', extraStr('handler'));
    case 's':
      if (modifier === '>') {
        return numeric('http.status', applyInt((acc, v) => (acc.status = v)));
      }
      return numeric('http.status', applyInt((acc, v) => (acc.statusOriginal = v)));
    case 't':
      return timeFieldFor(directive, p);
    case 'u':
      return delimited('user', applyStr((acc, v) => (acc.user = v)));
    case 'U':
      return delimited('http.path', applyStr((acc, v) => (acc.path = v)));
    case 'v':
      return delimited('http.vhost', applyStr((acc, v) => (acc.vhost = v)));
    case 'V':
      return delimited('http.vhost', applyStr((acc, v) => (acc.serverName = v)));
    case 'X':
      return delimited('extra.conn_status', extraStr('conn_status'));
    case '^ti':
      return delimited(`extra.${headerTarget('req_trailer_', p)}`, extraStr(headerTarget('req_trailer_', p)));
    case '^to':
      return delimited(`extra.${headerTarget('resp_trailer_', p)}`, extraStr(headerTarget('resp_trailer_', p)));
    default: {
      const key = param === null ? `field_${snakeName(letter)}` : `field_${snakeName(letter)}_${snakeName(param)}`;
      return delimited(`extra.${key}`, extraStr(key));
    }
  }
}

/** `%t` is handled at compile time (brackets become literals); this covers `%{...}t`. */
function timeFieldFor(directive: string, param: string): Field {
  let fmt = param;
  if (fmt.startsWith('begin:')) {
    fmt = fmt.slice(6);
  } else if (fmt.startsWith('end:')) {
    fmt = fmt.slice(4);
  }
  if (fmt === '') {
    return {
      directive,
      target: 'time',
      extent: 'delimited',
      scan: null,
      apply: (acc, v) => {
        if (!isDash(v)) {
          setTime(acc, parseClfTime(v, 0, v.length), v);
        }
        return true;
      },
    };
  }
  if (fmt === 'sec' || fmt === 'msec' || fmt === 'usec') {
    const div = fmt === 'sec' ? 1 / 1000 : fmt === 'msec' ? 1 : 1000;
    return {
      directive,
      target: 'time',
      extent: 'number',
      scan: scanNumber,
      apply: (acc, v) => {
        if (isDash(v)) {
          return true;
        }
        if (!allDigits(v, 0, v.length) || v.length > 16) {
          return false;
        }
        const n = Number(v);
        setTime(acc, { kind: 'absolute', epochMs: n / div, offsetMinutes: null, text: v }, v);
        return true;
      },
    };
  }
  if (fmt === 'msec_frac' || fmt === 'usec_frac') {
    return {
      directive,
      target: 'time',
      extent: 'number',
      scan: scanNumber,
      apply: (acc, v) => {
        if (isDash(v)) {
          return true;
        }
        if (!allDigits(v, 0, v.length)) {
          return false;
        }
        acc.fracMillis ??= fractionMillis(v, 0, v.length);
        return true;
      },
    };
  }
  const tf = strftimeField(fmt);
  if (tf === null) {
    const key = `time_text_${snakeName(fmt)}`;
    return { directive, target: `extra.${key}`, extent: 'delimited', scan: null, apply: extraStr(key) };
  }
  return { directive, target: 'time', extent: 'self', scan: tf.scan, apply: tf.apply };
}

// ---------------------------------------------------------------------------------------------------
// Format text → tokens

/** Strips `LogFormat`/`CustomLog` and surrounding quotes; undoes the config-level `\"` escape. */
function normaliseFormat(input: string): string {
  let s = input.trim();
  const lower = s.toLowerCase();
  let directive: 'logformat' | 'customlog' | null = null;
  if (lower.startsWith('logformat') && /^\s/.test(s.slice(9, 10))) {
    directive = 'logformat';
    s = s.slice(9).trim();
  } else if (lower.startsWith('customlog') && /^\s/.test(s.slice(9, 10))) {
    directive = 'customlog';
    s = s.slice(9).trim();
    // Skip the log file / pipe argument.
    if (s.startsWith('"')) {
      const q = nextUnescapedQuote(s, 1);
      s = q < 0 ? '' : s.slice(q + 1).trim();
    } else {
      const sp = s.search(/\s/);
      s = sp < 0 ? '' : s.slice(sp).trim();
    }
  }
  if (s.startsWith('"')) {
    // Config quoting (`"..."` optionally followed by a nickname or `env=`), unless what follows the
    // closing quote still holds directives: then the format itself starts with a literal quote.
    const q = nextUnescapedQuote(s, 1);
    if (q < 0) {
      s = s.slice(1);
    } else if (directive !== null || s.indexOf('%', q + 1) < 0) {
      s = s.slice(1, q);
    }
  } else if (directive !== null) {
    // `CustomLog file combined`: a nickname.
    const sp = s.search(/\s/);
    s = sp < 0 ? s : s.slice(0, sp);
  }
  const named = (NAMED_LOG_FORMATS as Readonly<Record<string, string>>)[s];
  if (named !== undefined) {
    return named;
  }
  return s.split('\\"').join('"');
}

/** mod_log_config's own escapes in literal text: `\\`, `\n`, `\r`, `\t`; any other backslash stays. */
function literalChar(fmt: string, i: number): [string, number] {
  const c = fmt[i] ?? '';
  if (c !== '\\') {
    return [c, i + 1];
  }
  const n = fmt[i + 1];
  switch (n) {
    case '\\':
      return ['\\', i + 2];
    case 'n':
      return ['\n', i + 2];
    case 'r':
      return ['\r', i + 2];
    case 't':
      return ['\t', i + 2];
    default:
      return ['\\', i + 1];
  }
}

type Compiled = { lits: string[]; fields: Field[]; hasBytes: boolean };

function tokenize(fmt: string): Compiled | string {
  const lits: string[] = [];
  const fields: Field[] = [];
  let lit = '';
  let i = 0;
  const n = fmt.length;
  const pushField = (f: Field): void => {
    lits.push(lit);
    lit = '';
    fields.push(f);
  };
  while (i < n) {
    if (fmt[i] !== '%') {
      const [ch, next] = literalChar(fmt, i);
      lit += ch;
      i = next;
      continue;
    }
    const start = i;
    i++;
    if (i >= n) {
      return `dangling % at column ${start + 1}`;
    }
    if (fmt[i] === '%') {
      lit += '%';
      i++;
      continue;
    }
    let param: string | null = null;
    let modifier = '';
    for (;;) {
      const c = fmt[i] ?? '';
      if (c === '!' || c === ',' || (c >= '0' && c <= '9')) {
        i++;
      } else if (c === '<' || c === '>') {
        modifier = c;
        i++;
      } else if (c === '{') {
        const close = fmt.indexOf('}', i + 1);
        if (close < 0) {
          return `unterminated { in directive at column ${start + 1}`;
        }
        param = fmt.slice(i + 1, close);
        i = close + 1;
      } else {
        break;
      }
    }
    if (i >= n) {
      return `incomplete directive at column ${start + 1}`;
    }
    let letter = fmt[i] ?? '';
    if (letter === '^') {
      letter = fmt.slice(i, i + 3);
      i += 3;
      if (letter !== '^ti' && letter !== '^to') {
        return `unknown directive %${param === null ? '' : `{${param}}`}${letter} at column ${start + 1}`;
      }
    } else {
      const cc = letter.charCodeAt(0) | 32;
      if (cc < 97 || cc > 122) {
        return `invalid directive character '${letter}' at column ${start + 1}`;
      }
      i++;
    }
    const directive = fmt.slice(start, i);
    if (letter === 't' && (param === null || param === '' || param === 'begin:' || param === 'end:')) {
      // `%t`: `[10/Oct/2000:13:55:36 -0700]`, the brackets are part of the output.
      lit += '[';
      pushField(timeFieldFor(directive, ''));
      lit = ']';
      continue;
    }
    const f = fieldFor(directive, letter, param, modifier);
    if (f === null) {
      return `unsupported directive ${directive}`;
    }
    pushField(f);
  }
  lits.push(lit);
  if (fields.length === 0) {
    return 'the format has no % directives';
  }
  return { lits, fields, hasBytes: fields.some((f) => f.target === 'http.bytes') };
}

// ---------------------------------------------------------------------------------------------------
// The compiled parser

/** Can the field start at `pos` (cheap check used to skip wrong literal occurrences)? */
function canStart(f: Field | undefined, line: string, pos: number): boolean {
  if (f === undefined || f.extent === 'delimited') {
    return true;
  }
  if (f.extent === 'number') {
    const c = line.charCodeAt(pos);
    return isDigit(c) || c === 45;
  }
  return true;
}

function makeParser(c: Compiled): LineParser {
  const { lits, fields, hasBytes } = c;
  const nf = fields.length;
  const first = lits[0] ?? '';
  const quoted: boolean[] = fields.map((_, i) => (lits[i] ?? '').endsWith('"') && (lits[i + 1] ?? '').startsWith('"'));
  return (line: string): ParseResult => {
    const len = line.length;
    if (!line.startsWith(first, 0)) {
      return { ok: false, reason: `line does not start with ${JSON.stringify(first)}` };
    }
    let pos = first.length;
    const acc = newAcc();
    for (let i = 0; i < nf; i++) {
      const f = fields[i];
      if (f === undefined) {
        break;
      }
      const next = lits[i + 1] ?? '';
      const nextField = fields[i + 1];
      const isLast = i === nf - 1;
      let end: number;
      if (f.extent !== 'delimited') {
        end = f.scan === null ? -1 : f.scan(line, pos);
        if (end < 0) {
          return { ok: false, reason: `bad value for ${f.directive} at column ${pos + 1}` };
        }
        if (next.length > 0 && !line.startsWith(next, end)) {
          return {
            ok: false,
            reason: end >= len ? `truncated after ${f.directive}` : `expected ${JSON.stringify(next)} after ${f.directive} at column ${end + 1}`,
          };
        }
      } else if (next.length === 0) {
        if (isLast) {
          end = len;
        } else {
          end = line.indexOf(' ', pos);
          if (end < 0) {
            end = len;
          }
          if (nextField !== undefined && nextField.target === 'http.query') {
            // `%U%q`: the query string (with its `?`) follows the path directly.
            const qm = line.indexOf('?', pos);
            end = qm >= 0 && qm < end ? qm : end;
          }
        }
      } else if (quoted[i] === true) {
        end = -1;
        let fallback = -1;
        let q = nextUnescapedQuote(line, pos);
        while (q >= 0) {
          if (line.startsWith(next, q) && canStart(nextField, line, q + next.length)) {
            const after = q + next.length;
            if (!isLast || after === len || line.charCodeAt(after) === 32) {
              end = q;
              break;
            }
            if (fallback < 0) {
              fallback = q;
            }
          }
          q = nextUnescapedQuote(line, q + 1);
        }
        if (end < 0) {
          end = fallback;
        }
        if (end < 0) {
          return { ok: false, reason: `truncated: unterminated quoted ${f.directive}` };
        }
      } else {
        end = line.indexOf(next, pos);
        while (end >= 0 && !canStart(nextField, line, end + next.length)) {
          end = line.indexOf(next, end + 1);
        }
        if (end < 0) {
          return { ok: false, reason: `truncated: expected ${JSON.stringify(next)} after ${f.directive}` };
        }
      }
      if (!f.apply(acc, line.slice(pos, end))) {
        return { ok: false, reason: `bad value for ${f.directive} at column ${pos + 1}` };
      }
      pos = end + next.length;
    }
    if (pos < len) {
      setExtra(acc, 'trailing', line.slice(pos));
    }
    return { ok: true, event: finish(acc, line, hasBytes) };
  };
}

/** Builds the event; `%O` stands in for the body bytes only when the format has no `%b`/`%B`. */
function finish(acc: Acc, line: string, hasBytes: boolean): ParsedEvent {
  let time = acc.time;
  if (time !== null && acc.fracMillis !== null) {
    time =
      time.kind === 'local'
        ? time.millis === 0
          ? { ...time, millis: acc.fracMillis }
          : time
        : time.kind === 'absolute' && time.offsetMinutes !== null && time.epochMs % 1000 === 0
          ? { ...time, epochMs: time.epochMs + acc.fracMillis }
          : time;
  }
  let srcIp: string | null = null;
  if (acc.a !== null && isIp(acc.a)) {
    srcIp = acc.a;
  } else if (acc.h !== null && isIp(acc.h)) {
    srcIp = acc.h;
  }
  if (acc.h !== null && acc.h !== srcIp) {
    setExtra(acc, 'client_host', acc.h);
  }
  if (acc.a !== null && acc.a !== srcIp) {
    setExtra(acc, 'client_addr', acc.a);
  }
  let method = acc.method;
  let path = acc.path;
  let query = acc.query;
  let protocol = acc.protocol;
  if (acc.request !== null) {
    const r = splitRequest(acc.request);
    method ??= r.method;
    path ??= r.path;
    query ??= r.query;
    protocol ??= r.protocol;
  }
  let vhost = acc.vhost;
  if (acc.serverName !== null) {
    if (vhost === null) {
      vhost = acc.serverName;
    } else if (acc.serverName !== vhost) {
      setExtra(acc, 'server_name', acc.serverName);
    }
  }
  let status = acc.status;
  if (status === null) {
    status = acc.statusOriginal;
  } else if (acc.statusOriginal !== null && acc.statusOriginal !== status) {
    setExtra(acc, 'status_original', acc.statusOriginal);
  }
  const hasHttp =
    acc.request !== null ||
    method !== null ||
    path !== null ||
    status !== null ||
    acc.bytes !== null ||
    acc.referer !== null ||
    acc.userAgent !== null ||
    vhost !== null ||
    protocol !== null ||
    query !== null ||
    acc.bytesOut !== null ||
    acc.durationUs !== null ||
    acc.durationFromT !== null;
  const http: HttpFields | null = hasHttp
    ? {
        method,
        path,
        query,
        protocol,
        status,
        bytes: hasBytes ? acc.bytes : acc.bytesOut,
        referer: acc.referer,
        userAgent: acc.userAgent,
        vhost,
        durationUs: acc.durationUs ?? acc.durationFromT,
      }
    : null;
  let message: string;
  if (acc.request !== null) {
    message = requestMessage(acc.request.length === 0 ? '-' : acc.request, status);
  } else if (method !== null || path !== null) {
    const parts: string[] = [];
    if (method !== null) {
      parts.push(method);
    }
    if (path !== null) {
      parts.push(query === null ? path : `${path}?${query}`);
    }
    if (protocol !== null) {
      parts.push(protocol);
    }
    message = requestMessage(parts.join(' '), status);
  } else {
    message = line;
  }
  return {
    kind: 'http_request',
    time,
    host: null,
    program: null,
    pid: acc.pid,
    tid: acc.tid,
    severity: severityFromStatus(status),
    srcIp,
    srcPort: acc.srcPort,
    user: acc.user,
    message,
    http,
    extra: acc.extra ?? {},
  };
}

/**
 * Compiles an Apache `LogFormat` (or a whole `LogFormat "..." nick` / `CustomLog file "..."` line, or a
 * nickname such as `combined`) into a line parser. Never throws; the parser never throws either.
 */
export function compileLogFormat(format: string): CompileResult {
  const fmt = normaliseFormat(format);
  if (fmt.length === 0) {
    return { ok: false, error: 'empty format' };
  }
  const tokens = tokenize(fmt);
  if (typeof tokens === 'string') {
    return { ok: false, error: tokens };
  }
  return { ok: true, parser: makeParser(tokens), fields: tokens.fields.map((f) => f.target) };
}
