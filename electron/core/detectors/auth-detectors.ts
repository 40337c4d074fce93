/**
 * auth.log detectors: SSH brute force and password spraying, success after many failures (likely
 * compromise), invalid users, root logins, new accounts, sudo by unusual users, and fail2ban's
 * "Apache DOS Attempt" lines. Pure functions of time-ordered event records.
 */
import type { DetectorParams } from '../../../shared/domain/findings';
import { DraftBuilder, fmtCount, type DetEvent, type FindingDraft } from './types';

export type AuthEvent = DetEvent & Readonly<{ method: string | null }>;

function byKey<T>(items: ReadonlyArray<T>, key: (t: T) => string | null): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (k === null) {
      continue;
    }
    const list = m.get(k);
    if (list === undefined) {
      m.set(k, [it]);
    } else {
      list.push(it);
    }
  }
  return m;
}

/** Largest number of timed events within any window of `windowMs` (events in time order). */
export function peakInWindow(ts: ReadonlyArray<number>, windowMs: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < ts.length; hi += 1) {
    while ((ts[hi] ?? 0) - (ts[lo] ?? 0) >= windowMs) {
      lo += 1;
    }
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

const timed = (events: ReadonlyArray<AuthEvent>): number[] => events.flatMap((e) => (e.ts === null ? [] : [e.ts]));

export function detectAuth(events: ReadonlyArray<AuthEvent>, p: DetectorParams): FindingDraft[] {
  const out: FindingDraft[] = [];
  const windowMs = p.sshWindowMinutes * 60_000;
  const failures = events.filter((e) => e.kind === 'ssh_failed');
  const failuresByIp = byKey(failures, (e) => e.ip);

  // Brute force / spraying per source IP.
  for (const [ip, list] of failuresByIp) {
    const peak = peakInWindow(timed(list), windowMs);
    if (peak < p.sshBruteForceFailures) {
      continue;
    }
    const users = new Set(list.map((e) => e.user ?? ''));
    const spray = users.size >= p.sshSprayUsers;
    const b = new DraftBuilder({
      key: `${spray ? 'ssh.password_spray' : 'ssh.bruteforce'}|${ip}`,
      rule: spray ? 'ssh.password_spray' : 'ssh.bruteforce',
      title: spray ? `SSH password spraying from ${ip}` : `SSH brute force from ${ip}`,
      description: `${fmtCount(list.length, 'failed login')} from ${ip} against ${fmtCount(users.size, 'account')} (peak ${peak} in ${p.sshWindowMinutes} min).`,
      category: 'brute_force',
      severity: peak >= p.sshBruteForceFailures * 10 ? 'high' : 'medium',
      details: { failures: list.length, peakInWindow: peak, windowMinutes: p.sshWindowMinutes, accounts: users.size },
    });
    list.forEach((e) => b.add(e));
    out.push(b.draft);
  }

  // A success after many failures from the same IP.
  const lookback = p.sshSuccessLookbackMinutes * 60_000;
  for (const ok of events) {
    if (ok.kind !== 'ssh_accepted' || ok.ip === null || ok.ts === null) {
      continue;
    }
    const okTs = ok.ts;
    const prior = (failuresByIp.get(ok.ip) ?? []).filter((f) => f.ts !== null && f.ts <= okTs && okTs - f.ts <= lookback);
    if (prior.length < p.sshSuccessAfterFailures) {
      continue;
    }
    const password = ok.method === null || /password|keyboard/u.test(ok.method);
    const b = new DraftBuilder({
      key: `ssh.bruteforce_success|${ok.ip}|${ok.user ?? ''}`,
      rule: 'ssh.bruteforce_success',
      title: `SSH login of ${ok.user ?? '?'} from ${ok.ip} after ${prior.length} failures`,
      description: `Likely compromise: ${ok.ip} logged in as ${ok.user ?? '?'} (${ok.method ?? 'unknown method'}) after ${fmtCount(prior.length, 'failed login')} in the previous ${p.sshSuccessLookbackMinutes} min.`,
      category: 'brute_force',
      severity: password ? 'critical' : 'high',
      details: { failuresBefore: prior.length, method: ok.method, lookbackMinutes: p.sshSuccessLookbackMinutes },
    });
    prior.forEach((e) => b.add(e));
    b.add(ok);
    out.push(b.draft);
  }

  // One account tried from many IPs (distributed guessing).
  for (const [user, list] of byKey(failures, (e) => e.user)) {
    const ips = new Set(list.map((e) => e.ip ?? ''));
    if (ips.size < p.sshUserTargetIps || list.length < p.sshBruteForceFailures) {
      continue;
    }
    const b = new DraftBuilder({
      key: `ssh.user_targeted|${user}`, rule: 'ssh.user_targeted', title: `Account ${user} targeted from ${ips.size} IPs`,
      description: `${fmtCount(list.length, 'failed login')} for ${user} from ${fmtCount(ips.size, 'address')} (distributed guessing).`,
      category: 'brute_force', severity: 'medium', details: { failures: list.length, ips: ips.size },
    });
    list.forEach((e) => b.add(e));
    out.push(b.draft);
  }

  // Logins for accounts that do not exist.
  const invalid = events.filter((e) => e.kind === 'ssh_invalid_user');
  if (invalid.length > 0) {
    const users = new Set(invalid.map((e) => e.user ?? ''));
    const ips = new Set(invalid.map((e) => e.ip ?? ''));
    const b = new DraftBuilder({
      key: 'ssh.invalid_users', rule: 'ssh.invalid_users', title: `SSH logins for ${fmtCount(users.size, 'non-existent account')}`,
      description: `${fmtCount(invalid.length, 'attempt')} for accounts that do not exist, from ${fmtCount(ips.size, 'address')}.`,
      category: 'brute_force', severity: 'low', details: { attempts: invalid.length },
    });
    invalid.forEach((e) => b.add(e));
    out.push(b.draft);
  }

  // Root logins.
  for (const [ip, list] of byKey(events.filter((e) => (e.kind === 'ssh_accepted' && e.user === 'root') || e.kind === 'login_root'), (e) => e.ip ?? 'console')) {
    const b = new DraftBuilder({
      key: `account.root_login|${ip}`, rule: 'account.root_login', title: `Root login${ip === 'console' ? ' on the console' : ` from ${ip}`}`,
      description: `${fmtCount(list.length, 'root login')}${ip === 'console' ? '' : ` from ${ip}`}: direct root access bypasses per-user accountability.`,
      category: 'account', severity: 'medium', details: { logins: list.length },
    });
    list.forEach((e) => b.add(e));
    out.push(b.draft);
  }

  // New accounts.
  for (const [user, list] of byKey(events.filter((e) => e.kind === 'user_added'), (e) => e.user ?? '?')) {
    const b = new DraftBuilder({
      key: `account.new_user|${user}`, rule: 'account.new_user', title: `New account ${user}`,
      description: `The account ${user} was created (useradd). Attackers add accounts for persistence.`, category: 'account', severity: 'medium',
    });
    list.forEach((e) => b.add(e));
    out.push(b.draft);
  }

  // sudo by unusual users, and refused sudo.
  const sudo = events.filter((e) => e.kind === 'sudo_command');
  const sudoByUser = byKey(sudo, (e) => e.user);
  if (sudoByUser.size > 1) {
    for (const [user, list] of sudoByUser) {
      if (list.length > p.sudoRareMax) {
        continue;
      }
      const b = new DraftBuilder({
        key: `account.sudo_rare_user|${user}`, rule: 'account.sudo_rare_user', title: `sudo by unusual user ${user}`,
        description: `${user} ran sudo ${fmtCount(list.length, 'time')}, while ${sudo.length - list.length} other sudo commands came from ${sudoByUser.size - 1} other account(s).`,
        category: 'account', severity: 'medium', details: { commands: list.length },
      });
      list.forEach((e) => b.add(e));
      out.push(b.draft);
    }
  }
  for (const [user, list] of byKey(events.filter((e) => e.kind === 'sudo_denied' || e.kind === 'sudo_failed'), (e) => e.user ?? '?')) {
    const b = new DraftBuilder({
      key: `account.sudo_denied|${user}`, rule: 'account.sudo_denied', title: `sudo refused for ${user}`,
      description: `${fmtCount(list.length, 'refused or failed sudo attempt')} by ${user}.`, category: 'account', severity: 'medium',
    });
    list.forEach((e) => b.add(e));
    out.push(b.draft);
  }

  // fail2ban's / monit's "Apache DOS Attempt: IP" lines (seed 002).
  for (const [ip, list] of byKey(events.filter((e) => e.kind === 'apache_dos_attempt'), (e) => e.ip ?? '?')) {
    const b = new DraftBuilder({
      key: `availability.apache_dos_attempt|${ip}`, rule: 'availability.apache_dos_attempt', title: `Apache DOS Attempt from ${ip}`,
      description: `${fmtCount(list.length, '"Apache DOS Attempt" line')} naming ${ip}.`, category: 'availability', severity: 'medium',
    });
    list.forEach((e) => b.add(e));
    out.push(b.draft);
  }
  return out;
}

export type F2bEvent = DetEvent & Readonly<{ jail: string | null }>;

/** fail2ban bans and unbans per jail. */
export function detectFail2ban(events: ReadonlyArray<F2bEvent>): FindingDraft[] {
  const out: FindingDraft[] = [];
  const actions = events.filter((e) => e.kind === 'f2b_ban' || e.kind === 'f2b_unban' || e.kind === 'f2b_restore_ban');
  for (const [jail, list] of byKey(actions, (e) => e.jail ?? '?')) {
    const bans = list.filter((e) => e.kind !== 'f2b_unban');
    const ips = new Set(bans.map((e) => e.ip ?? ''));
    const b = new DraftBuilder({
      key: `fail2ban.bans|${jail}`, rule: 'fail2ban.bans', title: `fail2ban jail ${jail}: ${fmtCount(bans.length, 'ban')}`,
      description: `${fmtCount(bans.length, 'ban')} of ${fmtCount(ips.size, 'address')} and ${list.length - bans.length} unbans in jail ${jail}.`,
      category: 'fail2ban', severity: 'info', details: { jail, bans: bans.length, unbans: list.length - bans.length },
    });
    list.forEach((e) => b.add(e));
    out.push(b.draft);
  }
  return out;
}

/** Unbans, so the store can look for activity from the address after its ban ended. */
export function unbans(events: ReadonlyArray<F2bEvent>): ReadonlyArray<F2bEvent> {
  return events.filter((e) => e.kind === 'f2b_unban' && e.ip !== null && e.ts !== null);
}
