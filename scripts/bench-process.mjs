// `node scripts/bench-process.mjs [--lines 5000000]`: Apache workers analysis times on a large generated case
// (every access line with a UNIQUE_ID). The case is ingested once and kept in .bench/cases/process-<lines>.dossier.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureProcessData } from './bench/process-data.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { lines: { type: 'string', default: '1000000' } } });
const lines = Number(values.lines);
if (!Number.isInteger(lines) || lines <= 0) {
  throw new Error('--lines must be a positive integer');
}
const data = ensureProcessData(join(root, '.bench', 'data'), lines);
mkdirSync(join(root, '.bench', 'cases'), { recursive: true });
mkdirSync(join(root, '.bench', 'dist'), { recursive: true });
const outfile = join(root, '.bench', 'dist', 'process.js');
await build({
  entryPoints: [join(root, 'electron', 'bench', 'process.ts')],
  outfile, bundle: true, platform: 'node', target: 'node20', format: 'esm', external: ['better-sqlite3'], logLevel: 'error',
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
});
const r = spawnSync(process.execPath, [outfile, data, join(root, '.bench', 'cases', `process-${lines}.dossier`)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
