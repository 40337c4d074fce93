/** File-name helpers for the path fields (browser mode has no native dialog). Pure: unit-tested in node. */

export const CASE_EXTENSION = '.dossier';

/** "ACME breach 2026/03 (web)" → "acme-breach-2026-03-web". Empty names give "case". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-+|-+$/gu, '')
    .slice(0, 80)
    .replace(/-+$/u, '');
  return slug === '' ? 'case' : slug;
}

/** The separator the back end's paths use (Windows paths have backslashes and no slashes). */
export function pathSeparator(samplePath: string): '/' | '\\' {
  return samplePath.includes('\\') && !samplePath.includes('/') ? '\\' : '/';
}

export function joinPath(dir: string, file: string): string {
  const sep = pathSeparator(dir);
  return dir.endsWith(sep) ? `${dir}${file}` : `${dir}${sep}${file}`;
}

export function dirName(path: string): string {
  const sep = pathSeparator(path);
  const i = path.lastIndexOf(sep);
  return i <= 0 ? (i === 0 ? sep : '') : path.slice(0, i);
}

export function fileName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(i + 1);
}

export function suggestedCasePath(dir: string, name: string): string {
  return joinPath(dir, `${slugify(name)}${CASE_EXTENSION}`);
}

/** "/cases/acme.dossier" → "/cases/acme copy.dossier" (Save As default). */
export function copyPath(path: string): string {
  const dir = dirName(path);
  const base = fileName(path);
  const stem = base.endsWith(CASE_EXTENSION) ? base.slice(0, -CASE_EXTENSION.length) : base;
  const copy = `${stem} copy${CASE_EXTENSION}`;
  return dir === '' ? copy : joinPath(dir, copy);
}
