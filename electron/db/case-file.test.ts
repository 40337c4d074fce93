import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DossierError } from '../../shared/api/errors';
import { APPLICATION_ID, CASE_PAGE_SIZE, closeCaseFile, copyCaseFile, createCaseFile, openCaseFile, openCaseReadOnly, readCaseHeader } from './case-file';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS, migrate, migrationHash } from './migrations/index';
import { asWritable } from './connection/sql';
import { RETIRED_TIMELINE_INDEXES, TIMELINE_INDEXES, indexSqlAt } from './indexes';
import { appendAudit, verifyAudit } from './queries/audit';
import { getCaseInfo } from './queries/case-info';
import { makeTempDir, type TempDir } from './testing/test-db';

const meta = { name: 'Case A', number: '42', examiner: 'Ada', description: '', timeZone: 'UTC', classification: '', actor: 'Ada', appVersion: 'test' };

function fingerprint(path: string): string {
  const st = statSync(path);
  return `${createHash('sha256').update(readFileSync(path)).digest('hex')}:${st.size}:${st.mtimeMs}`;
}

function expectRefusal(fn: () => unknown, code: string, text: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DossierError);
    expect((error as DossierError).code).toBe(code);
    expect((error as DossierError).message).toMatch(text);
    expect((error as DossierError).message).not.toMatch(/\n\s+at /u);
    return;
  }
  throw new Error('expected a refusal');
}

describe('case file', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('creates a case with application_id, 16 KiB pages, WAL, FULL sync, foreign keys and the schema version', () => {
    const open = createCaseFile({ ...meta, path: tmp.file('a.dossier') });
    expect(open.db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(open.db.pragma('page_size', { simple: true })).toBe(CASE_PAGE_SIZE);
    expect(CASE_PAGE_SIZE).toBe(16_384);
    expect(open.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(open.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(open.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(open.db.pragma('trusted_schema', { simple: true })).toBe(0);
    expect(open.db.pragma('user_version', { simple: true })).toBe(CURRENT_SCHEMA_VERSION);
    expect(getCaseInfo(open.db).name).toBe('Case A');
    closeCaseFile(open);
    const header = readCaseHeader(tmp.file('a.dossier'));
    expect(header).toMatchObject({ kind: 'sqlite', applicationId: APPLICATION_ID, userVersion: CURRENT_SCHEMA_VERSION });
    // the header's own page size field (bytes 16-17, big-endian)
    expect(readFileSync(tmp.file('a.dossier')).readUInt16BE(16)).toBe(16_384);
  });

  it('never overwrites an existing file on create', () => {
    writeFileSync(tmp.file('x.dossier'), 'keep me');
    expectRefusal(() => createCaseFile({ ...meta, path: tmp.file('x.dossier') }), 'case_exists', /already exists/u);
    expect(readFileSync(tmp.file('x.dossier'), 'utf8')).toBe('keep me');
  });

  it('refuses an empty file, a random SQLite database, a non-database, a truncated case and a future case, modifying none', () => {
    const empty = tmp.file('empty.dossier');
    writeFileSync(empty, '');
    const random = tmp.file('random.dossier');
    const r = new Database(random);
    r.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    r.close();
    const text = tmp.file('text.dossier');
    writeFileSync(text, 'GET / HTTP/1.1\n'.repeat(100));
    const truncated = tmp.file('truncated.dossier');
    const t = createCaseFile({ ...meta, path: truncated });
    t.db.exec('CREATE TABLE filler (x TEXT)');
    const ins = t.db.prepare('INSERT INTO filler VALUES (?)');
    for (let i = 0; i < 2000; i += 1) {
      ins.run('x'.repeat(200));
    }
    closeCaseFile(t);
    truncateSync(truncated, Math.floor(statSync(truncated).size / 2));
    const future = tmp.file('future.dossier');
    closeCaseFile(createCaseFile({ ...meta, path: future }));
    const f = new Database(future);
    f.pragma(`user_version = ${CURRENT_SCHEMA_VERSION + 10}`);
    f.close();

    const before = [empty, random, text, truncated, future].map(fingerprint);
    expectRefusal(() => openCaseFile(empty), 'not_a_case_file', /empty/u);
    expectRefusal(() => openCaseFile(random), 'not_a_case_file', /SQLite database, but not a Dossier case/u);
    expectRefusal(() => openCaseFile(text), 'not_a_case_file', /not a Dossier case file/u);
    expectRefusal(() => openCaseFile(truncated), 'case_corrupt', /damaged|truncated/u);
    expectRefusal(() => openCaseFile(future), 'case_from_future', /newer Dossier/u);
    expectRefusal(() => openCaseReadOnly(future), 'case_from_future', /newer Dossier/u);
    expect([empty, random, text, truncated, future].map(fingerprint)).toEqual(before);
  });

  it('gives "open elsewhere" to a second opener in this process and in another process', () => {
    const path = tmp.file('locked.dossier');
    const open = createCaseFile({ ...meta, path });
    expectRefusal(() => openCaseFile(path), 'case_locked', /open elsewhere/u);
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1] + '-lock', { timeout: 0 });
      try { db.pragma('locking_mode = EXCLUSIVE'); db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY, pid INTEGER, since TEXT)'); console.log('acquired'); }
      catch (e) { console.log(e.code); }`;
    const out = execFileSync(process.execPath, ['-e', script, path], { cwd: process.cwd(), encoding: 'utf8' }).trim();
    expect(out).toBe('SQLITE_BUSY');
    closeCaseFile(open);
    const again = openCaseFile(path);
    closeCaseFile(again);
  });

  it('releases the lock when the holder process dies', () => {
    const path = tmp.file('crash.dossier');
    closeCaseFile(createCaseFile({ ...meta, path }));
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1] + '-lock', { timeout: 0 });
      db.pragma('locking_mode = EXCLUSIVE'); db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY, pid INTEGER, since TEXT); INSERT INTO holder (pid) VALUES (1)');
      process.kill(process.pid, 'SIGKILL');`;
    try {
      execFileSync(process.execPath, ['-e', script, path], { stdio: 'ignore' });
    } catch {
      // killed on purpose
    }
    const open = openCaseFile(path);
    closeCaseFile(open);
  });

  it('copies an open case with its WAL content (save as), refusing to overwrite', () => {
    const path = tmp.file('orig.dossier');
    const open = createCaseFile({ ...meta, path });
    appendAudit(open.db, { actor: 'Ada', action: 'note', target: 'x' });
    copyCaseFile(open, tmp.file('copy.dossier'));
    expectRefusal(() => copyCaseFile(open, tmp.file('copy.dossier')), 'case_exists', /already exists/u);
    closeCaseFile(open);
    const copy = openCaseFile(tmp.file('copy.dossier'));
    expect(verifyAudit(copy.db)).toMatchObject({ ok: true, length: 2 });
    closeCaseFile(copy);
  });

  it('upgrades an older case after backing it up', () => {
    const path = tmp.file('old.dossier');
    const db = new Database(path);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    migrate(asWritable(db), 10);
    db.prepare("INSERT INTO case_info (id, name, created_utc, modified_utc, created_by_version) VALUES (1, 'Old', 'x', 'x', 'old')").run();
    db.close();
    const open = openCaseFile(path);
    expect(open.upgradedFrom?.version).toBe(10);
    expect(open.db.pragma('user_version', { simple: true })).toBe(CURRENT_SCHEMA_VERSION);
    expect(readCaseHeader(open.upgradedFrom?.backup ?? '')).toMatchObject({ kind: 'sqlite', userVersion: 10 });
    closeCaseFile(open);
  });

  it('opens a case of version 90 with its (evidence_id, line_no) index; the upgrade drops that index and keeps every message', () => {
    const path = tmp.file('v90.dossier');
    const db = new Database(path);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    migrate(asWritable(db), 90);
    db.prepare("INSERT INTO case_info (id, name, created_utc, modified_utc, created_by_version) VALUES (1, 'Old', 'x', 'x', 'old')").run();
    for (const ix of [...TIMELINE_INDEXES, ...RETIRED_TIMELINE_INDEXES]) {
      db.exec(indexSqlAt(ix.sql, 90));
    }
    // Events as version 90 stored them (the message in the row), one in the full-text index.
    db.prepare("INSERT INTO strings (id, value) VALUES (1, 'http_access')").run();
    const add = db.prepare('INSERT INTO events (id, evidence_id, line_no, byte_offset, ts, kind, path, status, message) VALUES (?, 1, ?, 0, 0, 1, ?, ?, ?)');
    add.run(1, 1, '/a', 200, 'GET /a HTTP/1.1 (200)');
    add.run(2, 2, null, null, 'sshd: session opened');
    db.prepare("INSERT INTO events_fts (rowid, message) VALUES (1, 'GET /a HTTP/1.1 (200)')").run();
    db.close();
    const ro = openCaseReadOnly(path);
    // Its schema is the one Dossier made for version 90: not refused as foreign.
    expect(ro.schemaDifference).toBeNull();
    ro.close();
    const open = openCaseFile(path);
    expect(open.upgradedFrom?.version).toBe(90);
    const names = (open.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'event_rows'").all() as Array<{ name: string }>).map((r) => r.name);
    expect(names).not.toContain('events_evidence_line');
    expect(names).toEqual(expect.arrayContaining(TIMELINE_INDEXES.map((ix) => ix.name)));
    // Rows written before migration 0110 keep their text (rq NULL); the full-text index reads the view.
    expect(open.db.prepare('SELECT id, message FROM events ORDER BY id').all()).toEqual([
      { id: 1, message: 'GET /a HTTP/1.1 (200)' },
      { id: 2, message: 'sshd: session opened' },
    ]);
    expect(open.db.prepare("SELECT e.message FROM events_fts f JOIN events e ON e.id = f.rowid WHERE events_fts MATCH 'GET'").pluck().all()).toEqual(['GET /a HTTP/1.1 (200)']);
    expect(open.db.prepare("SELECT message FROM events_fts WHERE events_fts MATCH 'GET'").pluck().all()).toEqual(['GET /a HTTP/1.1 (200)']);
    closeCaseFile(open);
    // The upgraded case is what Dossier makes for the current version (the indexes followed the table).
    const upgraded = openCaseReadOnly(path);
    expect(upgraded.schemaDifference).toBeNull();
    upgraded.close();
    /** What the read-only check says of the case once `sql` has changed it behind Dossier's back. */
    const differenceAfter = (sql: string): string | null => {
      const raw = new Database(path);
      raw.exec(sql);
      raw.close();
      const check = openCaseReadOnly(path);
      try {
        return check.schemaDifference;
      } finally {
        check.close();
      }
    };
    // A current case holding the retired index again is not what Dossier makes.
    expect(differenceAfter('CREATE INDEX events_evidence_line ON event_rows (evidence_id, line_no)')).toMatch(/events_evidence_line/u);
    // The status index of every status (built until session 9) stays with an upgraded case, as built then;
    // another definition under its name is refused.
    expect(names).toContain('events_status');
    expect(differenceAfter('DROP INDEX events_evidence_line; DROP INDEX events_status; CREATE INDEX events_status ON event_rows (status)')).toMatch(/events_status/u);
  });
});

describe('migrations', () => {
  it('are monotonic in steps that leave room, and shipped ones never change', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(versions.every((v) => v % 10 === 0)).toBe(true);
    // Editing a shipped migration breaks existing case files: add a new one instead.
    const frozen: Record<number, string> = {
      10: 'fcf620b0967bb3dc19a35350d786a45248db044e476fea99de6e65bae761e576',
      20: '75aed4ff34a7e557589cc849a286a458fc86fd4e057a898e88988d8dff0a84b9',
      30: '9e8e7774777c8bf934d4809613cf8f0b7a7f47409536a8bc14d468254515865f',
      60: '3ce3d18f26cf238d51e1d0eeaff99350e799ab359af92afbd4f4868766ce738b',
      40: 'e1017bfc9d657a35c6e5d53fe7b3ee9d119e850fcbfb04243878e9d1528466fa',
      80: '5ebfac05bb38ef82d2b357e93348bfab89f1aa3e4019a54fda33d28812bef178',
      50: '0ce80e37e5d9b0cb6855c6fe55a706ab5ef3a48be638838f73056353dfbc0143',
      90: 'd884f346368188e8ecf97664e00f4ebe1fa48d3f31d30ef6b3b012fa3396708b',
      100: 'd84c5d41d3f45013226eb610115e4be1f704274c7501f6826bc2a2767096762d',
      110: 'a0e6a3b2784831e6fc2036ccf334c499790bc72a5aaf876ca3ec9c57e6013b8a',
    };
    // Every shipped migration is frozen here.
    expect(Object.keys(frozen).map(Number)).toEqual(MIGRATIONS.map((m) => m.version));
    for (const m of MIGRATIONS) {
      if (frozen[m.version] !== undefined) {
        expect(migrationHash(m)).toBe(frozen[m.version]);
      }
    }
  });
});
