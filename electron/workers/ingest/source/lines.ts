/**
 * Line splitting over raw Buffer chunks, without decoding.
 *
 * Conventions (documented contract for parsers):
 * - Terminators are `\n` and `\r\n`. A lone `\r` (not followed by `\n`) is NOT a terminator: it stays inside
 *   the line bytes. Mixed endings in one member are fine; each line reports its own terminator.
 * - A final line without terminator is yielded with `terminator: ''`. A member ending with `\n` does not get an
 *   extra empty line. An empty member yields no lines.
 * - `lineNo` is 1-based; `byteOffset` is the offset of the first byte of the line (or piece) in the decoded member.
 * - Line bytes are raw: `Buffer` subarrays of the input chunks (zero copy). Only a line spanning chunks is copied.
 *   The bytes stay valid as long as you hold them (chunks are never reused).
 * - Long lines: a line longer than `maxLineBytes` (default 1 MiB) is still yielded whole, flagged `oversized` so the
 *   parser can skip it. Memory is bounded by `maxWholeLineBytes` (default 16 MiB): a line longer than that is yielded
 *   in pieces of at most `maxWholeLineBytes` bytes, all with the same `lineNo`, all flagged `oversized`; every piece
 *   but the last is flagged `continued` (more bytes of this line follow), every piece but the first is flagged
 *   `continuation`. Only the last piece carries the terminator. Concatenating the pieces gives the line exactly.
 * - Lines are delivered in batches (one `LineBatch` per input chunk) to avoid per-line async overhead. A batch stores
 *   offsets in typed arrays; `Line` objects are only created if you ask for them (`batch.line(i)` / iteration).
 */
import { isUtf8 } from 'node:buffer';

export type LineTerminator = '\n' | '\r\n' | '';

export type Line = Readonly<{
  bytes: Buffer;
  lineNo: number;
  byteOffset: number;
  terminator: LineTerminator;
  oversized: boolean;
  /** More pieces of this (very long) line follow. */
  continued: boolean;
  /** This piece continues a line started in a previous piece. */
  continuation: boolean;
}>;

export type LineSplitOptions = {
  /** Lines longer than this are flagged `oversized` (still yielded whole). Default 1 MiB. */
  maxLineBytes: number;
  /** Lines longer than this are yielded in pieces (bounded memory). Default 16 MiB. Must be >= 2. */
  maxWholeLineBytes: number;
};

export const DEFAULT_LINE_OPTIONS: Readonly<LineSplitOptions> = {
  maxLineBytes: 1024 * 1024,
  maxWholeLineBytes: 16 * 1024 * 1024,
};

const TERM_NONE = 0;
const TERM_LF = 1;
const TERM_CRLF = 2;
const F_OVERSIZED = 1;
const F_CONTINUED = 2;
const F_CONTINUATION = 4;
const LF = 10;
const CR = 13;

const TERMINATORS: readonly LineTerminator[] = ['', '\n', '\r\n'];
const EMPTY_BASE = Buffer.alloc(0);
/** Released batches a splitter keeps for reuse (the ingest has about five in flight). */
const MAX_SPARE_BATCHES = 8;

/** A batch of lines; accessors by index avoid allocating one object per line. */
export class LineBatch {
  #count = 0;
  #base: Buffer;
  #start: Int32Array;
  #end: Int32Array;
  #offset: Float64Array;
  #lineNo: Float64Array;
  #term: Uint8Array;
  #flags: Uint8Array;
  /** Bytes for lines that are not a plain subarray of `base` (spanning chunks). */
  #own: (Buffer | undefined)[] = [];
  /**
   * The memory (ArrayBuffers) of the bytes the splitter still held when it made this batch: the start of a line
   * that goes on in the next chunks. Later batches can refer to these bytes, and to no other bytes of earlier
   * chunks (ChunkRecycler relies on it).
   */
  held: readonly ArrayBufferLike[] = [];
  /** Where `release` hands the batch's storage (its splitter), null once released or for a batch made alone. */
  #home: ((batch: LineBatch) => void) | null = null;

  constructor(base: Buffer, capacity: number) {
    const cap = Math.max(8, capacity);
    this.#base = base;
    this.#start = new Int32Array(cap);
    this.#end = new Int32Array(cap);
    this.#offset = new Float64Array(cap);
    this.#lineNo = new Float64Array(cap);
    this.#term = new Uint8Array(cap);
    this.#flags = new Uint8Array(cap);
  }

  get count(): number {
    return this.#count;
  }

  bytes(i: number): Buffer {
    const own = this.#own[i];
    if (own !== undefined) {
      return own;
    }
    this.#check(i);
    return this.#base.subarray(this.#start[i], this.#end[i]);
  }

  /** The chunk the batch's lines lie in (see `baseStart`). */
  get base(): Buffer {
    return this.#base;
  }

  /**
   * Where line `i` starts in `base` when the line and its terminator both lie there, one after the
   * other (the usual case: consecutive lines are then consecutive bytes of `base`), else -1 (a line
   * that spans chunks, a piece of a long line, or a final line without terminator).
   */
  baseStart(i: number): number {
    this.#check(i);
    if (this.#own[i] !== undefined || (this.#flags[i] ?? 0) !== 0) {
      return -1;
    }
    const end = this.#end[i] ?? 0;
    const term = this.#term[i];
    const base = this.#base;
    if (term === TERM_LF ? base[end] === LF : term === TERM_CRLF && base[end] === CR && base[end + 1] === LF) {
      return this.#start[i] ?? -1;
    }
    return -1;
  }

  /** Length in bytes of line `i` (without terminator), without materialising it. */
  length(i: number): number {
    const own = this.#own[i];
    if (own !== undefined) {
      return own.length;
    }
    this.#check(i);
    return (this.#end[i] ?? 0) - (this.#start[i] ?? 0);
  }

  lineNo(i: number): number {
    this.#check(i);
    return this.#lineNo[i] ?? 0;
  }

  byteOffset(i: number): number {
    this.#check(i);
    return this.#offset[i] ?? 0;
  }

  terminator(i: number): LineTerminator {
    this.#check(i);
    return TERMINATORS[this.#term[i] ?? 0] ?? '';
  }

  oversized(i: number): boolean {
    this.#check(i);
    return ((this.#flags[i] ?? 0) & F_OVERSIZED) !== 0;
  }

  continued(i: number): boolean {
    this.#check(i);
    return ((this.#flags[i] ?? 0) & F_CONTINUED) !== 0;
  }

  continuation(i: number): boolean {
    this.#check(i);
    return ((this.#flags[i] ?? 0) & F_CONTINUATION) !== 0;
  }

  line(i: number): Line {
    const flags = this.#flags[i] ?? 0;
    return {
      bytes: this.bytes(i),
      lineNo: this.lineNo(i),
      byteOffset: this.byteOffset(i),
      terminator: this.terminator(i),
      oversized: (flags & F_OVERSIZED) !== 0,
      continued: (flags & F_CONTINUED) !== 0,
      continuation: (flags & F_CONTINUATION) !== 0,
    };
  }

  toArray(): Line[] {
    const out: Line[] = [];
    for (let i = 0; i < this.#count; i++) {
      out.push(this.line(i));
    }
    return out;
  }

  *[Symbol.iterator](): IterableIterator<Line> {
    for (let i = 0; i < this.#count; i++) {
      yield this.line(i);
    }
  }

  /**
   * Hands the batch's storage (about 26 bytes per line of capacity, 416 KiB for a 1 MiB chunk) back to the splitter
   * that made it, for a later batch: the consumer declares it is done with the batch, which is empty afterwards
   * (its accessors throw) until the splitter fills it again. Without it every chunk's batch is a new allocation that
   * V8 frees only at a full collection (docs/PERFORMANCE.md, session 11).
   */
  release(): void {
    const home = this.#home;
    this.#home = null;
    this.#count = 0;
    this.#base = EMPTY_BASE;
    this.#own = [];
    this.held = [];
    home?.(this);
  }

  /** @internal The splitter refills a released batch for `base`; `home` takes it back on `release`. */
  reuse(base: Buffer, home: ((batch: LineBatch) => void) | null): this {
    this.#base = base;
    this.#home = home;
    return this;
  }

  /** @internal */
  add(start: number, end: number, own: Buffer | undefined, offset: number, lineNo: number, term: number, flags: number): void {
    const i = this.#count;
    if (i === this.#start.length) {
      this.#grow();
    }
    this.#start[i] = start;
    this.#end[i] = end;
    this.#offset[i] = offset;
    this.#lineNo[i] = lineNo;
    this.#term[i] = term;
    this.#flags[i] = flags;
    if (own !== undefined) {
      this.#own[i] = own;
    }
    this.#count = i + 1;
  }

  #grow(): void {
    const cap = this.#start.length * 2;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.#start = grow(this.#start, (n) => new Int32Array(n));
    this.#end = grow(this.#end, (n) => new Int32Array(n));
    this.#offset = grow(this.#offset, (n) => new Float64Array(n));
    this.#lineNo = grow(this.#lineNo, (n) => new Float64Array(n));
    this.#term = grow(this.#term, (n) => new Uint8Array(n));
    this.#flags = grow(this.#flags, (n) => new Uint8Array(n));
  }

  #check(i: number): void {
    if (!(i >= 0 && i < this.#count)) {
      throw new RangeError(`line index ${i} out of range 0..${this.#count - 1}`);
    }
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * Synchronous core: feed chunks with `push`, then call `end` once. Each call returns the lines completed by it
 * (or null when none).
 */
export class LineSplitter {
  readonly #maxLine: number;
  readonly #maxWhole: number;
  /** Offset (in the member) of the next byte to be pushed. */
  #offset = 0;
  #lineNo = 1;
  /** Bytes of the current, incomplete line (from earlier chunks). */
  #pending: Buffer[] = [];
  #pendingLen = 0;
  #pendingStart = 0;
  /** Pieces of the current line were already emitted. */
  #pieced = false;
  #ended = false;
  /** Released batches (LineBatch.release), refilled by the next pushes. */
  #spare: LineBatch[] = [];
  readonly #home = (batch: LineBatch): void => {
    if (this.#spare.length < MAX_SPARE_BATCHES) {
      this.#spare.push(batch);
    }
  };

  constructor(options?: Partial<LineSplitOptions>) {
    const maxLine = options?.maxLineBytes ?? DEFAULT_LINE_OPTIONS.maxLineBytes;
    const maxWhole = options?.maxWholeLineBytes ?? Math.max(DEFAULT_LINE_OPTIONS.maxWholeLineBytes, maxLine);
    if (!(maxWhole >= 2) || !(maxLine >= 0)) {
      throw new RangeError('maxWholeLineBytes must be >= 2 and maxLineBytes >= 0');
    }
    // A line long enough to be cut in pieces is always oversized.
    this.#maxLine = Math.min(maxLine, maxWhole);
    this.#maxWhole = maxWhole;
  }

  /** Number of bytes consumed so far. */
  get bytesSeen(): number {
    return this.#offset;
  }

  push(chunk: Buffer): LineBatch | null {
    if (this.#ended) {
      throw new Error('LineSplitter: push after end');
    }
    const len = chunk.length;
    if (len === 0) {
      return null;
    }
    const chunkOffset = this.#offset;
    this.#offset += len;
    // Rough estimate: one line per 64 bytes; the batch grows if needed. A released batch keeps its capacity.
    const batch = this.#spare.pop()?.reuse(chunk, this.#home) ?? new LineBatch(chunk, Math.min(len >>> 6, 65536) + 8).reuse(chunk, this.#home);
    const maxLine = this.#maxLine;
    const maxWhole = this.#maxWhole;
    let pos = 0;
    while (pos < len) {
      const nl = chunk.indexOf(LF, pos);
      if (nl === -1) {
        this.#appendPending(chunk.subarray(pos), chunkOffset + pos, batch);
        break;
      }
      if (this.#pendingLen === 0 && !this.#pieced) {
        let end = nl;
        let term = TERM_LF;
        if (end > pos && chunk[end - 1] === CR) {
          end--;
          term = TERM_CRLF;
        }
        const lineLen = end - pos;
        if (lineLen <= maxWhole) {
          batch.add(pos, end, undefined, chunkOffset + pos, this.#lineNo, term, lineLen > maxLine ? F_OVERSIZED : 0);
        } else {
          this.#emitInChunkPieces(pos, end, chunkOffset, term, batch);
        }
      } else {
        this.#finishSpanning(chunk.subarray(pos, nl), chunkOffset + pos, batch);
      }
      this.#lineNo++;
      pos = nl + 1;
    }
    if (batch.count === 0) {
      batch.release();
      return null;
    }
    batch.held = this.#pending.map((p) => p.buffer);
    return batch;
  }

  end(): LineBatch | null {
    if (this.#ended) {
      return null;
    }
    this.#ended = true;
    if (this.#pendingLen === 0 && !this.#pieced) {
      return null;
    }
    const batch = new LineBatch(EMPTY, 1);
    this.#emitPieces(batch, true);
    const bytes = this.#takePending();
    const flags = this.#pieced ? F_OVERSIZED | F_CONTINUATION : bytes.length > this.#maxLine ? F_OVERSIZED : 0;
    batch.add(0, 0, bytes, this.#pendingStart, this.#lineNo, TERM_NONE, flags);
    this.#pieced = false;
    this.#lineNo++;
    return batch;
  }

  #appendPending(part: Buffer, partOffset: number, batch: LineBatch): void {
    if (this.#pendingLen === 0) {
      this.#pendingStart = partOffset;
    }
    this.#pending.push(part);
    this.#pendingLen += part.length;
    this.#emitPieces(batch, false);
  }

  /**
   * Bounded memory: emits pieces while strictly more than maxWhole bytes are pending, keeping >= 1 byte back so the
   * last piece (with the terminator) always exists.
   */
  #emitPieces(batch: LineBatch, atEnd: boolean): void {
    for (;;) {
      // Before the end, a trailing CR may be half of a CRLF terminator: it does not count toward the line length.
      const last = this.#pending[this.#pending.length - 1];
      const trailingCr = !atEnd && last !== undefined && last.length > 0 && last[last.length - 1] === CR ? 1 : 0;
      if (this.#pendingLen - trailingCr <= this.#maxWhole) {
        break;
      }
      const all = this.#takePending();
      let cut = this.#maxWhole;
      // Never split a CR from a following LF: keep a trailing CR with the rest.
      if (all[cut - 1] === CR) {
        cut--;
      }
      const piece = all.subarray(0, cut);
      const flags = F_OVERSIZED | F_CONTINUED | (this.#pieced ? F_CONTINUATION : 0);
      batch.add(0, 0, piece, this.#pendingStart, this.#lineNo, TERM_NONE, flags);
      this.#pieced = true;
      const rest = all.subarray(cut);
      this.#pendingStart += cut;
      this.#pending = [rest];
      this.#pendingLen = rest.length;
    }
  }

  #finishSpanning(tail: Buffer, tailOffset: number, batch: LineBatch): void {
    let term = TERM_LF;
    let body = tail;
    if (tail.length > 0) {
      if (tail[tail.length - 1] === CR) {
        body = tail.subarray(0, tail.length - 1);
        term = TERM_CRLF;
      }
    } else {
      const lastIdx = this.#pending.length - 1;
      const last = this.#pending[lastIdx];
      if (last !== undefined && last.length > 0 && last[last.length - 1] === CR) {
        this.#pending[lastIdx] = last.subarray(0, last.length - 1);
        this.#pendingLen--;
        term = TERM_CRLF;
      }
    }
    if (body.length > 0) {
      // May emit pieces first when the line grows past maxWholeLineBytes; at most maxWholeLineBytes stay pending.
      this.#appendPending(body, tailOffset, batch);
    }
    // The line is complete: a trailing CR left in it is content now.
    this.#emitPieces(batch, true);
    const bytes = this.#takePending();
    const flags = this.#pieced ? F_OVERSIZED | F_CONTINUATION : bytes.length > this.#maxLine ? F_OVERSIZED : 0;
    batch.add(0, 0, bytes, this.#pendingStart, this.#lineNo, term, flags);
    this.#pieced = false;
  }

  #emitInChunkPieces(start: number, end: number, bufOffset: number, term: number, batch: LineBatch): void {
    let p = start;
    while (p < end) {
      const q = Math.min(p + this.#maxWhole, end);
      const last = q >= end;
      const flags = F_OVERSIZED | (last ? 0 : F_CONTINUED) | (p === start ? 0 : F_CONTINUATION);
      batch.add(p, q, undefined, bufOffset + p, this.#lineNo, last ? term : TERM_NONE, flags);
      p = q;
    }
  }

  #takePending(): Buffer {
    const parts = this.#pending;
    this.#pending = [];
    const len = this.#pendingLen;
    this.#pendingLen = 0;
    if (parts.length === 0) {
      return EMPTY;
    }
    if (parts.length === 1) {
      // A subarray of a chunk (chunks are never reused, so no copy is needed).
      return parts[0] ?? EMPTY;
    }
    return Buffer.concat(parts, len);
  }
}

/** Async wrapper: one `LineBatch` per input chunk that completes at least one line. */
export async function* splitLines(
  chunks: AsyncIterable<Buffer>,
  options?: Partial<LineSplitOptions>,
): AsyncGenerator<LineBatch, void, undefined> {
  const splitter = new LineSplitter(options);
  for await (const chunk of chunks) {
    const batch = splitter.push(chunk);
    if (batch !== null) {
      yield batch;
    }
  }
  const last = splitter.end();
  if (last !== null) {
    yield last;
  }
}

export type DecodedLine = Readonly<{ text: string; validUtf8: boolean }>;

/** Keeps a leading BOM as U+FEFF (consistent with the fast path); parsers strip it on line 1 if they want. */
const lossyDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Decodes line bytes for parsing. Valid UTF-8 (including pure ASCII) takes the fast path; invalid sequences become
 * U+FFFD. The text is for parsing and display only: the raw bytes remain authoritative.
 */
export function decodeLine(bytes: Uint8Array): DecodedLine {
  if (isUtf8(bytes)) {
    return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), validUtf8: true };
  }
  return { text: lossyDecoder.decode(bytes), validUtf8: false };
}
