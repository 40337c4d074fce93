import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sniffContent } from './binary';

const log = (n: number): Buffer =>
  Buffer.from(Array.from({ length: n }, (_, i) => `Mar  1 12:00:${String(i % 60).padStart(2, '0')} web01 sshd[${i}]: Accepted publickey\n`).join(''));

describe('sniffContent', () => {
  it('empty is empty, not binary', () => {
    expect(sniffContent(Buffer.alloc(0))).toEqual({ binary: false, encoding: 'empty' });
  });

  it('text logs are utf8 text', () => {
    expect(sniffContent(log(200))).toEqual({ binary: false, encoding: 'utf8' });
    expect(sniffContent(Buffer.from('héllo wörld ✓\n'.repeat(50)))).toMatchObject({ binary: false, encoding: 'utf8' });
  });

  it('an ELF header is binary by magic', () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01]), Buffer.alloc(100)]);
    expect(sniffContent(elf)).toMatchObject({ binary: true, reason: 'magic: ELF executable' });
  });

  it('recognises other binary magics', () => {
    const cases: [Buffer, RegExp][] = [
      [Buffer.from('SQLite format 3\u0000rest of header'), /SQLite/],
      [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), /PNG/],
      [Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0]), /zip/],
      [Buffer.from('%PDF-1.7\n'), /PDF/],
      [Buffer.from([0xff, 0xd8, 0xff, 0xe0]), /JPEG/],
    ];
    for (const [buf, re] of cases) {
      expect(sniffContent(buf).binary).toBe(true);
      expect(sniffContent(buf).reason).toMatch(re);
    }
    const pe = Buffer.alloc(0x100);
    pe.write('MZ', 0, 'latin1');
    pe.writeUInt32LE(0x80, 0x3c);
    pe.write('PE\u0000\u0000', 0x80, 'latin1');
    expect(sniffContent(pe)).toMatchObject({ binary: true, reason: 'magic: Windows PE executable' });
  });

  it('a log with a few NULs (and NUL padding from a crash) stays text', () => {
    const withNuls = Buffer.from(log(200));
    withNuls[100] = 0;
    withNuls[5000] = 0;
    expect(sniffContent(withNuls).binary).toBe(false);
    const padded = Buffer.concat([log(100), Buffer.alloc(40000), log(100)]);
    expect(sniffContent(padded).binary).toBe(false);
  });

  it('random bytes and NUL-heavy data are binary; all-NUL too', () => {
    expect(sniffContent(randomBytes(65536)).binary).toBe(true);
    const records = Buffer.alloc(4096);
    for (let i = 0; i < records.length; i += 4) {
      records.writeUInt32LE(i * 7, i);
    }
    expect(sniffContent(records).binary).toBe(true);
    expect(sniffContent(Buffer.alloc(1000))).toMatchObject({ binary: true, reason: 'only NUL bytes' });
  });

  it('detects UTF-16 by BOM or NUL pattern, and latin1-ish text', () => {
    expect(sniffContent(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('event log\r\n', 'utf16le')]))).toMatchObject({
      binary: false,
      encoding: 'utf16le',
    });
    expect(sniffContent(Buffer.from('Application event\r\n'.repeat(20), 'utf16le'))).toMatchObject({ binary: false, encoding: 'utf16le' });
    const be = Buffer.from('big endian text\n'.repeat(20), 'utf16le').swap16();
    expect(sniffContent(be)).toMatchObject({ binary: false, encoding: 'utf16be' });
    expect(sniffContent(Buffer.from('caf\u00e9 cr\u00e8me br\u00fbl\u00e9e\n'.repeat(30), 'latin1'))).toEqual({
      binary: false,
      encoding: 'latin1-ish',
    });
  });

  it('a multi-byte UTF-8 character cut at the end of the sample is still utf8', () => {
    const s = Buffer.from('ok ✓'.repeat(100));
    expect(sniffContent(s.subarray(0, s.length - 1)).encoding).toBe('utf8');
  });
});
