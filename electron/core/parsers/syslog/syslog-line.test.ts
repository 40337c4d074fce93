import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../../../shared/domain/parsed';
import { authLogFormat, sniffAuthScore, sniffScore, syslogFormat } from './index';
import { parseSyslogLine } from './syslog-line';

function ok(line: string): ParsedEvent {
  const r = parseSyslogLine(line);
  if (!r.ok) {
    throw new Error(`expected a parse: ${r.reason} — ${line}`);
  }
  return r.event;
}

const variants = readFileSync(new URL('./fixtures/syslog-variants.log', import.meta.url), 'utf8').split('\n').filter((l) => l !== '');

describe('parseSyslogLine — RFC 3164', () => {
  it('parses the classic header', () => {
    const e = ok('May  5 13:42:45 host prog[123]: hello world');
    expect(e.time).toEqual({ kind: 'local', year: null, month: 5, day: 5, hour: 13, minute: 42, second: 45, millis: 0, text: 'May  5 13:42:45' });
    expect(e).toMatchObject({ kind: 'syslog', host: 'host', program: 'prog', pid: 123, message: 'hello world', severity: null });
  });

  it('reads PRI into severity and facility', () => {
    const e = ok(variants[0] ?? '');
    expect(e.severity).toBe('crit');
    expect(e.extra['facility']).toBe('auth');
    expect(e.extra['pri']).toBe(34);
    expect(e.kind).toBe('su_failed');
    expect(e.user).toBe('lonvick');
  });

  it('rejects PRI > 191 and malformed PRI', () => {
    expect(parseSyslogLine('<3444>Oct 11 22:14:15 mymachine su: x').ok).toBe(false);
    expect(parseSyslogLine('<190)1 2003-10-11T22:14:15.003Z h a - - - m').ok).toBe(false);
    expect(parseSyslogLine('<7>unparsable line').ok).toBe(false);
  });

  it('handles FreeBSD -v and -vv tags after the stamp', () => {
    const v = ok(variants[4] ?? '');
    expect(v).toMatchObject({ host: 'pancake', program: 'sshd', pid: 55624, severity: 'error', kind: 'ssh_invalid_user', srcIp: '192.0.2.100' });
    expect(v.extra['facility']).toBe('auth');
    const vv = ok(variants[5] ?? '');
    expect(vv).toMatchObject({ host: 'pancake', severity: 'info', srcIp: '183.60.159.20', user: 'r00t' });
  });

  it('understands repeats, with and without host', () => {
    const a = ok(variants[6] ?? '');
    expect(a).toMatchObject({ kind: 'syslog_repeat', host: null, program: null });
    expect(a.extra['repeat_count']).toBe(5);
    const b = ok(variants[7] ?? '');
    expect(b).toMatchObject({ kind: 'syslog_repeat', host: 'avas', program: null });
    expect(b.extra['repeat_count']).toBe(11);
    const c = ok('Mar 24 14:26:01 --- last message repeated 2 times ---');
    expect(c.extra['repeat_count']).toBe(2);
  });

  it('keeps the kind of an rsyslog repeat whose content is an auth failure', () => {
    const e = ok('Dec 10 09:32:20 LabSZ sshd[24680]: message repeated 5 times: [ Failed password for root from 112.95.230.3 port 42460 ssh2]');
    expect(e).toMatchObject({ kind: 'ssh_failed', srcIp: '112.95.230.3', user: 'root' });
    expect(e.extra['repeat_count']).toBe(5);
  });

  it('strips kernel uptime prefixes and handles host-less lines', () => {
    const e = ok(variants[8] ?? '');
    expect(e).toMatchObject({ host: null, program: 'kernel', message: 'sda2: rw=0, want=65, limit=2' });
    expect(e.extra['kernel_time']).toBe(997.390602);
    const d = ok(variants[9] ?? '');
    expect(d).toMatchObject({ host: null, program: 'dropbear', pid: 1252, srcIp: '198.51.100.215', srcPort: 60495 });
  });

  it('reads French and German month names', () => {
    expect(ok(variants[10] ?? '').time).toMatchObject({ kind: 'local', month: 8, day: 19 });
    expect(ok(variants[11] ?? '').time).toMatchObject({ kind: 'local', month: 12, day: 24 });
    expect(ok('Mär  1 10:00:00 h p: x').time).toMatchObject({ month: 3 });
    expect(ok('déc. 31 23:59:59 h p: x').time).toMatchObject({ month: 12, day: 31 });
    expect(ok('D\ufffdc 31 23:59:59 h p: x').time).toMatchObject({ month: 12 });
  });

  it('handles the bracketed stamp, vserver and nested daemon of the fail2ban generic example', () => {
    const e = ok(variants[12] ?? '');
    expect(e).toMatchObject({ host: 'machine', program: 'kernel', srcIp: '192.0.2.3', severity: 'info' });
    expect(e.time).toMatchObject({ month: 6, day: 21, hour: 16, minute: 55, second: 3 });
  });

  it('accepts two-word program names seen in the wild', () => {
    expect(ok(variants[13] ?? '')).toMatchObject({ program: 'syslogd 1.4.1', message: 'restart.' });
    expect(ok(variants[14] ?? '')).toMatchObject({ program: '-- root', pid: 2421, message: 'ROOT LOGIN ON tty2' });
    // A bracketed number after a word is not a version (fuzz counterexample): no program made of the
    // two, whose name would not be in the line; the text stays in the message.
    const line = 'May  5 13:44:02 web1 p [4202]: passwd:chauthtok): password changed for backdoor';
    const e = ok(line);
    expect(e.program).toBeNull();
    expect(e.message).toBe('p [4202]: passwd:chauthtok): password changed for backdoor');
  });

  it('strips Solaris [ID n fac.sev] and keeps its severity', () => {
    const e = ok(variants[15] ?? '');
    expect(e).toMatchObject({ kind: 'ssh_failed', severity: 'info', srcIp: '205.186.180.30', srcPort: 54520, user: 'james' });
    expect(e.extra['solaris_msgid']).toBe(800047);
  });

  it('reads macOS <Level> and ChromeOS level columns', () => {
    expect(ok(variants[16] ?? '')).toMatchObject({ program: 'sockerfilterfw', pid: 1985, severity: 'info', message: 'launchd Allow TCP LISTEN (in:0 out:2)' });
    const c = ok(variants[17] ?? '');
    expect(c).toMatchObject({ host: null, program: 'kernel', severity: 'warn' });
    expect(c.time).toMatchObject({ kind: 'absolute', offsetMinutes: -420 });
  });

  it('parses a message without program as host + message', () => {
    expect(ok('Jan 22 07:54:32 myhost Job `cron.daily\' terminated')).toMatchObject({ host: 'myhost', program: null, message: "Job `cron.daily' terminated" });
  });

  it('keeps IPv6 host names', () => {
    expect(ok('Mar  8 15:18:40 127:0:ab::1 sshd: unauthorized request')).toMatchObject({ host: '127:0:ab::1', program: 'sshd' });
  });

  it('accepts Feb 29 and fractional seconds, rejects Feb 30 and bad months', () => {
    expect(ok('Feb 29 01:15:43: --- testing leap year ---').time).toMatchObject({ month: 2, day: 29 });
    expect(ok('Mar 23 23:01:18.123 h p[1]: x').time).toMatchObject({ second: 18, millis: 123 });
    expect(parseSyslogLine('Feb 30 01:15:43 h p: x').ok).toBe(false);
    expect(parseSyslogLine('MMM 22 07:54:32 h p: x').ok).toBe(false);
    expect(parseSyslogLine('May 5 25:00:00 h p: x').ok).toBe(false);
  });

  it('rejects continuation lines', () => {
    expect(parseSyslogLine('\tmany syslog parsers.').ok).toBe(false);
    expect(parseSyslogLine('').ok).toBe(false);
    expect(parseSyslogLine('Header1: abc').ok).toBe(false);
  });
});

describe('parseSyslogLine — ISO and RFC 5424', () => {
  it('parses RFC 5424 with nil values and msgid', () => {
    const e = ok(variants[1] ?? '');
    expect(e).toMatchObject({ host: 'mymachine.example.com', program: 'su', pid: null, severity: 'crit', kind: 'su_failed' });
    expect(e.extra['msgid']).toBe('ID47');
    expect(e.time).toEqual({ kind: 'absolute', epochMs: Date.UTC(2003, 9, 11, 22, 14, 15, 3), offsetMinutes: 0, text: '2003-10-11T22:14:15.003Z' });
  });

  it('parses structured data with escaped brackets', () => {
    const e = ok(variants[2] ?? '');
    expect(e.extra['structured_data']).toBe('[exampleSDID@32473 iut="3" eventID="10\\] 11"]');
    expect(e.message).toBe('An application event');
    expect(e.pid).toBe(8710);
    expect(e.severity).toBe('notice');
    expect(e.time).toMatchObject({ kind: 'absolute', offsetMinutes: -420, epochMs: Date.UTC(2003, 7, 24, 12, 14, 15, 0) + 0.003 });
  });

  it('parses rsyslog high-precision stamps as absolute', () => {
    const e = ok(variants[3] ?? '');
    expect(e.time).toMatchObject({ kind: 'absolute', offsetMinutes: 120 });
    if (e.time?.kind === 'absolute') {
      expect(e.time.epochMs).toBeCloseTo(Date.UTC(2024, 4, 5, 11, 42, 45, 123) + 0.456, 3);
    }
    expect(e).toMatchObject({ host: 'web1', program: 'nginx', pid: 1, message: 'started' });
  });

  it('parses zone-less ISO stamps as local with year, and UTC/GMT names as absolute', () => {
    expect(ok('2005-06-21 16:55:09 machine test-demo[1]: x').time).toMatchObject({ kind: 'local', year: 2005, month: 6, day: 21 });
    expect(ok('2005-06-21 14:55:10 UTC machine test-demo[1]: x').time).toMatchObject({ kind: 'absolute', epochMs: Date.UTC(2005, 5, 21, 14, 55, 10) });
  });

  it('gives time null for year-0 placeholders but still parses the line', () => {
    const e = ok('0000-12-30 00:00:00 server test-demo[47831]:  F2B: failure from 192.0.2.1');
    expect(e.time).toBeNull();
    expect(e.extra['time_invalid']).toBe('0000-12-30 00:00:00');
    expect(e.srcIp).toBe('192.0.2.1');
  });

  it('does not take fail2ban.log lines (comma milliseconds) as syslog', () => {
    expect(parseSyslogLine('2024-05-05 13:42:45,123 fail2ban.actions        [1234]: NOTICE  [sshd] Ban 1.2.3.4').ok).toBe(false);
  });

  it('accepts a 5424 body after an ISO stamp without PRI/version', () => {
    const e = ok('2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3"] msg');
    expect(e).toMatchObject({ program: 'evntslog', message: 'msg' });
    expect(e.extra['msgid']).toBe('ID47');
  });
});

describe('hostile content', () => {
  it('keeps ANSI escapes, markup and formula prefixes verbatim in fields', () => {
    const line = 'May  5 13:42:45 <script>alert(1)</script> =cmd|calc[1]: \u001b[31mred\u001b[0m <img src=x> =HYPERLINK("x")';
    const e = ok(line);
    expect(e.host).toBe('<script>alert(1)</script>');
    expect(e.message).toContain('\u001b[31mred');
    expect(line).toContain(e.message);
  });

  it('survives NUL bytes and a 1 MB line', () => {
    const nul = ok('May  5 13:42:45 host prog[1]: a\u0000b');
    expect(nul.message).toBe('a\u0000b');
    const big = `May  5 13:42:45 host sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2 ${'A'.repeat(1 << 20)}`;
    const t0 = Date.now();
    const e = ok(big);
    expect(e.message.length).toBeGreaterThan(1 << 20);
    expect(e.kind).toBe('syslog'); // too long to enrich
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(parseSyslogLine('<'.repeat(1 << 20)).ok).toBe(false);
    expect(parseSyslogLine(`May  5 13:42:45 ${'['.repeat(1 << 20)}`).ok).toBe(true);
  });
});

describe('formats', () => {
  it('exports syslog and auth descriptors sharing the parser', () => {
    expect(syslogFormat).toMatchObject({ id: 'syslog', sourceKind: 'syslog' });
    expect(authLogFormat).toMatchObject({ id: 'auth', sourceKind: 'auth' });
    expect(authLogFormat.parse).toBe(syslogFormat.parse);
  });

  it('sniffs the fraction of parsed non-empty lines', () => {
    expect(sniffScore(['May  5 13:42:45 h p: x', '', 'garbage'])).toBe(0.5);
    expect(sniffScore([])).toBe(0);
    const auth = readFileSync(new URL('./fixtures/auth-sample.log', import.meta.url), 'utf8').split('\n');
    expect(sniffScore(auth)).toBe(1);
    expect(sniffAuthScore(auth)).toBeGreaterThan(syslogFormat.sniffScore(auth));
    const plain = ['May  5 13:42:45 h kernel: x', 'May  5 13:42:46 h dhclient: y'];
    expect(syslogFormat.sniffScore(plain)).toBeGreaterThan(authLogFormat.sniffScore(plain));
  });
});
