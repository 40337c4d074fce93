/** Test-only: bundles a Node entry (e.g. the CLI) with the project's esbuild settings into a temp dir. */
import { build, type BuildOptions } from 'esbuild';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function bundleEntry(entry: string, name: string): Promise<string> {
  // Inside the repository (.tmp/ is git-ignored) so the bundle resolves better-sqlite3 from node_modules.
  mkdirSync(join(repoRoot, '.tmp'), { recursive: true });
  const outDir = mkdtempSync(join(repoRoot, '.tmp', 'bundle-'));
  const outfile = join(outDir, `${name}.js`);
  const options = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['electron', 'better-sqlite3'],
    nodePaths: [join(repoRoot, 'node_modules')],
    logLevel: 'error',
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
  } satisfies BuildOptions;
  await build({ ...options, entryPoints: [join(repoRoot, entry)], outfile });
  if (name !== PARSE_WORKER && name !== CHECKPOINT_WORKER) {
    // The ingest loads its parse and checkpoint workers from next to the bundle that runs it (as in dist-electron/).
    await build({ ...options, entryPoints: [join(repoRoot, 'electron/workers/ingest/ingest-parse.worker.ts')], outfile: join(outDir, `${PARSE_WORKER}.js`) });
    await build({ ...options, entryPoints: [join(repoRoot, 'electron/workers/ingest/checkpoint.worker.ts')], outfile: join(outDir, `${CHECKPOINT_WORKER}.js`) });
  }
  return outfile;
}

const PARSE_WORKER = 'ingest-parse.worker';
const CHECKPOINT_WORKER = 'checkpoint.worker';

export const REPO_ROOT = repoRoot;
