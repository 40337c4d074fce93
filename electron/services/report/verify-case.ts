/**
 * `dossier verify`: is this case file sound, is its audit chain intact, and (given the evidence
 * folder) is every evidence file still the file that was read? Read-only throughout.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DossierError } from '../../../shared/api/errors';
import { openCaseReadOnly } from '../../db/case-file';
import { verifyAudit } from '../../db/queries/audit';
import { listEvidence } from '../../db/queries/evidence';
import { sha256File } from './case-package';

export type EvidenceCheck = Readonly<{ id: number; path: string; expected: string | null; actual: string | null; status: 'ok' | 'changed' | 'missing' | 'not_checked' }>;

export type VerifyResult = Readonly<{
  path: string;
  ok: boolean;
  integrity: Readonly<{ ok: boolean; detail: string }>;
  schema: Readonly<{ ok: boolean; difference: string | null }>;
  audit: Readonly<{ ok: boolean; length: number; headHash: string; brokenAt: number | null; reason: string | null }>;
  evidence: ReadonlyArray<EvidenceCheck> | null;
}>;

const empty = { ok: false, length: 0, headHash: '', brokenAt: null, reason: 'not checked' } as const;

export async function verifyCase(casePath: string, evidenceFolder?: string): Promise<VerifyResult> {
  const path = resolve(casePath);
  let opened: ReturnType<typeof openCaseReadOnly>;
  try {
    opened = openCaseReadOnly(path);
  } catch (error) {
    const detail = error instanceof DossierError || error instanceof Error ? error.message : String(error);
    return { path, ok: false, integrity: { ok: false, detail }, schema: { ok: false, difference: null }, audit: empty, evidence: null };
  }
  try {
    const rows = opened.db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>;
    const detail = rows.map((r) => r.integrity_check).join('; ');
    const integrity = { ok: detail === 'ok', detail };
    const audit = verifyAudit(opened.db);
    let evidence: EvidenceCheck[] | null = null;
    if (evidenceFolder !== undefined) {
      const folder = resolve(evidenceFolder);
      const items = listEvidence(opened.db);
      const superseded = new Set(items.map((e) => e.supersedes).filter((x): x is number => x !== null));
      evidence = [];
      for (const e of items.filter((x) => !superseded.has(x.id))) {
        const file = join(folder, e.path);
        if (e.sha256 === null) {
          evidence.push({ id: e.id, path: e.path, expected: null, actual: null, status: 'not_checked' });
        } else if (!existsSync(file) || !statSync(file).isFile()) {
          evidence.push({ id: e.id, path: e.path, expected: e.sha256, actual: null, status: 'missing' });
        } else {
          const actual = await sha256File(file);
          evidence.push({ id: e.id, path: e.path, expected: e.sha256, actual, status: actual === e.sha256 ? 'ok' : 'changed' });
        }
      }
    }
    const schema = { ok: opened.schemaDifference === null, difference: opened.schemaDifference };
    const evidenceOk = evidence === null || evidence.every((e) => e.status === 'ok' || e.status === 'not_checked');
    return { path, ok: integrity.ok && audit.ok && schema.ok && evidenceOk, integrity, schema, audit, evidence };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { path, ok: false, integrity: { ok: false, detail }, schema: { ok: false, difference: null }, audit: empty, evidence: null };
  } finally {
    opened.close();
  }
}
