// `node scripts/bench-report.mjs [--size 5m]`: time the full report (all sections, HTML and PDF) of a
// large generated case (JSON out). The case is ingested once and kept in .bench/cases/report-<size>.dossier.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureData, kindFolder, parseSize } from './bench/data.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { size: { type: 'string', default: '1m' } } });
const size = values.size;
parseSize(size);
const dataRoot = join(root, '.bench', 'data');
ensureData(dataRoot, size, ['access']);
const out = join(root, '.bench', 'reports');
mkdirSync(join(root, '.bench', 'cases'), { recursive: true });
mkdirSync(join(root, '.bench', 'dist'), { recursive: true });
mkdirSync(out, { recursive: true });
const outfile = join(root, '.bench', 'dist', 'report.js');
await build({
  entryPoints: [join(root, 'electron', 'bench', 'report.ts')],
  outfile, bundle: true, platform: 'node', target: 'node20', format: 'esm', external: ['better-sqlite3', 'playwright-core'], logLevel: 'error',
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
});
const r = spawnSync(process.execPath, [outfile, kindFolder(dataRoot, size, 'access'), join(root, '.bench', 'cases', `report-${size}.dossier`), out], { stdio: 'inherit' });
process.exit(r.status ?? 1);
