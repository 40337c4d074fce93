/**
 * fail2ban.log lines:
 *   `2024-05-05 13:42:45,123 fail2ban.actions        [1234]: NOTICE  [sshd] Ban 1.2.3.4`
 *   `2006-02-13 15:52:30,388 fail2ban.actions: NOTICE [sendmail] Ban 1.2.3.4`          (older, no pid)
 *   `2006-02-13 15:52:30,388 fail2ban.actions[123]: NOTICE [sendmail] Ban 1.2.3.4`
 *   `… fail2ban.filter  [1234]: INFO    [sshd] Found 1.2.3.4 - 2024-05-05 13:42:44`
 *   `… fail2ban.jail    [1234]: INFO    Jail 'sshd' started`
 * fail2ban writes local wall-clock time without a zone, so the time is `local` (with milliseconds).
 */
import type { ParseResult, ParsedEvent, Severity } from '../../../../shared/domain/parsed';
import { ipAt } from '../syslog/address';
import { isoAt, readUint } from '../text/datetime';

export type Fail2banBody = {
  kind: 'f2b_found' | 'f2b_ban' | 'f2b_unban' | 'f2b_restore_ban' | 'f2b_already_banned' | 'f2b_jail' | 'f2b_other';
  severity: Severity | null;
  jail: string | null;
  action: 'found' | 'ban' | 'unban' | 'restore_ban' | 'already_banned' | 'jail_started' | 'jail_stopped' | null;
  ip: string | null;
  /** For `Found`: the time of the matched log line as fail2ban printed it. */
  foundTime: string | null;
};

const LEVELS = new Map<string, Severity>([
  ['CRITICAL', 'crit'],
  ['ERROR', 'error'],
  ['WARNING', 'warn'],
  ['WARN', 'warn'],
  ['NOTICE', 'notice'],
  ['INFO', 'info'],
  ['DEBUG', 'debug'],
  ['HEAVYDEBUG', 'debug'],
  ['TRACEDEBUG', 'debug'],
  ['MSG', 'info'],
]);

function skipSpaces(s: string, p: number): number {
  while (s.charCodeAt(p) === 32 || s.charCodeAt(p) === 9) {
    p++;
  }
  return p;
}

function wordEnd(s: string, p: number): number {
  while (p < s.length) {
    const c = s.charCodeAt(p);
    if (c === 32 || c === 9) {
      break;
    }
    p++;
  }
  return p;
}

/**
 * Parses the part after `logger[pid]: `: an optional level, then `[jail] Action …` or `Jail 'x' started`.
 * Returns null only when the text is not fail2ban-shaped at all (no level and no `[jail]`/`Jail`).
 */
export function parseFail2banBody(s: string, start: number): Fail2banBody | null {
  let p = skipSpaces(s, start);
  let severity: Severity | null = null;
  const we = wordEnd(s, p);
  const level = LEVELS.get(s.slice(p, we));
  if (level !== undefined) {
    severity = level;
    p = skipSpaces(s, we);
  }
  const body: Fail2banBody = { kind: 'f2b_other', severity, jail: null, action: null, ip: null, foundTime: null };
  if (s.startsWith('Jail ', p)) {
    const q1 = s.indexOf("'", p + 5);
    const q2 = q1 >= 0 ? s.indexOf("'", q1 + 1) : -1;
    if (q1 === p + 5 && q2 > q1) {
      body.jail = s.slice(q1 + 1, q2);
      const tail = s.slice(q2 + 1).trim();
      if (tail === 'started') {
        body.kind = 'f2b_jail';
        body.action = 'jail_started';
      } else if (tail === 'stopped') {
        body.kind = 'f2b_jail';
        body.action = 'jail_stopped';
      }
    }
    return body;
  }
  if (s.charCodeAt(p) !== 91 /* [ */) {
    return level === undefined ? null : body;
  }
  const close = s.indexOf(']', p + 1);
  if (close < 0 || close - p > 128) {
    return level === undefined ? null : body;
  }
  body.jail = s.slice(p + 1, close);
  p = skipSpaces(s, close + 1);
  const verbs: ReadonlyArray<readonly [string, Fail2banBody['kind'], NonNullable<Fail2banBody['action']>]> = [
    ['Found ', 'f2b_found', 'found'],
    ['Ban ', 'f2b_ban', 'ban'],
    ['Unban ', 'f2b_unban', 'unban'],
    ['Restore Ban ', 'f2b_restore_ban', 'restore_ban'],
  ];
  for (const [verb, kind, action] of verbs) {
    if (s.startsWith(verb, p)) {
      const a = ipAt(s, p + verb.length);
      body.kind = kind;
      body.action = action;
      body.ip = a === null ? null : a.value;
      if (kind === 'f2b_found' && a !== null && s.startsWith(' - ', a.end)) {
        const t = isoAt(s, a.end + 3, { allowNamedZone: false });
        body.foundTime = t === null ? null : t.time.text;
      }
      return body;
    }
  }
  // `[sshd] 1.2.3.4 already banned`
  const a = ipAt(s, p);
  if (a !== null && s.startsWith(' already banned', a.end)) {
    body.kind = 'f2b_already_banned';
    body.action = 'already_banned';
    body.ip = a.value;
  }
  return body;
}

/** One fail2ban.log line. Never throws. */
export function parseFail2banLine(line: string): ParseResult {
  let p = 0;
  if (line.charCodeAt(0) === 0xfeff) {
    p = 1;
  }
  const t = isoAt(line, p, { allowNamedZone: false });
  if (t === null) {
    return { ok: false, reason: 'no fail2ban timestamp' };
  }
  p = t.end;
  if (line.charCodeAt(p) !== 32) {
    return { ok: false, reason: 'no logger after timestamp' };
  }
  p = skipSpaces(line, p);
  if (!line.startsWith('fail2ban', p)) {
    return { ok: false, reason: 'not a fail2ban logger' };
  }
  // logger name, then optional spaces and `[pid]`, then `:`
  let i = p;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 58 || c === 91 || c === 9) {
      break;
    }
    i++;
  }
  const logger = line.slice(p, i);
  let j = skipSpaces(line, i);
  let pid: number | null = null;
  if (line.charCodeAt(j) === 91) {
    const d = readUint(line, j + 1, 10);
    if (d === null || line.charCodeAt(d.end) !== 93) {
      return { ok: false, reason: 'bad [pid]' };
    }
    pid = d.value;
    j = d.end + 1;
  }
  if (line.charCodeAt(j) !== 58) {
    return { ok: false, reason: 'no ":" after logger' };
  }
  j++;
  const body = parseFail2banBody(line, j);
  const extra: Record<string, string | number | boolean | null> = { jail: body?.jail ?? null, action: body?.action ?? null };
  if (body?.foundTime != null) {
    extra['found_time'] = body.foundTime;
  }
  const event: ParsedEvent = {
    kind: body?.kind ?? 'f2b_other',
    time: t.time,
    host: null,
    program: logger,
    pid,
    tid: null,
    severity: body?.severity ?? null,
    srcIp: body?.ip ?? null,
    srcPort: null,
    user: null,
    message: line.slice(skipSpaces(line, j)).trimEnd(),
    http: null,
    extra,
  };
  return { ok: true, event };
}
