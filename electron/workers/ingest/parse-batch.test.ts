import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import ipaddr from 'ipaddr.js';
import { ipv4ToInt, type EventRow } from './event-writer';
import { OVERSIZED_PREVIEW_BYTES } from './line-rows';
import { canonicalIpv4, Col, decodeRow, flatten, IdMap, MinuteCounts, packLines, RowEncoder, Uint32Table, type RowsMessage } from './parse-batch';
import { RQ_QUERY } from '../../db/request-message';
import { LineSplitter, type LineBatch } from './source/lines';

const full: EventRow = {
  lineNo: 0, byteOffset: 0, ts: 1_700_000_000_123, tzOff: -420, flags: 0x1234, kind: 'http_request', sev: 6, host: 'wëb-01', program: 'sshd',
  pid: 4242, tid: 7, srcIp: '2001:db8::1', srcPort: 65535, user: 'ålice', method: 'GET', path: '/ä/β?x', status: 404, bytes: 9_007_199_254_740_991,
  message: 'GET /ä/β HTTP/1.1 (404) \u0000 \ud83d\ude00', extra: '{"unique_id":"Zx"}', ua: 'Mozilla/5.0 ü',
};
const empty: EventRow = {
  lineNo: 0, byteOffset: 0, ts: null, tzOff: null, flags: 0, kind: 'raw', sev: null, host: null, program: null, pid: null, tid: null, srcIp: null,
  srcPort: null, user: null, method: null, path: null, status: null, bytes: null, message: '', extra: null, ua: null,
};

/** Structured clone, as postMessage does. */
const overThePort = (m: RowsMessage): RowsMessage => structuredClone(m);

describe('the parse worker hand-over', () => {
  it('round-trips every column, nulls, zero, negative and non-ASCII values', () => {
    const enc = new RowEncoder(1);
    const rows: EventRow[] = [full, empty, { ...full, ts: 0, tzOff: 0, sev: 0, pid: 0, srcPort: 0, status: 0, bytes: 0, host: '', srcIp: '', user: null, message: 'x' }, { ...empty, srcIp: '10.0.0.1', kind: 'raw' }];
    rows.forEach((r, i) => enc.add(i, r, i % 2 === 0));
    const m = overThePort(enc.take(5));
    expect(m.seq).toBe(5);
    expect(m.rows).toBe(4);
    const dict = { strings: m.newStrings, ips: m.newIps };
    rows.forEach((r, i) => {
      const d = decodeRow(m, i, dict, 10 + i, 100 * i);
      // An empty address is no address (as the writer's internIp has it).
      expect(d.row).toEqual({ ...r, lineNo: 10 + i, byteOffset: 100 * i, srcIp: r.srcIp === '' ? null : r.srcIp });
      expect(d.valid).toBe(i % 2 === 0);
      expect(d.line).toBe(i);
    });
    // Each distinct string and address crosses once.
    expect(m.newStrings.filter((s) => s === 'http_request')).toHaveLength(1);
    expect(m.newIps).toEqual(['2001:db8::1', '10.0.0.1']);
  });

  it('sends the texts of all rows as one string: a path inside the message is a slice of it, others follow', () => {
    const enc = new RowEncoder(2);
    const rows: EventRow[] = [
      { ...full, path: '/a/b', message: 'GET /a/b HTTP/1.1 (200)', extra: null },
      { ...full, path: '', message: 'GET  HTTP/1.1 (400)', extra: '' },
      { ...full, path: '/not/in/message', message: 'GET /x (200)', extra: '{"k":"ü"}' },
      { ...empty, message: 'raw \u001b[31m line \ud83d\ude00' },
    ];
    rows.forEach((r, i) => enc.add(i, r, true));
    const m = overThePort(enc.take(1));
    // No character sent twice: the first two paths are found in their messages.
    expect(m.text).toBe('GET /a/b HTTP/1.1 (200)GET  HTTP/1.1 (400)GET /x (200)/not/in/message{"k":"ü"}raw \u001b[31m line \ud83d\ude00');
    expect(m.num[Col.PathAt]).toBe(4);
    const dict = { strings: m.newStrings, ips: m.newIps };
    rows.forEach((r, i) => expect(decodeRow(m, i, dict, 1, 0).row).toEqual({ ...r, lineNo: 1, byteOffset: 0 }));
    // The next batch starts its text afresh.
    enc.add(0, rows[0] as EventRow, true);
    const n = enc.take(2);
    expect(n.text).toBe('GET /a/b HTTP/1.1 (200)');
    expect(n.num[Col.MsgAt]).toBe(0);
  });

  it('gives every row its texts when the batch text spans many flat pieces (long, non-ASCII, coded and stored messages)', () => {
    const enc = new RowEncoder(3000);
    const rows: EventRow[] = Array.from({ length: 3000 }, (_, i) => {
      const path = `/p/${i}/${'é'.repeat(i % 13)}${'x'.repeat(i % 997)}`;
      return i % 3 === 0
        ? { ...full, path, message: `GET ${path} HTTP/1.1 (200)`, extra: i % 2 === 0 ? null : `{"n":${i}}` }
        : i % 3 === 1
          ? { ...full, path, query: `q=${i}\ud83d\ude00`, rq: 1 | (1 << 4) | RQ_QUERY, message: '', extra: null }
          : { ...empty, message: `raw ${i} ${'z'.repeat(i % 5000)}` };
    });
    rows.forEach((r, i) => enc.add(i, r, true));
    const m = overThePort(enc.take(7));
    expect(m.text.length).toBeGreaterThan(4 * 16 * 1024);
    const dict = { strings: m.newStrings, ips: m.newIps };
    rows.forEach((r, i) => {
      const d = decodeRow(m, i, dict, 1, 0).row;
      expect([d.path, d.extra, r.rq === undefined ? d.message : d.query]).toEqual([r.path, r.extra, r.rq === undefined ? r.message : r.query]);
    });
  });

  it('flattens a concatenated string without changing it', () => {
    let s = '';
    for (let i = 0; i < 5000; i += 1) {
      s += `${i}é\ud83d`;
    }
    const before = s.split('');
    expect(flatten(s)).toBe(s);
    expect(flatten(s).split('')).toEqual(before);
    expect(flatten('12')).toBe('12');
  });

  it('maps IPv4 values to ids like a Map does (open addressing, growth, 0 and 2^32-1)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(0, 0xffffffff, 0x80000000, 1), fc.nat({ max: 0xffffffff }), fc.integer({ min: 0, max: 300 })), { maxLength: 3000 }), (keys) => {
        const table = new Uint32Table(4);
        const model = new Map<number, number>();
        for (const k of keys) {
          const got = table.get(k);
          const want = model.get(k) ?? -1;
          if (got !== want) {
            return false;
          }
          if (want < 0) {
            table.set(k, model.size);
            model.set(k, model.size);
          }
        }
        return table.size === model.size && [...model].every(([k, v]) => table.get(k) === v);
      }),
      { numRuns: 200 },
    );
  });

  it('sends only new dictionary entries with later batches and keeps ids stable', () => {
    const enc = new RowEncoder();
    enc.add(0, full, true);
    const a = enc.take(1);
    enc.add(0, { ...full, host: 'other' }, true);
    enc.add(1, full, true);
    const b = enc.take(2);
    expect(b.newStrings).toEqual(['other']);
    expect(b.newIps).toEqual([]);
    const ids = new IdMap();
    const caseIds = new Map<string, number>();
    const intern = (s: string): number => caseIds.get(s) ?? (caseIds.set(s, caseIds.size + 100), caseIds.size + 99);
    ids.learn(a, intern, (s) => (s === '' ? null : 7));
    ids.learn(b, intern, () => 8);
    const host = b.num[Col.Host] as number;
    expect(ids.strings[host]).toBe(caseIds.get('other'));
    expect(ids.ips).toEqual([7]);
    const dict = { strings: [...a.newStrings, ...b.newStrings], ips: a.newIps };
    expect(decodeRow(b, 1, dict, 2, 0).row).toEqual({ ...full, lineNo: 2 });
  });

  it('packs the lines of a batch, skipping continuation pieces, cutting oversized lines to their preview', () => {
    const big = Buffer.alloc(OVERSIZED_PREVIEW_BYTES + 500, 0x61);
    const lines = [Buffer.from('one'), Buffer.from([0xff, 0xfe]), big, Buffer.from('piece'), Buffer.from('')];
    const m = packLines(3, {
      count: lines.length,
      continuation: (i) => i === 3,
      oversized: (i) => i === 2,
      length: (i) => lines[i]?.length ?? 0,
      bytes: (i) => lines[i] ?? Buffer.alloc(0),
    });
    expect([...m.starts]).toEqual([0, 3, 5, 5 + OVERSIZED_PREVIEW_BYTES]);
    expect([...m.ends]).toEqual([3, 5, 5 + OVERSIZED_PREVIEW_BYTES, 5 + OVERSIZED_PREVIEW_BYTES]);
    expect([...m.oversized]).toEqual([-1, -1, big.length, -1]);
    expect(Buffer.from(m.buf.subarray(0, 5))).toEqual(Buffer.from([0x6f, 0x6e, 0x65, 0xff, 0xfe]));
  });

  it("packs a chunk's consecutive lines as runs: every line's bytes, whatever the chunking, endings and lengths", () => {
    const line = fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b.filter((x) => x !== 10))),
      fc.constantFrom(Buffer.from('a\r'), Buffer.from(''), Buffer.alloc(70, 0x62)),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '')), { maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 5 }), (parts, cuts) => {
        const data = Buffer.concat(parts.map(([l, t]) => Buffer.concat([l, Buffer.from(t)])));
        // lines of more than 50 bytes are oversized, of more than 60 come in pieces
        const splitter = new LineSplitter({ maxLineBytes: 50, maxWholeLineBytes: 60 });
        const batches: LineBatch[] = [];
        let at = 0;
        for (let c = 0; at < data.length; c += 1) {
          const n = cuts[c % cuts.length] as number;
          const b = splitter.push(data.subarray(at, at + n));
          if (b !== null) {
            batches.push(b);
          }
          at += n;
        }
        const last = splitter.end();
        if (last !== null) {
          batches.push(last);
        }
        for (const batch of batches) {
          const m = packLines(1, batch);
          let k = 0;
          for (let i = 0; i < batch.count; i += 1) {
            if (batch.continuation(i)) {
              continue;
            }
            const bytes = batch.bytes(i);
            const want = batch.oversized(i) ? bytes.subarray(0, OVERSIZED_PREVIEW_BYTES) : bytes;
            expect(Buffer.from(m.buf.subarray(m.starts[k], m.ends[k]))).toEqual(Buffer.from(want));
            expect(m.oversized[k]).toBe(batch.oversized(i) ? bytes.length : -1);
            k += 1;
          }
          expect(k).toBe(m.ends.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('copies the lines of one chunk once, terminators between them included', () => {
    const splitter = new LineSplitter();
    const batch = splitter.push(Buffer.from('one\r\ntwo\n\nfour\nfive')) as LineBatch;
    expect(batch.base.length).toBe(19);
    expect([0, 1, 2, 3].map((i) => batch.baseStart(i))).toEqual([0, 5, 9, 10]);
    const m = packLines(1, batch);
    expect(Buffer.from(m.buf).toString()).toBe('one\r\ntwo\n\nfour');
    expect([...m.starts]).toEqual([0, 5, 9, 10]);
    expect([...m.ends]).toEqual([3, 8, 9, 14]);
  });

  it("gives the writer the same IPv4 value as ipaddr.js for any four-part text (its fast path for dotted quads)", () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '010', '0x1', '1a', '', ' 1'));
    fc.assert(
      fc.property(fc.array(part, { minLength: 3, maxLength: 5 }), (parts) => {
        const text = parts.join('.');
        const o = ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text).octets : null;
        expect(ipv4ToInt(text)).toBe(o === null ? null : (o[0] ?? 0) * 16777216 + (o[1] ?? 0) * 65536 + (o[2] ?? 0) * 256 + (o[3] ?? 0));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes the next batch into a buffer the writer handed back, and never into one still out', () => {
    const enc = new RowEncoder(4);
    const row = (n: number): EventRow => ({ ...full, pid: n });
    enc.add(0, row(1), true);
    const a = enc.take(1);
    enc.add(0, row(2), true);
    const b = enc.take(2);
    expect(b.num.buffer).not.toBe(a.num.buffer);
    expect(a.num[Col.Pid]).toBe(1);
    // the writer is done with `a`: its buffer comes back and carries the batch after the one under way
    const aBuffer = a.num.buffer;
    enc.recycle(aBuffer as ArrayBuffer);
    enc.add(0, row(3), true);
    const c = enc.take(3);
    expect(c.num.buffer).not.toBe(aBuffer);
    enc.add(0, row(4), true);
    enc.add(1, row(5), true);
    const d = enc.take(4);
    expect(d.num.buffer).toBe(aBuffer);
    expect([d.num[Col.Pid], d.num[Col.Width + Col.Pid], d.rows]).toEqual([4, 5, 2]);
    expect([b.num[Col.Pid], c.num[Col.Pid]]).toEqual([2, 3]);
    // a buffer smaller than the encoder's is not kept
    enc.recycle(new ArrayBuffer(8));
    enc.add(0, row(6), true);
    enc.take(5);
    enc.add(0, row(7), true);
    expect(enc.take(6).num.buffer.byteLength).toBeGreaterThanOrEqual(4 * Col.Width * 8);
  });

  it('counts events per minute and severity like the SQL rollup (ts / 60000 truncated, NULL severity as 8)', () => {
    const c = new MinuteCounts();
    c.add(120_000, 3);
    c.add(179_999, 3);
    c.add(180_000, null);
    c.add(null, 1);
    c.add(-1, 0);
    c.add(-60_001, 7);
    const t = [...c.take()];
    const triples = Array.from({ length: t.length / 3 }, (_, i) => t.slice(i * 3, i * 3 + 3));
    expect(triples.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual([[-1, 7, 1], [0, 0, 1], [2, 3, 2], [3, 8, 1]]);
    expect(c.take().length).toBe(0);
  });

  it('keys canonical IPv4 texts by value and everything else by text, one id per distinct text', () => {
    expect(canonicalIpv4('10.0.0.1')).toBe(167772161);
    expect(canonicalIpv4('255.255.255.255')).toBe(4294967295);
    expect(canonicalIpv4('0.0.0.0')).toBe(0);
    for (const bad of ['010.0.0.1', '10.0.0', '10.0.0.1.', '.10.0.0.1', '256.0.0.1', '1.2.3.4 ', '1..2.3', '1.2.3.1000', '::1', '2001:db8::1']) {
      expect(canonicalIpv4(bad), bad).toBe(-1);
    }
    const enc = new RowEncoder();
    for (const ip of ['10.0.0.1', '010.0.0.1', '10.0.0.1', '2001:db8::1', '10.0.00.1', '010.0.0.1', '192.0.2.7', '2001:db8::1']) {
      enc.add(0, { ...empty, srcIp: ip }, true);
    }
    const m = enc.take(1);
    expect(m.newIps).toEqual(['10.0.0.1', '010.0.0.1', '2001:db8::1', '10.0.00.1', '192.0.2.7']);
    expect(Array.from({ length: m.rows }, (_, r) => m.num[r * Col.Width + Col.Ip])).toEqual([0, 1, 0, 2, 3, 1, 4, 2]);
  });
});
