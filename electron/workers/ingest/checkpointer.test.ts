import Database from 'better-sqlite3';
import { statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { bundleEntry } from '../../testing/bundle';
import { Checkpointer } from './checkpointer';

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
    expect(k?.waitedMs).toBeGreaterThanOrEqual(0);
    expect(failures).toBe(0);
    // The pages are in the database file itself: a new connection without the WAL sees every row.
    db.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((check.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(TXS * ROWS_PER_TX);
    check.close();
  });

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
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(failures).toBe(1);
    expect(k?.failed).toBe(true);
    k?.afterCommit();
    k?.beforeBegin();
    expect(failures).toBe(1);
    db.close();
  });
});
