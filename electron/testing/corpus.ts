/**
 * Test-only helpers for the conformance suite (`npm run conformance`): locating ../shared/corpus and
 * recording per-file results. The corpus is never copied into the repository (licences differ).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of ../shared/corpus beside the repository (or $DOSSIER_CORPUS), or null when absent. */
export function corpusDir(): string | null {
  const fromEnv = process.env['DOSSIER_CORPUS'];
  const dir = fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : resolve(repoRoot, '..', 'shared', 'corpus');
  return existsSync(dir) ? dir : null;
}

/** Path of a corpus file, e.g. corpusFile('fail2ban/logs/sshd'). Throws when the corpus is absent. */
export function corpusFile(relative: string): string {
  const dir = corpusDir();
  if (dir === null) {
    throw new Error('corpus not present');
  }
  return join(dir, relative);
}

export type ConformanceMiss = Readonly<{ line: number; expected: string; actual: string; why: string }>;

export type ConformanceFileResult = Readonly<{
  file: string;
  lines: number;
  matched: number;
  mismatched: number;
  misses: ReadonlyArray<ConformanceMiss>;
}>;

/**
 * Records the results of one conformance check in .conformance/<suite>.json and prints a one-line
 * summary per file, so CI logs show `file: lines, matched, mismatched`.
 */
export function recordConformance(suite: string, results: ReadonlyArray<ConformanceFileResult>): void {
  const outDir = join(repoRoot, '.conformance');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, `${suite}.json`), JSON.stringify({ suite, results }, null, 2));
  for (const r of results) {
    console.log(`[conformance:${suite}] ${r.file}: ${r.lines} lines, ${r.matched} matched, ${r.mismatched} mismatched`);
    for (const m of r.misses.slice(0, 20)) {
      console.log(`  line ${m.line}: expected ${m.expected}, got ${m.actual} (${m.why})`);
    }
  }
}
