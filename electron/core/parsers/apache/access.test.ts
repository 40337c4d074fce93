import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent, ParseResult } from '../../../../shared/domain/parsed';
import { parseAccessLine } from './access';

function fixture(name: string): string[] {
  const text = readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
  return text.split('\n').filter((l) => l.length > 0);
}

function ok(line: string): ParsedEvent {
  const r = parseAccessLine(line);
  if (!r.ok) {
    throw new Error(`expected ok for ${JSON.stringify(line)}: ${r.reason}`);
  }
  return r.event;
}

function reason(r: ParseResult): string {
  return r.ok ? '(ok)' : r.reason;
}

const variants = fixture('access-variants.log');

function variant(i: number): string {
  const line = variants[i];
  if (line === undefined) {
    throw new Error(`no fixture line ${i}`);
  }
  return line;
}

describe('parseAccessLine: formats', () => {
  it('parses every fixture variant', () => {
    for (const line of variants) {
      expect(reason(parseAccessLine(line)), line).toBe('(ok)');
    }
  });

  it('common log format', () => {
    const e = ok(variant(0));
    expect(e.kind).toBe('http_request');
    expect(e.srcIp).toBe('127.0.0.1');
    expect(e.user).toBe('frank');
    expect(e.host).toBeNull();
    expect(e.time).toEqual({
      kind: 'absolute',
      epochMs: Date.UTC(2000, 9, 10, 20, 55, 36),
      offsetMinutes: -420,
      text: '10/Oct/2000:13:55:36 -0700',
    });
    expect(e.http).toEqual({
      method: 'GET',
      path: '/apache_pb.gif',
      query: null,
      protocol: 'HTTP/1.0',
      status: 200,
      bytes: 2326,
      referer: null,
      userAgent: null,
      vhost: null,
      durationUs: null,
      request: 'GET /apache_pb.gif HTTP/1.0',
    });
    expect(e.message).toBe('GET /apache_pb.gif HTTP/1.0 (200)');
    expect(e.severity).toBe('info');
    expect(e.extra).toEqual({});
  });

  it('combined log format', () => {
    const e = ok(variant(1));
    expect(e.http?.referer).toBe('http://www.example.com/start.html');
    expect(e.http?.userAgent).toBe('Mozilla/4.08 [en] (Win98; I ;Nav)');
  });

  it('vhost_combined with and without port', () => {
    const a = ok(variant(2));
    expect(a.http?.vhost).toBe('www.example.org');
    expect(a.extra['server_port']).toBe(443);
    expect(a.srcIp).toBe('198.51.100.7');
    expect(a.http?.method).toBe('POST');
    expect(a.time?.kind === 'absolute' && a.time.epochMs).toBe(Date.UTC(2021, 0, 31, 23, 0, 1));
    const b = ok(variant(3));
    expect(b.http?.vhost).toBe('www.example.org');
    expect(b.srcIp).toBe('198.51.100.7');
    expect(b.extra['server_port']).toBeUndefined();
  });

  it('unique id and %D trailing fields', () => {
    const e = ok(variant(4));
    expect(e.extra['unique_id']).toBe('YzA1ZmI0NzAtZjQ2Ni00NWQy');
    expect(e.extra['trailing_int']).toBe(1234);
    expect(e.http?.durationUs).toBe(1234);
  });

  it('query string and quoted X-Forwarded-For', () => {
    const e = ok(variant(5));
    expect(e.http?.path).toBe('/a');
    expect(e.http?.query).toBe('b=c&d=e');
    expect(e.extra['xff']).toBe('192.0.2.1, 10.0.0.2');
  });

  it('dash bytes, 4xx severity, "-" trailing field dropped', () => {
    const e = ok(variant(6));
    expect(e.http?.bytes).toBeNull();
    expect(e.http?.status).toBe(404);
    expect(e.severity).toBe('warn');
    expect(e.extra).toEqual({});
  });

  it('"-" and empty requests', () => {
    const a = ok(variant(7));
    expect(a.http?.method).toBeNull();
    expect(a.http?.path).toBeNull();
    expect(a.http?.status).toBe(408);
    expect(a.message).toBe('- (408)');
    const b = ok(variant(8));
    expect(b.http?.method).toBeNull();
    expect(b.message).toBe('- (400)');
  });

  it('missing ident and user fields', () => {
    const a = ok(variant(9));
    expect(a.srcIp).toBe('192.0.2.45');
    expect(a.user).toBeNull();
    const b = ok(variant(10));
    expect(b.srcIp).toBe('192.0.2.46');
    expect(b.user).toBe('alice');
  });

  it('IPv6 and IPv4-mapped clients', () => {
    expect(ok(variant(11)).srcIp).toBe('2001:db8::1');
    expect(ok(variant(12)).srcIp).toBe('::ffff:192.0.2.10');
  });

  it('host names go to extra.client_host', () => {
    const e = ok(variant(13));
    expect(e.srcIp).toBeNull();
    expect(e.extra['client_host']).toBe('crawler-66-249-66-1.googlebot.com');
  });

  it('escaped quotes stay verbatim, 5xx is error', () => {
    const e = ok(variant(14));
    expect(e.http?.path).toBe('/q');
    expect(e.http?.query).toBe('x=\\"quoted\\"');
    expect(e.http?.userAgent).toBe('Agent \\"with\\" quotes');
    expect(e.severity).toBe('error');
  });

  it('raw \\x escapes (TLS on a plain port)', () => {
    const e = ok(variant(15));
    expect(e.http?.method).toBeNull();
    expect(e.message).toBe('\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03 (400)');
  });

  it('hostile content is kept verbatim', () => {
    const a = ok(variant(16));
    expect(a.http?.path).toBe('/%0a%0a<script>alert(\\"x\\")</script>.jsp');
    const b = ok(variant(17));
    expect(b.http?.path).toBe('/../../etc/passwd');
    expect(b.http?.referer).toBe("=cmd|' /C calc'!A0");
  });

  it('timestamp without zone is local', () => {
    const e = ok(variant(18));
    expect(e.time).toEqual({
      kind: 'local',
      year: 2013,
      month: 6,
      day: 27,
      hour: 11,
      minute: 55,
      second: 44,
      millis: 0,
      text: '27/Jun/2013:11:55:44',
    });
  });

  it('leap day and large negative offset', () => {
    const e = ok(variant(19));
    expect(e.time?.kind === 'absolute' && e.time.epochMs).toBe(Date.UTC(2024, 2, 1, 11, 59, 59));
    expect(e.http?.path).toBe('*');
  });

  it('unescaped quote inside an old request does not end it', () => {
    const e = ok('192.0.2.1 - - [01/Jan/2004:00:00:00 -0400] "GET /a"b HTTP/1.0" 404 10 "-" "-"');
    expect(e.http?.path).toBe('/a"b');
    expect(e.http?.status).toBe(404);
  });

  it('a word between the time and the request becomes the vhost', () => {
    const e = ok('66.249.66.1 - - - [31/Jan/2015:14:29:44 ] fail.example "GET / HTTP/1.1" 200 814 "-" "Googlebot" + 293 1149 546');
    expect(e.srcIp).toBe('66.249.66.1');
    expect(e.http?.vhost).toBe('fail.example');
    expect(e.extra['prefix_extra']).toBe('-');
    expect(e.extra['trailing_int']).toBe(293);
    expect(e.http?.durationUs).toBeNull();
    expect(e.extra['trailing']).toBe('+ 293 1149 546');
    expect(e.time?.kind).toBe('local');
  });

  it('results do not depend on the previous line (date memo)', () => {
    const a = '192.0.2.1 - - [01/Jan/2020:00:00:00 +0000] "GET / HTTP/1.1" 200 1';
    const b = '192.0.2.1 - - [1/Jan/2020:00:00:00 +0000] "GET / HTTP/1.1" 200 1';
    const c = '192.0.2.1 - - [31/Dec/2019:23:59:59 -0100] "GET / HTTP/1.1" 200 1';
    const bad = '192.0.2.1 - - [01/Jan/2020:0] "GET / HTTP/1.1" 200 1';
    const first = [a, b, c, bad].map((l) => JSON.stringify(parseAccessLine(l)));
    const again = [c, bad, b, a, c, a].map((l) => JSON.stringify(parseAccessLine(l)));
    expect(again).toEqual([first[2], first[3], first[1], first[0], first[2], first[0]]);
    expect(first[0]).toBe(first[1]?.replace('[1/Jan', '[01/Jan').replace('"1/Jan', '"01/Jan'));
  });

  it('user names with @ and offsets with minutes', () => {
    const e = ok('192.0.2.7 - pyllyukko@EXAMPLE.COM [16/Nov/2019:09:46:42 +0530] "GET / HTTP/1.1" 200 1 "-" "-"');
    expect(e.user).toBe('pyllyukko@EXAMPLE.COM');
    expect(e.time?.kind === 'absolute' && e.time.offsetMinutes).toBe(330);
  });
});

describe('parseAccessLine: failures', () => {
  it('rejects truncated and foreign lines with a reason', () => {
    for (const line of fixture('access-truncated.log')) {
      const r = parseAccessLine(line);
      expect(r.ok, line).toBe(false);
      expect(reason(r).length).toBeGreaterThan(0);
    }
  });

  it('names the truncated field', () => {
    expect(reason(parseAccessLine(fixture('access-truncated.log')[0] ?? ''))).toContain('user agent');
    expect(reason(parseAccessLine(''))).toBe('empty line');
  });
});

describe('parseAccessLine: hostile input', () => {
  it('1 MB lines', () => {
    const long = 'A'.repeat(1 << 20);
    const e = ok(`192.0.2.1 - - [01/Jan/2020:00:00:00 +0000] "GET /${long} HTTP/1.1" 414 0 "-" "${long}"`);
    expect(e.http?.path?.length).toBe(long.length + 1);
    expect(parseAccessLine(long).ok).toBe(false);
    expect(parseAccessLine(`${long} [`).ok).toBe(false);
    expect(parseAccessLine('"'.repeat(1 << 20)).ok).toBe(false);
  });

  it('NUL bytes, ANSI escapes and lone surrogates', () => {
    const e = ok('192.0.2.1 - - [01/Jan/2020:00:00:00 +0000] "GET /\u0000\u001b[2J HTTP/1.1" 200 1 "-" "\ud800x\udfff"');
    expect(e.http?.path).toBe('/\u0000\u001b[2J');
    expect(e.http?.userAgent).toBe('\ud800x\udfff');
  });
});

const validLines = variants;

function substringFields(e: ParsedEvent): string[] {
  const out: string[] = [];
  const push = (v: unknown): void => {
    if (typeof v === 'string') {
      out.push(v);
    }
  };
  push(e.srcIp);
  push(e.user);
  push(e.time?.text);
  if (e.http !== null) {
    push(e.http.method);
    push(e.http.path);
    push(e.http.query);
    push(e.http.protocol);
    push(e.http.referer);
    push(e.http.userAgent);
    push(e.http.vhost);
  }
  for (const v of Object.values(e.extra)) {
    push(v);
  }
  return out;
}

describe('parseAccessLine: properties', () => {
  it('never throws on arbitrary strings (including lone surrogates)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) })), (s) => {
        const r = parseAccessLine(s);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on mutated valid lines; extracted fields are substrings', () => {
    const alphabet = fc.constantFrom(' ', '"', '\\', '[', ']', '-', ':', '/', '0', '9', 'x', '\u0000', '\ud800');
    const mutation = fc.record({
      line: fc.constantFrom(...validLines),
      at: fc.nat(),
      del: fc.nat({ max: 8 }),
      ins: fc.string({ unit: alphabet, maxLength: 6 }),
    });
    fc.assert(
      fc.property(mutation, ({ line, at, del, ins }) => {
        const i = at % (line.length + 1);
        const mutated = line.slice(0, i) + ins + line.slice(i + del);
        const r = parseAccessLine(mutated);
        if (r.ok) {
          for (const v of substringFields(r.event)) {
            expect(mutated.includes(v), v).toBe(true);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('every prefix of a valid combined line either parses or fails cleanly', () => {
    for (const line of validLines.slice(0, 6)) {
      for (let i = 0; i <= line.length; i++) {
        const r = parseAccessLine(line.slice(0, i));
        expect(typeof r.ok).toBe('boolean');
      }
    }
  });
});
