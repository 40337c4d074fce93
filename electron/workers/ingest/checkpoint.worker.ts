/**
 * The checkpoint worker: during the bulk load it copies the WAL's committed pages into the case file
 * (`PRAGMA wal_checkpoint(PASSIVE)` on a connection of its own), so that the writer thread never
 * waits for a checkpoint's two fsyncs (checkpointer.ts says why and how). Nothing else: no parsing, no
 * other table; a small heap.
 *
 * Shared state (Int32Array over workerData.state): [REQUESTED] the writer's latest commit number,
 * [DONE] the commit number the last checkpoint covered, [FRAMES] the WAL's frames after it,
 * [FAILED] 1 once a checkpoint failed (the writer then checkpoints itself again).
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { CheckpointSlot, type CheckpointWorkerData } from './checkpoint-state';

const port = parentPort;
if (port === null) {
  throw new Error('checkpoint.worker must run in a worker thread');
}
const data = workerData as CheckpointWorkerData;
const state = new Int32Array(data.state);
let db: Database.Database | null = null;
try {
  db = new Database(data.path, { fileMustExist: true });
  // A checkpoint reads WAL frames and writes database pages: it needs almost no cache of its own.
  db.pragma('cache_size = -512');
  db.pragma('synchronous = NORMAL');
  port.postMessage({ t: 'ready' });
} catch (error) {
  Atomics.store(state, CheckpointSlot.Failed, 1);
  Atomics.notify(state, CheckpointSlot.Done);
  port.postMessage({ t: 'error', message: error instanceof Error ? error.message : String(error) });
}

port.on('message', (m: { t: 'checkpoint' } | { t: 'close' }) => {
  if (m.t === 'close') {
    db?.close();
    db = null;
    port.close();
    return;
  }
  const requested = Atomics.load(state, CheckpointSlot.Requested);
  if (db === null || requested <= Atomics.load(state, CheckpointSlot.Done)) {
    return;
  }
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    Atomics.store(state, CheckpointSlot.Frames, r[0]?.log ?? 0);
  } catch (error) {
    Atomics.store(state, CheckpointSlot.Failed, 1);
    port.postMessage({ t: 'error', message: error instanceof Error ? error.message : String(error) });
  }
  Atomics.store(state, CheckpointSlot.Done, requested);
  Atomics.notify(state, CheckpointSlot.Done);
});
