import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { DossierError } from '../../../shared/api/errors';

/**
 * An exclusive, crash-safe lock on a case file. It is an SQLite database beside the case
 * (`<case>-lock`) held in EXCLUSIVE locking mode: SQLite's POSIX locks are released by the OS when
 * the holder dies, so a crash never leaves a stale lock, and a second opener (another process, or
 * another connection in this one) gets SQLITE_BUSY at once.
 */
export type CaseLock = Readonly<{ path: string; release: () => void }>;

export function lockPathFor(casePath: string): string {
  return `${casePath}-lock`;
}

export function acquireCaseLock(casePath: string): CaseLock {
  const path = lockPathFor(casePath);
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: 0 });
  } catch (error) {
    throw new DossierError('io_error', `Cannot create the lock beside the case file (${(error as Error).message}). Is the folder writable?`);
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = DELETE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY, pid INTEGER, since TEXT)');
    db.prepare('INSERT OR REPLACE INTO holder (id, pid, since) VALUES (1, ?, ?)').run(process.pid, new Date().toISOString());
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new DossierError('case_locked', 'This case is open elsewhere (another Dossier window or process). Close it there first.');
    }
    throw new DossierError('io_error', `Cannot lock the case file: ${(error as Error).message}`);
  }
  let released = false;
  return {
    path,
    release: () => {
      if (released) {
        return;
      }
      released = true;
      db.close();
      rmSync(path, { force: true });
      rmSync(`${path}-journal`, { force: true });
    },
  };
}
