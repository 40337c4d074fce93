import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DossierError } from '../../shared/api/errors';
import type { CaseMetaFields } from '../../shared/domain/case';
import { acquireCaseLock, type CaseLock } from './connection/case-lock';
import { mapDbError } from './connection/errors';
import { asWritable, type ReadableDb, type WritableDb } from './connection/sql';
import { CURRENT_SCHEMA_VERSION, migrate } from './migrations/index';
import { appendAudit } from './queries/audit';
import { schemaDifference } from './schema-check';

/** 'DOSS' — written in the SQLite header so a random SQLite file is never mistaken for a case. */
export const APPLICATION_ID = 0x444f5353;
export const CASE_EXTENSION = '.dossier';

export type OpenCase = Readonly<{
  path: string;
  db: WritableDb;
  lock: CaseLock;
  schemaVersion: number;
  /** True when only the header and the small tables were checked: run the full check in the background. */
  fullCheckPending: boolean;
  /** Set when opening upgraded the file; the path of the backup taken before the upgrade. */
  upgradedFrom: Readonly<{ version: number; backup: string }> | null;
}>;

export type HeaderInfo =
  | Readonly<{ kind: 'missing' }>
  | Readonly<{ kind: 'not_file' }>
  | Readonly<{ kind: 'empty' }>
  | Readonly<{ kind: 'not_sqlite'; size: number }>
  | Readonly<{ kind: 'sqlite'; size: number; applicationId: number; userVersion: number; expectedSize: number | null }>;

/** Reads the 100-byte SQLite header without opening the database (so nothing can be written). */
export function readCaseHeader(path: string): HeaderInfo {
  if (!existsSync(path)) {
    return { kind: 'missing' };
  }
  const st = statSync(path);
  if (!st.isFile()) {
    return { kind: 'not_file' };
  }
  if (st.size === 0) {
    return { kind: 'empty' };
  }
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 100 || header.subarray(0, 16).toString('latin1') !== 'SQLite format 3\u0000') {
    return { kind: 'not_sqlite', size: st.size };
  }
  // The in-header database size is valid when "version-valid-for" equals the change counter.
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  const valid = header.readUInt32BE(92) === header.readUInt32BE(24);
  const expectedSize = valid ? header.readUInt32BE(28) * pageSize : null;
  return { kind: 'sqlite', size: st.size, userVersion: header.readUInt32BE(60), applicationId: header.readUInt32BE(68), expectedSize };
}

function hasWal(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
}

function refuseUnlessCase(path: string, header: HeaderInfo): asserts header is Extract<HeaderInfo, { kind: 'sqlite' }> {
  switch (header.kind) {
    case 'missing':
      throw new DossierError('not_found', `No case file at ${path}.`);
    case 'not_file':
      throw new DossierError('not_a_case_file', `${path} is a folder or device, not a case file.`);
    case 'empty':
      throw new DossierError('not_a_case_file', `${path} is empty: it is not a Dossier case file.`);
    case 'not_sqlite':
      throw new DossierError('not_a_case_file', `${path} is not a Dossier case file (it is not an SQLite database).`);
    case 'sqlite':
      if (header.applicationId !== APPLICATION_ID) {
        throw new DossierError('not_a_case_file', `${path} is an SQLite database, but not a Dossier case file.`);
      }
      // With a WAL left by a crash, a checkpoint may have been cut short: SQLite completes it from the
      // WAL, so the header's size is only checked against a cleanly closed file.
      if (header.expectedSize !== null && header.size < header.expectedSize && !hasWal(path)) {
        throw new DossierError(
          'case_corrupt',
          `${path} is truncated: it holds ${header.size} bytes where its header announces ${header.expectedSize}. Open the backup or a copy; the file was not changed.`,
        );
      }
      if (header.userVersion > CURRENT_SCHEMA_VERSION) {
        throw new DossierError(
          'case_from_future',
          `${path} was written by a newer Dossier (case format ${header.userVersion}; this version reads up to ${CURRENT_SCHEMA_VERSION}). Update Dossier to open it; the file was not changed.`,
        );
      }
      return;
    default:
      throw new DossierError('internal', 'unknown header');
  }
}

/** Page size of a new case file (bytes). */
export const CASE_PAGE_SIZE = 16_384;

function applyConnectionPragmas(db: Database.Database): void {
  db.pragma('trusted_schema = OFF');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/**
 * Up to this size the whole file is checked (PRAGMA quick_check) before the case opens. A larger
 * case is opened after checking its header and its small tables, and the full check runs in the
 * background (see IntegrityPort): a 5M-event case opens in well under a second.
 */
export function fullCheckMaxBytes(): number {
  const fromEnv = Number(process.env['DOSSIER_FULL_CHECK_MAX_BYTES']);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 64 * 1024 * 1024;
}

const SMALL_TABLES = ['case_info', 'audit', 'schema_migrations', 'evidence', 'ingests', 'strings', 'ips', 'kv', 'tags', 'event_tags', 'event_stars', 'comments', 'saved_views'];

function quickCheck(db: Database.Database, path: string, whole = true): void {
  let result: unknown;
  try {
    // Read every row: `{ simple: true }` leaves the statement open, which later blocks a checkpoint.
    const tables = whole
      ? [null]
      : SMALL_TABLES.filter((t) => db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(t) !== undefined);
    const rows = tables.flatMap((t) => db.pragma(t === null ? 'quick_check' : `quick_check(${t})`) as Array<{ quick_check: string }>);
    result = [...new Set(rows.map((r) => r.quick_check))].join('; ');
  } catch (error) {
    throw new DossierError('case_corrupt', `${path} is damaged and cannot be opened (${(error as Error).message}). The file was not changed.`);
  }
  if (result !== 'ok') {
    throw new DossierError('case_corrupt', `${path} is damaged and cannot be opened (integrity check: ${String(result).slice(0, 200)}). The file was not changed.`);
  }
}

/** user_version and application_id as SQLite sees them (WAL included), refused when foreign or newer. */
function realVersion(db: Database.Database, path: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID) {
    throw new DossierError('not_a_case_file', `${path} is an SQLite database, but not a Dossier case file.`);
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    throw new DossierError(
      'case_from_future',
      `${path} was written by a newer Dossier (case format ${version}; this version reads up to ${CURRENT_SCHEMA_VERSION}). Update Dossier to open it; the file was not changed.`,
    );
  }
  return version;
}

function refuseForeignSchema(db: Database.Database, path: string, version: number): void {
  const difference = schemaDifference(db as ReadableDb, version);
  if (difference !== null) {
    throw new DossierError(
      'case_corrupt',
      `${path} was altered outside Dossier: ${difference}. It was not opened (its own SQL could run), and it was not changed.`,
    );
  }
}

/** Opens an existing case: lock, header checks, integrity check, then (if needed) backup and upgrade. */
export function openCaseFile(path: string): OpenCase {
  const header = readCaseHeader(path);
  refuseUnlessCase(path, header);
  const lock = acquireCaseLock(path);
  let db: Database.Database | null = null;
  try {
    let version = header.userVersion;
    // The integrity check runs on its own short-lived connection: a statement left over from it
    // would otherwise keep the schema locked through the upgrade (SQLITE_LOCKED at checkpoint).
    const checker = new Database(path, { fileMustExist: true, timeout: 5000 });
    try {
      checker.pragma('trusted_schema = OFF');
      checker.pragma('query_only = ON');
      quickCheck(checker, path, header.size <= fullCheckMaxBytes());
      // The header read before may be older than the WAL a crash left behind: ask SQLite.
      version = realVersion(checker, path);
      refuseForeignSchema(checker, path, version);
    } finally {
      checker.close();
    }
    db = new Database(path, { fileMustExist: true, timeout: 5000 });
    applyConnectionPragmas(db);
    const writable = asWritable(db);
    let upgradedFrom: OpenCase['upgradedFrom'] = null;
    if (version < CURRENT_SCHEMA_VERSION) {
      const backup = `${path}.v${version}.bak`;
      rmSync(backup, { force: true });
      db.prepare('VACUUM INTO ?').run(backup);
      migrate(writable);
      upgradedFrom = { version, backup };
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    return { path, db: writable, lock, schemaVersion: CURRENT_SCHEMA_VERSION, upgradedFrom, fullCheckPending: header.size > fullCheckMaxBytes() };
  } catch (error) {
    db?.close();
    lock.release();
    throw mapDbError(error, `Opening ${path}`);
  }
}

export type NewCaseInput = CaseMetaFields & Readonly<{ path: string; actor: string; appVersion: string }>;

/** Creates a new case file. Refuses to overwrite anything. */
export function createCaseFile(input: NewCaseInput): OpenCase {
  const { path } = input;
  if (existsSync(path)) {
    throw new DossierError('case_exists', `${path} already exists. Choose another name; Dossier never overwrites a file.`);
  }
  mkdirSync(dirname(path), { recursive: true });
  const lock = acquireCaseLock(path);
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { timeout: 5000 });
    // Before the first write: fixed for the life of the file. 16 KiB pages make the bulk load of events
    // ~10% and the timeline indexes ~20% cheaper than SQLite's default 4 KiB (fewer pages to split,
    // link and log per row; docs/PERFORMANCE.md, session 5), for a file ~5% larger.
    db.pragma(`page_size = ${CASE_PAGE_SIZE}`);
    applyConnectionPragmas(db);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const writable = asWritable(db);
    migrate(writable);
    const now = new Date().toISOString();
    const init = db.transaction(() => {
      writable
        .prepare(
          `INSERT INTO case_info (id, name, number, examiner, description, time_zone, classification, created_utc, modified_utc, created_by_version)
           VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(input.name, input.number, input.examiner, input.description, input.timeZone, input.classification, now, now, input.appVersion);
      appendAudit(writable, {
        actor: input.actor,
        action: 'case.create',
        target: 'case',
        details: { name: input.name, number: input.number, examiner: input.examiner, timeZone: input.timeZone, appVersion: input.appVersion },
        atUtc: now,
      });
    });
    init.immediate();
    return { path, db: writable, lock, schemaVersion: CURRENT_SCHEMA_VERSION, upgradedFrom: null, fullCheckPending: false };
  } catch (error) {
    db?.close();
    lock.release();
    if (!(error instanceof DossierError && error.code === 'case_locked')) {
      rmSync(path, { force: true });
      rmSync(`${path}-wal`, { force: true });
      rmSync(`${path}-shm`, { force: true });
    }
    throw mapDbError(error, `Creating ${path}`);
  }
}

/**
 * Checkpoints the WAL into the file and closes it (the -wal and -shm files go away). A checkpoint
 * refused by a full disk never stops the close: the committed pages stay in the -wal file, which
 * SQLite replays on the next open (fault-injection.test.ts, "disk full").
 */
export function closeCaseFile(open: OpenCase): void {
  try {
    open.db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // kept in the WAL: nothing committed is lost
  } finally {
    open.db.close();
    open.lock.release();
  }
}

/** Writes a consistent copy of the open case (WAL included) with VACUUM INTO. Refuses to overwrite. */
export function copyCaseFile(open: OpenCase, destination: string): void {
  if (existsSync(destination)) {
    throw new DossierError('case_exists', `${destination} already exists. Choose another name; Dossier never overwrites a file.`);
  }
  try {
    open.db.prepare('VACUUM INTO ?').run(destination);
  } catch (error) {
    rmSync(destination, { force: true });
    throw mapDbError(error, `Saving a copy to ${destination}`);
  }
}

/**
 * Opens a case for reading only (CLI `info`, reports): same refusals as openCaseFile, no upgrade,
 * no audit entry, no write. A case from an older schema is read as it is.
 */
export function openCaseReadOnly(path: string): Readonly<{ db: ReadableDb; userVersion: number; schemaDifference: string | null; close: () => void }> {
  const header = readCaseHeader(path);
  refuseUnlessCase(path, header);
  const lock = acquireCaseLock(path);
  let db: Database.Database | null = null;
  try {
    // A read-write connection that refuses writes (query_only): unlike a read-only one, it removes
    // the -wal and -shm files it creates when it closes, leaving the folder as it found it.
    db = new Database(path, { fileMustExist: true, timeout: 5000 });
    db.pragma('trusted_schema = OFF');
    db.pragma('query_only = ON');
    quickCheck(db, path, header.size <= fullCheckMaxBytes());
    const version = realVersion(db, path);
    // Read-only: nothing writes, so no foreign trigger can run; the difference is reported instead.
    const schema = schemaDifference(db as ReadableDb, version);
    const opened = db;
    return {
      schemaDifference: schema,
      db: opened as unknown as ReadableDb,
      userVersion: version,
      close: () => {
        opened.close();
        lock.release();
      },
    };
  } catch (error) {
    db?.close();
    lock.release();
    throw mapDbError(error, `Opening ${path}`);
  }
}
