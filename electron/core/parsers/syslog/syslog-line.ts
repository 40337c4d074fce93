/**
 * Syslog line parser: RFC 3164 (BSD), RFC 5424, rsyslog high-precision ISO 8601, and the usual real-world
 * variants (FreeBSD `-v`/`-vv` `<4.3>`/`<auth.info>` tags, host-less lines, `[stamp]` brackets, ChromeOS
 * severity column, macOS `<Level>`, Solaris `[ID n fac.sev]`, kernel `[  970.69]` uptime prefixes,
 * `last message repeated N times`, French/German month names).
 *
 * The header is scanned with indexOf/charCodeAt (syslog lines are the bulk of auth/syslog ingest); program
 * specific enrichment (auth.ts) runs after a cheap switch on the program name.
 *
 * Time: 3164 stamps are `local` with `year: null`; ISO stamps with an offset are `absolute`; ISO stamps
 * without one are `local` with their year; `UTC`/`GMT` after the stamp mean offset 0. A structurally valid
 * but impossible stamp (e.g. `0000-12-30 00:00:00`) gives an event with `time: null` and
 * `extra.time_invalid` holding the text. Parsing never throws.
 */
import { SEVERITIES, type ParseResult, type ParsedEvent, type ParsedTime, type Severity } from '../../../../shared/domain/parsed';
import { digitsAt, isDigit, isoAt, readUint, syslogStampAt } from '../text/datetime';
import { genericRemoteIp } from './address';
import { type ExtraBag, MAX_ENRICH_LENGTH, enrichAuthMessage } from './auth';

const SP = 32;
const TAB = 9;
const COLON = 58;
const LT = 60;
const LBR = 91;
const RBR = 93;
const LPAR = 40;
const RPAR = 41;
const DASH = 45;

export const FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'solaris-cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
] as const;

const SEVERITY_NAMES = new Map<string, Severity>([
  ['emerg', 'emerg'],
  ['panic', 'emerg'],
  ['alert', 'alert'],
  ['crit', 'crit'],
  ['critical', 'crit'],
  ['err', 'error'],
  ['error', 'error'],
  ['warning', 'warn'],
  ['warn', 'warn'],
  ['notice', 'notice'],
  ['info', 'info'],
  ['informational', 'info'],
  ['debug', 'debug'],
]);

/** Upper-case level words that ChromeOS writes where the host name would be. */
const CHROMEOS_LEVELS = new Set(['EMERG', 'ALERT', 'CRIT', 'ERR', 'ERROR', 'WARNING', 'WARN', 'NOTICE', 'INFO', 'DEBUG']);

type MutableEvent = { -readonly [K in keyof ParsedEvent]: ParsedEvent[K] } & { extra: ExtraBag };

function newEvent(): MutableEvent {
  return {
    kind: 'syslog',
    time: null,
    host: null,
    program: null,
    pid: null,
    tid: null,
    severity: null,
    srcIp: null,
    srcPort: null,
    user: null,
    message: '',
    http: null,
    extra: {},
  };
}

function fail(reason: string): ParseResult {
  return { ok: false, reason };
}

function skipSpaces(s: string, p: number): number {
  let c = s.charCodeAt(p);
  while (c === SP || c === TAB) {
    p++;
    c = s.charCodeAt(p);
  }
  return p;
}

function tokenEnd(s: string, p: number): number {
  while (p < s.length) {
    const c = s.charCodeAt(p);
    if (c === SP || c === TAB) {
      break;
    }
    p++;
  }
  return p;
}

function severityFromName(name: string): Severity | null {
  return SEVERITY_NAMES.get(name.toLowerCase()) ?? null;
}

type Angle =
  | { kind: 'pri'; pri: number; end: number }
  | { kind: 'facsev'; facility: string | null; severity: Severity | null; end: number }
  | null;

/** `<34>` (PRI 0-191), `<4.3>` (FreeBSD -v) or `<auth.info>` (FreeBSD -vv) at `p`; null when malformed. */
function readAngle(s: string, p: number): Angle {
  const close = s.indexOf('>', p + 1);
  if (close < 0 || close - p > 24) {
    return null;
  }
  const inner = s.slice(p + 1, close);
  if (inner.length >= 1 && inner.length <= 3 && digitsAt(inner, 0, inner.length) >= 0) {
    const pri = Number(inner);
    return pri <= 191 && !(inner.length > 1 && inner.charCodeAt(0) === 48) ? { kind: 'pri', pri, end: close + 1 } : null;
  }
  const dot = inner.indexOf('.');
  if (dot <= 0 || dot === inner.length - 1) {
    return null;
  }
  const fac = inner.slice(0, dot);
  const sev = inner.slice(dot + 1);
  if (digitsAt(fac, 0, fac.length) >= 0 && digitsAt(sev, 0, sev.length) >= 0) {
    const f = Number(fac);
    const v = Number(sev);
    if (v > 7 || f > 23) {
      return null;
    }
    return { kind: 'facsev', facility: FACILITIES[f] ?? null, severity: SEVERITIES[v] ?? null, end: close + 1 };
  }
  if (!/^[a-z0-9-]{1,16}$/i.test(fac) || !/^[a-z]{1,16}$/i.test(sev)) {
    return null;
  }
  return { kind: 'facsev', facility: fac.toLowerCase(), severity: severityFromName(sev), end: close + 1 };
}

function applyPri(ev: MutableEvent, pri: number): void {
  ev.severity = SEVERITIES[pri & 7] ?? null;
  ev.extra['pri'] = pri;
  ev.extra['facility'] = FACILITIES[pri >> 3] ?? null;
}

/** End of a `dddd-dd-dd[T ]dd:dd:dd` shape at `p` (whatever the values), or -1. */
function isoShapeEnd(s: string, p: number): number {
  const shape = 'dddd-dd-dd?dd:dd:dd';
  for (let i = 0; i < shape.length; i++) {
    const c = s.charCodeAt(p + i);
    const want = shape[i];
    if (want === 'd' ? !isDigit(c) : want === '?' ? !(c === SP || c === 84) : c !== want?.charCodeAt(0)) {
      return -1;
    }
  }
  return p + shape.length;
}

type Program = {
  name: string;
  tag: string | null;
  pid: number | null;
  level: string | null;
  /** true when the token is unmistakably a program: had `:`, `[pid]`, `(tag)` or `[name]`. */
  explicit: boolean;
  colon: boolean;
  end: number;
};

/** Reads `name[(tag)][[pid]][ <Level>][:]` or `[name][[pid]][:]` at `p`. */
function readProgram(s: string, p: number): Program | null {
  const n = s.length;
  let i = p;
  let name: string;
  let explicit = false;
  if (s.charCodeAt(i) === LBR) {
    let close = i + 1;
    while (close < n && close - i <= 64) {
      const c = s.charCodeAt(close);
      if (c === RBR || c === SP || c === TAB) {
        break;
      }
      close++;
    }
    if (s.charCodeAt(close) !== RBR || close === i + 1) {
      return null;
    }
    name = s.slice(i + 1, close);
    i = close + 1;
    explicit = true;
  } else {
    const start = i;
    while (i < n && i - start < 128) {
      const c = s.charCodeAt(i);
      if (c === SP || c === TAB || c === COLON || c === LBR || c === LPAR) {
        break;
      }
      i++;
    }
    if (i === start) {
      return null;
    }
    name = s.slice(start, i);
  }
  let tag: string | null = null;
  if (s.charCodeAt(i) === LPAR) {
    let close = i + 1;
    while (close < n && close - i <= 33) {
      const c = s.charCodeAt(close);
      if (c === RPAR || c === SP || c === LPAR) {
        break;
      }
      close++;
    }
    if (s.charCodeAt(close) !== RPAR) {
      return null;
    }
    tag = s.slice(i + 1, close);
    i = close + 1;
    explicit = true;
  }
  let pid: number | null = null;
  if (s.charCodeAt(i) === LBR) {
    const d = readUint(s, i + 1, 10);
    if (d === null || s.charCodeAt(d.end) !== RBR) {
      return null;
    }
    pid = d.value;
    i = d.end + 1;
    explicit = true;
  }
  let level: string | null = null;
  if (s.charCodeAt(i) === SP && s.charCodeAt(i + 1) === LT) {
    const close = s.indexOf('>', i + 2);
    if (close > 0 && close - i < 20 && s.charCodeAt(close + 1) === COLON && /^[a-z]+$/i.test(s.slice(i + 2, close))) {
      level = s.slice(i + 2, close);
      i = close + 1;
    }
  }
  let colon = false;
  if (s.charCodeAt(i) === COLON) {
    const after = s.charCodeAt(i + 1);
    if (!(i + 1 >= n || after === SP || after === TAB)) {
      return null;
    }
    colon = true;
    explicit = true;
    i++;
  } else if (i < n) {
    const c = s.charCodeAt(i);
    if (c !== SP && c !== TAB) {
      return null;
    }
  }
  return { name, tag, pid, level, explicit, colon, end: i };
}

function isRepeat(s: string, p: number): boolean {
  return s.startsWith('last message repeated ', p) || s.startsWith('--- last message repeated ', p);
}

/** `[ID 800047 auth.info] ` (Solaris) at `p`: end index, or -1. */
function solarisIdEnd(s: string, p: number, ev: MutableEvent): number {
  if (!s.startsWith('[ID ', p)) {
    return -1;
  }
  const close = s.indexOf(']', p + 4);
  if (close < 0 || close - p > 64) {
    return -1;
  }
  const inner = s.slice(p + 4, close);
  const sp = inner.indexOf(' ');
  if (sp <= 0 || digitsAt(inner, 0, sp) < 0) {
    return -1;
  }
  ev.extra['solaris_msgid'] = Number(inner.slice(0, sp));
  const facsev = inner.slice(sp + 1);
  const dot = facsev.indexOf('.');
  if (dot > 0) {
    ev.extra['facility'] ??= facsev.slice(0, dot);
    ev.severity ??= severityFromName(facsev.slice(dot + 1));
  }
  return s.charCodeAt(close + 1) === SP ? close + 2 : close + 1;
}

/** `[  970.699396] ` (kernel uptime) at `p`: end index, or -1. */
function kernelTimeEnd(s: string, p: number, ev: MutableEvent): number {
  if (s.charCodeAt(p) !== LBR) {
    return -1;
  }
  let i = skipSpaces(s, p + 1);
  const a = readUint(s, i, 12);
  if (a === null || s.charCodeAt(a.end) !== 46) {
    return -1;
  }
  const b = readUint(s, a.end + 1, 9);
  if (b === null || s.charCodeAt(b.end) !== RBR) {
    return -1;
  }
  ev.extra['kernel_time'] = Number(s.slice(i, b.end));
  i = b.end + 1;
  return s.charCodeAt(i) === SP ? i + 1 : i;
}

function trimEndIndex(s: string, start: number): number {
  let e = s.length;
  while (e > start) {
    const c = s.charCodeAt(e - 1);
    if (c === SP || c === TAB || c === 13 || c === 10) {
      e--;
    } else {
      break;
    }
  }
  return e;
}

/** Message after the header: prefixes, repeats, enrichment. */
function finish(s: string, start: number, ev: MutableEvent, tag: string | null): ParseResult {
  let p = skipSpaces(s, start);
  const sol = solarisIdEnd(s, p, ev);
  if (sol >= 0) {
    p = sol;
  }
  const kt = kernelTimeEnd(s, p, ev);
  if (kt >= 0) {
    p = kt;
  }
  const end = trimEndIndex(s, p);
  const message = s.slice(p, end);
  ev.message = message;
  let inner = message;
  let repeated = false;
  if (isRepeat(message, 0)) {
    const at = message.indexOf('repeated ') + 9;
    const n = readUint(message, at, 9);
    ev.extra['repeat_count'] = n === null ? null : n.value;
    ev.kind = 'syslog_repeat';
    repeated = true;
  } else if (message.startsWith('message repeated ')) {
    // rsyslog: `message repeated 76 times: [ Failed password for root … ]`
    const n = readUint(message, 17, 9);
    ev.extra['repeat_count'] = n === null ? null : n.value;
    ev.kind = 'syslog_repeat';
    repeated = true;
    const open = message.indexOf(': [');
    if (open > 0 && message.endsWith(']')) {
      inner = message.slice(open + 3, -1).trim();
    }
  }
  if (message.length <= MAX_ENRICH_LENGTH) {
    let generic = true;
    if (!repeated || inner !== message) {
      const e = enrichAuthMessage(ev.program, tag, inner);
      if (e !== null) {
        // a program rule is authoritative about addresses, except for its catch-all kinds
        generic = e.kind.endsWith('_other');
        ev.kind = e.kind;
        ev.severity ??= e.severity;
        ev.user = e.user;
        ev.srcIp = e.srcIp;
        ev.srcPort = e.srcPort;
        Object.assign(ev.extra, e.extra);
      }
    }
    if (generic && ev.srcIp === null && ev.extra['remote_host'] === undefined && !repeated) {
      const a = genericRemoteIp(message);
      if (a !== null) {
        ev.srcIp = a.value;
        ev.extra['src_ip_source'] = 'message';
      }
    }
  }
  return { ok: true, event: ev };
}

function setProgram(ev: MutableEvent, prog: Program): string | null {
  ev.program = prog.name;
  ev.pid = prog.pid;
  if (prog.tag !== null) {
    ev.extra['program_tag'] = prog.tag;
  }
  if (prog.level !== null) {
    ev.severity ??= severityFromName(prog.level);
    ev.extra['level'] = prog.level;
  }
  return prog.tag;
}

/** `APP PROCID MSGID SD [MSG]` (RFC 5424 after the host) at `p`. */
function parse5424Body(s: string, p: number, ev: MutableEvent): ParseResult {
  const n = s.length;
  const fields: string[] = [];
  for (let k = 0; k < 3; k++) {
    p = skipSpaces(s, p);
    const e = tokenEnd(s, p);
    fields.push(s.slice(p, e));
    p = e;
  }
  const [app = '', procid = '', msgid = ''] = fields;
  ev.program = app === '-' || app === '' ? null : app;
  if (procid !== '-' && procid !== '') {
    if (digitsAt(procid, 0, procid.length) >= 0 && procid.length <= 10) {
      ev.pid = Number(procid);
    } else {
      ev.extra['procid'] = procid;
    }
  }
  if (msgid !== '-' && msgid !== '') {
    ev.extra['msgid'] = msgid;
  }
  p = skipSpaces(s, p);
  if (s.charCodeAt(p) === DASH && (p + 1 >= n || s.charCodeAt(p + 1) === SP)) {
    p++;
  } else if (s.charCodeAt(p) === LBR) {
    const sdStart = p;
    let ok = true;
    while (s.charCodeAt(p) === LBR) {
      let i = p + 1;
      let inQuote = false;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (inQuote) {
          if (c === 92) {
            i++;
          } else if (c === 34) {
            inQuote = false;
          }
        } else if (c === 34) {
          inQuote = true;
        } else if (c === RBR) {
          break;
        }
      }
      if (i >= n) {
        ok = false;
        break;
      }
      p = i + 1;
    }
    if (ok) {
      ev.extra['structured_data'] = s.slice(sdStart, p);
    } else {
      p = sdStart; // unterminated: keep it as message text
    }
  }
  let msgStart = p;
  if (s.charCodeAt(msgStart) === 0xfeff) {
    msgStart++;
  } else if (s.charCodeAt(msgStart) === SP && s.charCodeAt(msgStart + 1) === 0xfeff) {
    msgStart += 2;
  }
  return finish(s, msgStart, ev, null);
}

/** True when `p` starts `APP SP (PROCID|-) SP MSGID SP (-|[)`: an RFC 5424 body after an ISO stamp + host. */
function looks5424Body(s: string, p: number): boolean {
  const e1 = tokenEnd(s, p);
  if (e1 === p || s.charCodeAt(e1 - 1) === COLON || s.charCodeAt(e1) !== SP) {
    return false;
  }
  const p2 = e1 + 1;
  const e2 = tokenEnd(s, p2);
  const procid = s.slice(p2, e2);
  if (!(procid === '-' || (procid.length > 0 && procid.length <= 10 && digitsAt(procid, 0, procid.length) >= 0))) {
    return false;
  }
  if (s.charCodeAt(e2) !== SP) {
    return false;
  }
  const p3 = e2 + 1;
  const e3 = tokenEnd(s, p3);
  if (e3 === p3 || e3 - p3 > 32 || s.charCodeAt(e3) !== SP) {
    return false;
  }
  const c = s.charCodeAt(e3 + 1);
  return (c === DASH && (e3 + 2 >= s.length || s.charCodeAt(e3 + 2) === SP)) || c === LBR;
}

function parse5424(s: string, p: number, ev: MutableEvent, version: number): ParseResult {
  ev.extra['version'] = version;
  if (s.charCodeAt(p) === DASH && s.charCodeAt(p + 1) === SP) {
    p += 2;
  } else {
    const t = isoAt(s, p, { allowSpace: false, allowNamedZone: false, allowNoSeconds: false });
    if (t === null || s.charCodeAt(t.end) !== SP) {
      return fail('RFC 5424: bad TIMESTAMP');
    }
    ev.time = t.time;
    p = t.end + 1;
  }
  const he = tokenEnd(s, p);
  const host = s.slice(p, he);
  ev.host = host === '-' || host === '' ? null : host;
  return parse5424Body(s, he, ev);
}

/**
 * One syslog line (RFC 3164, RFC 5424 or rsyslog ISO). Never throws; `ok: false` when the line has no
 * recognisable syslog header (the caller may treat it as a continuation of the previous line).
 */
export function parseSyslogLine(line: string): ParseResult {
  const s = line;
  const n = s.length;
  let p = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  p = skipSpaces(s, p);
  const ev = newEvent();
  if (s.charCodeAt(p) === LT) {
    const a = readAngle(s, p);
    if (a === null) {
      return fail('invalid <PRI>');
    }
    if (a.kind === 'pri') {
      applyPri(ev, a.pri);
    } else {
      ev.severity = a.severity;
      ev.extra['facility'] = a.facility;
    }
    p = a.end;
  }
  // RFC 5424: `VERSION SP` (also accepted without PRI)
  const c0 = s.charCodeAt(p);
  if (isDigit(c0) && c0 !== 48) {
    const v = readUint(s, p, 2);
    if (v !== null && s.charCodeAt(v.end) === SP) {
      const q = v.end + 1;
      if ((s.charCodeAt(q) === DASH && s.charCodeAt(q + 1) === SP) || isDigit(s.charCodeAt(q))) {
        return parse5424(s, q, ev, v.value);
      }
    }
  }
  let bracket = false;
  if (s.charCodeAt(p) === LBR) {
    bracket = true;
    p++;
  }
  let time: ParsedTime | null = null;
  let iso = false;
  if (isDigit(s.charCodeAt(p))) {
    const t = isoAt(s, p, { allowSpace: true, commaFraction: false });
    if (t !== null) {
      time = t.time;
      p = t.end;
      iso = true;
    } else {
      const e = isoShapeEnd(s, p);
      if (e < 0) {
        return fail('no syslog timestamp');
      }
      ev.extra['time_invalid'] = s.slice(p, e);
      p = e;
      iso = true;
    }
  } else {
    const t = syslogStampAt(s, p);
    if (t === null) {
      return fail('no syslog timestamp');
    }
    time = t.time;
    p = t.end;
  }
  ev.time = time;
  if (bracket) {
    if (s.charCodeAt(p) !== RBR) {
      return fail('unclosed [timestamp]');
    }
    p++;
  }
  if (s.charCodeAt(p) === COLON) {
    // `Feb 29 01:15:43: --- message ---` (no host, no program)
    return finish(s, p + 1, ev, null);
  }
  if (p < n && s.charCodeAt(p) !== SP && s.charCodeAt(p) !== TAB) {
    return fail('unexpected text after timestamp');
  }
  p = skipSpaces(s, p);
  if (s.charCodeAt(p) === LT) {
    const a = readAngle(s, p);
    if (a !== null) {
      if (a.kind === 'pri') {
        applyPri(ev, a.pri);
      } else {
        ev.severity ??= a.severity;
        ev.extra['facility'] ??= a.facility;
      }
      p = skipSpaces(s, a.end);
    }
  }
  if (iso) {
    const te = tokenEnd(s, p);
    const word = s.slice(p, te);
    if (CHROMEOS_LEVELS.has(word)) {
      ev.severity ??= severityFromName(word);
      ev.extra['level'] = word;
      p = skipSpaces(s, te);
    }
  }
  if (p >= n) {
    return finish(s, p, ev, null);
  }
  if (isRepeat(s, p)) {
    return finish(s, p, ev, null);
  }
  // host-less line? (`Feb 11 15:23:17 dropbear[1252]: …`, `Mar  3 00:17:22 [sshd]: …`)
  const first = readProgram(s, p);
  if (first !== null && first.explicit) {
    const isHostColon = first.colon && first.pid === null && first.tag === null && isRepeat(s, skipSpaces(s, first.end));
    if (!isHostColon) {
      const tag = setProgram(ev, first);
      return finish(s, first.end, ev, tag);
    }
    ev.host = first.name;
    return finish(s, first.end, ev, null);
  }
  const he = tokenEnd(s, p);
  ev.host = s.slice(p, he);
  p = skipSpaces(s, he);
  if (p >= n || isRepeat(s, p)) {
    return finish(s, p, ev, null);
  }
  if (iso && time !== null && time.kind === 'absolute' && looks5424Body(s, p)) {
    return parse5424Body(s, p, ev);
  }
  const prog = readProgram(s, p);
  if (prog !== null && prog.explicit) {
    const tag = setProgram(ev, prog);
    return finish(s, prog.end, ev, tag);
  }
  if (prog !== null) {
    // two-word programs seen in the wild: `syslogd 1.4.1: restart.`, `-- root[2421]: ROOT LOGIN ON tty2`
    const p2 = prog.end + 1;
    const second = readProgram(s, p2);
    // The second word must be written as it is named (`p [4202]:` is a pid, not a version: no program).
    if (second !== null && second.explicit && s.startsWith(second.name, p2) && (prog.name === '--' || (/^\d+(?:\.\d+)*$/.test(second.name) && second.colon))) {
      const tag = setProgram(ev, { ...second, name: `${prog.name} ${second.name}` });
      return finish(s, second.end, ev, tag);
    }
  }
  return finish(s, p, ev, null);
}
