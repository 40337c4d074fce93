/**
 * auth.log sessions, rebuilt from parsed auth events (electron/core/parsers/syslog/auth.ts kinds):
 *
 * - a login (`ssh_accepted`, or a PAM `session_opened` of sshd/login without one) opens a session keyed
 *   by host and the sshd pid; its PAM `session_closed`, its `ssh_disconnect`, or the systemd-logind
 *   logout of the logind session it was given ends it;
 * - `sudo_*` and `su_*` lines are tied to a session: by pid when the line comes from the session's own
 *   process, else to the open session of the same user on the same host (the TTY, once a session has
 *   one, must agree); when several fit, the latest login is chosen and the link is marked ambiguous;
 * - the failed attempts (`ssh_failed`) from the same address since its previous successful login are
 *   counted for each login (per user, and for the user that then got in).
 *
 * Pure and total: events in any order (they are sorted by time, then id), untimed events ignored,
 * nothing thrown on content. Names and commands are kept exactly as logged (they are hostile text).
 */
import type { SessionCommand, SessionCommandKind, SessionLinkage } from '../../../shared/domain/pivot';
import { programBase } from '../parsers/syslog/auth';

export type AuthEventInput = Readonly<{
  id: number;
  ts: number | null;
  kind: string;
  host: string | null;
  program: string | null;
  pid: number | null;
  user: string | null;
  srcIp: string | null;
  srcPort: number | null;
  extra: Readonly<Record<string, string | number | boolean | null>>;
}>;

export type RebuiltSession = {
  id: number;
  host: string | null;
  user: string | null;
  srcIp: string | null;
  srcPort: number | null;
  method: string | null;
  program: string | null;
  pid: number | null;
  start: number;
  end: number | null;
  endKind: 'session_closed' | 'disconnect' | 'logout' | null;
  tty: string | null;
  logindSession: string | null;
  eventIds: number[];
  commands: SessionCommand[];
  failures: {
    count: number;
    sameUser: number;
    users: Array<{ value: string; count: number }>;
    first: number | null;
    last: number | null;
    eventIds: number[];
  };
};

export type SessionOptions = Readonly<{
  /** A session without a logged end counts as open this long after its login (for tying commands). */
  maxOpenMs: number;
  /** Commands logged this long after a session's end still belong to it (clock granularity). */
  graceMs: number;
  /** At most this many failure event ids are kept per login (the latest ones). */
  maxFailureIds: number;
}>;

export const DEFAULT_SESSION_OPTIONS: SessionOptions = { maxOpenMs: 24 * 3_600_000, graceMs: 2000, maxFailureIds: 50 };

export type SessionReconstruction = Readonly<{
  sessions: RebuiltSession[];
  /** sudo/su lines no session could be found for. */
  unattributed: SessionCommand[];
}>;

const SSH_PROGRAMS = new Set(['sshd', 'sshd-session', 'sshd-auth', 'dropbear']);
const LOGIN_PROGRAMS = new Set(['login']);
/** The kinds the reconstruction reads (the service selects only these). */
export const SESSION_EVENT_KINDS: ReadonlyArray<string> = [
  'ssh_accepted', 'ssh_failed', 'ssh_disconnect', 'session_opened', 'session_closed', 'login_session', 'login_session_logout',
  'login_session_removed', 'login_root', 'login_success', 'sudo_command', 'sudo_failed', 'sudo_denied', 'su_success', 'su_failed',
];
/** Of those, the kinds that only matter when logged by sshd, dropbear or login (a reader may drop the others, e.g. cron's PAM sessions). */
export const LOGIN_PROGRAM_KINDS: ReadonlyArray<string> = ['ssh_disconnect', 'session_opened', 'session_closed', 'login_root', 'login_success'];
/** The kinds whose `extra` fields are read (a reader may leave `extra` empty for the others). */
export const KINDS_WITH_EXTRA: ReadonlyArray<string> = [
  'ssh_accepted', 'login_session', 'login_session_logout', 'login_session_removed', 'sudo_command', 'sudo_failed', 'sudo_denied', 'su_success', 'su_failed',
];

/** Whether a program name (as logged, path and case kept) is sshd, dropbear or login. */
export function isLoginProgram(program: string): boolean {
  const b = programBase(program);
  return SSH_PROGRAMS.has(b) || LOGIN_PROGRAMS.has(b);
}

const COMMAND_KINDS: ReadonlyMap<string, SessionCommandKind> = new Map([
  ['sudo_command', 'sudo'],
  ['sudo_failed', 'sudo_failed'],
  ['sudo_denied', 'sudo_denied'],
  ['su_success', 'su'],
  ['su_failed', 'su_failed'],
]);

type FailureTally = { count: number; perUser: Map<string, number>; first: number; last: number; ids: number[] };

function str(v: string | number | boolean | null | undefined): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

function base(program: string | null): string {
  return program === null ? '' : programBase(program);
}

function key(host: string | null, pid: number): string {
  return `${host ?? ''}\u0000${pid}`;
}

function userKey(host: string | null, user: string): string {
  return `${host ?? ''}\u0000${user}`;
}

/** Rebuilds the sessions of the given auth events. */
export function rebuildAuthSessions(input: ReadonlyArray<AuthEventInput>, options: SessionOptions = DEFAULT_SESSION_OPTIONS): SessionReconstruction {
  const events = input.filter((e) => e.ts !== null && Number.isFinite(e.ts)).sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || a.id - b.id);
  const sessions: RebuiltSession[] = [];
  const unattributed: SessionCommand[] = [];
  /** Sessions not yet closed by PAM, by host and pid of their process. */
  const byPid = new Map<string, RebuiltSession>();
  /** Sessions that may still receive commands, by host and user. */
  const live = new Map<string, RebuiltSession[]>();
  const byLogind = new Map<string, RebuiltSession>();
  const failures = new Map<string, FailureTally>();

  function open(e: AuthEventInput, ts: number, method: string | null): RebuiltSession {
    const tally = e.srcIp === null ? undefined : failures.get(e.srcIp);
    if (e.srcIp !== null) {
      failures.delete(e.srcIp);
    }
    const s: RebuiltSession = {
      id: e.id, host: e.host, user: e.user, srcIp: e.srcIp, srcPort: e.srcPort, method, program: e.program, pid: e.pid, start: ts, end: null, endKind: null,
      tty: null, logindSession: null, eventIds: [e.id], commands: [],
      failures: {
        count: tally?.count ?? 0,
        sameUser: tally === undefined || e.user === null ? 0 : (tally.perUser.get(e.user) ?? 0),
        users: tally === undefined ? [] : [...tally.perUser].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, 10),
        first: tally?.first ?? null,
        last: tally?.last ?? null,
        eventIds: tally?.ids ?? [],
      },
    };
    sessions.push(s);
    if (e.pid !== null) {
      byPid.set(key(e.host, e.pid), s);
    }
    if (e.user !== null) {
      const list = liveAt(e.host, e.user, ts);
      list.push(s);
      live.set(userKey(e.host, e.user), list);
    }
    return s;
  }

  function end(s: RebuiltSession, ts: number, kind: 'session_closed' | 'disconnect' | 'logout', id: number): void {
    s.eventIds.push(id);
    // the PAM close is the last word; a disconnect or a logout only when nothing later says otherwise
    if (s.end === null || kind === 'session_closed' || s.endKind !== 'session_closed') {
      s.end = ts;
      s.endKind = kind;
    }
  }

  function stillOpen(s: RebuiltSession, ts: number): boolean {
    return s.end === null ? ts - s.start <= options.maxOpenMs : ts <= s.end + options.graceMs;
  }

  /** The sessions of a user on a host that may still receive lines at `ts` (the list is pruned in place). */
  function liveAt(host: string | null, user: string, ts: number): RebuiltSession[] {
    const k = userKey(host, user);
    const list = live.get(k);
    if (list === undefined) {
      return [];
    }
    const kept = list.filter((s) => stillOpen(s, ts));
    if (kept.length === 0) {
      live.delete(k);
    } else if (kept.length !== list.length) {
      live.set(k, kept);
    }
    return kept;
  }

  function attribute(e: AuthEventInput, ts: number, kind: SessionCommandKind): void {
    const tty = str(e.extra['tty']);
    const command = kind === 'su' || kind === 'su_failed' ? null : str(e.extra['command']);
    const runAs = kind === 'su' || kind === 'su_failed' ? str(e.extra['target_user']) : str(e.extra['run_as']);
    const make = (linkage: SessionLinkage): SessionCommand => ({
      eventId: e.id, ts, kind, user: e.user, runAs, command, tty, pwd: str(e.extra['pwd']), linkage,
    });
    const same = e.pid === null ? undefined : byPid.get(key(e.host, e.pid));
    if (same !== undefined && same.end === null && (same.user === null || e.user === null || same.user === e.user)) {
      // a command logged under the session's own process id (rare, but exact)
      same.commands.push(make('pid'));
      return;
    }
    if (e.user === null) {
      unattributed.push(make('ambiguous'));
      return;
    }
    const candidates = liveAt(e.host, e.user, ts).filter((s) => s.start <= ts && (tty === null || s.tty === null || s.tty === tty));
    if (candidates.length === 0) {
      unattributed.push(make('ambiguous'));
      return;
    }
    const exact = tty === null ? [] : candidates.filter((s) => s.tty === tty);
    const chosen = exact.length === 1 ? exact[0] : candidates.reduce((a, b) => (b.start >= a.start ? b : a));
    if (chosen === undefined) {
      unattributed.push(make('ambiguous'));
      return;
    }
    chosen.commands.push(make(candidates.length === 1 || exact.length === 1 ? 'user_time' : 'ambiguous'));
    if (chosen.tty === null && tty !== null) {
      chosen.tty = tty;
    }
  }

  for (const e of events) {
    const ts = e.ts ?? 0;
    const b = base(e.program);
    const ssh = SSH_PROGRAMS.has(b);
    const pidKey = e.pid === null ? null : key(e.host, e.pid);
    const current = pidKey === null ? undefined : byPid.get(pidKey);
    switch (e.kind) {
      case 'ssh_failed': {
        if (e.srcIp === null) {
          break;
        }
        const t = failures.get(e.srcIp) ?? { count: 0, perUser: new Map<string, number>(), first: ts, last: ts, ids: [] };
        t.count += 1;
        t.last = ts;
        if (e.user !== null) {
          t.perUser.set(e.user, (t.perUser.get(e.user) ?? 0) + 1);
        }
        t.ids.push(e.id);
        if (t.ids.length > options.maxFailureIds) {
          t.ids.shift();
        }
        failures.set(e.srcIp, t);
        break;
      }
      case 'ssh_accepted':
        if (ssh || e.program === null) {
          open(e, ts, str(e.extra['method']));
        }
        break;
      case 'session_opened':
        if ((ssh || LOGIN_PROGRAMS.has(b)) && str(e.extra['service']) !== 'cron') {
          if (current !== undefined && current.end === null) {
            current.eventIds.push(e.id);
            if (current.user === null) {
              current.user = e.user;
            }
          } else {
            open(e, ts, ssh ? null : 'console');
          }
        }
        break;
      case 'login_root':
      case 'login_success':
        if (current !== undefined && current.end === null) {
          current.eventIds.push(e.id);
        } else if (LOGIN_PROGRAMS.has(b)) {
          open(e, ts, 'console');
        }
        break;
      case 'session_closed':
        if (current !== undefined && (ssh || LOGIN_PROGRAMS.has(b))) {
          end(current, ts, 'session_closed', e.id);
          if (pidKey !== null) {
            byPid.delete(pidKey);
          }
        }
        break;
      case 'ssh_disconnect':
        if (current !== undefined && ssh) {
          end(current, ts, 'disconnect', e.id);
        }
        break;
      case 'login_session': {
        const sid = str(e.extra['session_id']);
        if (sid === null || e.user === null) {
          break;
        }
        // the login this logind session belongs to: the latest one of the user on that host, moments before
        const list = liveAt(e.host, e.user, ts);
        let s: RebuiltSession | undefined;
        for (let i = list.length - 1; i >= 0 && s === undefined; i -= 1) {
          const x = list[i];
          if (x !== undefined && x.logindSession === null && x.start <= ts && ts - x.start <= 10_000) {
            s = x;
          }
        }
        if (s !== undefined) {
          s.logindSession = sid;
          s.eventIds.push(e.id);
          byLogind.set(`${e.host ?? ''}\u0000${sid}`, s);
        }
        break;
      }
      case 'login_session_logout':
      case 'login_session_removed': {
        const sid = str(e.extra['session_id']);
        const s = sid === null ? undefined : byLogind.get(`${e.host ?? ''}\u0000${sid}`);
        if (s !== undefined) {
          end(s, ts, 'logout', e.id);
          if (e.kind === 'login_session_removed') {
            byLogind.delete(`${e.host ?? ''}\u0000${sid}`);
          }
        }
        break;
      }
      default: {
        const kind = COMMAND_KINDS.get(e.kind);
        if (kind !== undefined) {
          attribute(e, ts, kind);
        }
      }
    }
  }
  return { sessions, unattributed };
}
