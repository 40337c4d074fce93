import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLine, LineSplitter, splitLines, type Line, type LineBatch, type LineSplitOptions } from './lines';

function splitAll(chunks: readonly Buffer[], options?: Partial<LineSplitOptions>): Line[] {
  const s = new LineSplitter(options);
  const out: Line[] = [];
  for (const c of chunks) {
    out.push(...(s.push(c)?.toArray() ?? []));
  }
  out.push(...(s.end()?.toArray() ?? []));
  return out;
}

/** Reference: split on \n, strip one \r before \n, keep lone \r. */
function reference(data: Buffer): { bytes: Buffer; terminator: string; byteOffset: number }[] {
  const out: { bytes: Buffer; terminator: string; byteOffset: number }[] = [];
  let start = 0;
  for (;;) {
    const nl = data.indexOf(10, start);
    if (nl === -1) {
      if (start < data.length) {
        out.push({ bytes: data.subarray(start), terminator: '', byteOffset: start });
      }
      return out;
    }
    const cr = nl > start && data[nl - 1] === 13;
    out.push({ bytes: data.subarray(start, cr ? nl - 1 : nl), terminator: cr ? '\r\n' : '\n', byteOffset: start });
    start = nl + 1;
  }
}

function chunked(data: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(data.subarray(prev, p));
    prev = p;
  }
  out.push(data.subarray(prev));
  return out;
}

describe('LineSplitter', () => {
  it('splits LF lines with line numbers and offsets', () => {
    const lines = splitAll([Buffer.from('alpha\nbeta\ngamma\n')]);
    expect(lines.map((l) => l.bytes.toString())).toEqual(['alpha', 'beta', 'gamma']);
    expect(lines.map((l) => l.lineNo)).toEqual([1, 2, 3]);
    expect(lines.map((l) => l.byteOffset)).toEqual([0, 6, 11]);
    expect(lines.every((l) => l.terminator === '\n' && !l.oversized)).toBe(true);
  });

  it('handles CRLF, mixed endings and keeps a lone CR inside the line', () => {
    const lines = splitAll([Buffer.from('a\r\nb\nc\rd\r\ne')]);
    expect(lines.map((l) => [l.bytes.toString('latin1'), l.terminator])).toEqual([
      ['a', '\r\n'],
      ['b', '\n'],
      ['c\rd', '\r\n'],
      ['e', ''],
    ]);
    expect(lines.map((l) => l.byteOffset)).toEqual([0, 3, 5, 10]);
  });

  it('handles CRLF split across chunks', () => {
    const lines = splitAll([Buffer.from('one\r'), Buffer.from('\ntwo\r'), Buffer.from('\n')]);
    expect(lines.map((l) => [l.bytes.toString(), l.terminator, l.byteOffset])).toEqual([
      ['one', '\r\n', 0],
      ['two', '\r\n', 5],
    ]);
  });

  it('yields a final line without terminator, nothing for empty input, one empty line for "\\n"', () => {
    expect(splitAll([Buffer.from('x\ny')]).map((l) => [l.bytes.toString(), l.terminator])).toEqual([
      ['x', '\n'],
      ['y', ''],
    ]);
    expect(splitAll([])).toEqual([]);
    expect(splitAll([Buffer.alloc(0)])).toEqual([]);
    expect(splitAll([Buffer.from('\n')]).map((l) => [l.bytes.length, l.terminator])).toEqual([[0, '\n']]);
    expect(splitAll([Buffer.from('\r')]).map((l) => [l.bytes.toString('latin1'), l.terminator])).toEqual([['\r', '']]);
  });

  it('is zero-copy for lines inside a chunk', () => {
    const chunk = Buffer.from('abc\ndef\n');
    const [first] = splitAll([chunk]);
    expect(first?.bytes.buffer).toBe(chunk.buffer);
  });

  it('preserves invalid UTF-8 bytes exactly', () => {
    const raw = Buffer.from([0x47, 0x45, 0x54, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x00, 0x80, 0x0a, 0xe2, 0x82]);
    const lines = splitAll(chunked(raw, [5, 7]));
    expect(Buffer.compare(lines[0]?.bytes ?? Buffer.alloc(0), raw.subarray(0, 10))).toBe(0);
    expect(Buffer.compare(lines[1]?.bytes ?? Buffer.alloc(0), raw.subarray(11))).toBe(0);
    const decoded = decodeLine(lines[0]?.bytes ?? Buffer.alloc(0));
    expect(decoded.validUtf8).toBe(false);
    expect(decoded.text).toContain('\uFFFD');
    expect(decoded.text.startsWith('GET ')).toBe(true);
  });

  it('keeps a 10 MB line whole, flagged oversized', () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 0x78);
    const data = Buffer.concat([Buffer.from('a\n'), big, Buffer.from('\r\nb\n')]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < data.length; i += 1024 * 1024) {
      chunks.push(data.subarray(i, i + 1024 * 1024));
    }
    const lines = splitAll(chunks);
    expect(lines).toHaveLength(3);
    const long = lines[1];
    expect(long?.oversized).toBe(true);
    expect(long?.continued).toBe(false);
    expect(long?.lineNo).toBe(2);
    expect(long?.byteOffset).toBe(2);
    expect(long?.terminator).toBe('\r\n');
    expect(long?.bytes.length).toBe(big.length);
    expect(long?.bytes.equals(big)).toBe(true);
    expect(lines[0]?.oversized).toBe(false);
    expect(lines[2]?.bytes.toString()).toBe('b');
    expect(lines[2]?.lineNo).toBe(3);
  });

  it('yields lines beyond maxWholeLineBytes in pieces that concatenate to the line', () => {
    const line = Buffer.from('y'.repeat(2500) + '\r');
    const data = Buffer.concat([line, Buffer.from('\r\nz\n'), line]);
    const opts = { maxLineBytes: 100, maxWholeLineBytes: 1000 };
    for (const cuts of [[], [3, 999, 1000, 1001, 2501, 2502], [7, 13, 1500, 2499, 2600]]) {
      const lines = splitAll(chunked(data, cuts), opts);
      const first = lines.filter((l) => l.lineNo === 1);
      expect(first.length).toBeGreaterThan(2);
      expect(first.every((l) => l.oversized && l.bytes.length <= 1000)).toBe(true);
      expect(first[0]?.continuation).toBe(false);
      expect(first.slice(0, -1).every((l) => l.continued && l.terminator === '')).toBe(true);
      expect(first.slice(1).every((l) => l.continuation)).toBe(true);
      expect(first[first.length - 1]?.terminator).toBe('\r\n');
      expect(Buffer.concat(first.map((l) => l.bytes)).equals(line)).toBe(true);
      expect(first.map((l) => l.byteOffset)).toEqual(
        first.map((_, i) => first.slice(0, i).reduce((n, l) => n + l.bytes.length, 0)),
      );
      expect(lines.find((l) => l.lineNo === 2)?.bytes.toString()).toBe('z');
      const last = lines.filter((l) => l.lineNo === 3);
      expect(Buffer.concat(last.map((l) => l.bytes)).equals(line)).toBe(true);
      expect(last[last.length - 1]?.terminator).toBe('');
    }
  });

  it('matches a reference splitter for any content and chunking (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0x61, 0x0a, 0x0d, 0x00, 0xff), { maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 2, max: 40 }),
        (bytes, cuts, maxWhole) => {
          const data = Buffer.from(bytes);
          const ref = reference(data);
          const got = splitAll(chunked(data, cuts), { maxLineBytes: 10, maxWholeLineBytes: maxWhole });
          // Reassemble pieces by lineNo.
          const byLine = new Map<number, Line[]>();
          for (const l of got) {
            byLine.set(l.lineNo, [...(byLine.get(l.lineNo) ?? []), l]);
          }
          expect(byLine.size).toBe(ref.length);
          ref.forEach((r, i) => {
            const pieces = byLine.get(i + 1) ?? [];
            expect(Buffer.concat(pieces.map((p) => p.bytes)).equals(r.bytes)).toBe(true);
            expect(pieces[pieces.length - 1]?.terminator).toBe(r.terminator);
            expect(pieces[0]?.byteOffset).toBe(r.byteOffset);
            expect(pieces.every((p) => p.bytes.length <= maxWhole)).toBe(true);
            expect(pieces[0]?.oversized).toBe(r.bytes.length > Math.min(10, maxWhole));
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('names in `held` every earlier chunk a later batch can refer to, and gives the same lines with batches released (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0x61, 0x0a, 0x0d), { maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 16 }),
        fc.integer({ min: 2, max: 40 }),
        (bytes, cuts, maxWhole) => {
          const data = Buffer.from(bytes);
          const options = { maxLineBytes: 10, maxWholeLineBytes: maxWhole };
          const expected = splitAll(chunked(data, cuts), options).map((l) => `${l.lineNo}:${l.byteOffset}:${l.bytes.toString('latin1')}:${l.terminator}`);
          const splitter = new LineSplitter(options);
          // each chunk in memory of its own, numbered in push order
          const order = new Map<ArrayBufferLike, number>();
          const got: string[] = [];
          let last: { held: readonly ArrayBufferLike[]; chunk: number } | null = null;
          const take = (batch: LineBatch | null, chunk: number): void => {
            if (batch === null) {
              return;
            }
            for (const l of batch.toArray()) {
              const from = order.get(l.bytes.buffer);
              // a view of an earlier chunk than the previous batch's was announced by the previous batch
              if (last !== null && from !== undefined && from <= last.chunk) {
                expect(last.held).toContain(l.bytes.buffer);
              }
              got.push(`${l.lineNo}:${l.byteOffset}:${l.bytes.toString('latin1')}:${l.terminator}`);
            }
            last = { held: [...batch.held], chunk };
            batch.release();
            expect(() => batch.bytes(0)).toThrow(RangeError);
          };
          chunked(data, cuts).forEach((c, i) => {
            const own = Buffer.from(c);
            order.set(own.buffer, i);
            take(splitter.push(own), i);
          });
          take(splitter.end(), Number.MAX_SAFE_INTEGER);
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('splitLines batches lines per chunk over an async source', async () => {
    async function* src(): AsyncGenerator<Buffer> {
      yield Buffer.from('l1\nl2\nl');
      yield Buffer.from('3\n');
      yield Buffer.from('tail');
    }
    const batches = [];
    for await (const b of splitLines(src())) {
      batches.push(b.toArray().map((l) => `${l.lineNo}:${l.bytes.toString()}`));
    }
    expect(batches).toEqual([['1:l1', '2:l2'], ['3:l3'], ['4:tail']]);
  });
});

describe('decodeLine', () => {
  it('decodes valid UTF-8 and flags invalid bytes', () => {
    expect(decodeLine(Buffer.from('héllo ✓'))).toEqual({ text: 'héllo ✓', validUtf8: true });
    expect(decodeLine(Buffer.from([0x61, 0xe9, 0x62]))).toEqual({ text: 'a\uFFFDb', validUtf8: false });
    expect(decodeLine(Buffer.alloc(0))).toEqual({ text: '', validUtf8: true });
  });
});

describe.runIf(process.env['DOSSIER_MICROBENCH'] === '1')('line splitter throughput (DOSSIER_MICROBENCH=1)', () => {
  it('measures scanning speed', () => {
    const lineText = '192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET /index.html HTTP/1.1" 200 2326 "-" "curl/8.0"\n';
    const perChunk = Math.ceil((1024 * 1024) / lineText.length);
    const chunk = Buffer.from(lineText.repeat(perChunk));
    const total = 512 * 1024 * 1024;
    const rounds = Math.ceil(total / chunk.length);
    for (const [label, touch] of [
      ['batches only', false],
      ['batches + bytes(i) per line', true],
    ] as const) {
      const s = new LineSplitter();
      let lines = 0;
      const t0 = performance.now();
      for (let r = 0; r < rounds; r++) {
        const b = s.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
        if (b !== null) {
          lines += b.count;
          if (touch) {
            for (let i = 0; i < b.count; i++) {
              b.bytes(i);
            }
          }
        }
      }
      lines += s.end()?.count ?? 0;
      const secs = (performance.now() - t0) / 1000;
      const mb = (rounds * chunk.length) / 1e6;
      console.log(`[bench] ${label}: ${(mb / secs).toFixed(0)} MB/s, ${(lines / secs / 1e6).toFixed(1)} M lines/s`);
      // every line of every chunk, none lost at a chunk's end
      expect(lines).toBe(rounds * perChunk);
    }
  });
});
