import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extraJson } from './extra-json';

describe('the extra fields as JSON', () => {
  it('is exactly JSON.stringify (null without keys), for any flat or nested object', () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', 'Z', '0', ' ', '"', '\\', '\n', '\t', '\u0000', '\u001f', '\u007f', 'é', '€', '😀', '\ud800', '\udfff', '/', '<'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })) });
    const value = fc.oneof(
      text,
      fc.double(),
      fc.integer(),
      fc.constantFrom(-0, 0, 1e21, 1e-7, NaN, Infinity, -Infinity, true, false, null, undefined),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
    );
    const key = fc.oneof(text, fc.constantFrom('unique_id', 'xff', '0', '10', '2', 'toJSON', '__proto__', ''));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 6 }), (pairs) => {
        const o: Record<string, unknown> = {};
        for (const [k, v] of pairs) {
          Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
        }
        // what the row builder wrote before: null for an object without own keys, else JSON.stringify
        expect(extraJson(o)).toBe(Object.keys(o).length === 0 ? null : JSON.stringify(o));
      }),
      { numRuns: 5000 },
    );
  });

  it("writes the usual fields without escaping and keeps JSON's key order", () => {
    expect(extraJson({ unique_id: 'ZgXkgB1Nn7TFqGR83JiQAAAB' })).toBe('{"unique_id":"ZgXkgB1Nn7TFqGR83JiQAAAB"}');
    expect(extraJson({ b: 1, a: 'x', 2: 'two', 1: -0 })).toBe('{"1":0,"2":"two","b":1,"a":"x"}');
    expect(extraJson({ q: 'a"b' })).toBe('{"q":"a\\"b"}');
    expect(extraJson({})).toBeNull();
    expect(extraJson(Object.freeze({}))).toBeNull();
  });
});
