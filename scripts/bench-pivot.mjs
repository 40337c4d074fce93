// `node scripts/bench-pivot.mjs [--size 1m]`: pivot page and auth session times on a large generated
// case (an access log and an auth.log of <size> lines each). JSON out. The case is ingested once and
// kept in .bench/cases/pivot-<size>.dossier.
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
ensureData(dataRoot, size, ['access', 'auth']);
mkdirSync(join(root, '.bench', 'cases'), { recursive: true });
mkdirSync(join(root, '.bench', 'dist'), { recursive: true });
const outfile = join(root, '.bench', 'dist', 'pivot.js');
await build({
  entryPoints: [join(root, 'electron', 'bench', 'pivot.ts')],
  outfile, bundle: true, platform: 'node', target: 'node20', format: 'esm', external: ['better-sqlite3'], logLevel: 'error',
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
});
const args = [outfile, kindFolder(dataRoot, size, 'access'), kindFolder(dataRoot, size, 'auth'), join(root, '.bench', 'cases', `pivot-${size}.dossier`)];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
