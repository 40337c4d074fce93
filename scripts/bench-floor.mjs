// `npm run bench:floor [-- --size 5m] [--json <file>] [--no-lnav]`: the lower bound that the parts every
// engine storing each line must do put on the ingest and its indexes here (electron/bench/floor.ts measures
// them, scripts/bench/floor-summary.mjs adds them up), next to lnav on the same file in the same run and the
// real engine. JSON on stdout (or --json), a Markdown table on stderr. docs/PERFORMANCE.md, session 10.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureData, kindFolder, parseSize } from './bench/data.mjs';
import { floorSummary, floorTable } from './bench/floor-summary.mjs';
import { measure } from './bench/proc.mjs';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const BENCH = join(ROOT, '.bench');
const DIST = join(BENCH, 'dist-floor');
const { values } = parseArgs({ options: { size: { type: 'string', default: '5m' }, json: { type: 'string' }, 'no-lnav': { type: 'boolean', default: false } } });
const size = values.size;
parseSize(size);

function which(bin) {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const dataRoot = join(BENCH, 'data');
const data = ensureData(dataRoot, size, ['access']).access;
mkdirSync(DIST, { recursive: true });
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
await build({
  absWorkingDir: ROOT, bundle: true, platform: 'node', target: 'node20', format: 'esm', logLevel: 'warning', outdir: DIST,
  external: ['electron', 'better-sqlite3'],
  define: { __DOSSIER_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __dossierRequire } from 'node:module'; const require = __dossierRequire(import.meta.url);" },
  // the engine's parse and checkpoint workers are loaded from next to the bundle that runs the ingest
  entryPoints: { floor: 'electron/bench/floor.ts', 'ingest-parse.worker': 'electron/workers/ingest/ingest-parse.worker.ts', 'checkpoint.worker': 'electron/workers/ingest/checkpoint.worker.ts' },
});

console.error(`floor: ${data.lines.toLocaleString('en')} access lines (${(data.bytes / 1048576).toFixed(0)} MB), ${os.availableParallelism()} cores, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const child = await measure(process.execPath, [join(DIST, 'floor.js'), kindFolder(dataRoot, size, 'access'), join(BENCH, 'floor-work')]);
if (child.code !== 0) {
  console.error(`floor: the measuring child failed (exit ${child.code}): ${child.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  process.exit(1);
}
const result = JSON.parse(child.stdout.trim().split('\n').pop());
let lnav = null;
if (!values['no-lnav'] && which('lnav') !== null) {
  const home = join(BENCH, 'lnav-home');
  mkdirSync(home, { recursive: true });
  const r = await measure('lnav', ['-n', '-c', ';SELECT count(*) AS n FROM access_log', data.file], { env: { ...process.env, HOME: home, TERM: 'dumb' } });
  const m = /(\d+)\s*$/u.exec(r.stdout.trim());
  lnav = { wallMs: r.wallMs, peakTreeRssMb: r.peakTreeRssMb, counted: m === null ? null : Number(m[1]) };
} else if (!values['no-lnav']) {
  console.error('floor: lnav not installed (apt-get install -y lnav): no ratio');
}
const summary = floorSummary(result, lnav?.wallMs ?? null);
console.error(floorTable(result, summary));
const json = `${JSON.stringify({ when: new Date().toISOString(), size, load: os.loadavg(), peakTreeRssMb: child.peakTreeRssMb, result, lnav, summary }, null, 2)}\n`;
if (values.json !== undefined) {
  writeFileSync(values.json, json);
  console.error(`results written to ${values.json}`);
} else {
  process.stdout.write(json);
}
