/**
 * A case package for handing a case to a colleague: a new folder holding the case file, copied
 * with SQLite's online backup API (a consistent snapshot, WAL included, while the case stays open),
 * and `manifest.json` with the SHA-256 of every file. Opening the copied case gives the same case.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DossierError } from '../../../shared/api/errors';
import type { CasePackageResult } from '../../../shared/api/methods/reports';
import type { CaseSession } from '../case-session';
import { getCaseInfo } from '../../db/queries/case-info';
import { verifyAudit } from '../../db/queries/audit';

export const MANIFEST_FILE = 'manifest.json';
export const PACKAGE_FORMAT = 'dossier-case-package@1';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

function caseFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/gu, '_').trim().replace(/^\.+/u, '').slice(0, 120);
  return `${cleaned === '' ? 'case' : cleaned}.dossier`;
}

export async function exportCasePackage(session: CaseSession, folderIn: string, appVersion: string, now: () => Date): Promise<CasePackageResult> {
  const folder = resolve(folderIn);
  const open = session.requireOpen();
  if (existsSync(folder) && (!statSync(folder).isDirectory() || readdirSync(folder).length > 0)) {
    throw new DossierError('case_exists', `${folder} exists and is not an empty folder. Choose a new folder for the package.`);
  }
  if (folder.startsWith(`${open.path}`)) {
    throw new DossierError('bad_input', 'Choose a folder outside the case file.');
  }
  mkdirSync(folder, { recursive: true });
  const info = getCaseInfo(open.db);
  const file = caseFileName(info.name);
  // The entry goes in first, so the colleague's copy records that it was handed over.
  session.audit('export.casePackage', folder, { file });
  const audit = verifyAudit(open.db);
  const db = open.db as unknown as { backup: (destination: string) => Promise<unknown> };
  await db.backup(join(folder, file));
  const bytes = statSync(join(folder, file)).size;
  const files = [{ path: file, bytes, sha256: await sha256File(join(folder, file)) }];
  const manifest = {
    format: PACKAGE_FORMAT,
    createdUtc: now().toISOString(),
    dossierVersion: appVersion,
    case: { name: info.name, number: info.number, classification: info.classification, sourceFile: basename(open.path) },
    audit: { length: audit.length, headHash: audit.headHash },
    files,
  };
  writeFileSync(join(folder, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
  return { folder, files, manifest: join(folder, MANIFEST_FILE) };
}

/** Checks a package's files against its manifest: the names of files that are missing or changed. */
export async function checkCasePackage(folderIn: string): Promise<{ ok: boolean; problems: string[] }> {
  const folder = resolve(folderIn);
  const { readFileSync } = await import('node:fs');
  const manifest = JSON.parse(readFileSync(join(folder, MANIFEST_FILE), 'utf8')) as { format?: string; files?: Array<{ path: string; sha256: string }> };
  const problems: string[] = [];
  if (manifest.format !== PACKAGE_FORMAT) {
    problems.push(`unknown package format ${String(manifest.format)}`);
  }
  for (const f of manifest.files ?? []) {
    const path = join(folder, basename(f.path));
    if (!existsSync(path)) {
      problems.push(`${f.path}: missing`);
    } else if ((await sha256File(path)) !== f.sha256) {
      problems.push(`${f.path}: changed`);
    }
  }
  return { ok: problems.length === 0, problems };
}
