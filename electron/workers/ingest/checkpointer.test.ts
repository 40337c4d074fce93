import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { bundleEntry } from '../../testing/bundle';
import { CheckpointSlot } from './checkpoint-state';
import { Checkpointer } from './checkpointer';
import { runIngestJob } from './run-ingest-job';
import { closeCaseFile, createCaseFile } from '../../db/case-file';

const PAGE = 4096;
const ROWS_PER_TX = 400;
const TXS = 60;

/** A writer like the ingest's: WAL, NORMAL sync, no automatic checkpoints, many transactions of rows. */
function openWriter(path: string): Database.Database {
  const db = new Database(path);
  db.pragma(`page_size = ${PAGE}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  return db;
}

function load(db: Database.Database, helper: Checkpointer | null, onCommit?: () => void): void {
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  for (let t = 0; t < TXS; t += 1) {
    helper?.beforeBegin();
    db.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < ROWS_PER_TX; i += 1) {
      insert.run(`${t}:${i}:${'x'.repeat(200)}`);
    }
    db.exec('COMMIT');
    helper?.afterCommit();
    onCommit?.();
  }
}

describe('checkpoints on the checkpoint worker', () => {
  let workerFile: string;
  let tmp: TempDir;
  beforeAll(async () => {
    workerFile = await bundleEntry('electron/workers/ingest/checkpoint.worker.ts', 'checkpoint.worker');
  }, 60_000);
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('keeps the WAL bounded while the writer never checkpoints, and loses nothing', async () => {
    const path = tmp.file('c.db');
    const db = openWriter(path);
    let failures = 0;
    const k = await Checkpointer.start(workerFile, path, { restartFrames: 200, onFailure: () => (failures += 1) });
    expect(k).not.toBeNull();
    let largestWal = 0;
    load(db, k, () => {
      largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
    });
    await k?.close();
    // One transaction is about 25 pages: the WAL restarts after about 200 frames plus those in flight.
    expect(largestWal).toBeLessThan(400 * (PAGE + 24));
    expect(failures).toBe(0);
    // The pages are in the database file itself: a new connection without the WAL sees every row.
    db.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((check.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(TXS * ROWS_PER_TX);
    check.close();
  });

  it('keeps the WAL bounded when the worker falls behind (a slow disk): the writer waits after maxLagCommits commits', async () => {
    // The real worker's protocol, slowed down: 500 ms before its first checkpoint (the whole load takes
    // about 100 ms here without waits), 40 ms before each later one.
    const slow = tmp.file('slow.worker.mjs');
    writeFileSync(
      slow,
      [
        "import { createRequire } from 'node:module';",
        "import { parentPort, workerData } from 'node:worker_threads';",
        `const Database = createRequire(${JSON.stringify(fileURLToPath(new URL('../../../package.json', import.meta.url)))})('better-sqlite3');`,
        'const state = new Int32Array(workerData.state);',
        'const db = new Database(workerData.path, { fileMustExist: true });',
        'const pause = new Int32Array(new SharedArrayBuffer(4));',
        'let first = true;',
        "parentPort.postMessage({ t: 'ready' });",
        "parentPort.on('message', (m) => {",
        "  if (m.t === 'close') { db.close(); parentPort.close(); return; }",
        `  const requested = Atomics.load(state, ${CheckpointSlot.Requested});`,
        `  if (requested <= Atomics.load(state, ${CheckpointSlot.Done})) return;`,
        '  Atomics.wait(pause, 0, 0, first ? 500 : 40);',
        '  first = false;',
        "  const r = db.pragma('wal_checkpoint(PASSIVE)');",
        `  Atomics.store(state, ${CheckpointSlot.Frames}, r[0]?.log ?? 0);`,
        `  Atomics.store(state, ${CheckpointSlot.Done}, requested);`,
        `  Atomics.notify(state, ${CheckpointSlot.Done});`,
        '});',
      ].join('\n'),
    );
    const run = async (name: string, maxLagCommits: number): Promise<{ largestWal: number; lagWaits: number }> => {
      const path = tmp.file(name);
      const db = openWriter(path);
      const k = await Checkpointer.start(slow, path, { restartFrames: 200, maxLagCommits, onFailure: () => undefined });
      expect(k).not.toBeNull();
      let largestWal = 0;
      load(db, k, () => {
        largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
      });
      await k?.close();
      const lagWaits = k?.lagWaits ?? -1;
      db.close();
      const check = new Database(path, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((check.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(TXS * ROWS_PER_TX);
      check.close();
      return { largestWal, lagWaits };
    };
    // At most restartFrames, plus two commits without a finished checkpoint and the one in progress (about
    // 28 pages each), whatever the speed of either thread.
    const bounded = await run('lag.db', 2);
    expect(bounded.lagWaits).toBeGreaterThan(0);
    expect(bounded.largestWal).toBeLessThan(300 * (PAGE + 24));
    // Without the lag rule, the stale frame count lets the WAL grow far past that.
    const unbounded = await run('nolag.db', Number.MAX_SAFE_INTEGER);
    expect(unbounded.lagWaits).toBe(0);
    expect(unbounded.largestWal).toBeGreaterThan(400 * (PAGE + 24));
  }, 60_000);

  it('is needed: without it the same load grows the WAL to the size of the data', () => {
    const path = tmp.file('n.db');
    const db = openWriter(path);
    load(db, null);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(TXS * ROWS_PER_TX * 200);
    db.close();
  });

  it('does not start on a file it cannot open, and reports a worker that stops', async () => {
    expect(await Checkpointer.start(workerFile, tmp.file('missing/none.db'), { restartFrames: 10, onFailure: () => undefined })).toBeNull();
    const path = tmp.file('f.db');
    const db = openWriter(path);
    // A worker that starts, then dies (as if it crashed): the writer is told once, and neither call blocks.
    const dying = tmp.file('dying.worker.mjs');
    writeFileSync(dying, "import { parentPort } from 'node:worker_threads';\nparentPort.postMessage({ t: 'ready' });\nsetTimeout(() => process.exit(3), 20);\n");
    let failures = 0;
    const k = await Checkpointer.start(dying, path, { restartFrames: 10, onFailure: () => (failures += 1) });
    expect(k).not.toBeNull();
    // the worker's exit reaches this thread as an event: wait for it, however busy the machine is
    await vi.waitFor(() => expect(failures).toBe(1), { timeout: 20_000, interval: 20 });
    expect(k?.failed).toBe(true);
    k?.afterCommit();
    k?.beforeBegin();
    expect(failures).toBe(1);
    db.close();
  });
});

describe('the ingest job with its checkpoint worker', () => {
  const meta = { name: 'T', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };
  let tmp: TempDir;
  let parseFile: string;
  let checkpointFile: string;
  beforeAll(async () => {
    tmp = makeTempDir();
    parseFile = await bundleEntry('electron/workers/ingest/ingest-parse.worker.ts', 'ingest-parse.worker');
    checkpointFile = await bundleEntry('electron/workers/ingest/checkpoint.worker.ts', 'checkpoint.worker');
    mkdirSync(join(tmp.dir, 'evidence'));
    const lines = Array.from(
      { length: 120_000 },
      (_, i) => `10.${i % 200}.${i % 7}.${i % 250} - - [10/Oct/2023:13:${String(Math.floor(i / 2000) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /p/${i}?q=${i * 7} HTTP/1.1" ${i % 9 === 0 ? 404 : 200} ${i % 5000} "-" "agent/${i % 11}"`,
    );
    writeFileSync(join(tmp.dir, 'evidence', 'access.log'), `${lines.join('\n')}\n`);
  }, 60_000);

  async function job(name: string, checkpointWorker: string | false): Promise<{ largestWalMb: number; events: number; integrity: string }> {
    const path = tmp.file(`${name}.dossier`);
    closeCaseFile(createCaseFile({ ...meta, path }));
    let largest = 0;
    const look = (): void => {
      if (existsSync(`${path}-wal`)) {
        largest = Math.max(largest, statSync(`${path}-wal`).size);
      }
    };
    const summary = await runIngestJob(
      { dbPath: path, options: { root: join(tmp.dir, 'evidence'), timeZone: 'UTC', batchRows: 4000, parseWorker: parseFile, parseWorkerMinBytes: 0, checkpointWorker, checkpointRestartFrames: 32 } },
      { onBatch: look, onPhase: look, onProgress: look },
    );
    expect(summary.status).toBe('complete');
    const db = new Database(path, { readonly: true });
    try {
      return {
        largestWalMb: largest / 1048576,
        events: (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n,
        integrity: String(db.pragma('integrity_check', { simple: true })),
      };
    } finally {
      db.close();
    }
  }

  it('keeps the WAL small through the load, the indexes and the full text, and stores the same', async () => {
    const own = await job('sqlite', false);
    const worker = await job('worker', checkpointFile);
    expect(worker.events).toBe(120_000);
    expect(own.events).toBe(120_000);
    expect([worker.integrity, own.integrity]).toEqual(['ok', 'ok']);
    // SQLite's own checkpoints come every 4,000 frames (64 MiB): this whole case fits in its WAL.
    // With the worker, the WAL restarts every 32 frames plus what one step writes.
    expect(own.largestWalMb).toBeGreaterThan(2 * worker.largestWalMb);
  }, 120_000);
});
