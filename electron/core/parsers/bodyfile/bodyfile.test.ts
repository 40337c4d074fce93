import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../registry';
import { macbTimes, parseBodyfileLine, splitBodyfileLine } from './index';

const LINES = readFileSync(new URL('./fixtures/hostile.bodyfile', import.meta.url), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));

function parsed(line: string) {
  const r = parseBodyfileLine(line);
  if (!r.ok) {
    throw new Error(`${line}: ${r.reason}`);
  }
  return r.event;
}

describe('bodyfile lines', () => {
  it('one event per distinct time, mactime labels, earliest first', () => {
    const e = parsed('0|/var/www/shop/index.php|1234|r/rrw-r--r--|33|33|5120|1710561600|1710558000|1710558000|0');
    expect(e.kind).toBe('file_time');
    expect(e.time).toEqual({ kind: 'absolute', epochMs: 1710558000000, offsetMinutes: null, text: '1710558000' });
    expect(e.extra).toMatchObject({ macb: 'm.c.', name: '/var/www/shop/index.php', inode: '1234', mode: 'r/rrw-r--r--', uid: '33', gid: '33', size: 5120, deleted: false });
    expect(e.message).toBe('m.c. /var/www/shop/index.php (r/rrw-r--r--, uid 33, 5120 bytes)');
    expect(e.user).toBe('33');
    expect(e.moreTimes).toEqual([
      { time: { kind: 'absolute', epochMs: 1710561600000, offsetMinutes: null, text: '1710561600' }, message: '.a.. /var/www/shop/index.php (r/rrw-r--r--, uid 33, 5120 bytes)', extra: { macb: '.a..' } },
    ]);
  });

  it('all four times equal: one event labelled macb; no time at all: one untimed event', () => {
    const e = parsed('0|/x|1|r/r---------|0|0|1|5|5|5|5');
    expect(e.extra['macb']).toBe('macb');
    expect(e.moreTimes).toBeUndefined();
    const u = parsed('0|/deleted (deleted)|0|r/----------|0|0|0|0|0|0|0');
    expect(u.time).toBeNull();
    expect(u.extra).toMatchObject({ macb: '....', deleted: true });
  });

  it('hostile names: escaped pipes and newlines decoded, unescaped pipes kept, markup kept as text, raw control characters warned', () => {
    expect(parsed('0|/tmp/a\\|b\\x0ac|1236|r/rrw-------|0|0|7|0|1710558001|0|0').extra['name']).toBe('/tmp/a|b\nc');
    expect(parsed('0|/tmp/un|escaped|pipe|1237|r/rrw-------|0|0|7|1710558002|1710558002|1710558002|1710558002').extra).toMatchObject({ name: '/tmp/un|escaped|pipe', inode: '1237' });
    expect(parsed('0|/var/www/shop/<script>alert(1)</script>.php|1235|r/rrw-r--r--|33|33|10|1|1|1|0').extra['name']).toBe('/var/www/shop/<script>alert(1)</script>.php');
    const raw = parsed('0|/tmp/raw\u0001ctl|1239|r/rrw-------|0|0|7|1|1|1|0');
    expect(raw.extra).toMatchObject({ name: '/tmp/raw\u0001ctl', warning: 'name contains unescaped control characters' });
    expect(raw.severity).toBe('notice');
  });

  it('symbolic links, MD5s, fractional and dfImageTools-style entries (empty UID/GID, no r/ prefix)', () => {
    expect(parsed('0|/tmp/link -> /etc/passwd|1238|l/lrwxrwxrwx|0|0|11|3|3|3|0').extra).toMatchObject({ name: '/tmp/link', link_target: '/etc/passwd' });
    const m = parsed('5D41402ABC4B2A76B9719D911017C592|/with-md5|77|r/rrw-r--r--|0|0|5|1710558004.5|1710558004.25|1710558004|0');
    expect(m.extra['md5']).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(m.time?.kind === 'absolute' ? m.time.epochMs : 0).toBe(1710558004000);
    expect(macbTimes({ atime: '1710558004.5', mtime: '1710558004.25', ctime: '1710558004', crtime: '0' }).map((t) => t.label)).toEqual(['..c.', 'm...', '.a..']);
    const d = parsed('0|\\\\testdir2|48-1|drwxrwxrwx|||256|1573896478.1896980|1573896478.1896980|1573896478.1896980|1573896476.8458999');
    expect(d.extra).toMatchObject({ name: '\\testdir2', uid: null, gid: null, mode: 'drwxrwxrwx', macb: '...b' });
    expect(d.moreTimes?.[0]?.extra).toEqual({ macb: 'mac.' });
  });

  it('refuses comments and lines that are not bodyfile entries, with a reason', () => {
    for (const l of ['# Comment', '', 'a|b|c', '0|/x|1|r|0|0|1|notatime|1|1|1', 'xyz|/x|1|r|0|0|1|1|1|1|1']) {
      const r = splitBodyfileLine(l);
      expect(r.ok, l).toBe(false);
    }
  });

  it('detection: bodyfile.txt and content', () => {
    expect(detectFormat('bodyfile/bodyfile.txt', LINES).format).toBe('bodyfile');
    expect(detectFormat('timeline.dat', LINES).format).toBe('bodyfile');
  });

  it('properties: never throws, deterministic, every time of the line is an event, the name survives', () => {
    const name = fc.string({ unit: fc.constantFrom('a', '/', '|', '\\', 'x', '0', ' ', '<', '>', '\n', '\u0001', '-'), minLength: 1, maxLength: 20 });
    const t = fc.oneof(fc.constant('0'), fc.integer({ min: 1, max: 2_000_000_000 }).map(String));
    const entry = fc.tuple(name, t, t, t, t).map(([n, a, m, c, b]) => `0|${n}|12|r/rrw-------|0|0|1|${a}|${m}|${c}|${b}`);
    fc.assert(
      fc.property(fc.oneof(entry, fc.string()), (line) => {
        const r = parseBodyfileLine(line);
        expect(r).toEqual(parseBodyfileLine(line));
        if (r.ok) {
          const times = [r.event.time, ...(r.event.moreTimes ?? []).map((m) => m.time)].filter((x) => x !== null);
          const fields = line.split('|').slice(-4).filter((v) => v !== '' && v !== '0');
          expect(times.length).toBe(new Set(fields.map(Number)).size);
          const letters = [String(r.event.extra['macb']), ...(r.event.moreTimes ?? []).map((m) => String(m.extra['macb']))].join('').replace(/\./gu, '').length;
          expect(letters).toBe(fields.length);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
