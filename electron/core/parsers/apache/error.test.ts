import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../../../shared/domain/parsed';
import { levelSeverity, parseErrorLine } from './error';

const lines = readFileSync(fileURLToPath(new URL('./fixtures/error-variants.log', import.meta.url)), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);

function line(i: number): string {
  const l = lines[i];
  if (l === undefined) {
    throw new Error(`no fixture line ${i}`);
  }
  return l;
}

function ok(text: string): ParsedEvent {
  const r = parseErrorLine(text);
  if (!r.ok) {
    throw new Error(`expected ok for ${JSON.stringify(text)}: ${r.reason}`);
  }
  return r.event;
}

describe('parseErrorLine: layouts', () => {
  it('parses every fixture line', () => {
    for (const l of lines) {
      const r = parseErrorLine(l);
      expect(r.ok ? 'ok' : r.reason, l).toBe('ok');
    }
  });

  it('2.2 layout', () => {
    const e = ok(line(0));
    expect(e.time).toEqual({
      kind: 'local',
      year: 2010,
      month: 5,
      day: 5,
      hour: 13,
      minute: 42,
      second: 45,
      millis: 0,
      text: 'Sun May 05 13:42:45 2010',
    });
    expect(e.severity).toBe('error');
    expect(e.srcIp).toBe('192.0.2.1');
    expect(e.srcPort).toBeNull();
    expect(e.kind).toBe('apache_file_not_found');
    expect(e.extra['file']).toBe('/var/www/favicon.ico');
    expect(e.message).toBe('File does not exist: /var/www/favicon.ico');
    expect(e.pid).toBeNull();
  });

  it('2.4 layout with module, pid:tid, client ip:port and AH code', () => {
    const e = ok(line(1));
    expect(e.time?.kind === 'local' && e.time.millis).toBeCloseTo(123.456, 6);
    expect(e.extra['module']).toBe('core');
    expect(e.pid).toBe(123);
    expect(e.tid).toBe(456);
    expect(e.srcIp).toBe('192.0.2.1');
    expect(e.srcPort).toBe(5678);
    expect(e.extra['ah_code']).toBe('AH00128');
    expect(e.message).toBe('AH00128: File does not exist: /var/www/x');
    expect(e.kind).toBe('apache_file_not_found');
    expect(e.extra['file']).toBe('/var/www/x');
  });

  it('pid without tid, denied', () => {
    const e = ok(line(2));
    expect(e.pid).toBe(124);
    expect(e.tid).toBeNull();
    expect(e.kind).toBe('apache_denied');
    expect(e.extra['file']).toBe('/srv/private');
    expect(e.time?.kind === 'local' && e.time.millis).toBeCloseTo(0.001, 9);
  });

  it('[remote ...] and user not found', () => {
    const e = ok(line(3));
    expect(e.srcIp).toBe('192.0.2.3');
    expect(e.srcPort).toBe(80);
    expect(e.kind).toBe('apache_auth_failure');
    expect(e.user).toBe('mallory');
    expect(e.time?.kind === 'local' && e.time.millis).toBe(500);
  });

  it('2.2 IPv6 client without port, authentication failure', () => {
    const e = ok(line(4));
    expect(e.srcIp).toBe('2001:db8::1');
    expect(e.srcPort).toBeNull();
    expect(e.kind).toBe('apache_auth_failure');
    expect(e.user).toBe('bob');
  });

  it('2.4 IPv6 client with port, bare and bracketed', () => {
    const a = ok(line(5));
    expect(a.srcIp).toBe('2001:db8::1');
    expect(a.srcPort).toBe(51234);
    expect(a.severity).toBe('info');
    const b = ok(line(6));
    expect(b.srcIp).toBe('2001:db8::2');
    expect(b.srcPort).toBe(51235);
  });

  it('ModSecurity', () => {
    const e = ok(line(7));
    expect(e.kind).toBe('modsecurity');
    expect(e.extra['rule_id']).toBe('942100');
    expect(e.extra['unique_id']).toBe('ZGVtb0BleGFtcGxlLm9yZzEyMw');
    expect(e.extra['msg']).toBe('SQL Injection Attack');
    expect(e.extra['uri']).toBe('/item.php');
  });

  it('referer suffix', () => {
    const e = ok(line(8));
    expect(e.http?.referer).toBe('http://www.example.org/');
    expect(e.message).toBe('File does not exist: /var/www/wp-login.php');
    expect(e.extra['file']).toBe('/var/www/wp-login.php');
  });

  it('lifecycle notices', () => {
    expect(ok(line(9)).kind).toBe('apache_stop');
    expect(ok(line(9)).extra['signal']).toBe('SIGTERM');
    expect(ok(line(9)).severity).toBe('notice');
    expect(ok(line(10)).kind).toBe('apache_restart');
    expect(ok(line(10)).extra['signal']).toBe('SIGHUP');
    expect(ok(line(11)).kind).toBe('apache_graceful_restart');
    expect(ok(line(11)).extra['signal']).toBe('SIGUSR1');
    const start = ok(line(12));
    expect(start.kind).toBe('apache_start');
    expect(start.extra['server_version']).toBe('Apache/2.4.57 (Debian) OpenSSL/3.0.11');
    expect(start.extra['module']).toBe('mpm_event');
    const cmd = ok(line(13));
    expect(cmd.kind).toBe('apache_start');
    expect(cmd.extra['command_line']).toBe("'/usr/sbin/apache2'");
    expect(ok(line(24)).kind).toBe('apache_graceful_restart');
  });

  it('child crash', () => {
    const e = ok(line(14));
    expect(e.kind).toBe('apache_child_crash');
    expect(e.extra['child_pid']).toBe(4242);
    expect(e.extra['signal_name']).toBe('Segmentation fault');
    expect(e.extra['signal_no']).toBe(11);
    expect(e.extra['coredump_dir']).toBe('/tmp/apache');
  });

  it('MaxClients, MaxRequestWorkers, busy', () => {
    expect(ok(line(15)).kind).toBe('apache_maxclients');
    expect(ok(line(16)).kind).toBe('apache_maxclients');
    expect(ok(line(16)).extra['ah_code']).toBe('AH00161');
    expect(ok(line(17)).kind).toBe('apache_busy');
  });

  it('Apache 1.3 start and double-space day', () => {
    const e = ok(line(18));
    expect(e.kind).toBe('apache_start');
    expect(e.extra['server_version']).toBe('Apache/1.3.27 (Unix)  (Red-Hat/Linux)');
    const h = ok(line(19));
    expect(h.kind).toBe('apache_restart');
    expect(h.time?.kind === 'local' && h.time.day).toBe(1);
    expect(h.time?.text).toBe('Sun Aug  1 04:02:10 2004');
  });

  it('other messages are apache_error', () => {
    expect(ok(line(20)).kind).toBe('apache_error');
  });

  it('(errno)Text: before the client bracket', () => {
    const e = ok(line(21));
    expect(e.extra['errno']).toBe(13);
    expect(e.extra['os_error']).toBe('(13)Permission denied');
    expect(e.srcIp).toBe('192.0.2.11');
    expect(e.extra['ah_code']).toBe('AH00035');
  });

  it('trace levels map to debug; source file prefix stays in the message', () => {
    const e = ok(line(22));
    expect(e.severity).toBe('debug');
    expect(e.srcIp).toBeNull();
    expect(e.message.startsWith('ssl_engine_io.c(2283): ')).toBe(true);
  });

  it('graceful stop (SIGWINCH) is a stop', () => {
    const e = ok(line(23));
    expect(e.kind).toBe('apache_stop');
    expect(e.extra['signal']).toBe('SIGWINCH');
    expect(e.extra['graceful']).toBe(true);
  });

  it('digest user in realm', () => {
    const e = ok(line(25));
    expect(e.kind).toBe('apache_auth_failure');
    expect(e.user).toBe('carol');
  });

  it('host name clients', () => {
    const e = ok(line(26));
    expect(e.srcIp).toBeNull();
    expect(e.extra['client_host']).toBe('host.example.net');
  });

  it('syslog-relayed lines', () => {
    const e = ok(line(27));
    expect(e.host).toBe('web01');
    expect(e.program).toBe('httpd');
    expect(e.pid).toBe(2203);
    expect(e.time).toMatchObject({ kind: 'local', year: null, month: 3, day: 12, hour: 8, minute: 15, second: 13 });
    expect(e.kind).toBe('apache_denied');
    expect(e.srcIp).toBe('192.0.2.14');
  });

  it('level names', () => {
    expect(levelSeverity('emerg')).toBe('emerg');
    expect(levelSeverity('alert')).toBe('alert');
    expect(levelSeverity('crit')).toBe('crit');
    expect(levelSeverity('warn')).toBe('warn');
    expect(levelSeverity('trace8')).toBe('debug');
    expect(levelSeverity('trace9')).toBeNull();
  });

  it('authorization failures and the DoS-vector line', () => {
    const a = ok('[Sat Jul 20 21:42:44.304159 2013] [authz_core:error] [pid 1:tid 2] [client 127.0.0.1:51397] AH01631: user alice: authorization failure for "/x": ');
    expect(a.kind).toBe('apache_authz_failure');
    expect(a.user).toBe('alice');
    const b = ok('[Sat Jun 01 02:17:42 2013] [error] [client 192.0.2.33] File does not exist: /srv/http/site/[client 192.0.2.34] user root not found');
    expect(b.srcIp).toBe('192.0.2.33');
    expect(b.kind).toBe('apache_file_not_found');
    expect(b.user).toBeNull();
  });
});

describe('parseErrorLine: failures and hostile input', () => {
  it('rejects non-error-log lines', () => {
    for (const bad of [
      '',
      '[Sun May 05 13:42',
      '[not a date] [error] x',
      '[Sun Foo 05 13:42:45 2010] [error] x',
      '[Sun May 32 13:42:45 2010] [error] x',
      '[Sun May 05 25:42:45 2010] [error] x',
      '192.0.2.1 - - [01/Jan/2020:00:00:00 +0000] "GET / HTTP/1.1" 200 1',
      'Mar 12 08:15:13 host sshd[1]: Accepted password for root',
      'Mar 12 08:15:13 host kernel: [  970.690000] usb 1-1: new high-speed USB device',
      'Mar 12 08:15:13 host app[3]: [client 192.0.2.1] no level bracket',
    ]) {
      expect(parseErrorLine(bad).ok, bad).toBe(false);
    }
  });

  it('1 MB, NUL, ANSI, surrogates, script tags', () => {
    const long = 'x'.repeat(1 << 20);
    const e = ok(`[Sun May 05 13:42:45 2010] [error] [client 192.0.2.1] ${long}\u0000\u001b[31m<script>\ud800`);
    expect(e.message.length).toBe(long.length + 15);
    expect(parseErrorLine(`[${long}`).ok).toBe(false);
    expect(parseErrorLine('['.repeat(1 << 20)).ok).toBe(false);
    expect(parseErrorLine(`[Sun May 05 13:42:45 2010] ${'[client '.repeat(100000)}`).ok).toBe(true);
  });
});

describe('parseErrorLine: properties', () => {
  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) })), (s) => {
        expect(typeof parseErrorLine(s).ok).toBe('boolean');
        expect(typeof parseErrorLine(`[Sun May 05 13:42:45 2010] ${s}`).ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on mutated valid lines; extracted fields are substrings', () => {
    const alphabet = fc.constantFrom(' ', '[', ']', ':', '(', ')', '.', '0', '9', 'a', ',', '\u0000', '\udc00');
    fc.assert(
      fc.property(
        fc.record({ l: fc.constantFrom(...lines), at: fc.nat(), del: fc.nat({ max: 8 }), ins: fc.string({ unit: alphabet, maxLength: 6 }) }),
        ({ l, at, del, ins }) => {
          const i = at % (l.length + 1);
          const m = l.slice(0, i) + ins + l.slice(i + del);
          const r = parseErrorLine(m);
          if (r.ok) {
            const e = r.event;
            for (const v of [e.srcIp, e.user, e.host, e.program, e.time?.text, e.message, e.http?.referer, ...Object.values(e.extra)]) {
              if (typeof v === 'string') {
                expect(m.includes(v), v).toBe(true);
              }
            }
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
