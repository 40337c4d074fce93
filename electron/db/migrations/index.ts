import { createHash } from 'node:crypto';
import type { WritableDb } from '../connection/sql';
import { migration0010 } from './0010-initial-schema';
import { migration0020 } from './0020-evidence-events';
import { migration0030 } from './0030-annotations';
import { migration0040 } from './0040-notes-hypotheses';
import { migration0050 } from './0050-findings';
import { migration0060 } from './0060-hoststate-snapshots';
import { migration0080 } from './0080-unique-ids';
import { migration0090 } from './0090-raw-block-codec';
import { migration0100 } from './0100-drop-evidence-line-index';
import { migration0110 } from './0110-derived-request-message';
import type { Migration } from './types';

/** Every migration, in order. Versions go in steps of ten so a hotfix can take the number between. */
export const MIGRATIONS: ReadonlyArray<Migration> = [migration0010, migration0020, migration0030, migration0040, migration0050, migration0060, migration0080, migration0090, migration0100, migration0110];

export const CURRENT_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function migrationHash(m: Migration): string {
  return createHash('sha256').update(m.sql).digest('hex');
}

export function assertMonotonic(list: ReadonlyArray<Migration>): void {
  let last = 0;
  for (const m of list) {
    if (!Number.isInteger(m.version) || m.version <= last) {
      throw new Error(`migration versions must increase: ${m.version} after ${last}`);
    }
    last = m.version;
  }
}

/**
 * Applies every pending migration in one transaction and records each (version, name, sha256).
 * The caller has already refused files from the future.
 */
export function migrate(db: WritableDb, upTo: number = CURRENT_SCHEMA_VERSION): number {
  assertMonotonic(MIGRATIONS);
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = MIGRATIONS.filter((m) => m.version > current && m.version <= upTo);
  if (pending.length === 0) {
    return current;
  }
  const apply = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_utc TEXT NOT NULL) STRICT`);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_utc) VALUES (?, ?, ?, ?)');
    for (const m of pending) {
      db.exec(m.sql);
      record.run(m.version, m.name, migrationHash(m), new Date().toISOString());
    }
    const last = pending[pending.length - 1];
    db.pragma(`user_version = ${last === undefined ? current : last.version}`);
  });
  apply.immediate();
  return db.pragma('user_version', { simple: true }) as number;
}
