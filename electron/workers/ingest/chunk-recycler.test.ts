import { describe, expect, it } from 'vitest';
import { ChunkRecycler } from './chunk-recycler';
import { LineSplitter } from './source/lines';

/** A chunk in memory of its own, as the reader's are (Buffer.from would share Node's 8 KiB pool). */
function chunk(text: string): Buffer {
  const b = Buffer.allocUnsafeSlow(text.length);
  b.write(text, 'latin1');
  return b;
}

describe('ChunkRecycler', () => {
  it('hands a chunk back once its batch is consumed, unless the splitter or the writer still refers to it', () => {
    const given: Buffer[] = [];
    let writerHolds: ArrayBufferLike | null = null;
    const r = new ChunkRecycler((c) => (given.push(c), true), (m) => m === writerHolds);
    const splitter = new LineSplitter();
    const c1 = chunk('one\ntwo\nthr');
    const c2 = chunk('ee\nfour\n');
    const c3 = chunk('five\nsix\n');
    const b1 = splitter.push(c1);
    const b2 = splitter.push(c2);
    const b3 = splitter.push(c3);
    if (b1 === null || b2 === null || b3 === null) {
      throw new Error('batches expected');
    }
    // "thr" is still the splitter's when b1 is made
    expect(b1.held).toEqual([c1.buffer]);
    expect(b2.held).toEqual([]);
    r.consumed(b1);
    expect(given).toEqual([]);
    expect(r.waiting).toBe(1);
    // the writer has not sealed the raw block that holds c2's lines yet
    writerHolds = c2.buffer;
    r.consumed(b2);
    expect(given).toEqual([c1]);
    writerHolds = null;
    r.consumed(b3);
    expect(given).toEqual([c1, c2, c3]);
    expect(r.given).toBe(3);
    expect(r.waiting).toBe(0);
  });

  it('counts only the chunks the reader takes', () => {
    const r = new ChunkRecycler(() => false, () => false);
    const b = new LineSplitter().push(chunk('a\n'));
    if (b === null) {
      throw new Error('batch expected');
    }
    r.consumed(b);
    expect(r.given).toBe(0);
    expect(r.waiting).toBe(0);
  });
});
