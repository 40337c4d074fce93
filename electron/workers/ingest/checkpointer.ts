/**
 * Checkpoints off the writer's thread during the bulk load.
 *
 * In WAL mode every page is written twice: appended to the WAL at commit, then copied into the case
 * file by a checkpoint, which (with `synchronous = NORMAL`) makes the WAL durable first and the case
 * file after: two fsyncs of what it copied. With SQLite's automatic checkpoints the writer thread does
 * that itself, every `wal_autocheckpoint` pages, and waits for the disk: about 2 s of a 5M-line load
 * here (the load took 10% less with `synchronous = OFF`, which is not an option: docs/PERFORMANCE.md).
 *
 * Here a worker thread with its own connection runs a PASSIVE checkpoint after each commit (PASSIVE
 * never blocks the writer or a reader), while the writer goes on with the next batch. The durability
 * is the same: a checkpoint is a checkpoint, whoever runs it.
 *
 * A WAL only starts again from its beginning when a write transaction begins while every frame has
 * been copied. The writer is inside a transaction nearly all the time, so once the WAL holds more than
 * `restartFrames` frames, the writer waits (Atomics.wait, before its next BEGIN) for the checkpoint in
 * flight, which then has copied everything: the WAL restarts and stays about as large as with
 * automatic checkpoints.
 *
 * The frame count the writer reads is the one the worker saw at its last checkpoint: when the worker
 * falls behind (a slow disk's fsyncs, a busy machine), that count is stale and the WAL would grow past
 * `restartFrames` unnoticed. So the writer also waits once `maxLagCommits` commits are without a
 * finished checkpoint: back-pressure instead of a WAL as large as the data.
 *
 * If the worker cannot start, or a checkpoint fails, the writer's automatic checkpoints come back.
 */
import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { CHECKPOINT_SLOTS, CheckpointSlot, type CheckpointWorkerData } from './checkpoint-state';
import { bundledWorkerFile } from './parse-client';

/** The bundled checkpoint worker, or null from sources. */
export function defaultCheckpointWorkerFile(): URL | null {
  return bundledWorkerFile('checkpoint.worker.js');
}

/** What the writer needs of a checkpointer (EventWriter calls these around its transactions). */
export type WalHelper = Readonly<{
  /** Before BEGIN: may wait for the checkpoint in flight, so that the WAL restarts. */
  beforeBegin: () => void;
  /** After COMMIT: asks for a checkpoint up to this commit. */
  afterCommit: () => void;
}>;

/**
 * Commits the checkpoint worker may be behind before the writer waits for it (see above). The ingest
 * commits every 50,000 rows (about 10 MB of pages for access lines): four commits is a second or so of
 * ingest, far more than one checkpoint takes on a working disk.
 */
export const DEFAULT_MAX_LAG_COMMITS = 4;

export type CheckpointerOptions = Readonly<{
  restartFrames: number;
  onFailure: () => void;
  /** Commits without a finished checkpoint before the writer waits (default DEFAULT_MAX_LAG_COMMITS). */
  maxLagCommits?: number;
}>;

export class Checkpointer implements WalHelper {
  readonly #worker: Worker;
  readonly #state: Int32Array;
  readonly #restartFrames: number;
  readonly #maxLagCommits: number;
  readonly #onFailure: () => void;
  #commits = 0;
  #waitedAt = 0;
  #failed = false;
  #lagWaits = 0;

  private constructor(worker: Worker, state: Int32Array, options: CheckpointerOptions) {
    this.#worker = worker;
    this.#state = state;
    this.#restartFrames = options.restartFrames;
    this.#maxLagCommits = Math.max(1, options.maxLagCommits ?? DEFAULT_MAX_LAG_COMMITS);
    this.#onFailure = options.onFailure;
    worker.on('message', (m: { t: string }) => {
      if (m.t === 'error') {
        this.#fail();
      }
    });
    worker.on('error', () => this.#fail());
    worker.on('exit', () => this.#fail());
  }

  /**
   * Starts the worker on the case file and waits until its connection is open; null when it cannot
   * (the writer then keeps SQLite's automatic checkpoints). `onFailure` runs once if it fails later.
   */
  static start(file: URL | string, path: string, options: CheckpointerOptions): Promise<Checkpointer | null> {
    const shared = new SharedArrayBuffer(CHECKPOINT_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    const data: CheckpointWorkerData = { path, state: shared };
    return new Promise((resolve) => {
      let worker: Worker;
      try {
        // Its only work is one pragma at a time: the smallest heap V8 allows.
        worker = new Worker(file, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 } });
      } catch {
        resolve(null);
        return;
      }
      const onError = (): void => resolve(null);
      worker.once('error', onError);
      worker.once('exit', onError);
      worker.once('message', (m: { t: string }) => {
        worker.off('error', onError);
        worker.off('exit', onError);
        if (m.t === 'ready') {
          resolve(new Checkpointer(worker, new Int32Array(shared), options));
        } else {
          void worker.terminate();
          resolve(null);
        }
      });
    });
  }

  get failed(): boolean {
    return this.#failed || Atomics.load(this.#state, CheckpointSlot.Failed) === 1;
  }

  #fail(): void {
    if (!this.#failed) {
      this.#failed = true;
      this.#onFailure();
    }
  }

  afterCommit(): void {
    if (this.failed) {
      this.#fail();
      return;
    }
    this.#commits += 1;
    Atomics.store(this.#state, CheckpointSlot.Requested, this.#commits);
    this.#worker.postMessage({ t: 'checkpoint' });
  }

  beforeBegin(): void {
    if (this.failed) {
      this.#fail();
      return;
    }
    const frames = Atomics.load(this.#state, CheckpointSlot.Frames);
    if (frames < this.#waitedAt) {
      // The WAL restarted since the last wait.
      this.#waitedAt = 0;
    }
    const lagging = this.#commits - Atomics.load(this.#state, CheckpointSlot.Done) >= this.#maxLagCommits;
    if (!lagging && frames - this.#waitedAt < this.#restartFrames) {
      return;
    }
    if (lagging) {
      this.#lagWaits += 1;
    }
    this.wait();
    // The frames of the checkpoint that copied everything: the WAL restarts at this BEGIN, and the
    // worker's next count, smaller, resets this.
    this.#waitedAt = Atomics.load(this.#state, CheckpointSlot.Frames);
  }

  /** How often the writer waited because the worker was `maxLagCommits` commits behind (tests, diagnostics). */
  get lagWaits(): number {
    return this.#lagWaits;
  }

  /** Waits until the checkpoints asked for so far are done (or the worker failed); at most `timeoutMs`. */
  wait(timeoutMs = 60_000): void {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const done = Atomics.load(this.#state, CheckpointSlot.Done);
      if (done >= this.#commits || this.failed) {
        break;
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        break;
      }
      Atomics.wait(this.#state, CheckpointSlot.Done, done, left);
    }
  }

  /** Waits for the last checkpoint, then stops the worker. */
  async close(): Promise<void> {
    this.wait();
    this.#failed = true;
    this.#worker.postMessage({ t: 'close' });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.#worker.terminate().then(() => resolve()), 5_000);
      this.#worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/**
 * A connection's checkpoints handed to a Checkpointer: its automatic checkpoints are off while the
 * worker runs, and back (to what they were) when it stops or fails. `helper` is null once stopped.
 */
export class WalCheckpointing {
  readonly #db: Database.Database;
  #helper: Checkpointer | null;
  #autocheckpoint: number | null;
  #onRestore: () => void = () => undefined;

  private constructor(db: Database.Database, helper: Checkpointer, autocheckpoint: number) {
    this.#db = db;
    this.#helper = helper;
    this.#autocheckpoint = autocheckpoint;
  }

  /** null when there is no worker file, the case is not a file in WAL mode, or the worker cannot start. */
  static async start(db: Database.Database, file: URL | string | null, restartFrames: number): Promise<WalCheckpointing | null> {
    if (file === null || db.memory || db.name === '' || String(db.pragma('journal_mode', { simple: true })) !== 'wal') {
      return null;
    }
    const late: { restore: () => void } = { restore: () => undefined };
    const helper = await Checkpointer.start(file, db.name, { restartFrames, onFailure: () => late.restore() });
    if (helper === null) {
      return null;
    }
    const self = new WalCheckpointing(db, helper, Number(db.pragma('wal_autocheckpoint', { simple: true })));
    late.restore = () => self.#restore();
    db.pragma('wal_autocheckpoint = 0');
    return self;
  }

  /** The checkpointer while it runs; null after a failure or stop (SQLite checkpoints again). */
  get helper(): Checkpointer | null {
    return this.#helper !== null && !this.#helper.failed ? this.#helper : null;
  }

  /** Called when the automatic checkpoints come back (stop or failure): the writer drops its helper. */
  set onRestore(f: () => void) {
    this.#onRestore = f;
  }

  #restore(): void {
    if (this.#autocheckpoint !== null) {
      if (this.#db.open) {
        this.#db.pragma(`wal_autocheckpoint = ${this.#autocheckpoint}`);
      }
      this.#autocheckpoint = null;
      this.#onRestore();
    }
  }

  /** Waits for the last checkpoint, stops the worker and turns the automatic checkpoints back on. */
  async stop(): Promise<void> {
    const h = this.#helper;
    this.#helper = null;
    this.#restore();
    await h?.close();
  }
}
