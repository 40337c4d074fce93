import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../../../shared/domain/parsed';
import { apacheActionFromCommand, enrichAuthMessage, parsePamKv } from './auth';
import { createSshdCorrelator } from './sshd-correlator';
import { parseSyslogLine } from './syslog-line';

function ok(line: string): ParsedEvent {
  const r = parseSyslogLine(line);
  if (!r.ok) {
    throw new Error(`expected a parse: ${r.reason} — ${line}`);
  }
  return r.event;
}

const sample = readFileSync(new URL('./fixtures/auth-sample.log', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map(ok);

function at(i: number): ParsedEvent {
  const e = sample[i];
  if (e === undefined) {
    throw new Error(`no fixture line ${i}`);
  }
  return e;
}

describe('auth.log fixture', () => {
  it('classifies every line', () => {
    expect(sample.map((e) => e.kind)).toEqual([
      'session_opened',
      'cron_command',
      'session_closed',
      'ssh_connect',
      'ssh_invalid_user',
      'pam_auth_failure',
      'ssh_failed',
      'ssh_too_many_failures',
      'ssh_too_many_failures',
      'ssh_pam_failures',
      'ssh_accepted',
      'session_opened',
      'login_session',
      'sudo_command',
      'session_opened',
      'apache_service',
      'apache_service',
      'apache_service',
      'apache_service',
      'sudo_failed',
      'sudo_denied',
      'su_success',
      'su_success',
      'su_failed',
      'su_failed',
      'su_success',
      'user_added',
      'user_group_changed',
      'password_changed',
      'user_deleted',
      'apache_dos_attempt',
      'ssh_break_in_attempt',
      'ssh_no_ident',
      'ssh_disconnect',
      'ssh_disconnect',
      'login_session_removed',
    ]);
  });

  it('extracts cron and PAM session fields', () => {
    expect(at(0)).toMatchObject({ user: 'root', severity: 'notice' });
    expect(at(0).extra).toMatchObject({ service: 'cron', by_user: null });
    expect(at(1)).toMatchObject({ user: 'root' });
    expect(at(1).extra['command']).toBe('/usr/local/bin/backup.sh >/dev/null 2>&1');
    expect(at(14).extra).toMatchObject({ service: 'sudo', by_user: 'alice' });
    expect(at(14).user).toBe('root');
  });

  it('extracts sshd fields', () => {
    expect(at(3)).toMatchObject({ srcIp: '203.0.113.9', srcPort: 50122 });
    expect(at(3).extra).toMatchObject({ local_ip: '198.51.100.2', local_port: 22 });
    expect(at(4)).toMatchObject({ user: 'admin', srcIp: '203.0.113.9', srcPort: 50122, severity: 'warn' });
    expect(at(5)).toMatchObject({ srcIp: '203.0.113.9', user: null });
    expect(at(5).extra).toMatchObject({ service: 'sshd', rhost: '203.0.113.9' });
    expect(at(6)).toMatchObject({ user: 'admin', srcIp: '203.0.113.9', srcPort: 50122 });
    expect(at(6).extra).toMatchObject({ method: 'password', invalid_user: true });
    expect(at(7)).toMatchObject({ user: 'admin', srcIp: '203.0.113.9' });
    expect(at(7).extra['preauth']).toBe(true);
    expect(at(8)).toMatchObject({ user: 'admin', srcIp: '203.0.113.9', srcPort: 50122 });
    expect(at(9).extra['count']).toBe(5);
    expect(at(10)).toMatchObject({ user: 'alice', srcIp: '192.0.2.10', srcPort: 51515, severity: 'notice' });
    expect(at(10).extra).toMatchObject({ method: 'publickey', key_type: 'RSA', key_fingerprint: 'SHA256:Zm9vYmFyYmF6cXV4' });
    expect(at(12)).toMatchObject({ user: 'alice' });
    expect(at(12).extra['session_id']).toBe('12');
    expect(at(31)).toMatchObject({ srcIp: '203.0.113.50' });
    expect(at(31).extra['remote_host']).toBe('scanner.example.net');
    expect(at(32)).toMatchObject({ srcIp: '203.0.113.51', srcPort: 40000 });
    expect(at(33)).toMatchObject({ srcIp: '203.0.113.52', srcPort: 40001 });
    expect(at(33).extra['disconnect_code']).toBe(11);
    expect(at(34)).toMatchObject({ srcIp: '203.0.113.53', srcPort: 40002, user: 'root' });
  });

  it('extracts sudo fields and Apache actions', () => {
    expect(at(13)).toMatchObject({ user: 'alice', severity: 'notice' });
    expect(at(13).extra).toMatchObject({ tty: 'pts/0', pwd: '/home/alice', run_as: 'root', command: '/etc/init.d/apache2 restart', apache_action: 'restart' });
    expect(at(15).extra).toMatchObject({ apache_action: 'stop', unit_state: 'stopping' });
    expect(at(18).extra).toMatchObject({ apache_action: 'start', unit_state: 'started' });
    expect(at(19)).toMatchObject({ user: 'bob', severity: 'warn' });
    expect(at(19).extra).toMatchObject({ attempts: 3, command: '/bin/bash', run_as: 'root' });
    expect(at(20)).toMatchObject({ user: 'mallory' });
    expect(at(20).extra['reason']).toBe('user NOT in sudoers');
  });

  it('extracts su fields', () => {
    expect(at(21)).toMatchObject({ user: 'alice' });
    expect(at(21).extra['target_user']).toBe('root');
    expect(at(22)).toMatchObject({ user: 'alice' });
    expect(at(22).extra).toMatchObject({ tty: 'pts/0', target_user: 'root' });
    expect(at(23)).toMatchObject({ user: 'bob', severity: 'warn' });
    expect(at(24)).toMatchObject({ user: 'bob' });
    expect(at(25)).toMatchObject({ user: 'alice' });
    expect(at(25).extra).toMatchObject({ target_user: 'root', tty: 'pts/0' });
  });

  it('extracts account changes', () => {
    expect(at(26)).toMatchObject({ user: 'backdoor' });
    expect(at(26).extra).toMatchObject({ uid: '1002', gid: '1002', home: '/home/backdoor', shell: '/bin/bash', from: '/dev/pts/0' });
    expect(at(27)).toMatchObject({ user: 'backdoor' });
    expect(at(27).extra).toMatchObject({ group: 'sudo', group_action: 'add' });
    expect(at(28)).toMatchObject({ user: 'backdoor' });
    expect(at(29)).toMatchObject({ user: 'olduser' });
  });

  it('recognises the monit Apache DOS line from any program', () => {
    expect(at(30)).toMatchObject({ program: 'root', srcIp: '198.51.100.77', severity: 'warn' });
  });
});

describe('sshd message variants', () => {
  const e = (msg: string) => enrichAuthMessage('sshd', null, msg);
  it('defeats user-name injection', () => {
    expect(e('Failed password for invalid user from 10.10.1.1 from 127.0.0.1 port 58946 ssh2')).toMatchObject({ srcIp: '127.0.0.1', user: 'from 10.10.1.1' });
    expect(e('Failed password for invalid user test from 127.0.0.1 port 58946 ssh2: from 10.10.1.2 port 55555 ssh2')).toMatchObject({ srcIp: '127.0.0.1', user: 'test' });
    expect(e('Connection closed by authenticating user test 127.0.0.1 port 12345 192.0.2.11 port 46039')).toMatchObject({
      srcIp: '192.0.2.11',
      user: 'test 127.0.0.1 port 12345',
    });
  });

  it('keeps host names apart from IPs', () => {
    const r = e('error: PAM: Authentication failure for stefanor from example.com');
    expect(r).toMatchObject({ kind: 'ssh_failed', srcIp: null, user: 'stefanor' });
    expect(r?.extra['remote_host']).toBe('example.com');
  });

  it('normalises IPv4-mapped IPv6 and reads IPv6', () => {
    expect(e('ROOT LOGIN REFUSED FROM ::ffff:1.2.3.4')?.srcIp).toBe('1.2.3.4');
    expect(e('Failed password for root from 2001:db8::1 port 22 ssh2')).toMatchObject({ srcIp: '2001:db8::1', srcPort: 22 });
  });

  it('handles the old and new "too many failures" forms', () => {
    expect(e('Disconnecting: Too many authentication failures for root')).toMatchObject({ kind: 'ssh_too_many_failures', user: 'root', srcIp: null });
    expect(e('Disconnecting authenticating user root 1.2.3.4 port 5: Too many authentication failures')).toMatchObject({
      kind: 'ssh_too_many_failures',
      srcIp: '1.2.3.4',
    });
  });

  it('sshd-session and sshd-auth use the same rules', () => {
    expect(enrichAuthMessage('sshd-session', null, 'Accepted password for bob from 192.0.2.1 port 22 ssh2')?.kind).toBe('ssh_accepted');
    expect(enrichAuthMessage('/usr/sbin/sshd', null, 'Accepted password for bob from 192.0.2.1 port 22 ssh2')?.kind).toBe('ssh_accepted');
  });

  it('falls back to ssh_other', () => {
    expect(e('Server listening on 0.0.0.0 port 22.')?.kind).toBe('ssh_other');
  });
});

describe('PAM key/value parsing', () => {
  it('picks the rhost that precedes user= or the end', () => {
    expect(parsePamKv('logname= uid=0 euid=0 tty=xxx ruser=test rhost=192.0.2.151 rhost=192.0.2.1')).toMatchObject({
      rhost: '192.0.2.1',
      ruser: 'test rhost=192.0.2.151',
      user: null,
    });
    expect(parsePamKv('logname= uid=0 euid=0 tty=xxx ruser= rhost=192.0.2.2 user=test rhost=192.0.2.152')).toMatchObject({
      rhost: '192.0.2.2',
      ruser: '',
      user: 'test rhost=192.0.2.152',
    });
    expect(parsePamKv('logname= uid=0 euid=0 tty=ssh ruser= rhost=h.example  user=root')).toMatchObject({ rhost: 'h.example', user: 'root', tty: 'ssh' });
  });

  it('handles old-style (pam_unix) and prog(pam_unix) tags', () => {
    expect(ok('Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4')).toMatchObject({
      kind: 'pam_auth_failure',
      program: 'sshd',
      pid: 19939,
      srcIp: '218.188.2.4',
    });
    expect(ok('Jun 21 16:50:00 machine test-demo(pam_unix) F2B: failure from 192.0.2.3').kind).toBe('syslog');
  });
});

describe('Apache actions in command lines', () => {
  it.each([
    ['/etc/init.d/apache2 restart', 'restart'],
    ['service apache2 stop', 'stop'],
    ['systemctl reload apache2.service', 'reload'],
    ['/usr/sbin/apache2ctl graceful', 'graceful'],
    ['apachectl -k graceful-stop', 'stop'],
    ['httpd -k start', 'start'],
    ['killall apache2', 'kill'],
    ['pkill -9 httpd', 'kill'],
    ['invoke-rc.d apache2 force-reload', 'reload'],
  ])('%s → %s', (cmd, action) => {
    expect(apacheActionFromCommand(cmd)).toBe(action);
  });

  it.each(['/bin/ls -la', 'vi /etc/apache2/apache2.conf', 'cat /etc/init.d/apache2', 'systemctl restart nginx'])('%s → null', (cmd) => {
    expect(apacheActionFromCommand(cmd)).toBeNull();
  });

  it('flags cron commands and systemd reloads too', () => {
    expect(ok('May  5 03:00:01 h CRON[1]: (root) CMD (service apache2 graceful)').extra['apache_action']).toBe('graceful');
    expect(ok('May  5 03:00:01 h systemd[1]: Reloaded The Apache HTTP Server.').extra['apache_action']).toBe('reload');
    expect(ok('May  5 03:00:01 h systemd[1]: Started apache2.service - The Apache HTTP Server.').extra['apache_action']).toBe('start');
  });
});

describe('dropbear', () => {
  it('reads quoted users and ip:port', () => {
    expect(ok("Mar 24 15:25:51 buffalo1 dropbear[4092]: bad password attempt for 'root' from 198.51.100.87:5543")).toMatchObject({
      kind: 'ssh_failed',
      user: 'root',
      srcIp: '198.51.100.87',
      srcPort: 5543,
    });
    expect(
      ok("Jul 10 23:57:29 t dropbear[825]: [825] Jul 10 23:57:29 Exit before auth from <192.0.2.3:52289>: (user 'root', 10 fails): Max auth tries reached - user 'root'"),
    ).toMatchObject({ kind: 'ssh_too_many_failures', srcIp: '192.0.2.3', srcPort: 52289 });
  });
});

describe('fail2ban through syslog', () => {
  it('parses bans logged to syslog', () => {
    expect(ok('Sep 16 00:44:55 spaceman fail2ban.actions: NOTICE [jail] Ban 10.0.0.7')).toMatchObject({ kind: 'f2b_ban', srcIp: '10.0.0.7', severity: 'notice' });
    const e = ok('Mar 05 08:41:28 test.org fail2ban-server[11524]: fail2ban.actions        [11524]: NOTICE  [postfix-auth] Ban 192.0.2.2');
    expect(e).toMatchObject({ kind: 'f2b_ban', srcIp: '192.0.2.2' });
    expect(e.extra['jail']).toBe('postfix-auth');
  });
});

describe('sshd correlator', () => {
  it('fills the address of later lines of the same sshd process', () => {
    const c = createSshdCorrelator();
    const lines = [
      'Feb 12 04:09:18 localhost sshd[26713]: Connection from 115.249.163.77 port 51353 on 127.0.0.1 port 22',
      'Feb 12 04:09:21 localhost sshd[26713]: Disconnecting: Too many authentication failures [preauth]',
      'Feb 12 04:09:21 localhost sshd[26714]: Disconnecting: Too many authentication failures [preauth]',
      'Feb 12 04:09:22 localhost sshd[26713]: Connection closed by 115.249.163.77 port 51353 [preauth]',
      'Feb 12 04:09:23 localhost sshd[26713]: fatal: Read from socket failed: Connection reset by peer',
    ].map((l) => c.apply(ok(l)));
    expect(lines[1]).toMatchObject({ srcIp: '115.249.163.77', srcPort: 51353 });
    expect(lines[1]?.extra['src_ip_source']).toBe('pid_correlation');
    expect(lines[2]?.srcIp).toBeNull();
    expect(lines[4]?.srcIp).toBeNull(); // forgotten after the connection closed
    expect(c.size()).toBe(0);
  });
});
