/** Test-only helpers for database tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TempDir = Readonly<{ dir: string; file: (name: string) => string; cleanup: () => void }>;

export function makeTempDir(prefix = 'dossier-test-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
