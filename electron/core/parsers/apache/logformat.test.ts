import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LineParser, ParsedEvent } from '../../../../shared/domain/parsed';
import { parseAccessLine } from './access';
import { NAMED_LOG_FORMATS, compileLogFormat } from './logformat';

function compile(format: string): { parser: LineParser; fields: string[] } {
  const c = compileLogFormat(format);
  if (!c.ok) {
    throw new Error(`compile failed for ${format}: ${c.error}`);
  }
  return c;
}

function ok(parser: LineParser, line: string): ParsedEvent {
  const r = parser(line);
  if (!r.ok) {
    throw new Error(`expected ok for ${JSON.stringify(line)}: ${r.reason}`);
  }
  return r.event;
}

const BRIEF_COMBINED = '%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-agent}i\\"';
const COMBINED_LINE =
  '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?x=1 HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"';

describe('an offset of -0000', () => {
  it('is UTC with offset 0, not -0 (JSON has no -0), in the access parser and a compiled format', () => {
    const line = '192.0.2.1 - - [12/Mar/2022:08:15:09 -0000] "GET / HTTP/1.1" 200 67';
    for (const e of [ok(parseAccessLine, line), ok(compile('%h %l %u %t "%r" %>s %b').parser, line)]) {
      expect(e.time).toMatchObject({ kind: 'absolute', epochMs: Date.UTC(2022, 2, 12, 8, 15, 9) });
      const offset = e.time?.kind === 'absolute' ? e.time.offsetMinutes : undefined;
      expect(Object.is(offset, 0)).toBe(true);
      expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    }
  });
});

describe('compileLogFormat: input forms', () => {
  it('the combined format as escaped in a config file', () => {
    const c = compile(BRIEF_COMBINED);
    expect(c.fields).toEqual([
      'srcIp',
      'extra.ident',
      'user',
      'time',
      'http.request',
      'http.status',
      'http.bytes',
      'http.referer',
      'http.userAgent',
    ]);
    const e = ok(c.parser, COMBINED_LINE);
    expect(e.srcIp).toBe('127.0.0.1');
    expect(e.user).toBe('frank');
    expect(e.time).toEqual({ kind: 'absolute', epochMs: Date.UTC(2000, 9, 10, 20, 55, 36), offsetMinutes: -420, text: '10/Oct/2000:13:55:36 -0700' });
    expect(e.http).toEqual({
      method: 'GET',
      path: '/apache_pb.gif',
      query: 'x=1',
      protocol: 'HTTP/1.0',
      status: 200,
      bytes: 2326,
      referer: 'http://www.example.com/start.html',
      userAgent: 'Mozilla/4.08 [en] (Win98; I ;Nav)',
      vhost: null,
      durationUs: null,
    });
    expect(e.message).toBe('GET /apache_pb.gif?x=1 HTTP/1.0 (200)');
    expect(e.kind).toBe('http_request');
  });

  it('quoted, whole LogFormat / CustomLog lines and nicknames', () => {
    for (const input of [
      `"${BRIEF_COMBINED}"`,
      `LogFormat "${BRIEF_COMBINED}" combined`,
      'combined',
      'CustomLog ${APACHE_LOG_DIR}/access.log combined',
      `CustomLog "|/usr/bin/rotatelogs /var/log/a.%Y 86400" "${BRIEF_COMBINED}" env=!dontlog`,
      NAMED_LOG_FORMATS.combined,
    ]) {
      const c = compile(input);
      expect(c.fields.length, input).toBe(9);
      expect(ok(c.parser, COMBINED_LINE).http?.userAgent).toBe('Mozilla/4.08 [en] (Win98; I ;Nav)');
    }
  });

  it('a format that itself starts with a quote is not mistaken for config quoting', () => {
    const c = compile('"%{X-Forwarded-For}i" %h %t "%r" %>s');
    const e = ok(c.parser, '"198.51.100.2" 10.0.0.1 [01/Jan/2020:00:00:00 +0000] "GET / HTTP/1.1" 204');
    expect(e.extra['xff']).toBe('198.51.100.2');
    expect(e.srcIp).toBe('10.0.0.1');
    expect(e.http?.status).toBe(204);
  });

  it('named formats', () => {
    const v = compile(NAMED_LOG_FORMATS.vhost_combined);
    const e = ok(v.parser, 'www.example.org:443 192.0.2.1 - - [01/Feb/2021:00:00:01 +0100] "GET / HTTP/1.1" 200 512 "-" "curl/8"');
    expect(e.http?.vhost).toBe('www.example.org');
    expect(e.extra['server_port']).toBe(443);
    expect(e.http?.bytes).toBe(512);
    expect(e.extra['bytes_out']).toBe(512);
    const c = compile(NAMED_LOG_FORMATS.common);
    expect(ok(c.parser, '192.0.2.1 - - [01/Feb/2021:00:00:01 +0100] "GET / HTTP/1.1" 200 -').http?.bytes).toBeNull();
    const r = compile(NAMED_LOG_FORMATS.referer);
    const re = ok(r.parser, 'http://www.example.com/ -> /index.html');
    expect(re.http?.referer).toBe('http://www.example.com/');
    expect(re.http?.path).toBe('/index.html');
    expect(re.message).toBe('/index.html');
    const a = compile(NAMED_LOG_FORMATS.agent);
    const ae = ok(a.parser, 'Mozilla/5.0 (X11)');
    expect(ae.http?.userAgent).toBe('Mozilla/5.0 (X11)');
    expect(ae.time).toBeNull();
  });
});

describe('compileLogFormat: directives', () => {
  const fixture = readFileSync(fileURLToPath(new URL('./fixtures/logformat-custom.log', import.meta.url)), 'utf8').split('\n');
  const header = (fixture[0] ?? '').replace(/^# /, '');
  const c = compile(header);
  const lines = fixture.slice(1).filter((l) => l.length > 0);

  it('parses the custom fixture', () => {
    expect(lines.length).toBe(3);
    for (const l of lines) {
      const r = c.parser(l);
      expect(r.ok ? 'ok' : r.reason, l).toBe('ok');
    }
  });

  it('maps every directive', () => {
    const e = ok(c.parser, lines[0] ?? '');
    expect(e.http?.vhost).toBe('www.example.org');
    expect(e.srcIp).toBe('192.0.2.10');
    expect(e.extra['peer_ip']).toBe('10.0.0.1');
    expect(e.extra['local_ip']).toBe('10.0.0.5');
    expect(e.extra['server_port']).toBe(443);
    expect(e.srcPort).toBe(51544);
    expect(e.pid).toBe(1234);
    expect(e.tid).toBe(140000111);
    expect(e.time).toEqual({ kind: 'local', year: 2023, month: 7, day: 26, hour: 0, minute: 1, second: 26, millis: 123, text: '2023-07-26 00:01:26' });
    expect(e.http?.method).toBe('GET');
    expect(e.http?.path).toBe('/secure/board.jspa');
    expect(e.http?.query).toBe('view=1');
    expect(e.http?.protocol).toBe('HTTP/2.0');
    expect(e.http?.status).toBe(200);
    expect(e.http?.bytes).toBe(17163);
    expect(e.extra['bytes_in']).toBe(512);
    expect(e.extra['bytes_out']).toBe(17400);
    expect(e.http?.durationUs).toBe(116075);
    expect(e.extra['conn_status']).toBe('+');
    expect(e.extra['keepalive_requests']).toBe(3);
    expect(e.extra['log_id']).toBe('ZMFk3n8AAQEAAB2gK3oAAAAB');
    expect(e.extra['handler']).toBe('handler-x');
    expect(e.extra['filename']).toBe('/var/www/secure/board.jspa');
    expect(e.extra['unique_id']).toBe('ZMFk3n8AAQEAAB2gK3oAAAAA');
    expect(e.extra['xff']).toBe('198.51.100.1, 10.0.0.1');
    expect(e.extra['resp_header_content_type']).toBe('text/html; charset=UTF-8');
    expect(e.extra['cookie_session']).toBe('abc123');
    expect(e.http?.userAgent).toBeNull();
    expect(e.message).toBe('GET /secure/board.jspa?view=1 HTTP/2.0 (200)');
  });

  it('dashes are absent values; %{ms}T is used when %D is absent', () => {
    const e = ok(c.parser, lines[1] ?? '');
    expect(e.http?.bytes).toBeNull();
    expect(e.extra['bytes_out']).toBe(300);
    expect(e.extra['log_id']).toBeUndefined();
    expect(e.extra['unique_id']).toBeUndefined();
    expect(e.http?.userAgent).toBe('sqlmap/1.7 (https://sqlmap.org)');
    expect(e.severity).toBe('warn');
    const t = compile('%h %{ms}T %{us}T');
    expect(ok(t.parser, '192.0.2.1 5 7').http?.durationUs).toBe(5000);
    expect(ok(compile('%h %T').parser, '192.0.2.1 2').http?.durationUs).toBe(2_000_000);
  });

  it('escaped quotes inside a quoted field stay verbatim', () => {
    const e = ok(c.parser, lines[2] ?? '');
    expect(e.http?.userAgent).toBe('Mozilla/5.0 \\"quoted\\"');
    expect(e.extra['conn_status']).toBe('X');
    expect(e.severity).toBe('error');
  });

  it('%h host names, %a vs %h, %l, %u, %V', () => {
    const f = compile('%h %a %l %u %V');
    const e = ok(f.parser, 'proxy.example.net 192.0.2.5 ident1 bob www.example.org');
    expect(e.srcIp).toBe('192.0.2.5');
    expect(e.extra['client_host']).toBe('proxy.example.net');
    expect(e.extra['ident']).toBe('ident1');
    expect(e.user).toBe('bob');
    expect(e.http?.vhost).toBe('www.example.org');
  });

  it('%s, %>s, %<s and %!200s', () => {
    const f = compile('%<s %>s %!200s');
    const e = ok(f.parser, '302 200 -');
    expect(e.http?.status).toBe(200);
    expect(e.extra['status_original']).toBe(302);
  });

  it('%{pid}P, %{hextid}P, %%, unknown directives', () => {
    const f = compile('%{pid}P %{hextid}P 100%% %Z %{foo-bar}Y');
    expect(f.fields).toEqual(['pid', 'tid', 'extra.field_z', 'extra.field_y_foo_bar']);
    const e = ok(f.parser, '42 7f 100% zed why');
    expect(e.pid).toBe(42);
    expect(e.tid).toBe(127);
    expect(e.extra['field_z']).toBe('zed');
    expect(e.extra['field_y_foo_bar']).toBe('why');
  });

  it('request header names become snake_case keys', () => {
    const f = compile('%h "%{Accept-Language}i" "%{Host}i" %{HTTPS}e %{note}n %{X}^ti');
    expect(f.fields).toEqual(['srcIp', 'extra.req_header_accept_language', 'extra.req_header_host', 'extra.env_https', 'extra.note_note', 'extra.req_trailer_x']);
    const e = ok(f.parser, '192.0.2.1 "en-US,en;q=0.9" "www.example.org" on n1 t1');
    expect(e.extra['req_header_accept_language']).toBe('en-US,en;q=0.9');
    expect(e.extra['req_header_host']).toBe('www.example.org');
    expect(e.extra['env_https']).toBe('on');
  });
});

describe('compileLogFormat: time formats', () => {
  it('%{strftime}t with zone is absolute', () => {
    const f = compile('%h [%{%d/%b/%Y:%H:%M:%S %z}t] %>s');
    const e = ok(f.parser, '192.0.2.1 [10/Oct/2000:13:55:36 +0530] 200');
    expect(e.time).toEqual({ kind: 'absolute', epochMs: Date.UTC(2000, 9, 10, 8, 25, 36), offsetMinutes: 330, text: '10/Oct/2000:13:55:36 +0530' });
  });

  it('ISO-like with a space, without zone, is local and self-delimiting', () => {
    const f = compile('%{%Y-%m-%d %H:%M:%S}t %h %>s');
    const e = ok(f.parser, '2024-02-29 23:59:58 192.0.2.1 200');
    expect(e.time).toMatchObject({ kind: 'local', year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 58 });
    expect(e.srcIp).toBe('192.0.2.1');
  });

  it('begin:/end: prefixes and composite conversions', () => {
    const f = compile('%{begin:%F %T}t|%{end:%a, %e %B %Y %I:%M:%S %p %Z}t');
    const e = ok(f.parser, '2021-01-02 03:04:05|Sat,  2 January 2021 03:04:06 PM UTC');
    expect(e.time).toMatchObject({ kind: 'local', year: 2021, month: 1, day: 2, hour: 3 });
    expect(e.extra['time_2']).toBe('Sat,  2 January 2021 03:04:06 PM UTC');
  });

  it('epoch forms', () => {
    const s = ok(compile('%{sec}t %h').parser, '1700000000 192.0.2.1');
    expect(s.time).toEqual({ kind: 'absolute', epochMs: 1_700_000_000_000, offsetMinutes: null, text: '1700000000' });
    const ms = ok(compile('%{msec}t').parser, '1700000000123');
    expect(ms.time?.kind === 'absolute' && ms.time.epochMs).toBe(1_700_000_000_123);
    const us = ok(compile('%{usec}t').parser, '1700000000123456');
    expect(us.time?.kind === 'absolute' && us.time.epochMs).toBeCloseTo(1_700_000_000_123.456, 3);
  });

  it('%t followed by %{msec_frac}t and usec_frac', () => {
    const e = ok(compile('[%{%d/%b/%Y:%H:%M:%S}t.%{usec_frac}t] %h').parser, '[10/Oct/2000:13:55:36.250000] 192.0.2.1');
    expect(e.time).toMatchObject({ kind: 'local', second: 36, millis: 250 });
    const a = ok(compile('%t.%{msec_frac}t').parser, '[10/Oct/2000:13:55:36 +0000].007');
    expect(a.time?.kind === 'absolute' && a.time.epochMs).toBe(Date.UTC(2000, 9, 10, 13, 55, 36) + 7);
  });

  it('%y, %j and unsupported strftime falls back to text', () => {
    const y = ok(compile('%{%y%j %H%M%S}t').parser, '24060 120000');
    expect(y.time).toMatchObject({ year: 2024, month: 2, day: 29 });
    const q = compile('%{%Q}t %h');
    expect(q.fields[0]).toBe('extra.time_text_q');
  });
});

describe('compileLogFormat: errors and failures', () => {
  it('reports compile errors', () => {
    for (const bad of ['', '   ', 'no directives here', '%h %', '%{Referer i', '%h %-', '%^zz']) {
      const c = compileLogFormat(bad);
      expect(c.ok, bad).toBe(false);
      if (!c.ok) {
        expect(c.error.length).toBeGreaterThan(0);
      }
    }
  });

  it('rejects lines that do not fit, with a reason', () => {
    const f = compile(BRIEF_COMBINED);
    for (const bad of [
      '',
      'garbage',
      '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" abc 1 "-" "-"',
      '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1 "-" "trunc',
      '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP',
    ]) {
      const r = f.parser(bad);
      expect(r.ok, bad).toBe(false);
    }
    const r = f.parser('127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1 "-" "ua" extra stuff');
    expect(r.ok && r.event.extra['trailing']).toBe(' extra stuff');
  });
});

describe('compileLogFormat: agreement with parseAccessLine', () => {
  const variants = readFileSync(fileURLToPath(new URL('./fixtures/access-variants.log', import.meta.url)), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const combined = compile(NAMED_LOG_FORMATS.combined).parser;

  it('same fields on plain combined lines', () => {
    let compared = 0;
    for (const line of [COMBINED_LINE, ...variants]) {
      const a = parseAccessLine(line);
      const b = combined(line);
      if (!a.ok || !b.ok || Object.keys(a.event.extra).length > 0 || a.event.http?.userAgent === null || a.event.http?.vhost !== null) {
        continue;
      }
      compared++;
      expect(b.event.srcIp, line).toBe(a.event.srcIp);
      expect(b.event.user, line).toBe(a.event.user);
      expect(b.event.time, line).toEqual(a.event.time);
      // the access parser also gives its request line (HttpFields.request); the compiled format does not
      expect(b.event.http, line).toEqual({ ...a.event.http, request: undefined });
      expect(b.event.message, line).toBe(a.event.message);
    }
    expect(compared).toBeGreaterThanOrEqual(5);
  });
});

describe('compileLogFormat: properties', () => {
  const directive = fc.constantFrom(
    '%h', '%a', '%{c}a', '%A', '%l', '%u', '%t', '%r', '%>s', '%s', '%<s', '%b', '%B', '%I', '%O', '%D', '%T', '%{ms}T',
    '%{Referer}i', '%{User-agent}i', '%{X-Forwarded-For}i', '%{UNIQUE_ID}e', '%v', '%V', '%p', '%{remote}p', '%P',
    '%{tid}P', '%m', '%U', '%q', '%H', '%X', '%k', '%L', '%R', '%f', '%{%Y-%m-%d %H:%M:%S}t', '%{sec}t', '%{msec_frac}t',
    '%400,501{User-agent}i', '%Z', '%%',
  );
  const sep = fc.constantFrom(' ', ' "', '" ', '"', ' [', '] ', ':', ',', '', ' -> ', '|');
  const format = fc.array(fc.tuple(sep, directive), { minLength: 1, maxLength: 10 }).map((parts) => parts.map(([s, d]) => s + d).join(''));

  it('compile and parse never throw (random formats, random lines)', () => {
    fc.assert(
      fc.property(format, fc.string({ unit: fc.constantFrom(' ', '"', '[', ']', '-', '1', '0', 'a', '/', ':', '\\', '?', '.', '+') }), (fmt, line) => {
        const c = compileLogFormat(fmt);
        if (c.ok) {
          const r = c.parser(line);
          if (r.ok) {
            const e = r.event;
            const h = e.http;
            for (const v of [e.srcIp, e.user, e.time?.text, h?.method, h?.path, h?.query, h?.protocol, h?.referer, h?.userAgent, h?.vhost, ...Object.values(e.extra)]) {
              if (typeof v === 'string') {
                expect(line.includes(v), `${fmt} | ${line} | ${v}`).toBe(true);
              }
            }
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('compile never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const c = compileLogFormat(s);
        if (c.ok) {
          expect(typeof c.parser(s).ok).toBe('boolean');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips generated combined + %D lines', () => {
    const f = compile(`${NAMED_LOG_FORMATS.combined} %D`).parser;
    const word = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '/', '.', '-', '_', '%', '<', '>', '\\"', ' ', '='), minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(
        fc.record({
          ip: fc.oneof(fc.ipV4(), fc.ipV6()),
          user: fc.string({ unit: fc.constantFrom('a', 'b', '@', '.'), minLength: 1, maxLength: 8 }),
          path: word.map((w) => `/${w.split(' ').join('')}`),
          status: fc.integer({ min: 100, max: 599 }),
          bytes: fc.nat({ max: 10_000_000 }),
          referer: word,
          agent: word,
          d: fc.nat({ max: 100_000_000 }),
          epoch: fc.integer({ min: 0, max: 4_102_444_800 }),
        }),
        (v) => {
          const dt = new Date(v.epoch * 1000);
          const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
          const p2 = (n: number): string => String(n).padStart(2, '0');
          const ts = `${p2(dt.getUTCDate())}/${months[dt.getUTCMonth()] ?? ''}/${dt.getUTCFullYear()}:${p2(dt.getUTCHours())}:${p2(dt.getUTCMinutes())}:${p2(dt.getUTCSeconds())} +0000`;
          const line = `${v.ip} - ${v.user} [${ts}] "GET ${v.path} HTTP/1.1" ${v.status} ${v.bytes} "${v.referer}" "${v.agent}" ${v.d}`;
          const e = ok(f, line);
          expect(e.srcIp).toBe(v.ip);
          expect(e.user).toBe(v.user === '-' ? null : v.user);
          expect(e.time?.kind === 'absolute' && e.time.epochMs).toBe(v.epoch * 1000);
          expect(e.http?.status).toBe(v.status);
          expect(e.http?.bytes).toBe(v.bytes);
          expect(e.http?.referer).toBe(v.referer === '-' ? null : v.referer);
          expect(e.http?.userAgent).toBe(v.agent === '-' ? null : v.agent);
          expect(e.http?.durationUs).toBe(v.d);
          const a = ok(parseAccessLine, line);
          expect(a.http?.userAgent).toBe(e.http?.userAgent);
          expect(a.http?.durationUs).toBe(v.d);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
