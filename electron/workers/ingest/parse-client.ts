/**
 * The writer thread's handle on the parse worker (ingest-parse.worker.ts): one member at a time,
 * batches of lines in, encoded rows out, answered in order. Any failure of the worker rejects every
 * pending request; the ingest then fails like any other error (committed batches stay).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RawBlockCompressor } from './event-writer';
import type { MemberClockState } from './member-clock';
import { IdMap, packLines, type FromParseWorker, type LineSource, type MemberSpec, type RowsMessage, type ToParseWorker } from './parse-batch';

type Pending = { resolve: (m: FromParseWorker) => void; reject: (e: Error) => void };

/** Capacity of a pooled lines buffer: the lines of a 1 MiB chunk and a line carried over from the one before. */
export const LINES_BUFFER_BYTES = 1280 * 1024;
/** Capacity of a pooled raw-block buffer: a 256 KiB block and the line that ends it. */
export const BLOCK_BUFFER_BYTES = 320 * 1024;
/**
 * The parse worker's V8 young generation, MB (V8's default for this isolate is 48: three 16 MB
 * semi-spaces' worth). Its garbage is short-lived (each batch's strings, once posted), so a smaller one
 * costs no measurable time and keeps about 15 MB less resident (docs/PERFORMANCE.md, session 8).
 */
export const PARSE_WORKER_YOUNG_GENERATION_MB = 16;

/** Buffers kept per pool (the batches and blocks in flight at once are fewer). */
const POOL_SIZE = 6;

/**
 * Buffers that travel to the worker and come back (lines to parse, raw blocks to compress), reused
 * instead of allocated per batch: each fresh megabyte stayed on a heap as garbage until the next
 * collection (docs/PERFORMANCE.md, session 8). Only buffers this pool made or the worker handed back
 * (transferred, so nothing else holds them) are ever transferred from it.
 */
export class BufferPool {
  readonly #free: ArrayBuffer[] = [];
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** A view of `bytes` bytes on a buffer of its own (pooled when one is large enough). */
  take(bytes: number): Uint8Array {
    for (let i = this.#free.length - 1; i >= 0; i -= 1) {
      const ab = this.#free[i] as ArrayBuffer;
      if (ab.byteLength >= bytes) {
        this.#free.splice(i, 1);
        return new Uint8Array(ab, 0, bytes);
      }
    }
    return new Uint8Array(new ArrayBuffer(Math.max(bytes, this.#capacity)), 0, bytes);
  }

  /** Keeps a buffer that came back (detached or small ones are dropped). */
  give(ab: ArrayBuffer | undefined): void {
    if (ab !== undefined && ab.byteLength >= this.#capacity && this.#free.length < POOL_SIZE) {
      this.#free.push(ab);
    }
  }

  get size(): number {
    return this.#free.length;
  }
}

/**
 * A worker bundled next to this bundle (dist-electron/, the bench's and tests' bundles), or null from
 * sources (the ingest's workers are one bundle each, beside the bundle that runs the ingest).
 */
export function bundledWorkerFile(fileName: string): URL | null {
  try {
    const url = new URL(`./${fileName}`, import.meta.url);
    return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : null;
  } catch {
    return null;
  }
}

/** The bundled parse worker, or null from sources. */
export function defaultParseWorkerFile(): URL | null {
  return bundledWorkerFile('ingest-parse.worker.js');
}

export class ParseWorkerClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  /** The worker's string and address ids, mapped to the case's (the worker keeps its ids for its lifetime). */
  readonly ids = new IdMap();
  #seq = 0;
  #failure: Error | null = null;
  readonly #lines = new BufferPool(LINES_BUFFER_BYTES);
  readonly #blocks = new BufferPool(BLOCK_BUFFER_BYTES);
  /** Raw-block buffers handed out by `blockBuffer` and not yet sent: transferred by `compress`, not copied. */
  readonly #lent = new WeakSet<ArrayBuffer>();

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (m: FromParseWorker) => {
      if (m.t === 'ready') {
        return;
      }
      if (m.t === 'error') {
        this.#fail(new Error(`the parse worker failed: ${m.message}`));
        return;
      }
      if (m.t === 'rows') {
        this.#lines.give(m.spare);
      } else if (m.t === 'compressed') {
        this.#blocks.give(m.spare);
      }
      const p = this.#pending.get(m.seq);
      this.#pending.delete(m.seq);
      p?.resolve(m);
    });
    worker.on('error', (e) => this.#fail(new Error(`the parse worker crashed: ${e.message}`)));
    worker.on('exit', (code) => this.#fail(new Error(`the parse worker stopped (exit code ${code})`)));
  }

  /** Starts a worker and waits until it is ready; null when it cannot start (the ingest then parses in its own thread). */
  static start(file: URL | string): Promise<ParseWorkerClient | null> {
    return new Promise((resolve) => {
      let worker: Worker;
      try {
        worker = new Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: PARSE_WORKER_YOUNG_GENERATION_MB } });
      } catch {
        resolve(null);
        return;
      }
      const onError = (): void => {
        resolve(null);
      };
      worker.once('error', onError);
      worker.once('exit', onError);
      worker.once('message', (m: FromParseWorker) => {
        worker.off('error', onError);
        worker.off('exit', onError);
        if (m.t === 'ready') {
          resolve(new ParseWorkerClient(worker));
        } else {
          void worker.terminate();
          resolve(null);
        }
      });
    });
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const p of this.#pending.values()) {
      p.reject(this.#failure);
    }
    this.#pending.clear();
  }

  #request(m: ToParseWorker, seq: number, transfer?: ArrayBuffer[]): Promise<FromParseWorker> {
    if (this.#failure !== null) {
      return Promise.reject(this.#failure);
    }
    const p = new Promise<FromParseWorker>((resolve, reject) => this.#pending.set(seq, { resolve, reject }));
    this.#worker.postMessage(m, transfer);
    return p;
  }

  beginMember(spec: MemberSpec): void {
    if (this.#failure !== null) {
      throw this.#failure;
    }
    const m: ToParseWorker = { t: 'member', spec };
    this.#worker.postMessage(m);
  }

  /** Sends a batch's lines; resolves with their rows. The promise never goes unobserved (see `drop`). */
  parse(batch: LineSource): Promise<RowsMessage> {
    const seq = ++this.#seq;
    const m = packLines(seq, batch, (bytes) => this.#lines.take(bytes));
    const p = this.#request(m, seq, [m.buf.buffer as ArrayBuffer, m.starts.buffer as ArrayBuffer, m.ends.buffer as ArrayBuffer, m.oversized.buffer as ArrayBuffer]) as Promise<RowsMessage>;
    p.catch(() => undefined);
    return p;
  }

  /**
   * Hands the buffer of a consumed rows message back to the worker for a later batch (`m.num` is
   * unusable afterwards).
   */
  recycle(m: RowsMessage): void {
    if (this.#failure === null && m.num.byteLength > 0) {
      const buffer = m.num.buffer as ArrayBuffer;
      this.#worker.postMessage({ t: 'recycle', num: buffer } satisfies ToParseWorker, [buffer]);
    }
  }

  /** Raw blocks assembled in this client's pooled buffers and compressed on the worker (EventWriter.blocks). */
  readonly blocks: RawBlockCompressor = {
    buffer: (bytes) => this.blockBuffer(bytes),
    compress: (raw) => this.compress(raw),
    done: (raw) => this.returnBlock(raw),
  };

  /**
   * A buffer for a raw block of `bytes` bytes, to be filled and passed to `compress` (which then sends
   * it without a copy) or to `returnBlock`.
   */
  blockBuffer(bytes: number): Buffer {
    const view = this.#blocks.take(bytes);
    this.#lent.add(view.buffer as ArrayBuffer);
    return Buffer.from(view.buffer, 0, bytes);
  }

  /** Takes back a buffer from `blockBuffer` that was compressed on the writer's thread. */
  returnBlock(raw: Buffer): void {
    const ab = raw.buffer as ArrayBuffer;
    if (this.#lent.delete(ab)) {
      this.#blocks.give(ab);
    }
  }

  /** The worker's V8 limits (tests). */
  get resourceLimits(): Worker['resourceLimits'] {
    return this.#worker.resourceLimits;
  }

  /** Buffers waiting in the pools (tests). */
  get pooled(): Readonly<{ lines: number; blocks: number }> {
    return { lines: this.#lines.size, blocks: this.#blocks.size };
  }

  /**
   * Compresses a raw block on the worker (the same bytes as the writer's own compression). A buffer
   * from `blockBuffer` is transferred (the caller must not touch it again); any other is copied.
   */
  async compress(raw: Buffer): Promise<Buffer> {
    const seq = ++this.#seq;
    const lent = raw.byteOffset === 0 && this.#lent.delete(raw.buffer as ArrayBuffer);
    const copy = lent ? new Uint8Array(raw.buffer, 0, raw.length) : new Uint8Array(raw);
    const r = await this.#request({ t: 'compress', seq, raw: copy }, seq, [copy.buffer as ArrayBuffer]);
    if (r.t !== 'compressed') {
      throw new Error('the parse worker answered out of order');
    }
    return Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength);
  }

  /** Ends the member; resolves with its clock's final state (year and date inference) and its per-minute counts. */
  async endMember(): Promise<Readonly<{ state: MemberClockState; minutes: Float64Array }>> {
    const seq = ++this.#seq;
    const r = await this.#request({ t: 'end', seq }, seq);
    if (r.t !== 'clock') {
      throw new Error('the parse worker answered out of order');
    }
    return { state: r.state, minutes: r.minutes };
  }

  get failed(): boolean {
    return this.#failure !== null;
  }

  async close(): Promise<void> {
    this.#fail(new Error('the parse worker was closed'));
    await this.#worker.terminate();
  }
}
