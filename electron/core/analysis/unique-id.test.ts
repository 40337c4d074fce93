import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNIQUE_ID_LAYOUTS, decodeUniqueId, decodeUniqueIdInto, encodeUniqueId, expectedLength, uniqueIdScratch, type UniqueIdLayout } from './unique-id';

/** Independent oracle: Node's base64 over the packed big-endian bytes, with mod_unique_id's two last characters. */
function oracle(layout: UniqueIdLayout, bytes: number[]): string {
  const b64 = Buffer.from(bytes).toString('base64').replace(/=+$/u, '');
  const mapped = layout === '2.4-root-base64url' ? b64.replaceAll('+', '-').replaceAll('/', '_') : b64.replaceAll('+', '@').replaceAll('/', '-');
  return mapped.slice(0, expectedLength(layout));
}

const be32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

describe('mod_unique_id', () => {
  it('encodes like base64 with the layout alphabet (classic, hand-checked fields)', () => {
    // 2010-04-19 18:59:44 UTC, 127.0.1.1, pid 10537, counter 2, slot 7
    const stamp = Date.UTC(2010, 3, 19, 18, 59, 44) / 1000;
    const id = encodeUniqueId('classic', { stamp, ip: '127.0.1.1', pid: 10537, counter: 2, thread: 7 });
    expect(id).toHaveLength(24);
    expect(id).toBe(oracle('classic', [...be32(stamp), 127, 0, 1, 1, ...be32(10537), 0, 2, ...be32(7)]));
    const d = decodeUniqueId(id);
    expect(d.ok && d.id).toMatchObject({ layout: 'classic', stamp, ip: '127.0.1.1', pid: 10537, counter: 2, thread: 7 });
  });

  for (const layout of UNIQUE_ID_LAYOUTS) {
    it(`round-trips every ${layout} id and matches the base64 oracle`, () => {
      const rooted = layout === '2.4-root' || layout === '2.4-root-base64url';
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })),
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.integer({ min: 0, max: 0xffff }),
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.uint8Array({ minLength: 10, maxLength: 10 }),
          (stamp, ipParts, pid, counter, thread, rootBytes) => {
            const ip = ipParts.join('.');
            const root = [...rootBytes].map((x) => x.toString(16).padStart(2, '0')).join('');
            const text = encodeUniqueId(layout, { stamp, ip, pid, counter, thread, root });
            expect(text).toHaveLength(expectedLength(layout));
            const bytes = rooted
              ? [...be32(stamp), ...rootBytes, counter >> 8, counter & 255, ...be32(thread)]
              : [...be32(stamp), ...ipParts, ...be32(pid), counter >> 8, counter & 255, ...(layout === 'classic' ? be32(thread) : [])];
            expect(text).toBe(oracle(layout, bytes));
            // A 27-character id without '@', '_' or '-' reads the same in both alphabets; force the layout only when it matters.
            const r = decodeUniqueId(text, rooted ? layout : undefined);
            expect(r.ok).toBe(true);
            if (!r.ok) {
              return;
            }
            expect(r.id.layout).toBe(layout);
            expect(r.id.stamp).toBe(stamp);
            expect(r.id.counter).toBe(counter);
            if (rooted) {
              expect(r.id.root).toBe(root);
              expect(r.id.pid).toBeNull();
              expect(r.id.thread).toBe(thread);
              expect(r.id.unreadable.join(' ')).toMatch(/PID/u);
            } else {
              expect(r.id.ip).toBe(ip);
              expect(r.id.pid).toBe(pid);
              expect(r.id.thread).toBe(layout === 'classic' ? thread : null);
            }
            // Unhinted decoding recognises the layout from the characters when they tell.
            const auto = decodeUniqueId(text);
            expect(auto.ok).toBe(true);
            if (auto.ok && rooted && (text.includes('@') || text.includes('_'))) {
              expect(auto.id.layout).toBe(layout);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  }

  it('reports malformed ids and never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const r = decodeUniqueId(s);
        if (!r.ok) {
          expect(r.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
    expect(decodeUniqueId('short').ok).toBe(false);
    expect(decodeUniqueId('AAAAAAAAAAAAAAAAAAAAAA!A')).toMatchObject({ ok: false, reason: expect.stringContaining('not in the alphabet') as unknown });
    expect(decodeUniqueId('AAAAAAAAAAAAAAAAAAAAA@A_AAA')).toMatchObject({ ok: false });
    // 19 characters carry 114 bits for 112: the last 2 must be zero.
    expect(decodeUniqueId('AAAAAAAAAAAAAAAAAAB')).toMatchObject({ ok: false, reason: expect.stringContaining('padding') as unknown });
    expect(decodeUniqueId('AAAAAAAAAAAAAAAAAAAAAAAA_')).toMatchObject({ ok: false });
  });

  it('flags the 27-character alphabet ambiguity', () => {
    const text = encodeUniqueId('2.4-root-base64url', { stamp: 1, counter: 62 << 4, thread: 0, root: 'f'.repeat(20) });
    const r = decodeUniqueId(text);
    if (r.ok && !text.includes('_')) {
      expect(r.id.ambiguousAlphabet).toBe(text.includes('-'));
    }
  });

  it('decodes in bulk (decodeUniqueIdInto) exactly as decodeUniqueId does, ids and garbage alike', () => {
    const scratch = uniqueIdScratch();
    // id text -> what identifies its child for the bulk decoder, checked against decodeUniqueId's child key
    const childOf = new Map<string, string>();
    const check = (text: string): void => {
      const r = decodeUniqueId(text);
      const ok = decodeUniqueIdInto(text, scratch);
      expect(ok, text).toBe(r.ok);
      if (r.ok) {
        expect({ layout: scratch.layout, stamp: scratch.stamp, counter: scratch.counter, thread: scratch.thread }, text).toEqual({
          layout: r.id.layout, stamp: r.id.stamp, counter: r.id.counter, thread: r.id.thread,
        });
        const key = `${scratch.bytes}|${scratch.childHi}|${scratch.childLo}`;
        const family = r.id.root === null ? 'ip' : 'root';
        const seen = childOf.get(key);
        expect(seen === undefined || seen === `${family}|${r.id.childKey}`, text).toBe(true);
        childOf.set(key, `${family}|${r.id.childKey}`);
      }
    };
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@-_+/=. é';
    fc.assert(
      fc.property(
        fc.constantFrom(...UNIQUE_ID_LAYOUTS),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 10, maxLength: 10 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
        (layout, stamp, ip, pid, counter, thread, root, edits) => {
          const text = encodeUniqueId(layout, {
            stamp, counter, thread, pid, ip: [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.'), root: root.map((x) => x.toString(16).padStart(2, '0')).join(''),
          });
          check(text);
          // mutations: other characters (outside the alphabets too), dropped and added ones
          let m = text;
          for (const [at, c] of edits) {
            const i = at % (m.length + 1);
            const ch = alphabet[c % alphabet.length] ?? 'A';
            m = c % 7 === 0 ? m.slice(0, i) + m.slice(i + 1) : c % 7 === 1 ? m.slice(0, i) + ch + m.slice(i) : m.slice(0, i) + ch + m.slice(i + 1);
          }
          check(m);
        },
      ),
      { numRuns: 3000 },
    );
    for (const text of ['', 'x', 'A'.repeat(24), 'A'.repeat(27), '@'.repeat(27), '_'.repeat(27), '-'.repeat(27), 'A'.repeat(19), 'A'.repeat(23) + 'B', 'A'.repeat(26) + '@_']) {
      check(text);
    }
  });
});
