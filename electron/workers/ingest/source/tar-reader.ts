/**
 * Internal: reads a tar stream (ustar, GNU, pax — via tar-stream) from a ByteSource, entry by entry, without
 * touching the disk. Each entry's raw bytes are hashed (SHA-256 + MD5) as they are pulled. Pull-driven: the next
 * entry is only parsed once the previous one was drained.
 */
import { extract as createExtract, type Extract, type Header } from 'tar-stream';
import { DualHash, errorMessage, type ByteSource, type Digests, type Truncation } from './byte-source';

export type TarHeader = Header;

export type TarEntryResult = Readonly<{
  size: number;
  bytes: number;
  complete: boolean;
  digests: Digests;
}>;

/**
 * Backpressure: the pump writes the next input chunk only while the current entry has fewer than QUEUE_LIMIT bytes
 * waiting for the consumer. Entry streams are never paused, so no entry data can be stranded inside a stream that
 * tar-stream destroys (on a truncated or corrupt archive).
 */
const QUEUE_LIMIT = 2 * 1024 * 1024;

type EntryStream = NodeJS.EventEmitter;

type PendingEntry = { header: Header; stream: EntryStream; next: (err?: Error | null) => void };

function waitForEvents(emitter: NodeJS.EventEmitter, events: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      for (const e of events) {
        emitter.removeListener(e, done);
      }
      resolve();
    };
    for (const e of events) {
      emitter.once(e, done);
    }
  });
}

/** The bytes of one tar entry. */
export class TarEntry implements ByteSource {
  readonly header: Header;
  readonly size: number;
  #reader: TarReader;
  #stream: EntryStream;
  #next: (err?: Error | null) => void;
  #queue: Buffer[] = [];
  #queued = 0;
  #ended = false;
  #failed = false;
  #bytes = 0;
  #hash = new DualHash();
  #wake: (() => void) | null = null;
  #result: TarEntryResult | null = null;
  #done = false;

  constructor(reader: TarReader, pending: PendingEntry) {
    this.#reader = reader;
    this.header = pending.header;
    this.size = pending.header.size;
    this.#stream = pending.stream;
    this.#next = pending.next;
    const stream = this.#stream;
    stream.on('data', (chunk: Buffer) => {
      this.#queue.push(chunk);
      this.#queued += chunk.length;
      this.notify();
    });
    stream.on('end', () => {
      this.#ended = true;
      this.notify();
    });
    stream.on('error', () => {
      this.#failed = true;
      this.notify();
    });
    stream.on('close', () => {
      if (!this.#ended) {
        this.#failed = true;
      }
      this.notify();
    });
  }

  /** @internal */
  notify(): void {
    const w = this.#wake;
    this.#wake = null;
    w?.();
  }

  async pull(): Promise<Buffer | null> {
    for (;;) {
      const next = this.#queue.shift();
      if (next !== undefined) {
        this.#queued -= next.length;
        if (this.#queued <= QUEUE_LIMIT) {
          this.#reader.wakePump();
        }
        this.#bytes += next.length;
        this.#hash.update(next);
        return next;
      }
      if (this.#ended || this.#failed || this.#reader.failed) {
        this.#done = true;
        return null;
      }
      this.#reader.throwIfPumpFailed();
      this.#reader.wakePump();
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  /** @internal Bytes waiting for the consumer. */
  get queued(): number {
    return this.#queued;
  }

  get complete(): boolean {
    return this.#done && this.#ended && !this.#failed && this.#bytes === this.size;
  }

  truncation(): Truncation | null {
    if (!this.#done || this.complete) {
      return null;
    }
    const upstream = this.#reader.inputTruncation();
    if (upstream !== null) {
      return { reason: upstream.reason, message: `${upstream.message}; tar entry cut there (${this.#bytes} of ${this.size} bytes)` };
    }
    const tarProblem = this.#reader.problem();
    return {
      reason: tarProblem?.reason ?? 'unexpected_eof',
      message: `tar archive ends inside entry "${this.header.name}" (${this.#bytes} of ${this.size} bytes)${
        tarProblem === null ? '' : `: ${tarProblem.message}`
      }`,
    };
  }

  /** Digests of the entry bytes pulled so far (final once the entry was drained). */
  digests(): Digests {
    return this.#hash.digest();
  }

  /** Drains what is left (hashing it) and lets the archive move on to the next entry. Idempotent. */
  async finish(): Promise<TarEntryResult> {
    if (this.#result !== null) {
      return this.#result;
    }
    while ((await this.pull()) !== null) {
      // drain
    }
    this.#result = { size: this.size, bytes: this.#bytes, complete: this.complete, digests: this.#hash.digest() };
    if (!this.#reader.failed) {
      this.#next();
    }
    return this.#result;
  }
}

export class TarReader {
  #input: ByteSource;
  #extract: Extract;
  #pending: PendingEntry[] = [];
  #current: TarEntry | null = null;
  #closed = false;
  #error: Error | null = null;
  #pumpError: unknown = null;
  #pump: Promise<void> | null = null;
  #stopped = false;
  #wake: (() => void) | null = null;
  #pumpWake: (() => void) | null = null;
  #entries = 0;

  constructor(input: ByteSource) {
    this.#input = input;
    const ex = createExtract();
    this.#extract = ex;
    const events = ex as unknown as NodeJS.EventEmitter;
    events.on('entry', (header: Header, stream: EntryStream, next: (err?: Error | null) => void) => {
      this.#pending.push({ header, stream, next });
      this.#notify();
    });
    events.on('error', (err: Error) => {
      this.#error ??= err;
      this.#notify();
    });
    events.on('finish', () => this.#notify());
    events.on('close', () => {
      this.#closed = true;
      this.#notify();
    });
  }

  get failed(): boolean {
    return this.#error !== null;
  }

  get entryCount(): number {
    return this.#entries;
  }

  /** @internal */
  throwIfPumpFailed(): void {
    if (this.#pumpError !== null) {
      throw this.#pumpError;
    }
  }

  /** @internal */
  inputTruncation(): Truncation | null {
    return this.#input.truncation();
  }

  /** A problem of the archive itself (corrupt header, archive cut, or its input cut); null when it ended cleanly. */
  problem(): Truncation | null {
    const upstream = this.#input.truncation();
    if (upstream !== null) {
      return upstream;
    }
    if (this.#error === null) {
      return null;
    }
    const msg = errorMessage(this.#error);
    if (/unexpected end/i.test(msg)) {
      return { reason: 'unexpected_eof', message: `tar archive is truncated (${msg}) after ${this.#entries} entries` };
    }
    return { reason: 'corrupt', message: `tar archive is corrupt (${msg}) after ${this.#entries} entries` };
  }

  /** The next entry (the previous one is drained first), or null at the end of the archive or on error. */
  async next(): Promise<TarEntry | null> {
    if (this.#current !== null) {
      await this.#current.finish();
      this.#current = null;
    }
    this.#pump ??= this.#runPump();
    for (;;) {
      const pending = this.#pending.shift();
      if (pending !== undefined) {
        this.#entries++;
        this.#current = new TarEntry(this, pending);
        return this.#current;
      }
      this.throwIfPumpFailed();
      if (this.#error !== null || this.#closed) {
        return null;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  /** Stops reading (idempotent). The input is not drained here. */
  async close(): Promise<void> {
    this.#stopped = true;
    this.wakePump();
    if (!this.#closed) {
      this.#extract.destroy();
    }
    await this.#pump;
  }

  #notify(): void {
    const w = this.#wake;
    this.#wake = null;
    w?.();
    this.#current?.notify();
    this.wakePump();
  }

  /** @internal */
  wakePump(): void {
    const w = this.#pumpWake;
    this.#pumpWake = null;
    w?.();
  }

  #halted(): boolean {
    return this.#stopped || this.#closed || this.#error !== null;
  }

  async #waitForRoom(): Promise<void> {
    while (!this.#halted() && (this.#current?.queued ?? 0) > QUEUE_LIMIT) {
      await new Promise<void>((resolve) => {
        this.#pumpWake = resolve;
      });
    }
  }

  async #runPump(): Promise<void> {
    const ex = this.#extract;
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
          // Let the entry stream deliver what it was given before ending (a truncated archive destroys it).
          await new Promise((resolve) => setImmediate(resolve));
          ex.end(undefined);
          return;
        }
        if (!ex.write(chunk)) {
          await waitForEvents(ex as unknown as NodeJS.EventEmitter, ['drain', 'close', 'error']);
        }
      }
    } catch (err) {
      this.#pumpError = err;
      this.#notify();
    }
  }
}
