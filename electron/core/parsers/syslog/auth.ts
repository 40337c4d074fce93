/**
 * Program-specific enrichment of syslog messages (auth.log & co.): sshd, dropbear, PAM, sudo, su, cron,
 * account management, systemd-logind, systemd's Apache unit, fail2ban-through-syslog and the monit
 * "Apache DOS Attempt" lines.
 *
 * Called by the syslog parser after a cheap switch on the program name, so regular expressions are allowed
 * here; most rules still use startsWith/indexOf. Every value returned is a substring of the message.
 *
 * Severity policy (used only when the line carried no PRI / level of its own):
 * - 'warn'   failures, refusals, invalid users, break-in warnings, too-many-failures, DoS attempts, bans;
 * - 'notice' successful logins, privilege use (sudo/su success), sessions opened, account changes,
 *            Apache service actions;
 * - 'info'   connections, disconnects, sessions closed, cron jobs, other informational lines.
 */
import type { Severity } from '../../../../shared/domain/parsed';
import { parseFail2banBody } from '../fail2ban/fail2ban-line';
import { isDigit, readUint } from '../text/datetime';
import { type Address, addressAt, ipAt, portAfter } from './address';

export type ExtraBag = Record<string, string | number | boolean | null>;

export type Enrichment = {
  kind: string;
  /** Default severity for the kind; the syslog parser keeps a severity written in the line instead. */
  severity: Severity;
  user: string | null;
  srcIp: string | null;
  srcPort: number | null;
  extra: ExtraBag;
};

/** Messages longer than this are not enriched (keeps pathological lines cheap); they stay plain events. */
export const MAX_ENRICH_LENGTH = 16_384;

function make(kind: string, severity: Severity, extra: ExtraBag = {}): Enrichment {
  return { kind, severity, user: null, srcIp: null, srcPort: null, extra };
}

function setAddress(e: Enrichment, a: Address | null, port: number | null = null): void {
  if (a === null) {
    return;
  }
  if (a.isIp) {
    e.srcIp = a.value;
  } else {
    e.extra['remote_host'] = a.value;
  }
  if (port !== null) {
    e.srcPort = port;
  }
}

/** Lower-cased program name without a path (`/usr/sbin/CRON` → `cron`). */
export function programBase(program: string): string {
  const slash = program.lastIndexOf('/');
  return (slash >= 0 ? program.slice(slash + 1) : program).toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------
// shared pieces

type FromHit = { addr: Address; port: number | null; fromIdx: number; end: number };

function isTailEnd(m: string, e: number): boolean {
  return e === m.length || m.startsWith(': ', e) || (m.charCodeAt(e) === 58 && e + 1 === m.length) || m.startsWith(' via ', e);
}

/**
 * Finds ` from ADDR[ port N][ sshN]`. With `needTail`, prefers the first occurrence followed by the end of
 * the message or `: ` (auth info), which defeats user names that contain ` from x.x.x.x` (injection); falls
 * back to the first occurrence with an address.
 */
function findFrom(m: string, start: number, needTail: boolean, keyword = ' from '): FromHit | null {
  let idx = m.indexOf(keyword, start);
  let fallback: FromHit | null = null;
  for (let guard = 0; idx >= 0 && guard < 64; guard++) {
    let p = idx + keyword.length;
    if (m.charCodeAt(p) === 60 /* < */) {
      p++;
    }
    const a = addressAt(m, p);
    if (a !== null) {
      let e = a.end;
      let port: number | null = null;
      const pp = portAfter(m, e);
      if (pp !== null) {
        port = pp.port;
        e = pp.end;
      }
      if (m.startsWith(' ssh', e)) {
        let e2 = e + 4;
        while (e2 < m.length && isDigit(m.charCodeAt(e2))) {
          e2++;
        }
        if (e2 === m.length || m.charCodeAt(e2) === 58 || m.charCodeAt(e2) === 32) {
          e = e2;
        }
      }
      const hit: FromHit = { addr: a, port, fromIdx: idx, end: e };
      if (!needTail || isTailEnd(m, e)) {
        return hit;
      }
      fallback ??= hit;
    }
    idx = m.indexOf(keyword, idx + 1);
  }
  return fallback;
}

/**
 * Reads the tail `[authenticating |invalid ]user U ADDR[ port N]` / `ADDR[ port N]` of messages like
 * `Connection closed by …`, parsing from the end so that user names with spaces stay intact.
 */
function userAddrTail(rest: string): { user: string | null; addr: Address; port: number | null; qualifier: string | null } | null {
  let s = rest;
  let port: number | null = null;
  const pi = s.lastIndexOf(' port ');
  if (pi >= 0) {
    const pp = portAfter(s, pi);
    if (pp !== null && pp.end === s.length) {
      port = pp.port;
      s = s.slice(0, pi);
    }
  }
  const sp = s.lastIndexOf(' ');
  const addrText = sp >= 0 ? s.slice(sp + 1) : s;
  const a = addressAt(addrText, 0);
  if (a === null || a.end !== addrText.length) {
    return null;
  }
  const addr: Address = { value: a.value, isIp: a.isIp, end: sp + 1 + a.end };
  if (sp < 0) {
    return { user: null, addr, port, qualifier: null };
  }
  const head = s.slice(0, sp);
  for (const q of ['authenticating user ', 'invalid user ', 'user ']) {
    if (head.startsWith(q)) {
      return { user: head.slice(q.length), addr, port, qualifier: q.slice(0, -1) };
    }
    if (head === q.slice(0, -1)) {
      return { user: '', addr, port, qualifier: q.slice(0, -1) };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// PAM

const PAM_PREFIX = /^pam_([a-z0-9_]{1,32})(?:\(([^()\s]{0,64})\))?:\s?/;

type PamKv = { ruser: string | null; rhost: string | null; user: string | null; tty: string | null; logname: string | null };

function simpleKv(rest: string, key: string, limit: number): string | null {
  const i = rest.indexOf(key);
  if (i < 0 || i > limit || (i > 0 && rest.charCodeAt(i - 1) !== 32 && rest.charCodeAt(i - 1) !== 59)) {
    return null;
  }
  const start = i + key.length;
  const sp = rest.indexOf(' ', start);
  return rest.slice(start, sp < 0 ? rest.length : sp);
}

/** Parses `logname= uid=0 euid=0 tty=ssh ruser= rhost=HOST  user=U`, robust to injected `rhost=` in names. */
export function parsePamKv(rest: string): PamKv {
  const ruserIdx = rest.indexOf('ruser=');
  const searchFrom = ruserIdx >= 0 ? ruserIdx : 0;
  let chosen = -1;
  let chosenEnd = -1;
  let idx = rest.indexOf('rhost=', searchFrom);
  let last = -1;
  let lastEnd = -1;
  for (let guard = 0; idx >= 0 && guard < 32; guard++) {
    if (idx === 0 || rest.charCodeAt(idx - 1) === 32) {
      const vStart = idx + 6;
      let vEnd = rest.indexOf(' ', vStart);
      if (vEnd < 0) {
        vEnd = rest.length;
      }
      last = idx;
      lastEnd = vEnd;
      let k = vEnd;
      while (rest.charCodeAt(k) === 32) {
        k++;
      }
      if (k >= rest.length || rest.startsWith('user=', k)) {
        chosen = idx;
        chosenEnd = vEnd;
        break;
      }
    }
    idx = rest.indexOf('rhost=', idx + 6);
  }
  if (chosen < 0) {
    chosen = last;
    chosenEnd = lastEnd;
  }
  let ruser: string | null = null;
  if (ruserIdx >= 0) {
    const stop = chosen > ruserIdx ? chosen : rest.indexOf(' ', ruserIdx);
    ruser = rest.slice(ruserIdx + 6, stop < 0 ? rest.length : stop).trimEnd();
  }
  let rhost: string | null = null;
  let user: string | null = null;
  if (chosen >= 0) {
    rhost = rest.slice(chosen + 6, chosenEnd);
    let k = chosenEnd;
    while (rest.charCodeAt(k) === 32) {
      k++;
    }
    if (rest.startsWith('user=', k)) {
      user = rest.slice(k + 5).trimEnd();
    }
  } else {
    const ui = rest.lastIndexOf(' user=');
    if (ui >= 0) {
      user = rest.slice(ui + 6).trimEnd();
    }
  }
  const limit = ruserIdx >= 0 ? ruserIdx : rest.length;
  return { ruser, rhost, user, tty: simpleKv(rest, 'tty=', limit), logname: simpleKv(rest, 'logname=', limit) };
}

/** `session opened for user U[(uid=N)] by W(uid=M)` → user U, by W. */
function sessionUsers(rest: string): { user: string; by: string | null } {
  const byIdx = rest.lastIndexOf(' by ');
  let userPart = byIdx >= 0 ? rest.slice(0, byIdx) : rest;
  const paren = userPart.indexOf('(uid=');
  if (paren >= 0) {
    userPart = userPart.slice(0, paren);
  }
  let by: string | null = null;
  if (byIdx >= 0) {
    const b = rest.slice(byIdx + 4);
    const bp = b.indexOf('(');
    const name = bp >= 0 ? b.slice(0, bp) : b;
    by = name === '' ? null : name;
  }
  return { user: userPart, by };
}

function pamRest(service: string | null, module: string, rest: string, strict = false): Enrichment | null {
  const extra: ExtraBag = { service, pam_module: module };
  if (rest.startsWith('authentication failure')) {
    const e = make('pam_auth_failure', 'warn', extra);
    const kv = parsePamKv(rest);
    extra['ruser'] = kv.ruser;
    extra['rhost'] = kv.rhost;
    extra['tty'] = kv.tty;
    extra['logname'] = kv.logname;
    const u = kv.user ?? (kv.ruser !== null && kv.ruser !== '' ? kv.ruser : null);
    e.user = u;
    if (kv.rhost !== null && kv.rhost !== '') {
      const a = addressAt(kv.rhost, 0);
      if (a !== null && a.end === kv.rhost.length) {
        setAddress(e, a);
      } else {
        extra['remote_host'] = kv.rhost;
      }
    }
    return e;
  }
  const so = 'session opened for user ';
  const sc = 'session closed for user ';
  if (rest.startsWith(so) || rest.startsWith(sc)) {
    const opened = rest.startsWith(so);
    const su = sessionUsers(rest.slice(so.length));
    const e = make(opened ? 'session_opened' : 'session_closed', opened ? 'notice' : 'info', extra);
    e.user = su.user;
    extra['by_user'] = su.by;
    return e;
  }
  if (rest.startsWith('password changed for ')) {
    const e = make('password_changed', 'notice', extra);
    e.user = rest.slice(21).trimEnd();
    return e;
  }
  if (rest.startsWith('check pass; user unknown')) {
    return make('pam_user_unknown', 'warn', extra);
  }
  return strict ? null : make('pam_other', 'info', extra);
}

/** PAM messages from any program: `pam_unix(svc:type): …`, `(pam_unix) …`, `pam_unix: …`, or tag `prog(pam_unix)`. */
function pam(base: string, tag: string | null, m: string): Enrichment | null {
  if (m.startsWith('pam_')) {
    const r = PAM_PREFIX.exec(m);
    if (r === null) {
      return null;
    }
    const module = `pam_${r[1] ?? ''}`;
    const inner = r[2];
    let service: string | null = base === '' ? null : base;
    if (inner !== undefined) {
      const colon = inner.indexOf(':');
      if (colon >= 0) {
        service = inner.slice(0, colon);
      }
    }
    return pamRest(service, module, m.slice(r[0].length));
  }
  if (m.startsWith('(pam_')) {
    const close = m.indexOf(') ');
    if (close < 0 || close > 40) {
      return null;
    }
    return pamRest(base === '' ? null : base, m.slice(1, close), m.slice(close + 2));
  }
  if (tag !== null && tag.startsWith('pam_')) {
    // `prog(pam_unix)[pid]: …` (old Linux-PAM): only the known PAM sentences, other text is the program's own
    return pamRest(base === '' ? null : base, tag, m, true);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// sshd

function keyInfo(e: Enrichment, m: string, end: number): void {
  if (!m.startsWith(': ', end)) {
    return;
  }
  const rest = m.slice(end + 2);
  const sp = rest.indexOf(' ');
  if (sp <= 0) {
    return;
  }
  const type = rest.slice(0, sp);
  if (!/^[A-Z][A-Z0-9-]{1,24}$/.test(type)) {
    return;
  }
  let fpEnd = rest.indexOf(' ', sp + 1);
  if (fpEnd < 0) {
    fpEnd = rest.length;
  }
  let fp = rest.slice(sp + 1, fpEnd);
  if (fp.endsWith(',')) {
    fp = fp.slice(0, -1);
  }
  e.extra['key_type'] = type;
  e.extra['key_fingerprint'] = fp;
}

function authAttempt(m: string, word: string, kind: string, severity: Severity): Enrichment | null {
  // `<Word> METHOD for [invalid user ]USER from ADDR port N sshN[: KEY FP]`
  const forIdx = m.indexOf(' for ', word.length);
  if (forIdx < 0) {
    return null;
  }
  const method = m.slice(word.length, forIdx);
  if (method.includes(' ') || method === '') {
    return null;
  }
  const hit = findFrom(m, forIdx + 4, true);
  const e = make(kind, severity, { method });
  let userStart = forIdx + 5;
  const invalid = m.startsWith('invalid user ', userStart);
  if (invalid) {
    userStart += 13;
  }
  if (kind === 'ssh_failed') {
    e.extra['invalid_user'] = invalid;
  }
  if (hit === null) {
    e.user = m.slice(userStart).trimEnd();
    return e;
  }
  e.user = hit.fromIdx >= userStart ? m.slice(userStart, hit.fromIdx) : '';
  setAddress(e, hit.addr, hit.port);
  keyInfo(e, m, hit.end);
  return e;
}

function sshd(m0: string): Enrichment {
  let m = m0;
  let level: string | null = null;
  if (m.startsWith('error: ') || m.startsWith('fatal: ')) {
    level = m.slice(0, 5);
    m = m.slice(7);
  }
  const e = sshdRules(m);
  if (level !== null) {
    e.extra['ssh_level'] = level;
  }
  return e;
}

function sshdRules(m: string): Enrichment {
  if (m.startsWith('Accepted ')) {
    const e = authAttempt(m, 'Accepted ', 'ssh_accepted', 'notice');
    if (e !== null) {
      return e;
    }
  }
  if (m.startsWith('Failed ')) {
    const e = authAttempt(m, 'Failed ', 'ssh_failed', 'warn');
    if (e !== null) {
      return e;
    }
  }
  if (m.startsWith('Postponed ')) {
    const e = authAttempt(m, 'Postponed ', 'ssh_postponed', 'info');
    if (e !== null) {
      return e;
    }
  }
  if (m.startsWith('Partial ')) {
    const e = authAttempt(m, 'Partial ', 'ssh_partial', 'info');
    if (e !== null) {
      return e;
    }
  }
  if (m.startsWith('Invalid user ') || m.startsWith('Illegal user ')) {
    const e = make('ssh_invalid_user', 'warn');
    const hit = findFrom(m, 12, true);
    if (hit === null) {
      e.user = m.slice(13).trimEnd();
    } else {
      e.user = hit.fromIdx >= 13 ? m.slice(13, hit.fromIdx) : '';
      setAddress(e, hit.addr, hit.port);
    }
    return e;
  }
  if (m.startsWith('input_userauth_request: invalid user ')) {
    const e = make('ssh_invalid_user', 'warn');
    e.user = m.slice(37).trimEnd();
    return e;
  }
  for (const [prefix, reason] of [
    ['Connection closed by ', 'closed'],
    ['Connection reset by ', 'reset'],
    ['Disconnected from ', 'disconnected'],
  ] as const) {
    if (m.startsWith(prefix)) {
      const e = make('ssh_disconnect', 'info', { reason });
      const t = userAddrTail(m.slice(prefix.length).trimEnd());
      if (t !== null) {
        if (t.user !== null) {
          e.user = t.user;
          e.extra['user_state'] = t.qualifier;
        }
        setAddress(e, t.addr, t.port);
      }
      return e;
    }
  }
  if (m.startsWith('Disconnecting')) {
    // `Disconnecting: Too many authentication failures[ for U]` or
    // `Disconnecting [authenticating|invalid] user U ADDR port N: reason`
    const colon = m.indexOf(': ');
    const reason = colon >= 0 ? m.slice(colon + 2) : '';
    const tooMany = reason.startsWith('Too many authentication failures');
    const e = make(tooMany ? 'ssh_too_many_failures' : 'ssh_disconnect', tooMany ? 'warn' : 'info', { reason });
    if (colon > 14) {
      const t = userAddrTail(m.slice(14, colon));
      if (t !== null) {
        e.user = t.user;
        if (t.qualifier !== null) {
          e.extra['user_state'] = t.qualifier;
        }
        setAddress(e, t.addr, t.port);
      }
    } else if (tooMany) {
      const fi = reason.indexOf(' for ');
      if (fi >= 0) {
        e.user = reason.slice(fi + 5);
      }
    }
    return e;
  }
  if (m.startsWith('Received disconnect from ')) {
    const e = make('ssh_disconnect', 'info', { reason: 'received' });
    const a = addressAt(m, 25);
    if (a !== null) {
      let p = a.end;
      const pp = portAfter(m, p);
      if (pp !== null) {
        p = pp.end;
      }
      setAddress(e, a, pp?.port ?? null);
      if (m.charCodeAt(p) === 58) {
        p++;
        if (m.charCodeAt(p) === 32) {
          p++;
        }
        const code = readUint(m, p, 3);
        if (code !== null) {
          e.extra['disconnect_code'] = code.value;
          let q = code.end;
          if (m.charCodeAt(q) === 58) {
            q++;
          }
          e.extra['disconnect_reason'] = m.slice(q).trim();
        }
      }
    }
    return e;
  }
  if (m.startsWith('Connection from ')) {
    const e = make('ssh_connect', 'info');
    const a = addressAt(m, 16);
    if (a !== null) {
      let p = a.end;
      const pp = portAfter(m, p);
      if (pp !== null) {
        p = pp.end;
      }
      setAddress(e, a, pp?.port ?? null);
      if (m.startsWith(' on ', p)) {
        const la = ipAt(m, p + 4);
        if (la !== null) {
          e.extra['local_ip'] = la.value;
          const lp = portAfter(m, la.end);
          if (lp !== null) {
            e.extra['local_port'] = lp.port;
          }
        }
      } else if (m.startsWith(': ', p)) {
        // `Connection from ADDR port N: invalid format` and friends are protocol errors
        e.kind = 'ssh_protocol_error';
        e.severity = 'warn';
        e.extra['reason'] = m.slice(p + 2);
      }
    }
    return e;
  }
  if (m.startsWith('error: maximum authentication attempts exceeded') || m.startsWith('maximum authentication attempts exceeded')) {
    const e = make('ssh_too_many_failures', 'warn');
    const hit = findFrom(m, 0, true);
    const fi = m.indexOf(' for ');
    if (fi >= 0) {
      let us = fi + 5;
      if (m.startsWith('invalid user ', us)) {
        us += 13;
        e.extra['invalid_user'] = true;
      }
      e.user = hit !== null && hit.fromIdx >= us ? m.slice(us, hit.fromIdx) : null;
    }
    if (hit !== null) {
      setAddress(e, hit.addr, hit.port);
    }
    return e;
  }
  if (m.startsWith('PAM ') && m.includes(' more authentication failure')) {
    const e = make('ssh_pam_failures', 'warn');
    const n = readUint(m, 4, 6);
    if (n !== null) {
      e.extra['count'] = n.value;
    }
    const semi = m.indexOf('; ');
    if (semi >= 0) {
      const kv = parsePamKv(m.slice(semi + 2));
      e.extra['rhost'] = kv.rhost;
      e.user = kv.user;
      if (kv.rhost !== null && kv.rhost !== '') {
        const a = addressAt(kv.rhost, 0);
        if (a !== null && a.end === kv.rhost.length) {
          setAddress(e, a);
        }
      }
    }
    return e;
  }
  if (m.startsWith('reverse mapping checking getaddrinfo for ')) {
    const e = make('ssh_break_in_attempt', 'warn');
    const rest = m.slice(41);
    const sp = rest.indexOf(' ');
    if (sp > 0) {
      e.extra['remote_host'] = rest.slice(0, sp);
      if (rest.charCodeAt(sp + 1) === 91) {
        const a = ipAt(rest, sp + 2);
        if (a !== null) {
          e.srcIp = a.value;
        }
      }
    }
    return e;
  }
  if (m.startsWith('Address ') && m.includes('POSSIBLE BREAK-IN ATTEMPT')) {
    const e = make('ssh_break_in_attempt', 'warn');
    const a = ipAt(m, 8);
    if (a !== null) {
      e.srcIp = a.value;
      if (m.startsWith(' maps to ', a.end)) {
        const h = addressAt(m, a.end + 9);
        if (h !== null) {
          e.extra['remote_host'] = h.value;
        }
      }
    }
    return e;
  }
  if (m.startsWith('Did not receive identification string from ')) {
    const e = make('ssh_no_ident', 'warn');
    const a = addressAt(m, 43);
    setAddress(e, a, a === null ? null : (portAfter(m, a.end)?.port ?? null));
    return e;
  }
  if (m.startsWith('Bad protocol version identification ') || m.startsWith('Protocol major versions differ')) {
    const e = make('ssh_bad_protocol', 'warn');
    const hit = findFrom(m, 0, true);
    if (hit !== null) {
      setAddress(e, hit.addr, hit.port);
    }
    return e;
  }
  if (m.startsWith('ROOT LOGIN REFUSED FROM ')) {
    const e = make('ssh_root_refused', 'warn');
    e.user = 'root';
    const a = addressAt(m, 24);
    setAddress(e, a, a === null ? null : (portAfter(m, a.end)?.port ?? null));
    return e;
  }
  if (m.startsWith('User ') && m.includes(' not allowed because ')) {
    const e = make('ssh_user_not_allowed', 'warn');
    const nab = m.lastIndexOf(' not allowed because ');
    e.extra['reason'] = m.slice(nab + 21);
    const hit = findFrom(m.slice(0, nab), 4, true);
    if (hit !== null) {
      e.user = m.slice(5, hit.fromIdx);
      setAddress(e, hit.addr, hit.port);
    } else {
      e.user = m.slice(5, nab);
    }
    return e;
  }
  if (m.startsWith('refused connect from ')) {
    const e = make('ssh_refused_connect', 'warn');
    const open = m.lastIndexOf('(');
    const a = open >= 0 ? addressAt(m, open + 1) : addressAt(m, 21);
    setAddress(e, a);
    return e;
  }
  if (m.startsWith('PAM: ')) {
    // `PAM: Authentication failure for [illegal user ]U from ADDR[ via IP]` (OpenSSH with PAM, *BSD, macOS)
    const lower = m.slice(5, 40).toLowerCase();
    const fail = lower.startsWith('authentication failure') || lower.startsWith('authentication error');
    const unknown = lower.startsWith('user not known');
    const e = make(fail ? 'ssh_failed' : unknown ? 'ssh_invalid_user' : 'ssh_other', fail || unknown ? 'warn' : 'info', { pam_error: true });
    const fi = m.indexOf(' for ');
    const hit = findFrom(m, fi >= 0 ? fi : 0, true);
    if (fi >= 0) {
      let us = fi + 5;
      if (m.startsWith('illegal user ', us) || m.startsWith('invalid user ', us)) {
        us += 13;
        e.extra['invalid_user'] = true;
      }
      e.user = hit !== null && hit.fromIdx >= us ? m.slice(us, hit.fromIdx) : null;
    }
    if (hit !== null) {
      setAddress(e, hit.addr, hit.port);
      if (m.startsWith(' via ', hit.end)) {
        const v = ipAt(m, hit.end + 5);
        if (v !== null) {
          e.extra['via'] = v.value;
        }
      }
    }
    return e;
  }
  if (m.startsWith('Timeout before authentication')) {
    const e = make('ssh_timeout', 'warn');
    const fi = m.indexOf(' for ');
    if (fi >= 0) {
      const cf = m.startsWith(' for connection from ', fi) ? fi + 21 : fi + 5;
      const a = addressAt(m, cf);
      setAddress(e, a, a === null ? null : (portAfter(m, a.end)?.port ?? null));
    }
    return e;
  }
  if (m.startsWith('Unable to negotiate') || m.startsWith('no matching ') || m.startsWith('Unable to negotiate a key exchange')) {
    const e = make('ssh_negotiation_failed', 'warn');
    if (m.startsWith('Unable to negotiate with ')) {
      const a = addressAt(m, 25);
      setAddress(e, a, a === null ? null : (portAfter(m, a.end)?.port ?? null));
    }
    return e;
  }
  for (const prefix of ['banner exchange: ', 'ssh_dispatch_run_fatal: ']) {
    if (m.startsWith(prefix)) {
      const e = make('ssh_protocol_error', 'warn');
      const ci = m.indexOf('Connection from ', prefix.length);
      if (ci >= 0) {
        const a = addressAt(m, ci + 16);
        setAddress(e, a, a === null ? null : (portAfter(m, a.end)?.port ?? null));
      }
      return e;
    }
  }
  if (m.startsWith('kex_exchange_identification: ') || m.startsWith('Read from socket failed') || m.startsWith('Write failed')) {
    return make('ssh_protocol_error', 'warn');
  }
  if (m.startsWith('SSH: Server;Ltype: ')) {
    const e = make('ssh_remote_info', 'info');
    const ri = m.indexOf(';Remote: ');
    if (ri >= 0) {
      const a = ipAt(m, ri + 9);
      setAddress(e, a);
      if (a !== null && m.charCodeAt(a.end) === 45) {
        const pp = readUint(m, a.end + 1, 5);
        if (pp !== null) {
          e.srcPort = pp.value;
        }
      }
    }
    return e;
  }
  return make('ssh_other', 'info');
}

// ---------------------------------------------------------------------------------------------------------
// dropbear

const SYSLOG_INNER_STAMP = /^\[\d{1,10}\] [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /;

function dropbearAddr(e: Enrichment, m: string): void {
  const fi = m.lastIndexOf(' from ');
  if (fi < 0) {
    return;
  }
  let p = fi + 6;
  if (m.charCodeAt(p) === 60) {
    p++;
  }
  const a = ipAt(m, p) ?? addressAt(m, p);
  if (a === null) {
    return;
  }
  let port: number | null = null;
  if (m.charCodeAt(a.end) === 58) {
    const pp = readUint(m, a.end + 1, 5);
    if (pp !== null && pp.value <= 65535) {
      port = pp.value;
    }
  }
  setAddress(e, a, port);
}

function quotedUser(m: string, after: string): string | null {
  const i = m.indexOf(after);
  if (i < 0) {
    return null;
  }
  const start = i + after.length;
  const end = m.indexOf("'", start);
  return end < 0 ? null : m.slice(start, end);
}

function dropbear(m0: string): Enrichment {
  let m = m0;
  const inner = SYSLOG_INNER_STAMP.exec(m);
  if (inner !== null) {
    m = m.slice(inner[0].length);
  }
  const lower = m.slice(0, 40).toLowerCase();
  let e: Enrichment;
  if (lower.startsWith('bad password attempt for ')) {
    e = make('ssh_failed', 'warn', { method: 'password', invalid_user: false });
    e.user = quotedUser(m, "for '");
  } else if (lower.startsWith('login attempt for nonexistent user')) {
    e = make('ssh_invalid_user', 'warn');
    e.user = quotedUser(m, "user '");
  } else if (lower.startsWith('exit before auth')) {
    const tooMany = m.includes('Max auth tries reached');
    e = make(tooMany ? 'ssh_too_many_failures' : 'ssh_disconnect', tooMany ? 'warn' : 'info');
    e.user = quotedUser(m, "user '");
  } else if (lower.startsWith('password auth succeeded') || lower.startsWith('pubkey auth succeeded')) {
    e = make('ssh_accepted', 'notice', { method: lower.startsWith('password') ? 'password' : 'publickey' });
    e.user = quotedUser(m, "for '");
  } else if (lower.startsWith('child connection from ')) {
    e = make('ssh_connect', 'info');
  } else if (lower.startsWith('exit (')) {
    e = make('ssh_disconnect', 'info');
    const close = m.indexOf(')');
    e.user = close > 6 ? m.slice(6, close) : null;
  } else {
    e = make('ssh_other', 'info');
  }
  dropbearAddr(e, m);
  return e;
}

// ---------------------------------------------------------------------------------------------------------
// sudo / su

const APACHE_NAMES = new Set(['apache2', 'httpd', 'apache', 'apache2.service', 'httpd.service', 'apache.service', 'apache2ctl', 'apachectl']);
const APACHE_ACTIONS = new Map<string, string>([
  ['restart', 'restart'],
  ['try-restart', 'restart'],
  ['reload-or-restart', 'restart'],
  ['condrestart', 'restart'],
  ['force-reload', 'reload'],
  ['reload', 'reload'],
  ['stop', 'stop'],
  ['graceful-stop', 'stop'],
  ['start', 'start'],
  ['graceful', 'graceful'],
]);

/**
 * The Apache action a command line performs: `/etc/init.d/apache2 restart`, `service httpd stop`,
 * `systemctl reload apache2`, `apache2ctl -k graceful`, `killall apache2` (→ 'kill'), … or null.
 */
export function apacheActionFromCommand(command: string): string | null {
  const toks = command.trim().split(/\s+/, 32);
  let apache = false;
  let kill = false;
  let action: string | null = null;
  for (const t of toks) {
    const slash = t.lastIndexOf('/');
    const b = (slash >= 0 ? t.slice(slash + 1) : t).toLowerCase();
    if (b === 'killall' || b === 'pkill') {
      kill = true;
    } else if (APACHE_NAMES.has(b)) {
      apache = true;
    } else if (action === null) {
      action = APACHE_ACTIONS.get(b) ?? null;
    }
  }
  if (!apache) {
    return null;
  }
  return kill ? 'kill' : action;
}

function sudo(m: string): Enrichment | null {
  const sep = m.indexOf(' : ');
  if (sep <= 0 || sep > 256) {
    return null;
  }
  const user = m.slice(0, sep).trim();
  const rest = m.slice(sep + 3);
  const cmdIdx = rest.indexOf('COMMAND=');
  const head = cmdIdx >= 0 ? rest.slice(0, cmdIdx) : rest;
  const command = cmdIdx >= 0 ? rest.slice(cmdIdx + 8).trimEnd() : null;
  const extra: ExtraBag = {};
  let reason: string | null = null;
  for (const part of head.split(';')) {
    const seg = part.trim();
    if (seg === '') {
      continue;
    }
    const eq = seg.indexOf('=');
    if (eq < 0) {
      reason ??= seg;
      continue;
    }
    const key = seg.slice(0, eq);
    const value = seg.slice(eq + 1);
    if (key === 'TTY') {
      extra['tty'] = value;
    } else if (key === 'PWD') {
      extra['pwd'] = value;
    } else if (key === 'USER') {
      extra['run_as'] = value;
    } else if (key === 'GROUP') {
      extra['run_as_group'] = value;
    } else if (key === 'ENV') {
      extra['env'] = value;
    } else if (key === 'TSID') {
      extra['tsid'] = value;
    }
  }
  extra['command'] = command;
  let e: Enrichment;
  if (reason === null) {
    e = make('sudo_command', 'notice', extra);
  } else if (reason.includes('incorrect password attempt')) {
    e = make('sudo_failed', 'warn', extra);
    const n = readUint(reason, 0, 4);
    extra['attempts'] = n === null ? null : n.value;
  } else if (reason.includes('NOT in sudoers') || reason.includes('not allowed') || reason.includes('NOT authorized')) {
    e = make('sudo_denied', 'warn', extra);
  } else if (reason.includes('password is required') || reason.includes('authentication failure')) {
    e = make('sudo_failed', 'warn', extra);
  } else {
    e = make('sudo_other', 'info', extra);
  }
  if (reason !== null) {
    extra['reason'] = reason;
  }
  e.user = user;
  if (command !== null) {
    const action = apacheActionFromCommand(command);
    if (action !== null) {
      extra['apache_action'] = action;
    }
  }
  return e;
}

function su(m: string): Enrichment | null {
  const by = (kind: string, sev: Severity, rest: string): Enrichment => {
    // `root by alice`
    const bi = rest.indexOf(' by ');
    const e = make(kind, sev);
    if (bi >= 0) {
      e.extra['target_user'] = rest.slice(0, bi);
      e.user = rest.slice(bi + 4).trimEnd();
    }
    return e;
  };
  if (m.startsWith('Successful su for ')) {
    return by('su_success', 'notice', m.slice(18));
  }
  if (m.startsWith('FAILED su for ')) {
    return by('su_failed', 'warn', m.slice(14));
  }
  const c0 = m.charCodeAt(0);
  if ((c0 === 43 || c0 === 45) && m.charCodeAt(1) === 32) {
    // `+ pts/0 alice:root` / `- pts/0 alice:root`
    const parts = m.slice(2).trim().split(' ');
    const who = parts[parts.length - 1] ?? '';
    const colon = who.indexOf(':');
    if (colon > 0 && parts.length >= 2) {
      const e = make(c0 === 43 ? 'su_success' : 'su_failed', c0 === 43 ? 'notice' : 'warn', {
        tty: parts.slice(0, -1).join(' '),
        target_user: who.slice(colon + 1),
      });
      e.user = who.slice(0, colon);
      return e;
    }
  }
  const failedTo = m.startsWith('FAILED SU (to ');
  if (m.startsWith('(to ') || failedTo) {
    // `(to root) alice on pts/0`
    const open = failedTo ? 10 : 0;
    const close = m.indexOf(') ', open);
    if (close > 0) {
      const e = make(failedTo ? 'su_failed' : 'su_success', failedTo ? 'warn' : 'notice', { target_user: m.slice(open + 4, close) });
      const rest = m.slice(close + 2);
      const on = rest.lastIndexOf(' on ');
      e.user = on >= 0 ? rest.slice(0, on) : rest.trimEnd();
      if (on >= 0) {
        e.extra['tty'] = rest.slice(on + 4).trimEnd();
      }
      return e;
    }
  }
  if (m.startsWith("'su ")) {
    // `'su root' failed for lonvick on /dev/pts/8`
    const q = m.indexOf("' ", 4);
    if (q > 0) {
      const rest = m.slice(q + 2);
      const failed = rest.startsWith('failed for ');
      const ok = rest.startsWith('succeeded for ');
      if (failed || ok) {
        const e = make(failed ? 'su_failed' : 'su_success', failed ? 'warn' : 'notice', { target_user: m.slice(4, q) });
        const r2 = rest.slice(failed ? 11 : 14);
        const on = r2.lastIndexOf(' on ');
        e.user = on >= 0 ? r2.slice(0, on) : r2.trimEnd();
        if (on >= 0) {
          e.extra['tty'] = r2.slice(on + 4).trimEnd();
        }
        return e;
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// cron, accounts, logind, systemd, login

function cron(m: string): Enrichment | null {
  if (m.charCodeAt(0) !== 40) {
    return null;
  }
  const close = m.indexOf(') ');
  if (close < 1) {
    return null;
  }
  const user = m.slice(1, close);
  const rest = m.slice(close + 2);
  if (rest.startsWith('CMD (')) {
    let cmd = rest.slice(5).trimEnd();
    if (cmd.endsWith(')')) {
      cmd = cmd.slice(0, -1);
    }
    const e = make('cron_command', 'info', { command: cmd });
    e.user = user;
    const action = apacheActionFromCommand(cmd);
    if (action !== null) {
      e.extra['apache_action'] = action;
    }
    return e;
  }
  const e = make('cron_other', 'info');
  e.user = user === 'CRON' ? null : user;
  return e;
}

const QUOTED = /'([^']{0,256})'/g;

function quotedAll(m: string): string[] {
  const out: string[] = [];
  for (const r of m.matchAll(QUOTED)) {
    out.push(r[1] ?? '');
    if (out.length >= 4) {
      break;
    }
  }
  return out;
}

function kvComma(rest: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of rest.split(', ', 16)) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
  }
  return out;
}

function accounts(m: string): Enrichment | null {
  if (m.startsWith('new user: ')) {
    const kv = kvComma(m.slice(10));
    const e = make('user_added', 'notice', {
      uid: kv['UID'] ?? null,
      gid: kv['GID'] ?? null,
      home: kv['home'] ?? null,
      shell: kv['shell'] ?? null,
      from: kv['from'] ?? null,
    });
    e.user = kv['name'] ?? null;
    return e;
  }
  if (m.startsWith('new group: ') || m.startsWith('group added to ')) {
    const kv = kvComma(m.slice(m.indexOf(': ') + 2));
    return make('group_added', 'notice', { group: kv['name'] ?? null, gid: kv['GID'] ?? null });
  }
  const q = quotedAll(m);
  if (m.startsWith('delete user ')) {
    const e = make('user_deleted', 'notice');
    e.user = q[0] ?? null;
    return e;
  }
  if ((m.startsWith('add ') || m.startsWith('delete ')) && m.includes(' group ')) {
    const e = make('user_group_changed', 'notice', {
      group: q[1] ?? null,
      group_action: m.startsWith('add ') ? 'add' : 'remove',
      shadow: m.includes(' shadow group '),
    });
    e.user = q[0] ?? null;
    return e;
  }
  if (m.startsWith('change user ') && m.includes(' password')) {
    const e = make('password_changed', 'notice');
    e.user = q[0] ?? null;
    return e;
  }
  if (m.startsWith('password changed for ')) {
    const e = make('password_changed', 'notice');
    e.user = m.slice(21).trimEnd();
    return e;
  }
  if (m.startsWith('change user ') || m.startsWith('lock user ') || m.startsWith('unlock user ')) {
    const e = make('user_modified', 'notice', { change: m.slice(0, m.indexOf(' ')) });
    e.user = q[0] ?? null;
    return e;
  }
  if (m.startsWith('removed group ') || m.startsWith('group ')) {
    return make('group_changed', 'notice', { group: q[0] ?? null });
  }
  return make('account_other', 'info');
}

const NEW_SESSION = /^New session (\S{1,64}) of user (\S{1,256})\.$/;

function logind(m: string): Enrichment | null {
  const r = NEW_SESSION.exec(m);
  if (r !== null) {
    const e = make('login_session', 'notice', { session_id: r[1] ?? null });
    e.user = r[2] ?? null;
    return e;
  }
  if (m.startsWith('Removed session ')) {
    return make('login_session_removed', 'info', { session_id: m.slice(16).replace(/\.$/, '') });
  }
  if (m.startsWith('Session ') && m.includes(' logged out')) {
    return make('login_session_logout', 'info', { session_id: m.slice(8, m.indexOf(' ', 8)) });
  }
  return null;
}

const SYSTEMD_VERBS = new Map<string, string>([
  ['Starting', 'start'],
  ['Started', 'start'],
  ['Stopping', 'stop'],
  ['Stopped', 'stop'],
  ['Reloading', 'reload'],
  ['Reloaded', 'reload'],
  ['Restarting', 'restart'],
]);

function systemd(m: string): Enrichment | null {
  if (!(m.includes('Apache HTTP Server') || m.includes('apache2.service') || m.includes('httpd.service'))) {
    return null;
  }
  const sp = m.indexOf(' ');
  const verb = sp > 0 ? m.slice(0, sp) : '';
  const action = SYSTEMD_VERBS.get(verb);
  if (action === undefined) {
    return null;
  }
  return make('apache_service', 'notice', { apache_action: action, unit_state: verb.toLowerCase() });
}

function login(m: string): Enrichment | null {
  if (m.startsWith('ROOT LOGIN ON ')) {
    const e = make('login_root', 'notice', { tty: m.slice(14).trimEnd() });
    e.user = 'root';
    return e;
  }
  if (m.startsWith('FAILED LOGIN ')) {
    const e = make('login_failed', 'warn');
    const fi = m.indexOf(' FOR ');
    if (fi >= 0) {
      const rest = m.slice(fi + 5);
      const comma = rest.indexOf(',');
      e.user = (comma >= 0 ? rest.slice(0, comma) : rest).replace(/^'|'$/g, '');
    }
    return e;
  }
  if (m.startsWith('LOGIN ON ')) {
    const e = make('login_success', 'notice');
    const bi = m.indexOf(' BY ');
    if (bi >= 0) {
      e.user = m.slice(bi + 4).trimEnd();
    }
    return e;
  }
  return null;
}

function fail2ban(m: string): Enrichment | null {
  // `NOTICE [jail] Ban ip`, `fail2ban.actions [123]: NOTICE  [jail] Ban ip`, `[jail] Ban ip`
  let p = 0;
  if (m.startsWith('fail2ban.')) {
    const colon = m.indexOf(': ');
    if (colon < 0 || colon > 80) {
      return null;
    }
    p = colon + 2;
  }
  const b = parseFail2banBody(m, p);
  if (b === null) {
    return null;
  }
  const e = make(b.kind, b.severity ?? (b.kind === 'f2b_ban' ? 'warn' : 'info'), { jail: b.jail, action: b.action });
  if (b.ip !== null) {
    e.srcIp = b.ip;
  }
  return e;
}

function apacheDos(m: string, i: number): Enrichment {
  const e = make('apache_dos_attempt', 'warn');
  let p = i + 18;
  while (m.charCodeAt(p) === 58 || m.charCodeAt(p) === 32) {
    p++;
  }
  setAddress(e, ipAt(m, p));
  return e;
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Enriches one syslog message. `program` as written in the line (path and case kept), `tag` the
 * parenthesised part of `prog(tag)[pid]`. Returns null when no rule applies (a plain syslog event).
 */
export function enrichAuthMessage(program: string | null, tag: string | null, message: string): Enrichment | null {
  if (message.length > MAX_ENRICH_LENGTH) {
    return null;
  }
  let m = message;
  let preauth = false;
  if (m.endsWith(' [preauth]')) {
    preauth = true;
    m = m.slice(0, -10);
  }
  const base = program === null ? '' : programBase(program);
  let e: Enrichment | null = null;
  const dos = m.indexOf('Apache DOS Attempt');
  if (dos >= 0) {
    e = apacheDos(m, dos);
  }
  e ??= pam(base, tag, m);
  if (e === null) {
    switch (base) {
      case 'sshd':
      case 'sshd-session':
      case 'sshd-auth':
        e = sshd(m);
        break;
      case 'dropbear':
        e = dropbear(m);
        break;
      case 'sudo':
        e = sudo(m);
        break;
      case 'su':
        e = su(m);
        break;
      case 'cron':
      case 'crond':
        e = cron(m);
        break;
      case 'useradd':
      case 'usermod':
      case 'userdel':
      case 'groupadd':
      case 'groupdel':
      case 'groupmod':
      case 'passwd':
      case 'chpasswd':
      case 'chage':
      case 'gpasswd':
      case 'newusers':
        e = accounts(m);
        break;
      case 'systemd-logind':
        e = logind(m);
        break;
      case 'systemd':
        e = systemd(m);
        break;
      case 'login':
        e = login(m);
        break;
      default:
        if (base.startsWith('fail2ban')) {
          e = fail2ban(m);
        }
    }
  }
  if (e !== null && preauth) {
    e.extra['preauth'] = true;
  }
  return e;
}
