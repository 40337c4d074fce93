/** Case package round trip, `verify` against tampering, and formula-safe findings CSV. */
import Database from 'better-sqlite3';
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseReadOnly } from '../../db/case-file';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { inProcessIngestPort } from '../../workers/ingest/ingest-port';
import { createBackend, type Backend } from '../registry/create-handlers';
import { checkCasePackage, exportCasePackage, MANIFEST_FILE, sha256File } from './case-package';
import { findingsCsv, findingsJson } from './findings-export';
import { HOSTILE_FINDINGS } from './testing/hostile-inputs';
import { verifyCase } from './verify-case';

const SAMPLE = resolve(__dirname, '../../../resources/sample-case');

function dumpTables(path: string, auditUpTo?: number): Record<string, unknown[]> {
  const opened = openCaseReadOnly(path);
  try {
    const tables = (opened.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    const out: Record<string, unknown[]> = {};
    for (const t of tables) {
      const rows = opened.db.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][];
      out[t] = t === 'audit' && auditUpTo !== undefined ? rows.filter((r) => (r[0] as number) <= auditUpTo) : rows;
    }
    return out;
  } finally {
    opened.close();
  }
}

describe('exports, packages and verification', () => {
  let tmp: TempDir;
  let backend: Backend;
  let evidenceDir: string;
  let casePath: string;

  beforeAll(async () => {
    tmp = makeTempDir();
    evidenceDir = tmp.file('evidence');
    cpSync(SAMPLE, evidenceDir, { recursive: true });
    backend = createBackend({
      appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir, sampleEvidenceDir: null,
      osUser: 'tester', emit: () => undefined, now: () => new Date(), ingest: inProcessIngestPort(),
    });
    casePath = tmp.file('x.dossier');
    backend.session.create({ path: casePath, name: 'Package / test', number: 'P-1', examiner: '', description: '', timeZone: 'UTC', classification: '' });
    await backend.ingest.runAndWait(evidenceDir, 'UTC', {});
    const db = backend.session.requireOpen().db;
    const ids = (db.prepare('SELECT id FROM events ORDER BY id LIMIT 3').all() as Array<{ id: number }>).map((r) => r.id);
    backend.handlers['events.tag']({ ids, tag: 'keep', on: true });
    backend.handlers['events.comment']({ id: ids[0] ?? 1, body: 'looked at this' });
  }, 120_000);

  afterAll(async () => {
    await backend.dispose();
    tmp.cleanup();
  });

  it('a case package re-opens as an identical case, and its manifest hashes hold', async () => {
    const result = await exportCasePackage(backend.session, tmp.file('pkg'), 'test', () => new Date());
    expect(result.files).toHaveLength(1);
    const file = result.files[0];
    expect(file?.path).toBe('Package _ test.dossier');
    const manifest = JSON.parse(readFileSync(result.manifest, 'utf8')) as { files: Array<{ sha256: string }>; audit: { length: number; headHash: string } };
    const copy = tmp.file(`pkg/${file?.path ?? ''}`);
    expect(await sha256File(copy)).toBe(manifest.files[0]?.sha256);
    expect(await checkCasePackage(tmp.file('pkg'))).toEqual({ ok: true, problems: [] });
    // The package's audit chain ends with the hand-over entry, as the manifest says.
    const lastInPackage = (await verifyCase(copy)).audit;
    expect(lastInPackage).toMatchObject({ ok: true, length: manifest.audit.length, headHash: manifest.audit.headHash });

    // Open the copy as a colleague would (a second back end), then compare every table.
    const other = createBackend({
      appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud2'), defaultCaseDir: tmp.dir, sampleEvidenceDir: null,
      osUser: 'colleague', emit: () => undefined, now: () => new Date(), ingest: inProcessIngestPort(),
    });
    const summary = other.session.open(copy);
    expect(summary.counts.events).toBeGreaterThan(0);
    expect(summary.counts.events).toBe(backend.session.summary().counts.events);
    await other.dispose();
    const source = backend.session.requireOpen();
    backend.session.close();
    try {
      expect(dumpTables(copy, manifest.audit.length)).toEqual(dumpTables(source.path, manifest.audit.length));
    } finally {
      backend.session.open(casePath);
    }
    // A changed package file is noticed.
    appendFileSync(copy, 'x');
    expect((await checkCasePackage(tmp.file('pkg'))).problems).toEqual([`${file?.path ?? ''}: changed`]);
    await expect(exportCasePackage(backend.session, tmp.file('pkg'), 'test', () => new Date())).rejects.toThrow(/not an empty folder/u);
    expect(readFileSync(tmp.file(`pkg/${MANIFEST_FILE}`), 'utf8')).toContain('dossier-case-package@1');
  }, 60_000);

  it('verify passes on an untouched case and evidence folder', async () => {
    backend.session.close();
    const result = await verifyCase(casePath, evidenceDir);
    expect(result.ok).toBe(true);
    expect(result.evidence?.length).toBeGreaterThan(3);
    expect(result.evidence?.every((e) => e.status === 'ok')).toBe(true);
    backend.session.open(casePath);
  });

  it('verify names a changed and a missing evidence file', async () => {
    backend.session.close();
    const dir = tmp.file('evidence-changed');
    cpSync(evidenceDir, dir, { recursive: true });
    const result0 = await verifyCase(casePath, dir);
    const [first, second] = (result0.evidence ?? []).filter((e) => e.status === 'ok');
    appendFileSync(`${dir}/${first?.path ?? ''}`, 'tampered\n');
    writeFileSync(`${dir}/${second?.path ?? ''}.moved`, '');
    const { renameSync } = await import('node:fs');
    renameSync(`${dir}/${second?.path ?? ''}`, `${dir}/${second?.path ?? ''}.gone`);
    const result = await verifyCase(casePath, dir);
    expect(result.ok).toBe(false);
    expect(result.integrity.ok).toBe(true);
    expect(result.audit.ok).toBe(true);
    expect(result.evidence?.find((e) => e.path === first?.path)?.status).toBe('changed');
    expect(result.evidence?.find((e) => e.path === second?.path)?.status).toBe('missing');
    backend.session.open(casePath);
  });

  it('verify detects a broken audit chain (triggers put back, so only the chain tells)', async () => {
    backend.session.close();
    const copy = tmp.file('chain.dossier');
    cpSync(casePath, copy);
    const db = new Database(copy);
    const trigger = (db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'audit_append_only_update'").get() as { sql: string }).sql;
    db.exec('DROP TRIGGER audit_append_only_update');
    db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 2").run();
    db.exec(trigger);
    db.close();
    const result = await verifyCase(copy);
    expect(result.schema.ok).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.audit).toMatchObject({ ok: false, brokenAt: 2 });
    backend.session.open(casePath);
  });

  it('verify detects a corrupt case file', async () => {
    backend.session.close();
    const copy = tmp.file('corrupt.dossier');
    cpSync(casePath, copy);
    const bytes = readFileSync(copy);
    // Scribble over pages in the middle of the file (the header stays, so it still looks like a case).
    for (let i = 8192; i < Math.min(bytes.length, 8192 * 6); i += 1) {
      bytes[i] = (i * 7) & 0xff;
    }
    writeFileSync(copy, bytes);
    const result = await verifyCase(copy);
    expect(result.ok).toBe(false);
    expect(result.integrity.ok).toBe(false);
    backend.session.open(casePath);
  });

  it('findings CSV neutralises formula prefixes; JSON keeps the shared shape', () => {
    const evil = [{ ...HOSTILE_FINDINGS[0]!, title: '=1+1', rule: '+cmd', description: '-2', srcIps: ['@SUM(A1)'] }];
    const csv = findingsCsv(evil);
    const cells = csv.split('\r\n')[1] ?? '';
    expect(cells).toContain(`"'=1+1"`);
    expect(cells).toContain(`"'+cmd"`);
    expect(cells).toContain(`"'-2"`);
    expect(cells).toContain(`"'@SUM(A1)"`);
    expect(cells).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")`);
    expect(cells).not.toMatch(/(^|,)"[=+\-@]/u);
    const json = JSON.parse(findingsJson(HOSTILE_FINDINGS)) as Array<{ id: number; review: string; firstUtc: string | null }>;
    expect(json.map((f) => [f.id, f.review])).toEqual([[1, 'confirmed'], [2, 'false_positive']]);
    expect(json[0]?.firstUtc).toBe('2024-03-15T10:00:00.000Z');
  });
});
