/**
 * Apache error-log line parser: 1.3 / 2.0 / 2.2 (`[time] [level] [client ip] message`), 2.4
 * (`[time.usec] [module:level] [pid N:tid M] (errno)Text: [client ip:port] AHnnnnn: message`), and the
 * same lines relayed through syslog (`ErrorLog syslog`: `Feb 15 16:23:00 host httpd[123]: [core:error] ...`).
 *
 * Rules (documented behaviour, relied on by tests):
 * - Time is `local` (the error log writes no zone); microseconds become fractional `millis`; `text` is
 *   the text between the first brackets. Syslog-relayed lines have `year: null`, `host`, `program`, `pid`,
 *   and are accepted only when the text after the syslog tag starts with an Apache level bracket.
 * - The first bracket after the time is the level: `level` or `module:level` (module → `extra.module`,
 *   empty module in `[:error]` → none). trace1-8 map to debug, `warning` to warn. An unknown first bracket
 *   is not consumed (severity null).
 * - Further prefix brackets are consumed while they are `[pid N]`, `[pid N:tid M]`, `[client addr]` or
 *   `[remote addr]`, and an `(errno)Text: ` segment between them (→ `extra.errno`, `extra.os_error`).
 *   The first address gives `srcIp`/`srcPort` (a host name goes to `extra.client_host`); a later
 *   different `[client ...]` goes to `extra.client_2`, a later `[remote ...]` to `extra.remote_ip`.
 * - An unbracketed IPv6 client with a trailing `:digits` group is read as address + port when that
 *   group cannot be an IPv6 group (5 digits) or when the line is 2.4-style (module:level or pid bracket:
 *   2.4 always logs the port); 2.2 logs never carry a port.
 * - message = text after the prefix brackets, without a trailing `, referer: X` (→ `http.referer`); the
 *   `AHnnnnn:` code stays in the message and is copied to `extra.ah_code`.
 * - `kind` recognises server lifecycle notices and common security-relevant errors (see `classify`).
 *   Deviation from a literal reading of the brief: `caught SIGWINCH, shutting down gracefully` (2.4
 *   graceful-stop) is an `apache_stop` with `extra.graceful = true`; other SIGWINCH notices are
 *   `apache_graceful_restart`.
 */
import type { HttpFields, ParseResult, ParsedTime, Severity } from '../../../../shared/domain/parsed';
import {
  allDigits,
  digitsValue,
  isDigit,
  isIPv4,
  isIPv6,
  monthAbbrev,
  parseErrorTime,
  skipDigits,
  splitHostPort,
  validDateTime,
} from './scan';

type Extra = Record<string, string | number | boolean | null>;

function fail(reason: string): ParseResult {
  return { ok: false, reason };
}

/** Maps an Apache log level name (already lower-case) to a severity; null when it is not a level. */
export function levelSeverity(level: string): Severity | null {
  switch (level) {
    case 'emerg':
      return 'emerg';
    case 'alert':
      return 'alert';
    case 'crit':
      return 'crit';
    case 'error':
      return 'error';
    case 'warn':
    case 'warning':
      return 'warn';
    case 'notice':
      return 'notice';
    case 'info':
      return 'info';
    case 'debug':
    case 'trace1':
    case 'trace2':
    case 'trace3':
    case 'trace4':
    case 'trace5':
    case 'trace6':
    case 'trace7':
    case 'trace8':
      return 'debug';
    default:
      return null;
  }
}

type SyslogPrefix = { time: ParsedTime; host: string; program: string; pid: number | null; end: number };

/** `Mmm dd HH:MM:SS host tag[pid]: ` followed by `[`; null when the line does not start that way. */
function syslogPrefix(line: string): SyslogPrefix | null {
  const month = monthAbbrev(line, 0);
  if (month === 0 || line.charCodeAt(3) !== 32) {
    return null;
  }
  let i = 4;
  if (line.charCodeAt(i) === 32) {
    i++;
  }
  const de = skipDigits(line, i, line.length);
  if (de === i || de - i > 2 || line.charCodeAt(de) !== 32) {
    return null;
  }
  const day = digitsValue(line, i, de) ?? 0;
  i = de + 1;
  if (
    !allDigits(line, i, i + 2) ||
    line.charCodeAt(i + 2) !== 58 ||
    !allDigits(line, i + 3, i + 5) ||
    line.charCodeAt(i + 5) !== 58 ||
    !allDigits(line, i + 6, i + 8) ||
    line.charCodeAt(i + 8) !== 32
  ) {
    return null;
  }
  const hour = digitsValue(line, i, i + 2) ?? 0;
  const minute = digitsValue(line, i + 3, i + 5) ?? 0;
  const second = digitsValue(line, i + 6, i + 8) ?? 0;
  // Day 29 of February is possible in a leap year: validate against 2000.
  if (!validDateTime(2000, month, day, hour, minute, second)) {
    return null;
  }
  const text = line.slice(0, i + 8);
  const hostStart = i + 9;
  const hostEnd = line.indexOf(' ', hostStart);
  if (hostEnd <= hostStart) {
    return null;
  }
  const tagEnd = line.indexOf(': ', hostEnd + 1);
  if (tagEnd <= hostEnd + 1 || line.charCodeAt(tagEnd + 2) !== 91) {
    return null;
  }
  const tag = line.slice(hostEnd + 1, tagEnd);
  if (tag.indexOf(' ') >= 0) {
    return null;
  }
  let program = tag;
  let pid: number | null = null;
  const lb = tag.indexOf('[');
  if (lb > 0 && tag.charCodeAt(tag.length - 1) === 93) {
    program = tag.slice(0, lb);
    if (allDigits(tag, lb + 1, tag.length - 1)) {
      pid = digitsValue(tag, lb + 1, tag.length - 1);
    }
  }
  return {
    time: { kind: 'local', year: null, month, day, hour, minute, second, millis: 0, text },
    host: line.slice(hostStart, hostEnd),
    program,
    pid,
    end: tagEnd + 2,
  };
}

type Address = { ip: string | null; hostName: string | null; port: number | null };

/** Parses the address of `[client X]` / `[remote X]` (see the module comment for the IPv6 port rule). */
function parseAddress(a: string, is24: boolean): Address {
  if (a.charCodeAt(0) === 91) {
    const hp = splitHostPort(a);
    return isIPv6(hp.host) ? { ip: hp.host, hostName: null, port: hp.port } : { ip: null, hostName: a, port: null };
  }
  if (isIPv4(a)) {
    return { ip: a, hostName: null, port: null };
  }
  const first = a.indexOf(':');
  const last = a.lastIndexOf(':');
  if (first > 0 && first === last) {
    const hp = splitHostPort(a);
    if (hp.port !== null) {
      return isIPv4(hp.host) ? { ip: hp.host, hostName: null, port: hp.port } : { ip: null, hostName: hp.host, port: hp.port };
    }
    return { ip: null, hostName: a, port: null };
  }
  if (first >= 0) {
    const tail = a.length - last - 1;
    const digitTail = tail > 0 && tail <= 5 && allDigits(a, last + 1, a.length);
    const whole = isIPv6(a);
    if (digitTail && (!whole || is24) && last > 0 && isIPv6(a, 0, last) && a.charCodeAt(last - 1) !== 58) {
      return { ip: a.slice(0, last), hostName: null, port: digitsValue(a, last + 1, a.length) };
    }
    if (whole) {
      return { ip: a, hostName: null, port: null };
    }
  }
  return { ip: null, hostName: a, port: null };
}

/** Value of a ModSecurity `[key "value"]` tag in `s`, or null. */
function modsecTag(s: string, key: string): string | null {
  const open = `[${key} "`;
  const i = s.indexOf(open);
  if (i < 0) {
    return null;
  }
  const from = i + open.length;
  const e = s.indexOf('"]', from);
  return e < 0 ? s.slice(from) : s.slice(from, e);
}

/** Text after `prefix` in `s`; null when `s` does not start with `prefix`. */
function after(s: string, prefix: string): string | null {
  return s.startsWith(prefix) ? s.slice(prefix.length) : null;
}

type Classified = { kind: string; user: string | null };

/**
 * Recognises lifecycle notices and common errors in `body` (the message without its `AHnnnnn: ` code),
 * adding fields to `extra`.
 */
function classify(body: string, message: string, extra: Extra): Classified {
  let user: string | null = null;
  if (body.startsWith('ModSecurity:')) {
    const id = modsecTag(message, 'id');
    const uid = modsecTag(message, 'unique_id');
    const msg = modsecTag(message, 'msg');
    const sev = modsecTag(message, 'severity');
    const uri = modsecTag(message, 'uri');
    const hostname = modsecTag(message, 'hostname');
    const file = modsecTag(message, 'file');
    if (id !== null) {
      extra['rule_id'] = id;
    }
    if (uid !== null) {
      extra['unique_id'] = uid;
    }
    if (msg !== null) {
      extra['msg'] = msg;
    }
    if (sev !== null) {
      extra['modsec_severity'] = sev;
    }
    if (uri !== null) {
      extra['uri'] = uri;
    }
    if (hostname !== null) {
      extra['modsec_hostname'] = hostname;
    }
    if (file !== null) {
      extra['rule_file'] = file;
    }
    return { kind: 'modsecurity', user };
  }
  if (body.startsWith('caught SIG')) {
    const comma = body.indexOf(',');
    const sig = body.slice(7, comma > 7 ? comma : body.length);
    extra['signal'] = sig;
    if (sig === 'SIGWINCH' || body.indexOf('gracefully') >= 0) {
      extra['graceful'] = true;
    }
    return { kind: 'apache_stop', user };
  }
  if (body.startsWith('SIGHUP received')) {
    extra['signal'] = 'SIGHUP';
    return { kind: 'apache_restart', user };
  }
  if (body.startsWith('SIGUSR1 received') || body.startsWith('SIGWINCH received')) {
    extra['signal'] = body.slice(0, body.indexOf(' '));
    return { kind: 'apache_graceful_restart', user };
  }
  if (body.startsWith('Graceful restart requested')) {
    return { kind: 'apache_graceful_restart', user };
  }
  const resuming = body.indexOf('resuming normal operations');
  if (resuming >= 0) {
    const configured = body.lastIndexOf(' configured', resuming);
    if (configured > 0) {
      extra['server_version'] = body.slice(0, configured).trim();
    }
    return { kind: 'apache_start', user };
  }
  const cmd = after(body, 'Command line: ');
  if (cmd !== null) {
    extra['command_line'] = cmd;
    return { kind: 'apache_start', user };
  }
  if (body.startsWith('child pid ')) {
    const pe = skipDigits(body, 10, body.length);
    const es = body.indexOf(' exit signal ', pe);
    if (pe > 10 && es === pe) {
      extra['child_pid'] = digitsValue(body, 10, pe);
      const nameStart = es + 13;
      const paren = body.indexOf(' (', nameStart);
      const comma = body.indexOf(',', nameStart);
      const nameEnd = paren >= 0 && (comma < 0 || paren < comma) ? paren : comma >= 0 ? comma : body.length;
      extra['signal_name'] = body.slice(nameStart, nameEnd);
      if (paren >= 0 && paren === nameEnd) {
        const ne = skipDigits(body, paren + 2, body.length);
        if (ne > paren + 2 && body.charCodeAt(ne) === 41) {
          extra['signal_no'] = digitsValue(body, paren + 2, ne);
        }
      }
      const core = body.indexOf('possible coredump in ');
      if (core >= 0) {
        extra['coredump_dir'] = body.slice(core + 21);
      }
      return { kind: 'apache_child_crash', user };
    }
  }
  if (body.indexOf('reached MaxClients setting') >= 0 || body.indexOf('reached MaxRequestWorkers setting') >= 0) {
    return { kind: 'apache_maxclients', user };
  }
  if (body.startsWith('server seems busy')) {
    return { kind: 'apache_busy', user };
  }
  const missing = after(body, 'File does not exist: ');
  if (missing !== null) {
    extra['file'] = missing;
    return { kind: 'apache_file_not_found', user };
  }
  if (body.startsWith('client denied by server configuration')) {
    const colon = body.indexOf(': ', 37);
    if (colon >= 0) {
      extra['file'] = body.slice(colon + 2);
    }
    return { kind: 'apache_denied', user };
  }
  const auth = body.startsWith('Digest: ') ? body.slice(8) : body;
  if (auth.startsWith('user ')) {
    let kind: string | null = null;
    let nameEnd = -1;
    let nameStart = 5;
    if (auth.charCodeAt(5) === 96) {
      // user `name' in realm `x' not found
      nameStart = 6;
      nameEnd = auth.indexOf("'", 6);
      if (nameEnd >= 0 && auth.indexOf(' not found', nameEnd) >= 0) {
        kind = 'apache_auth_failure';
      }
    } else {
      const nf = auth.indexOf(' not found', 5);
      const colon = auth.indexOf(': ', 5);
      if (colon >= 0 && (nf < 0 || colon < nf)) {
        nameEnd = colon;
        if (
          auth.startsWith('authentication failure', colon + 2) ||
          auth.startsWith('password mismatch', colon + 2)
        ) {
          kind = 'apache_auth_failure';
        } else if (auth.startsWith('authorization failure', colon + 2)) {
          kind = 'apache_authz_failure';
        }
      } else if (nf >= 0) {
        nameEnd = nf;
        kind = 'apache_auth_failure';
      }
    }
    if (kind !== null && nameEnd >= nameStart) {
      const name = auth.slice(nameStart, nameEnd);
      user = name.length > 0 ? name : null;
      return { kind, user };
    }
  }
  if (body.startsWith('Authorization of user ')) {
    const to = body.indexOf(' to access ', 22);
    if (to > 22) {
      user = body.slice(22, to);
    }
    return { kind: 'apache_authz_failure', user };
  }
  return { kind: 'apache_error', user };
}

export function parseErrorLine(line: string): ParseResult {
  const len = line.length;
  if (len === 0) {
    return fail('empty line');
  }
  let p: number;
  let time: ParsedTime | null;
  let host: string | null = null;
  let program: string | null = null;
  let pid: number | null = null;
  if (line.charCodeAt(0) === 91) {
    const rb = line.indexOf(']', 1);
    if (rb < 0) {
      return fail('truncated: unterminated [timestamp]');
    }
    time = parseErrorTime(line, 1, rb);
    if (time === null) {
      return fail('unrecognised timestamp');
    }
    p = rb + 1;
  } else {
    const sys = syslogPrefix(line);
    if (sys === null) {
      return fail('no [timestamp] found');
    }
    time = sys.time;
    host = sys.host;
    program = sys.program;
    pid = sys.pid;
    p = sys.end;
  }

  let severity: Severity | null = null;
  let tid: number | null = null;
  let srcIp: string | null = null;
  let srcPort: number | null = null;
  const extra: Extra = {};
  let haveAddress = false;
  let is24 = false;

  // Level bracket.
  while (line.charCodeAt(p) === 32) {
    p++;
  }
  if (line.charCodeAt(p) === 91) {
    const e = line.indexOf(']', p + 1);
    if (e > p) {
      const colon = line.lastIndexOf(':', e);
      const levelStart = colon > p ? colon + 1 : p + 1;
      const sev = e - levelStart <= 7 ? levelSeverity(line.slice(levelStart, e).toLowerCase()) : null;
      if (sev !== null) {
        severity = sev;
        if (colon > p) {
          is24 = true;
          if (colon > p + 1) {
            extra['module'] = line.slice(p + 1, colon);
          }
        }
        p = e + 1;
      }
    }
  }
  if (severity === null && host !== null) {
    // Relayed through syslog, only a level bracket tells an Apache line from e.g. `kernel: [ 12.3] ...`.
    return fail('syslog line without an Apache [level] bracket');
  }

  // pid / client / remote brackets and an (errno)Text: segment.
  for (;;) {
    let q = p;
    while (line.charCodeAt(q) === 32) {
      q++;
    }
    const c = line.charCodeAt(q);
    if (c === 40 && isDigit(line.charCodeAt(q + 1))) {
      const ne = skipDigits(line, q + 1, len);
      const seg = line.charCodeAt(ne) === 41 ? line.indexOf(': ', ne) : -1;
      if (seg < 0 || line.charCodeAt(seg + 2) !== 91) {
        break;
      }
      extra['errno'] = digitsValue(line, q + 1, ne);
      extra['os_error'] = line.slice(q, seg);
      p = seg + 2;
      continue;
    }
    if (c !== 91) {
      break;
    }
    if (line.startsWith('pid ', q + 1)) {
      const e = line.indexOf(']', q + 5);
      if (e < 0) {
        break;
      }
      const pe = skipDigits(line, q + 5, e);
      if (pe === q + 5) {
        break;
      }
      pid = digitsValue(line, q + 5, pe);
      is24 = true;
      if (line.startsWith(':tid ', pe)) {
        const te = skipDigits(line, pe + 5, e);
        if (te > pe + 5) {
          tid = digitsValue(line, pe + 5, te);
        }
      }
      p = e + 1;
      continue;
    }
    const isClient = line.startsWith('client ', q + 1);
    if (!isClient && !line.startsWith('remote ', q + 1)) {
      break;
    }
    const aStart = q + 8;
    let e: number;
    if (line.charCodeAt(aStart) === 91) {
      const inner = line.indexOf(']', aStart + 1);
      e = inner < 0 ? -1 : line.indexOf(']', inner + 1);
    } else {
      e = line.indexOf(']', aStart);
    }
    if (e < 0) {
      break;
    }
    const raw = line.slice(aStart, e);
    if (raw.indexOf(' ') >= 0 || raw.length === 0) {
      break;
    }
    const addr = parseAddress(raw, is24);
    if (!haveAddress) {
      haveAddress = true;
      srcIp = addr.ip;
      srcPort = addr.port;
      if (addr.hostName !== null) {
        extra['client_host'] = addr.hostName;
      }
    } else if (isClient) {
      const same = addr.ip !== null ? addr.ip === srcIp : addr.hostName === extra['client_host'];
      if (!same) {
        extra['client_2'] = raw;
      }
    } else {
      extra['remote_ip'] = raw;
    }
    p = e + 1;
  }

  while (line.charCodeAt(p) === 32) {
    p++;
  }
  let msgEnd = len;
  let http: HttpFields | null = null;
  const ref = line.lastIndexOf(', referer: ');
  if (ref >= p) {
    msgEnd = ref;
    http = {
      method: null,
      path: null,
      query: null,
      protocol: null,
      status: null,
      bytes: null,
      referer: line.slice(ref + 11),
      userAgent: null,
      vhost: null,
      durationUs: null,
    };
  }
  const message = line.slice(p, msgEnd);
  let body = message;
  if (
    message.charCodeAt(0) === 65 &&
    message.charCodeAt(1) === 72 &&
    allDigits(message, 2, 7) &&
    message.charCodeAt(7) === 58
  ) {
    extra['ah_code'] = message.slice(0, 7);
    body = message.slice(message.charCodeAt(8) === 32 ? 9 : 8);
  }
  const cls = classify(body, message, extra);

  return {
    ok: true,
    event: {
      kind: cls.kind,
      time,
      host,
      program,
      pid,
      tid,
      severity,
      srcIp,
      srcPort,
      user: cls.user,
      message,
      http,
      extra,
    },
  };
}
