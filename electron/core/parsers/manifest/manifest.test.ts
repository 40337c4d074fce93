import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../registry';
import { algorithmByLength, parseManifestLine, unescapeGnuName } from './index';

const LINES = readFileSync(new URL('./fixtures/manifests.txt', import.meta.url), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));

function extra(line: string) {
  const r = parseManifestLine(line);
  if (!r.ok) {
    throw new Error(`${line}: ${r.reason}`);
  }
  return { ...r.event.extra, kind: r.event.kind, time: r.event.time, message: r.event.message };
}

describe('hash manifest lines', () => {
  it('GNU text and binary mode, algorithm by digest length, untimed, message = the line', () => {
    expect(extra('d41d8cd98f00b204e9800998ecf8427e  var/www/shop/empty.txt')).toMatchObject({
      kind: 'file_hash', hash: 'd41d8cd98f00b204e9800998ecf8427e', algorithm: 'md5', path: 'var/www/shop/empty.txt', binary_mode: false, time: null,
      message: 'd41d8cd98f00b204e9800998ecf8427e  var/www/shop/empty.txt',
    });
    expect(extra('d41d8cd98f00b204e9800998ecf8427e *var/www/shop/binary.bin')).toMatchObject({ binary_mode: true, path: 'var/www/shop/binary.bin' });
    expect(extra('DA39A3EE5E6B4B0D3255BFEF95601890AFD80709  /var/www/html/index.php')).toMatchObject({ algorithm: 'sha1', hash: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' });
    expect(extra(`${'a'.repeat(64)}  ./file with spaces`)).toMatchObject({ algorithm: 'sha256', path: './file with spaces' });
    expect(extra(`${'b'.repeat(96)}  x`)).toMatchObject({ algorithm: 'sha384' });
    expect(extra(`${'c'.repeat(128)}  x`)).toMatchObject({ algorithm: 'sha512' });
    expect([32, 40, 56, 64, 96, 128, 33].map(algorithmByLength)).toEqual(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', null]);
  });

  it('escaped names (a leading backslash): \\n and \\\\ decoded', () => {
    expect(extra('\\d41d8cd98f00b204e9800998ecf8427e  var/www/a\\nb\\\\c.php')).toMatchObject({ path: 'var/www/a\nb\\c.php', escaped: true });
    expect(unescapeGnuName('a\\\\n')).toBe('a\\n');
  });

  it('BSD / --tag / openssl style, hostile names kept as text', () => {
    expect(extra('MD5 (arp-a.out) = cd645f685a1e57ebf3bc4fd44a7f87b8')).toMatchObject({ algorithm: 'md5', path: 'arp-a.out', hash: 'cd645f685a1e57ebf3bc4fd44a7f87b8', style: 'bsd' });
    expect(extra(`SHA256 (<script>alert(1)</script>.php) = ${'e'.repeat(64)}`)).toMatchObject({ algorithm: 'sha256', path: '<script>alert(1)</script>.php' });
    expect(extra('SHA1(x|y.txt)= da39a3ee5e6b4b0d3255bfef95601890afd80709')).toMatchObject({ algorithm: 'sha1', path: 'x|y.txt' });
    expect(extra('MD5 (a) = b (c)) = cd645f685a1e57ebf3bc4fd44a7f87b8')).toMatchObject({ path: 'a) = b (c)' });
  });

  it('md5sum -c results', () => {
    expect(extra('var/www/shop/index.php: FAILED')).toMatchObject({ kind: 'file_check', path: 'var/www/shop/index.php', check: 'FAILED' });
    expect(extra('var/www/shop/empty.txt: OK')).toMatchObject({ kind: 'file_check', check: 'OK' });
  });

  it('refuses comments, wrong lengths and single spaces, with a reason', () => {
    for (const l of ['# comment', '', `${'a'.repeat(31)}  x`, 'd41d8cd98f00b204e9800998ecf8427e x', 'd41d8cd98f00b204e9800998ecf8427e  ', 'zz41d8cd98f00b204e9800998ecf8427e  x']) {
      const r = parseManifestLine(l);
      expect(r.ok, l).toBe(false);
    }
  });

  it('detection: md5sums.txt, *.md5 and content', () => {
    expect(detectFormat('md5sums.txt', LINES).format).toBe('hash_manifest');
    expect(detectFormat('hash_executables/hash_executables.md5', LINES.slice(0, 3)).format).toBe('hash_manifest');
    expect(detectFormat('notes.txt', LINES.slice(0, 5)).format).toBe('hash_manifest');
  });

  it('properties: never throws, message is the line, deterministic', () => {
    const hex = fc.constantFrom(32, 40, 64).chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n }));
    const built = fc.tuple(hex, fc.constantFrom(' ', '*'), fc.string({ minLength: 1 })).map(([h, m, n]) => `${h} ${m}${n}`);
    fc.assert(
      fc.property(fc.oneof(fc.string(), built, fc.constantFrom(...LINES)), (line) => {
        const r = parseManifestLine(line);
        expect(r).toEqual(parseManifestLine(line));
        if (r.ok) {
          expect(r.event.message).toBe(line);
          expect(line.includes(String(r.event.extra['path']).split('\n')[0] ?? '') || r.event.extra['escaped'] === true).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
