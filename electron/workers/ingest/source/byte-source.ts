/**
 * Internal pull-based byte plumbing for the evidence reader: the physical file reader (one read pass, hashing as it
 * reads), a peek helper and bounded decompressors. Everything is pull-driven so memory stays bounded and nothing is
 * read twice.
 *
 * Contract of a ByteSource: `pull()` returns the next chunk, or null at the end (normal or not: `truncation()` says
 * which, once the end was reached). It never rejects for content or I/O problems; it rejects only on abort.
 * Chunks are fresh Buffers that are never reused, so consumers may keep subarrays; the one exception is a chunk the
 * consumer hands back to a PhysicalFile with `recycle` (see there), which declares that nobody references it any more.
 */
import { createHash, type Hash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { constants as zlibConstants, createGunzip, type Gunzip } from 'node:zlib';
import unbzip2Stream from 'unbzip2-stream';

export type TruncationReason = 'decompression_limit' | 'corrupt' | 'unexpected_eof' | 'io_error';

export type Truncation = Readonly<{ reason: TruncationReason; message: string }>;

export type Digests = Readonly<{ sha256: string; md5: string }>;

export type ByteSource = {
  pull(): Promise<Buffer | null>;
  truncation(): Truncation | null;
};

/** SHA-256 and MD5 over the same bytes, in one pass. */
export class DualHash {
  #sha = createHash('sha256');
  #md5: Hash = createHash('md5');
  #result: Digests | null = null;

  update(chunk: Buffer): void {
    if (this.#result !== null) {
      throw new Error('DualHash: update after digest');
    }
    this.#sha.update(chunk);
    this.#md5.update(chunk);
  }

  digest(): Digests {
    this.#result ??= { sha256: this.#sha.digest('hex'), md5: this.#md5.digest('hex') };
    return this.#result;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}

export type PhysicalOpenOptions = Readonly<{
  chunkSize: number;
  signal?: AbortSignal;
  /** `dev:ino` seen when listing; opening a different file under the same path is refused. */
  expectedFileId?: string;
}>;

export type PhysicalReadState = Readonly<{
  sizeAtOpen: number;
  bytesRead: number;
  /** Digests of the bytes read (all of them when `complete`). */
  digests: Digests;
  complete: boolean;
  grewDuringRead: boolean;
  shrankDuringRead: boolean;
  modifiedDuringRead: boolean;
  ioError: string | null;
  noatime: boolean;
}>;

/** Recycled read buffers a file keeps at most (the ingest has about five chunks in flight). */
const MAX_SPARE_CHUNKS = 8;

const O_NOATIME: number = (fsConstants as Record<string, number>)['O_NOATIME'] ?? 0;
const O_NOFOLLOW: number = fsConstants.O_NOFOLLOW ?? 0;
const O_NONBLOCK: number = fsConstants.O_NONBLOCK ?? 0;

/**
 * A physical evidence file opened read-only (O_NOFOLLOW; O_NONBLOCK so a FIFO swapped in can never block;
 * O_NOATIME when the OS permits, silently dropped otherwise). Reads up to the size seen at open, hashing every byte
 * read (SHA-256 + MD5) in the same pass.
 */
export class PhysicalFile implements ByteSource {
  readonly sizeAtOpen: number;
  readonly mtimeMsAtOpen: number;
  readonly noatime: boolean;
  #fh: FileHandle | null;
  #chunkSize: number;
  #signal: AbortSignal | undefined;
  #pos = 0;
  #hash = new DualHash();
  #eof = false;
  #shrank = false;
  #ioError: string | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #final: PhysicalReadState | null = null;
  /** Full-size read buffers this file allocated (only these can be recycled). */
  readonly #lent = new WeakSet<ArrayBufferLike>();
  /** Recycled buffers, reused by the next reads. */
  #spare: ArrayBuffer[] = [];
  #recycled = 0;

  private constructor(fh: FileHandle, size: number, mtimeMs: number, noatime: boolean, options: PhysicalOpenOptions) {
    this.#fh = fh;
    this.sizeAtOpen = size;
    this.mtimeMsAtOpen = mtimeMs;
    this.noatime = noatime;
    this.#chunkSize = Math.max(4096, options.chunkSize);
    this.#signal = options.signal;
  }

  /** Throws (with a readable message) when the file cannot be opened or is not the regular file that was listed. */
  static async open(path: string | Buffer, options: PhysicalOpenOptions): Promise<PhysicalFile> {
    options.signal?.throwIfAborted();
    const base = fsConstants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK;
    let fh: FileHandle;
    let noatime = O_NOATIME !== 0;
    try {
      fh = await open(path, base | O_NOATIME);
    } catch (err) {
      const code = errorCode(err);
      if (O_NOATIME !== 0 && (code === 'EPERM' || code === 'EINVAL')) {
        noatime = false;
        fh = await open(path, base);
      } else {
        throw err;
      }
    }
    try {
      const st = await fh.stat({ bigint: true });
      if (!st.isFile()) {
        throw new Error('not a regular file any more (changed since listing); not read');
      }
      const id = `${st.dev}:${st.ino}`;
      if (options.expectedFileId !== undefined && options.expectedFileId !== '' && options.expectedFileId !== id) {
        throw new Error('the file was replaced since it was listed (different dev:ino); not read');
      }
      return new PhysicalFile(fh, Number(st.size), Number(st.mtimeNs) / 1e6, noatime, options);
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw err;
    }
  }

  get bytesRead(): number {
    return this.#pos;
  }

  /** Chunks handed back with `recycle` and accepted. */
  get recycledChunks(): number {
    return this.#recycled;
  }

  /**
   * Hands a chunk returned by `pull` back for a later read of this file to reuse: its memory is overwritten (zeroed
   * at once, then refilled by a read), so the caller declares that nothing references it or any view of it any
   * more. Only full-size chunks this file allocated are taken (`true`); anything else is left to the garbage
   * collector (`false`). Without it every chunk is a new allocation that V8 frees only at its next full
   * collection: at 1 MiB a chunk, some tens of dead chunks pile up between two, and the allocator keeps their
   * memory (docs/PERFORMANCE.md, session 11).
   */
  recycle(chunk: Uint8Array): boolean {
    const ab = chunk.buffer;
    if (!(ab instanceof ArrayBuffer) || !this.#lent.has(ab) || this.#spare.includes(ab) || this.#spare.length >= MAX_SPARE_CHUNKS) {
      return false;
    }
    new Uint8Array(ab).fill(0);
    this.#spare.push(ab);
    this.#recycled += 1;
    return true;
  }

  get atEnd(): boolean {
    return this.#eof;
  }

  pull(): Promise<Buffer | null> {
    const p = this.#queue.then(() => this.#read());
    this.#queue = p.catch(() => undefined);
    return p;
  }

  truncation(): Truncation | null {
    if (this.#ioError !== null) {
      return { reason: 'io_error', message: `read error after ${this.#pos} bytes: ${this.#ioError}` };
    }
    if (this.#shrank) {
      return {
        reason: 'unexpected_eof',
        message: `file shrank during read: ${this.sizeAtOpen} bytes at open, only ${this.#pos} could be read`,
      };
    }
    return null;
  }

  /** Digests of everything read; final once the end was reached. */
  digests(): Digests {
    return this.#hash.digest();
  }

  async #read(): Promise<Buffer | null> {
    this.#signal?.throwIfAborted();
    const fh = this.#fh;
    if (this.#eof || fh === null) {
      return null;
    }
    const remaining = this.sizeAtOpen - this.#pos;
    if (remaining <= 0) {
      this.#eof = true;
      return null;
    }
    const len = Math.min(this.#chunkSize, remaining);
    const buf = this.#buffer(len);
    let n: number;
    try {
      ({ bytesRead: n } = await fh.read(buf, 0, len, this.#pos));
    } catch (err) {
      this.#ioError = errorMessage(err);
      this.#eof = true;
      return null;
    }
    if (n === 0) {
      this.#shrank = true;
      this.#eof = true;
      return null;
    }
    const chunk = n === len ? buf : buf.subarray(0, n);
    this.#pos += n;
    this.#hash.update(chunk);
    return chunk;
  }

  #buffer(len: number): Buffer {
    if (len === this.#chunkSize) {
      const spare = this.#spare.pop();
      if (spare !== undefined) {
        return Buffer.from(spare, 0, len);
      }
      const buf = Buffer.allocUnsafeSlow(len);
      this.#lent.add(buf.buffer);
      return buf;
    }
    return Buffer.allocUnsafeSlow(len);
  }

  /**
   * Reads what is left (hashing it), checks whether the file changed while it was read, and closes it.
   * On abort: closes and rethrows.
   */
  async finish(): Promise<PhysicalReadState> {
    if (this.#final !== null) {
      return this.#final;
    }
    try {
      while ((await this.pull()) !== null) {
        // drain: hash only
      }
      let grew = false;
      let modified = false;
      const fh = this.#fh;
      if (fh !== null) {
        try {
          const st = await fh.stat();
          grew = st.size > this.sizeAtOpen;
          modified = st.mtimeMs !== this.mtimeMsAtOpen && Math.abs(st.mtimeMs - this.mtimeMsAtOpen) > 0.001;
        } catch (err) {
          this.#ioError ??= `final fstat failed: ${errorMessage(err)}`;
        }
      }
      this.#final = {
        sizeAtOpen: this.sizeAtOpen,
        bytesRead: this.#pos,
        digests: this.#hash.digest(),
        complete: this.#ioError === null && !this.#shrank && this.#pos === this.sizeAtOpen,
        grewDuringRead: grew,
        shrankDuringRead: this.#shrank,
        modifiedDuringRead: modified || grew || this.#shrank,
        ioError: this.#ioError,
        noatime: this.noatime,
      };
      return this.#final;
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    const fh = this.#fh;
    this.#fh = null;
    this.#eof = true;
    this.#spare = [];
    if (fh !== null) {
      await this.#queue.catch(() => undefined);
      await fh.close().catch(() => undefined);
    }
  }
}

/** Reads at least `n` bytes (or to the end) and returns a copy of the first `n`, plus a source that replays them. */
export async function peekSource(src: ByteSource, n: number): Promise<{ head: Buffer; source: ByteSource }> {
  const chunks: Buffer[] = [];
  let total = 0;
  let ended = false;
  while (total < n) {
    const c = await src.pull();
    if (c === null) {
      ended = true;
      break;
    }
    chunks.push(c);
    total += c.length;
  }
  const head = Buffer.alloc(Math.min(n, total));
  let off = 0;
  for (const c of chunks) {
    if (off >= head.length) {
      break;
    }
    off += c.copy(head, off, 0, Math.min(c.length, head.length - off));
  }
  let i = 0;
  const source: ByteSource = {
    pull: async () => {
      if (i < chunks.length) {
        const c = chunks[i] ?? null;
        chunks[i] = EMPTY;
        i++;
        return c;
      }
      return ended ? null : src.pull();
    },
    truncation: () => src.truncation(),
  };
  return { head, source };
}

const EMPTY = Buffer.alloc(0);

export type DecompressionKind = 'gzip' | 'bzip2';

export type DecompressionLimit = Readonly<{
  maxBytes: number;
  /** Explains how maxBytes was computed, for the message. */
  explanation: string;
}>;

/**
 * Backpressure without pausing the decoder: input is written in slices of INPUT_SLICE bytes, the next slice only
 * once the previous one was fully processed (its output already delivered to us) and while fewer than QUEUE_LIMIT
 * decoded bytes wait for the consumer. The decoder is never paused, so no decoded byte can be stranded in its
 * internal buffer when it errors (Node drops a destroyed stream's buffer). Worst-case memory: QUEUE_LIMIT plus the
 * output of one slice (deflate expands at most ~1032×: ~33 MiB; bzip2 emits at most one block at a time).
 */
const QUEUE_LIMIT = 2 * 1024 * 1024;
const INPUT_SLICE = 32 * 1024;

type DecoderStream = NodeJS.ReadWriteStream & { destroy(error?: Error): unknown };

function waitForEvents(emitter: NodeJS.EventEmitter, events: readonly string[]): { promise: Promise<void>; cancel: () => void } {
  let done = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    done = (): void => {
      for (const e of events) {
        emitter.removeListener(e, done);
      }
      resolve();
    };
    for (const e of events) {
      emitter.once(e, done);
    }
  });
  return { promise, cancel: done };
}

/** Writes one slice and waits until the decoder processed it (or closed/errored). */
async function writeAndWait(stream: DecoderStream, kind: DecompressionKind, slice: Buffer): Promise<void> {
  if (kind === 'bzip2') {
    // A `through` stream: write() decodes synchronously and emits the output before returning.
    stream.write(slice);
    return;
  }
  const ended = waitForEvents(stream, ['close', 'error']);
  try {
    await Promise.race([
      new Promise<void>((resolve) => {
        stream.write(slice, () => resolve());
      }),
      ended.promise,
    ]);
  } finally {
    ended.cancel();
  }
}

/**
 * Decompresses a source, bounded by `limit.maxBytes`: beyond it, decoding stops, what was decoded up to the limit is
 * kept, and `truncation()` reports `decompression_limit`. Multi-member gzip and multi-stream bzip2 are decoded
 * entirely. A truncated stream yields everything decodable (gzip: a Z_SYNC_FLUSH before finishing recovers the
 * tail) and reports `unexpected_eof`; bad data reports `corrupt`. The input is not drained here: after the end,
 * whatever input is left is for the owner of the input (who hashes it).
 */
export class Decompressor implements ByteSource {
  readonly kind: DecompressionKind;
  #input: ByteSource;
  #limit: DecompressionLimit;
  #stream: DecoderStream | null = null;
  #queue: Buffer[] = [];
  #queued = 0;
  #ended = false;
  #error: Error | null = null;
  #feedError: unknown = null;
  #feeder: Promise<void> | null = null;
  #stopped = false;
  #closed = false;
  #finished = false;
  #truncation: Truncation | null = null;
  /** Wakes the consumer (data, end, error). */
  #wake: (() => void) | null = null;
  /** Wakes the feeder (room in the queue, stop). */
  #feederWake: (() => void) | null = null;
  #bytesIn = 0;
  #bytesOut = 0;
  #inputEnded = false;

  constructor(input: ByteSource, kind: DecompressionKind, limit: DecompressionLimit) {
    this.#input = input;
    this.kind = kind;
    this.#limit = limit;
  }

  get bytesOut(): number {
    return this.#bytesOut;
  }

  truncation(): Truncation | null {
    if (this.#truncation !== null) {
      return this.#truncation;
    }
    return this.#finished ? this.#input.truncation() : null;
  }

  async pull(): Promise<Buffer | null> {
    if (this.#finished) {
      return null;
    }
    if (this.#stream === null) {
      this.#start();
    }
    for (;;) {
      const next = this.#queue.shift();
      if (next !== undefined) {
        this.#queued -= next.length;
        if (this.#queued <= QUEUE_LIMIT) {
          this.#wakeFeeder();
        }
        return this.#emit(next);
      }
      if (this.#feedError !== null) {
        await this.#stop();
        throw this.#feedError;
      }
      if (this.#error !== null) {
        this.#truncation = this.#classify(this.#error);
        await this.#stop();
        return null;
      }
      if (this.#ended) {
        await this.#stop();
        return null;
      }
      this.#wakeFeeder();
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  /** Stops decoding (idempotent). Does not drain the input. */
  async close(): Promise<void> {
    await this.#stop();
  }

  async #emit(chunk: Buffer): Promise<Buffer | null> {
    const room = this.#limit.maxBytes - this.#bytesOut;
    if (chunk.length <= room) {
      this.#bytesOut += chunk.length;
      return chunk;
    }
    const kept = chunk.subarray(0, Math.max(0, room));
    this.#bytesOut += kept.length;
    this.#truncation = {
      reason: 'decompression_limit',
      message:
        `${this.kind} decompression stopped: the decoded size exceeded the limit of ${formatBytes(this.#limit.maxBytes)} ` +
        `(${this.#limit.explanation}); possible decompression bomb. The first ${formatBytes(this.#bytesOut)} ` +
        `decoded were kept; raise the decompression limits to read further.`,
    };
    await this.#stop();
    return kept.length > 0 ? kept : null;
  }

  #notify(): void {
    const w = this.#wake;
    this.#wake = null;
    w?.();
  }

  #wakeFeeder(): void {
    const w = this.#feederWake;
    this.#feederWake = null;
    w?.();
  }

  #start(): void {
    const stream: DecoderStream =
      this.kind === 'gzip' ? createGunzip({ chunkSize: 128 * 1024 }) : (unbzip2Stream() as unknown as DecoderStream);
    this.#stream = stream;
    stream.on('data', (chunk: Buffer) => {
      if (this.#stopped) {
        return;
      }
      this.#queue.push(chunk);
      this.#queued += chunk.length;
      this.#notify();
    });
    stream.on('end', () => {
      this.#ended = true;
      this.#notify();
    });
    stream.on('error', (err: Error) => {
      this.#error ??= err;
      this.#notify();
      this.#wakeFeeder();
    });
    stream.on('close', () => {
      this.#closed = true;
      this.#notify();
      this.#wakeFeeder();
    });
    this.#feeder = this.#feed(stream);
  }

  #halted(): boolean {
    return this.#stopped || this.#closed || this.#error !== null;
  }

  async #waitForRoom(): Promise<void> {
    while (this.#queued > QUEUE_LIMIT && !this.#halted()) {
      await new Promise<void>((resolve) => {
        this.#feederWake = resolve;
      });
    }
  }

  async #feed(stream: DecoderStream): Promise<void> {
    try {
      for (;;) {
        await this.#waitForRoom();
        if (this.#halted()) {
          return;
        }
        const chunk = await this.#input.pull();
        if (this.#halted()) {
          return;
        }
        if (chunk === null) {
          if (this.kind === 'gzip') {
            // Flush everything decodable first: a truncated stream then loses nothing at `end()`.
            const ended = waitForEvents(stream, ['close', 'error']);
            await Promise.race([
              new Promise<void>((resolve) => {
                (stream as unknown as Gunzip).flush(zlibConstants.Z_SYNC_FLUSH, () => resolve());
              }),
              ended.promise,
            ]);
            ended.cancel();
            if (this.#halted()) {
              return;
            }
          }
          this.#inputEnded = true;
          stream.end();
          return;
        }
        this.#bytesIn += chunk.length;
        for (let off = 0; off < chunk.length; off += INPUT_SLICE) {
          await writeAndWait(stream, this.kind, chunk.subarray(off, off + INPUT_SLICE));
          if (this.#halted()) {
            return;
          }
          await this.#waitForRoom();
          if (this.#halted()) {
            return;
          }
        }
      }
    } catch (err) {
      this.#feedError = err;
      this.#notify();
    }
  }

  async #stop(): Promise<void> {
    if (this.#finished) {
      return;
    }
    this.#finished = true;
    this.#stopped = true;
    this.#queue = [];
    this.#queued = 0;
    const stream = this.#stream;
    if (stream !== null && !this.#closed) {
      this.#closed = true;
      stream.destroy();
    }
    this.#wakeFeeder();
    await this.#feeder;
  }

  #classify(err: Error): Truncation {
    const code = errorCode(err);
    // unbzip2-stream reports running out of input inside a block as a TypeError from its bit reader: after the
    // whole input was written, that means the stream is truncated.
    const eof =
      this.kind === 'gzip'
        ? code === 'Z_BUF_ERROR'
        : /ended prematurely|unexpected end/i.test(err.message) || (this.#inputEnded && err instanceof TypeError);
    if (eof) {
      const upstream = this.#input.truncation();
      if (upstream !== null) {
        return { reason: upstream.reason, message: `${upstream.message}; the ${this.kind} stream inside is cut there` };
      }
      return {
        reason: 'unexpected_eof',
        message:
          `${this.kind} stream ends unexpectedly (truncated?) after ${formatBytes(this.#bytesIn)} compressed; ` +
          `the ${formatBytes(this.#bytesOut)} decodable were kept`,
      };
    }
    return {
      reason: 'corrupt',
      message:
        `${this.kind} data is corrupt (${errorMessage(err)}) after ${formatBytes(this.#bytesIn)} compressed; ` +
        `the ${formatBytes(this.#bytesOut)} decoded before the error were kept`,
    };
  }
}
