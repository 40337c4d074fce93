// `node scripts/bench-findings.mjs [--size 5m]`: the web rule set and the detectors over a large
// generated access log (JSON out). The case is ingested once and kept in .bench/cases/findings-<size>.dossier.
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
mkdirSync(join(root, '.bench', 'cases'), { recursive: true });
mkdirSync(join(root, '.bench', 'dist'), { recursive: true });
const outfile = join(root, '.bench', 'dist', 'findings.js');
await build({
  entryPoints: [join(root, 'electron', 'bench', 'findings.ts')],
  outfile, bundle: true, platform: 'node', target: 'node20', format: 'esm', external: ['better-sqlite3'], logLevel: 'error',
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
});
const r = spawnSync(
  process.execPath,
  [outfile, kindFolder(dataRoot, size, 'access'), join(root, '.bench', 'cases', `findings-${size}.dossier`), join(root, 'resources', 'rules', 'web.yaml')],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
