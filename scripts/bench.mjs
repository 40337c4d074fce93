// Ingest benchmark (docs/PERFORMANCE.md): `npm run bench -- [flags]`.
//
//   --sizes 1m,5m         data sizes (lines per kind; k/m suffixes), default 1m
//   --kinds access,error,auth   default all three
//   --quick               100k lines per kind (smoke run); overrides --sizes
//   --json <file>         write the full results as JSON there (default: JSON on stdout)
//   --peers               also time lnav, GoAccess and wc -l on the same files (when installed)
//   --cli                 also time the real CLI (`dossier ingest --json --quiet`, bundled from the
//                         current sources) end to end, FTS included
//   --profile             run the ingest child under `node --cpu-prof` and print the top self-time
//                         functions (the throughput of a profiled run is not representative)
//   --batch-rows <n>      pass a batch size to the engine (default: the engine's)
//   --keep                keep the case files in .bench/cases (default: deleted after each size/kind)
//   --node-args '<args>'  extra node flags for the ingest child, e.g. '--expose-gc' (V8's flags are global:
//                         a heap size flag here overrides the limits the job's and the parse worker's isolates
//                         get from the app's code; the job runs in a worker started by ingest-launcher.js)
//   --no-build            reuse .bench/dist/runner.js from the previous run (same engine code across runs)
//   --repeat <n>          ingest each size and kind n times in a row and print the median and range of the
//                         headline figures (this machine drifts by ±30%); with --peers, wc -l and lnav run
//                         after every run (each run's ratio is to the lnav beside it), GoAccess after the first
//
// For each size and kind: a fresh case file; the whole ingest job as the app runs it (runIngestJob:
// read+parse+store, timeline indexes, ANALYZE, UNIQUE_ID cache, detectors, full-text) in a child process
// with per-phase wall and CPU timings and the peak RSS of its process tree; then, in a fresh process,
// open the case and run the histogram from the rollup and a few timeline queries.
// The Markdown table goes to stderr; JSON to stdout or --json.
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { KINDS, ensureData, kindFolder, parseSize } from './bench/data.mjs';
import { summarise } from './bench/cpuprofile-top.mjs';
import { measure } from './bench/proc.mjs';
import { repeatTable, summariseRuns } from './bench/repeat.mjs';
import { jobFigures, phaseTable } from './bench/phases.mjs';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const BENCH = join(ROOT, '.bench');
const DIST = join(BENCH, 'dist');
const DATA = join(BENCH, 'data');
const CASES = join(BENCH, 'cases');
const log = (...a) => console.error(...a);

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
  const o = { sizes: ['1m'], kinds: [...KINDS], json: null, peers: false, cli: false, profile: false, quick: false, batchRows: null, keep: false, nodeArgs: [], build: true, repeat: 1 };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    const next = () => {
      const v = argv[i + 1];
      if (v === undefined) {
        throw new Error(`${a} needs a value`);
      }
      i += 1;
      return v;
    };
    switch (a) {
      case '--sizes':
        o.sizes = next().split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
        break;
      case '--kinds':
        o.kinds = next().split(',').map((s) => s.trim()).filter(Boolean);
        for (const k of o.kinds) {
          if (!KINDS.includes(k)) {
            throw new Error(`unknown kind ${k} (${KINDS.join(', ')})`);
          }
        }
        break;
      case '--json':
        o.json = next();
        break;
      case '--peers':
        o.peers = true;
        break;
      case '--cli':
        o.cli = true;
        break;
      case '--profile':
        o.profile = true;
        break;
      case '--quick':
        o.quick = true;
        break;
      case '--keep':
        o.keep = true;
        break;
      case '--no-build':
        o.build = false;
        break;
      case '--node-args':
        o.nodeArgs = next().split(/\s+/u).filter(Boolean);
        break;
      case '--batch-rows':
        o.batchRows = Number(next());
        break;
      case '--repeat':
        o.repeat = Number(next());
        if (!Number.isInteger(o.repeat) || o.repeat < 1 || o.repeat > 50) {
          throw new Error('--repeat needs a whole number from 1 to 50');
        }
        break;
      case '-h':
      case '--help':
        {
          const src = readFileSync(new URL(import.meta.url), 'utf8').split('\n');
          const end = src.findIndex((l) => !l.startsWith('//'));
          console.log(src.slice(0, end).map((l) => l.slice(3)).join('\n'));
        }
        process.exit(0);
        break;
      default:
        throw new Error(`unknown flag ${a}`);
    }
  }
  if (o.quick) {
    o.sizes = ['100k'];
  }
  for (const s of o.sizes) {
    parseSize(s);
  }
  return o;
}

// ---------------------------------------------------------------- machine
function which(bin) {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** The commit measured and the files changed since (the engine is bundled from the working tree). */
function sourceInfo() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'electron', 'shared'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3))
      .filter((f) => !f.startsWith('electron/bench/') && !f.endsWith('.test.ts'));
    return { commit, modifiedEngineFiles: dirty };
  } catch {
    return null;
  }
}

function machineInfo() {
  mkdirSync(BENCH, { recursive: true });
  const db = new Database(':memory:');
  const sqlite = db.prepare('SELECT sqlite_version() AS v').get().v;
  const fts5 = db.prepare("SELECT sqlite_compileoption_used('ENABLE_FTS5') AS f").get().f === 1;
  db.close();
  let bsq = null;
  try {
    bsq = JSON.parse(readFileSync(join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')).version;
  } catch {
    // not found
  }
  const cpus = os.cpus();
  let disk = null;
  try {
    disk = execFileSync('df', ['-h', '--output=source,fstype,size,avail', BENCH], { encoding: 'utf8' }).trim().split('\n').pop();
  } catch {
    // no df
  }
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    ramGb: Math.round(os.totalmem() / 1073741824),
    freeRamGb: Math.round(os.freemem() / 1073741824),
    node: process.version,
    sqlite,
    fts5,
    betterSqlite3: bsq,
    kernel: `${os.type()} ${os.release()}`,
    disk,
    date: new Date().toISOString(),
    loadAvgStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    source: sourceInfo(),
  };
}

// ---------------------------------------------------------------- build
async function buildBundles(withCli) {
  mkdirSync(DIST, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const common = {
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: 'linked',
    logLevel: 'warning',
    external: ['electron', 'better-sqlite3'],
    define: { __DOSSIER_VERSION__: JSON.stringify(pkg.version) },
    banner: { js: "import { createRequire as __dossierRequire } from 'node:module'; const require = __dossierRequire(import.meta.url);" },
  };
  // The ingest's parse and checkpoint workers are loaded from next to the bundle that runs the ingest.
  const entryPoints = {
    runner: 'electron/bench/runner.ts',
    'ingest-launcher': 'electron/bench/ingest-launcher.ts',
    'post-phases': 'electron/bench/post-phases.ts',
    'ingest-parse.worker': 'electron/workers/ingest/ingest-parse.worker.ts',
    'checkpoint.worker': 'electron/workers/ingest/checkpoint.worker.ts',
  };
  if (withCli) {
    entryPoints.cli = 'electron/cli/cli.ts';
  }
  await build({ ...common, outdir: DIST, entryPoints });
}

// ---------------------------------------------------------------- runs
function removeCase(path) {
  for (const suffix of ['', '-wal', '-shm', '-lock', '-journal']) {
    rmSync(`${path}${suffix}`, { force: true });
  }
}

function parseJsonLine(stdout) {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (line === undefined) {
    throw new Error(`no JSON result in output:\n${stdout.slice(-2000)}`);
  }
  return JSON.parse(line);
}

async function runner(args, extraNodeArgs = [], script = 'runner.js') {
  const r = await measure(process.execPath, [...extraNodeArgs, join(DIST, script), ...args], { cwd: ROOT });
  if (r.code !== 0) {
    throw new Error(`runner ${args[0]} failed (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
  }
  return { ...r, result: parseJsonLine(r.stdout) };
}

/** The node flags that give the runner's `ingest` the app's ingest worker limits (none from an older bundle). */
async function appIngestNodeArgs() {
  try {
    const r = await runner(['limits']);
    return Array.isArray(r.result?.nodeArgs) ? r.result.nodeArgs : [];
  } catch {
    return [];
  }
}

const round1 = (x) => Math.round(x * 10) / 10;

const perSec = (lines, ms) => (ms > 0 ? Math.round((lines * 1000) / ms) : null);
const load1 = () => round1(os.loadavg()[0]);

async function benchOne(size, kind, data, o) {
  const folder = kindFolder(DATA, size, kind);
  mkdirSync(CASES, { recursive: true });
  const casePath = join(CASES, `${size}-${kind}.dossier`);
  removeCase(casePath);
  await runner(['create', casePath]);

  const profDir = join(BENCH, 'prof', `${size}-${kind}`);
  const nodeArgs = [...(o.appNodeArgs ?? []), ...o.nodeArgs, ...(o.profile ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [])];
  if (o.profile) {
    rmSync(profDir, { recursive: true, force: true });
  }
  const loadBefore = load1();
  log(`[${size} ${kind}] ingest ${data.lines.toLocaleString('en')} lines (${(data.bytes / 1048576).toFixed(0)} MB), load ${loadBefore} ...`);
  const ingestArgs = ['ingest', casePath, folder, ...(o.batchRows ? ['--batch-rows', String(o.batchRows)] : [])];
  // The job in a worker with the app's limits (ingest-launcher.js); a bundle older than session 10 has none.
  const ing = await runner(ingestArgs, nodeArgs, existsSync(join(DIST, 'ingest-launcher.js')) ? 'ingest-launcher.js' : 'runner.js');
  const r = ing.result;
  const p = r.phases;
  const indexMs = Object.entries(p).filter(([k]) => k.startsWith('index_') || k === 'analyzeMs').reduce((s, [, v]) => s + v, 0);
  const ingestIdxMs = p.ingestMs + indexMs;
  const job = jobFigures(r);
  // Whole process (spawn to exit) minus the full-text phase, the final checkpoint after it and the
  // runner's own statistics (row counts, dbstat).
  const e2eMs = ing.wallMs - p.ftsMs - p.checkpointMs - (p.statsMs ?? 0);
  const res = {
    size,
    kind,
    lines: r.lines,
    bytes: r.bytes,
    profiled: o.profile,
    loadAvgBefore: loadBefore,
    ingest: {
      phases: p,
      indexMs,
      ingestPlusIndexMs: ingestIdxMs,
      linesPerSec: perSec(r.lines, ingestIdxMs),
      linesPerSecReadOnly: perSec(r.lines, p.ingestMs),
      // every phase runIngestJob runs (the runner runs the job itself), FTS and its checkpoint apart
      phaseOrder: r.phaseOrder,
      phasesCpu: r.phasesCpu,
      uniqueIdsMs: p.uniqueIdsMs,
      findingsMs: p.findingsMs,
      jobExclFtsMs: job.exclFtsMs,
      jobExclFtsCpuMs: job.exclFtsCpuMs,
      jobLinesPerSec: perSec(r.lines, job.exclFtsMs),
      ftsCpuMs: r.phasesCpu?.ftsMs,
      processWallMs: ing.wallMs,
      e2eExclFtsMs: e2eMs,
      e2eLinesPerSec: perSec(r.lines, e2eMs),
      ftsMs: p.ftsMs,
      cpuUserMs: r.cpuUserMs,
      cpuSystemMs: r.cpuSystemMs,
      // CPU time of the whole process (all threads, FTS included): the figure to compare on a loaded machine
      linesPerCpuSec: perSec(r.lines, r.cpuUserMs + r.cpuSystemMs),
      peakTreeRssMb: ing.peakTreeRssMb,
      maxRssMb: r.maxRssMb,
      timeMaxRssMb: ing.timeMaxRssMb,
      memoryPeaks: r.memoryPeaks,
      // peak RSS of the process tree in each phase (sampled every 100 ms by this process; the runner marks the phases)
      phasesPeakRssMb: ing.phasesPeakRssMb,
      liveHeapAfterIngestMb: r.liveHeapAfterIngestMb,
      nodeArgs: o.nodeArgs,
      appNodeArgs: o.appNodeArgs ?? [],
      dbMb: r.dbMb,
      walMb: r.walMb,
      walBeforeFtsMb: r.walBeforeFtsMb,
      counts: r.counts,
      tableMb: r.tableMb,
      evidence: r.evidence,
    },
  };
  log(
    `  ingest ${(p.ingestMs / 1000).toFixed(1)} s + indexes ${(indexMs / 1000).toFixed(1)} s = ${res.ingest.linesPerSec?.toLocaleString('en')} lines/s; ` +
      `+ UNIQUE_ID ${(p.uniqueIdsMs / 1000).toFixed(1)} s + detectors ${(p.findingsMs / 1000).toFixed(1)} s = whole job (excl. FTS) ${(job.exclFtsMs / 1000).toFixed(1)} s, ${res.ingest.jobLinesPerSec?.toLocaleString('en')} lines/s; ` +
      `process ${(ing.wallMs / 1000).toFixed(1)} s; FTS ${(p.ftsMs / 1000).toFixed(1)} s; peak RSS ${ing.peakTreeRssMb} MB; DB ${r.dbMb} MB`,
  );
  log(`  phases (wall/CPU s): ${r.phaseOrder.map((name) => `${name} ${((p[`${name}Ms`] ?? 0) / 1000).toFixed(1)}/${((r.phasesCpu?.[`${name}Ms`] ?? 0) / 1000).toFixed(1)}`).join(', ')}`);
  if (o.profile) {
    const prof = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(profDir, f));
    if (prof.length > 0) {
      const s = summarise(prof[0], 30);
      res.profile = { file: prof[0], ...s };
      log(`  profile ${prof[0]} (${s.totalMs} ms sampled); top self time:`);
      for (const f of s.functions.slice(0, 20)) {
        log(`    ${String(f.ms).padStart(6)} ms ${String(f.pct).padStart(5)}%  ${f.what}`);
      }
      log('  by file:');
      for (const f of s.files.slice(0, 12)) {
        log(`    ${String(f.ms).padStart(6)} ms ${String(f.pct).padStart(5)}%  ${f.what}`);
      }
    }
  }

  // Reopen in a fresh process: open + histogram, then timeline queries.
  const ro = await runner(['reopen', casePath]);
  res.reopen = { ...ro.result, processWallMs: ro.wallMs, spawnToResultMs: ro.firstStdoutMs === null ? null : Math.round(ro.firstStdoutMs), peakTreeRssMb: ro.peakTreeRssMb };
  log(
    `  reopen: open ${Math.round(ro.result.openMs)} ms, histogram ${ro.result.histMs} ms (${ro.result.histBuckets} buckets), first histogram at ${ro.result.firstHistogramMs} ms after process start; ` +
      `first200 ${ro.result.queries.first200ByTs.firstMs} ms, keyset ${ro.result.queries.keysetNextPage.firstMs} ms, 1h count ${ro.result.queries.hourWindowCount.firstMs} ms`,
  );

  if (o.cli) {
    const cliCase = join(CASES, `${size}-${kind}-cli.dossier`);
    removeCase(cliCase);
    const c = await measure(process.execPath, [join(DIST, 'cli.js'), 'ingest', folder, '--case', cliCase, '--json', '--quiet'], { cwd: ROOT });
    if (c.code !== 0) {
      throw new Error(`cli ingest failed (exit ${c.code}):\n${c.stderr.slice(-3000)}`);
    }
    const s = JSON.parse(c.stdout);
    res.cli = { wallMs: c.wallMs, linesPerSecInclFts: perSec(s.lines, c.wallMs), engineElapsedMs: s.elapsedMs, peakTreeRssMb: c.peakTreeRssMb, timeMaxRssMb: c.timeMaxRssMb, lines: s.lines };
    log(`  CLI: ${(c.wallMs / 1000).toFixed(1)} s whole command (FTS included) = ${res.cli.linesPerSecInclFts?.toLocaleString('en')} lines/s; peak RSS ${c.peakTreeRssMb} MB`);
    if (!o.keep) {
      removeCase(cliCase);
    }
  }

  if (o.peers) {
    res.peers = await runPeers(kind, data.file, data.lines, res.ingest.e2eLinesPerSec, res.ingest.linesPerSec, o.peers === 'paired');
  }
  if (!o.keep) {
    removeCase(casePath);
  }
  return res;
}

// ---------------------------------------------------------------- peers
const LNAV_TABLE = { access: 'access_log', error: 'error_log', auth: 'syslog_log' };

// Two ratios per peer: Dossier's whole process (e2e, FTS excluded) and its ingest + indexes (issue 11's
// throughput target), each as lines/s over the peer's.
// `pairedOnly`: wc -l and lnav only (the later runs of --repeat).
async function runPeers(kind, file, lines, dossierLinesPerSec, ingestLinesPerSec, pairedOnly = false) {
  const out = [];
  const add = (tool, r, counted, note = '') => {
    const lps = perSec(lines, r.wallMs);
    const ratio = (x) => (x !== null && x !== undefined && lps ? Number((x / lps).toPrecision(2)) : null);
    const row = { tool, wallMs: r.wallMs, linesPerSec: lps, peakTreeRssMb: r.peakTreeRssMb, counted, dossierRatio: ratio(dossierLinesPerSec), ingestRatio: ratio(ingestLinesPerSec), note };
    out.push(row);
    log(`  peer ${tool}: ${(r.wallMs / 1000).toFixed(2)} s = ${lps?.toLocaleString('en')} lines/s, RSS ${r.peakTreeRssMb} MB, counted ${counted}; Dossier/peer: ingest + indexes ${row.ingestRatio}, whole process ${row.dossierRatio}`);
  };
  const wc = await measure('wc', ['-l', file]);
  add('wc -l', wc, Number(wc.stdout.trim().split(/\s+/u)[0]));
  if (which('lnav') !== null) {
    const home = join(BENCH, 'lnav-home');
    mkdirSync(home, { recursive: true });
    const r = await measure('lnav', ['-n', '-c', `;SELECT count(*) AS n FROM ${LNAV_TABLE[kind]}`, file], { env: { ...process.env, HOME: home, TERM: 'dumb' } });
    const m = /(\d+)\s*$/u.exec(r.stdout.trim());
    add('lnav', r, m === null ? null : Number(m[1]), `SELECT count(*) FROM ${LNAV_TABLE[kind]}`);
  } else {
    log('  peer lnav: not installed (apt-get install -y lnav), skipped');
  }
  if (kind === 'access' && !pairedOnly) {
    if (which('goaccess') !== null) {
      const json = join(BENCH, 'goaccess.json');
      const r = await measure('goaccess', [file, '--log-format=COMBINED', '--no-progress', '-o', json]);
      let counted = null;
      try {
        counted = JSON.parse(readFileSync(json, 'utf8')).general.valid_requests;
      } catch {
        // no report
      }
      rmSync(json, { force: true });
      add('goaccess', r, counted, 'COMBINED, JSON report');
    } else {
      log('  peer goaccess: not installed (apt-get install -y goaccess), skipped');
    }
  }
  return out;
}

// ---------------------------------------------------------------- output
function markdown(results) {
  const n = (x) => (x === null || x === undefined ? '–' : typeof x === 'number' ? x.toLocaleString('en') : String(x));
  const s = (ms) => (ms === null || ms === undefined ? '–' : (ms / 1000).toFixed(1));
  const lines = [];
  lines.push('| size | kind | lines | MB | read+parse+store s | indexes s | **lines/s (ingest+indexes)** | UNIQUE_ID s | detectors s | **whole job (excl. FTS) s** | **lines/s whole job** | process s (excl. FTS) | lines/s e2e | FTS s | CPU s (all) | lines/CPU-s | peak RSS MB (tree) | DB MB | load |');
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of results) {
    const i = r.ingest;
    lines.push(
      `| ${r.size} | ${r.kind}${r.profiled ? ' (profiled)' : ''}${r.ingest.nodeArgs.length > 0 ? ` (${r.ingest.nodeArgs.join(' ')})` : ''} | ${n(r.lines)} | ${Math.round(r.bytes / 1048576)} | ${s(i.phases.ingestMs)} | ${s(i.indexMs)} | **${n(i.linesPerSec)}** | ${s(i.uniqueIdsMs)} | ${s(i.findingsMs)} | **${s(i.jobExclFtsMs)}** | **${n(i.jobLinesPerSec)}** | ${s(i.e2eExclFtsMs)} | ${n(i.e2eLinesPerSec)} | ${s(i.ftsMs)} | ${s(i.cpuUserMs + i.cpuSystemMs)} | ${n(i.linesPerCpuSec)} | ${n(i.peakTreeRssMb)} | ${n(i.dbMb)} | ${r.loadAvgBefore} |`,
    );
  }
  lines.push('');
  lines.push(phaseTable(results));
  lines.push('');
  lines.push('| size | kind | open ms | histogram query ms | **process start → histogram ms** | spawn → result ms | buckets | first 200 by ts ms | keyset next page ms | keyset mid-range ms | 1-h count ms | 1-h histogram ms | FTS top-100 ms |');
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of results) {
    const q = r.reopen.queries;
    lines.push(
      `| ${r.size} | ${r.kind} | ${n(Math.round(r.reopen.openMs))} | ${n(r.reopen.histMs)} | **${n(r.reopen.firstHistogramMs)}** | ${n(r.reopen.spawnToResultMs)} | ${n(r.reopen.histBuckets)} | ${n(q.first200ByTs.firstMs)} | ${n(q.keysetNextPage.firstMs)} | ${n(q.keysetPageMidRange.firstMs)} | ${n(q.hourWindowCount.firstMs)} | ${n(q.hourWindowHistogram.firstMs)} | ${n(q.ftsTop100.firstMs)} |`,
    );
  }
  const peers = results.filter((r) => r.peers !== undefined);
  if (peers.length > 0) {
    lines.push('');
    lines.push('| size | kind | tool | s | lines/s | peak RSS MB | counted | Dossier ingest + indexes / peer | Dossier e2e / peer |');
    lines.push('|---|---|---|--:|--:|--:|--:|--:|--:|');
    for (const r of peers) {
      lines.push(`| ${r.size} | ${r.kind} | Dossier (whole job excl. FTS, whole process) | ${s(r.ingest.e2eExclFtsMs)} | ${n(r.ingest.e2eLinesPerSec)} | ${n(r.ingest.peakTreeRssMb)} | ${n(r.lines)} | | 1 |`);
      for (const p of r.peers) {
        lines.push(`| ${r.size} | ${r.kind} | ${p.tool} | ${(p.wallMs / 1000).toFixed(2)} | ${n(p.linesPerSec)} | ${n(p.peakTreeRssMb)} | ${n(p.counted)} | ${n(p.ingestRatio)} | ${n(p.dossierRatio)} |`);
      }
    }
  }
  const cli = results.filter((r) => r.cli !== undefined);
  if (cli.length > 0) {
    lines.push('');
    lines.push('| size | kind | CLI whole command s (FTS incl.) | lines/s | peak RSS MB |');
    lines.push('|---|---|--:|--:|--:|');
    for (const r of cli) {
      lines.push(`| ${r.size} | ${r.kind} | ${s(r.cli.wallMs)} | ${n(r.cli.linesPerSecInclFts)} | ${n(r.cli.peakTreeRssMb)} |`);
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- main
const o = parseArgs(process.argv.slice(2));
const machine = machineInfo();
log(`Dossier ingest benchmark — ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGb} GB, node ${machine.node}, SQLite ${machine.sqlite}; load ${machine.loadAvgStart.join(' ')}`);
if (o.build || !existsSync(join(DIST, 'runner.js')) || (o.cli && !existsSync(join(DIST, 'cli.js')))) {
  await buildBundles(o.cli);
  writeFileSync(join(DIST, 'source.json'), `${JSON.stringify(machine.source)}\n`);
} else {
  // the bundle measured is the one built earlier: report the source it was built from
  try {
    machine.source = { ...JSON.parse(readFileSync(join(DIST, 'source.json'), 'utf8')), reusedBundle: true };
  } catch {
    machine.source = { reusedBundle: true };
  }
}
const src = machine.source ?? {};
log(`engine source ${src.commit ?? '?'}${(src.modifiedEngineFiles ?? []).length > 0 ? ` + modified: ${src.modifiedEngineFiles.join(', ')}` : ''}${src.reusedBundle ? ' (bundle reused)' : ''}`);
// The ingest child runs the job on its main thread; these flags give it the limits the app's ingest
// worker runs with (its young generation: ingest-port.ts). --node-args come after, so they win.
o.appNodeArgs = await appIngestNodeArgs();
log(`ingest child: ${[...o.appNodeArgs, ...o.nodeArgs].join(' ') || 'no node flags'}`);
const results = [];
for (const size of o.sizes) {
  const data = ensureData(DATA, size, o.kinds, log);
  for (const kind of o.kinds) {
    for (let run = 1; run <= o.repeat; run += 1) {
      if (o.repeat > 1) {
        log(`[${size} ${kind}] run ${run} of ${o.repeat}`);
      }
      // This machine's speed drifts between runs, lnav's with it (5.2-8.5 s for the same 5M file in one
      // session): with --repeat, wc -l and lnav run after every run, so each run has its own ratio to the lnav
      // beside it; GoAccess (90 s at 5M) only after the first.
      const r = await benchOne(size, kind, data[kind], run === 1 ? o : { ...o, peers: o.peers ? 'paired' : false });
      results.push(o.repeat > 1 ? { ...r, run } : r);
    }
  }
}
const repeatSummary = summariseRuns(results);
machine.loadAvgEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
const table = [markdown(results), repeatTable(repeatSummary)].filter(Boolean).join('\n\n');
log(`\n${table}\n`);
log(`load average at start ${machine.loadAvgStart.join(' ')}, at end ${machine.loadAvgEnd.join(' ')}`);
const report = { machine, options: o, results, ...(repeatSummary.length > 0 ? { repeatSummary } : {}), markdown: table };
if (o.json !== null) {
  writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
  log(`results written to ${o.json}`);
} else {
  console.log(JSON.stringify(report, null, 2));
}
