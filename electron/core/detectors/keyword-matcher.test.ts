import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeywordMatcher, KeywordSets } from './keyword-matcher';

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

/** The text as both automata read it: lower-case ASCII, anything else as NUL. */
const asRead = (text: string): string => [...text.toLowerCase()].map((ch) => (ch.charCodeAt(0) > 127 ? '\u0000' : ch)).join('');

describe('KeywordSets (which rules a line may hit, in one reading)', () => {
  const members = (k: KeywordSets, text: string): number[] => {
    const found = k.match(text);
    return Array.from({ length: k.size }, (_, i) => i).filter((i) => KeywordSets.has(found, i));
  };

  it('tells which sets hold a keyword of the text, overlapping and shared keywords included', () => {
    const k = new KeywordSets([['../', 'passwd'], ['union', 'select'], ['he', 'she'], ['hers'], [], ['passwd']]);
    expect(members(k, '/x?f=..%2F../etc/PASSWD')).toEqual([0, 5]);
    expect(members(k, 'ushers')).toEqual([2, 3]);
    expect(members(k, 'UNION SELECT 1')).toEqual([1]);
    expect(members(k, 'GET /a/b.html')).toEqual([]);
    expect(members(new KeywordSets([]), 'anything')).toEqual([]);
  });

  it('keeps sets beyond the 32nd apart (several words of bits)', () => {
    const sets = Array.from({ length: 70 }, (_, i) => [`k${i}x`]);
    const k = new KeywordSets(sets);
    expect(members(k, 'a K31X b k32x c k69X')).toEqual([31, 32, 69]);
    expect(members(k, 'k0x')).toEqual([0]);
  });

  it('agrees with includes() per set on random text, and with KeywordMatcher on their union', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 4 }), { minLength: 1, maxLength: 40 }),
        fc.string({ maxLength: 60 }),
        (raw, text) => {
          const sets = raw.map((set) => set.map((w) => w.replace(/[^\x20-\x7e]/gu, 'a')));
          const k = new KeywordSets(sets);
          const read = asRead(text);
          const expected = sets.flatMap((set, i) => (set.some((w) => read.includes(w.toLowerCase())) ? [i] : []));
          expect(members(k, text)).toEqual(expected);
          expect(new KeywordMatcher(sets.flat()).test(text)).toBe(expected.length > 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
