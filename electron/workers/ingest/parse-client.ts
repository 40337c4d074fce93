/**
 * The writer thread's handle on the parse worker (ingest-parse.worker.ts): one member at a time,
 * batches of lines in, encoded rows out, answered in order. Any failure of the worker rejects every
 * pending request; the ingest then fails like any other error (committed batches stay).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MemberClockState } from './member-clock';
import { IdMap, packLines, type FromParseWorker, type LineSource, type MemberSpec, type RowsMessage, type ToParseWorker } from './parse-batch';

type Pending = { resolve: (m: FromParseWorker) => void; reject: (e: Error) => void };

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
        worker = new Worker(file);
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
    const m = packLines(seq, batch);
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

  /** Compresses a raw block on the worker (the same bytes as the writer's own compression). */
  async compress(raw: Buffer): Promise<Buffer> {
    const seq = ++this.#seq;
    const copy = new Uint8Array(raw.length);
    copy.set(raw);
    const r = await this.#request({ t: 'compress', seq, raw: copy }, seq, [copy.buffer]);
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
