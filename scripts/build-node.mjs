// Bundles the Node/Electron side with esbuild: main (ESM), preload (CJS: sandboxed preloads cannot be
// ESM), the workers, the standalone loopback server and the CLI. Native and Electron modules stay external.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const define = { __DOSSIER_VERSION__: JSON.stringify(pkg.version) };
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  external: ['electron', 'better-sqlite3', 'playwright-core'],
  define,
};

const esmEntries = {
  main: 'electron/main/main.ts',
  'backend.worker': 'electron/workers/backend/backend.worker.ts',
  'ingest.worker': 'electron/workers/ingest/ingest.worker.ts',
  'ingest-parse.worker': 'electron/workers/ingest/ingest-parse.worker.ts',
  'checkpoint.worker': 'electron/workers/ingest/checkpoint.worker.ts',
  server: 'electron/server/standalone/standalone.ts',
  cli: 'electron/cli/cli.ts',
};
const entryPoints = Object.fromEntries(Object.entries(esmEntries).filter(([, file]) => existsSync(file)));

rmSync('dist-electron', { recursive: true, force: true });
await build({
  ...common,
  format: 'esm',
  outdir: 'dist-electron',
  outExtension: { '.js': '.js' },
  entryPoints,
  // Bundled CommonJS dependencies call require(): give ESM bundles one.
  banner: { js: "import { createRequire as __dossierRequire } from 'node:module'; const require = __dossierRequire(import.meta.url);" },
});
if (existsSync('electron/preload/preload.ts')) {
  await build({ ...common, format: 'cjs', outfile: 'dist-electron/preload.cjs', entryPoints: ['electron/preload/preload.ts'] });
}
console.log(`built ${Object.keys(entryPoints).length + 1} node bundles into dist-electron/`);
