import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeywordMatcher } from './keyword-matcher';

describe('KeywordMatcher', () => {
  it('finds keywords anywhere, without case, including overlapping ones', () => {
    const m = new KeywordMatcher(['../', 'passwd', 'union', 'he', 'she', 'hers']);
    expect(m.test('/x?f=..%2F..%2Fetc/PASSWD')).toBe(true);
    expect(m.test('GET /a/b.html')).toBe(false);
    expect(m.test('ushers')).toBe(true);
    expect(m.test('..')).toBe(false);
    expect(m.test('UNIoN')).toBe(true);
    expect(new KeywordMatcher([]).test('anything')).toBe(false);
  });
  it('agrees with includes() on random text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }), fc.string({ maxLength: 60 }), (words, text) => {
        const ascii = words.map((w) => w.replace(/[^\x20-\x7e]/gu, 'a'));
        const m = new KeywordMatcher(ascii);
        const lower = text.toLowerCase();
        const expected = ascii.some((w) => w !== '' && [...lower].map((ch) => (ch.charCodeAt(0) > 127 ? '\u0000' : ch)).join('').includes(w.toLowerCase()));
        expect(m.test(text)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
