// Alternating A/B of ingest engines (docs/PERFORMANCE.md, session 5): this machine's speed drifts by
// ±30% within minutes, so variants are compared only in runs that alternate them back to back.
//
//   npm run bench -- --sizes 100k --kinds access && cp -r .bench/dist .bench/dist-a   (one engine)
//   ... change the code, the same again into .bench/dist-b ...
//   node scripts/bench/alternate.mjs --size 1m --rounds 5 dist-a dist-b 'dist-b:--max-semi-space-size=8'
//
// Each variant is a bundle directory under .bench (its runner.js), optionally followed by `:` and
// comma-separated node flags for the runner. Per round, every variant runs once, in turn: a fresh case,
// then `runner.js ingest` on the access data (or `--kind error|auth`) of that size, stopped once the timeline indexes are built
// (its phase markers on stderr). Prints one JSON line per run and, at the end, the minimum and median
// of ingest + indexes and of the ingest, and the peak RSS (VmHWM) of each variant.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureData, kindFolder } from './data.mjs';
import { PHASE_MARK } from './proc.mjs';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const BENCH = join(ROOT, '.bench');

/** 'dist-b:--a,--b' -> { name: 'dist-b:--a,--b', dir: 'dist-b', nodeArgs: ['--a', '--b'] } */
export function parseVariant(spec) {
  const i = spec.indexOf(':');
  const dir = i < 0 ? spec : spec.slice(0, i);
  if (dir === '' || dir.includes('/') || dir.includes('..')) {
    throw new Error(`bad variant "${spec}": a directory name under .bench, optionally followed by :node,flags`);
  }
  return { name: spec, dir, nodeArgs: i < 0 ? [] : spec.slice(i + 1).split(',').filter(Boolean) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 === 1 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
};

/** Per variant (in the order given): runs, minimum and median of ingest + indexes and of the ingest (ms), peak RSS (MB) range. */
export function summariseAlternation(runs, variants) {
  return variants.map((v) => {
    const mine = runs.filter((r) => r.variant === v);
    const total = mine.map((r) => r.ingestMs + r.indexMs);
    const ingest = mine.map((r) => r.ingestMs);
    const peaks = mine.map((r) => r.peakRssMb).filter((x) => x !== null);
    // CPU time of all the runner's threads (steadier than wall time on a shared machine)
    const cpu = mine.filter((r) => r.ingestCpuMs != null && r.indexCpuMs != null).map((r) => r.ingestCpuMs + r.indexCpuMs);
    return {
      variant: v,
      runs: mine.length,
      totalMinMs: total.length === 0 ? null : Math.min(...total),
      totalMedianMs: median(total),
      ingestMinMs: ingest.length === 0 ? null : Math.min(...ingest),
      ingestMedianMs: median(ingest),
      peakRssMb: peaks.length === 0 ? null : [Math.min(...peaks), Math.max(...peaks)],
      cpuMinMs: cpu.length === 0 ? null : Math.min(...cpu),
      cpuMedianMs: median(cpu),
    };
  });
}

function peakOf(pid) {
  try {
    const m = /VmHWM:\s+(\d+)/u.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? null : Math.round(Number(m[1]) / 1024);
  } catch {
    return null;
  }
}

/** CPU time of a process (all its threads), ms; clock ticks of 10 ms. */
function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return null;
  }
}

/** The node flags that give a runner's `ingest` the app's ingest worker limits (none from a bundle older than session 9). */
function appNodeArgs(runner) {
  try {
    const r = JSON.parse(execFileSync(process.execPath, [runner, 'limits'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').pop() ?? '{}');
    return Array.isArray(r.nodeArgs) ? r.nodeArgs : [];
  } catch {
    return [];
  }
}

function runOnce(v, folder) {
  const runner = join(BENCH, v.dir, 'runner.js');
  const casePath = join(BENCH, 'cases', `alternate-${v.dir}.dossier`);
  for (const s of ['', '-wal', '-shm', '.lock']) {
    rmSync(casePath + s, { force: true });
  }
  execFileSync(process.execPath, [runner, 'create', casePath], { stdio: 'ignore' });
  const limits = appNodeArgs(runner);
  return new Promise((done, fail) => {
    const t0 = performance.now();
    // the job in a worker with the app's limits (ingest-launcher.js, since session 10), else on the runner's main thread
    const launcher = join(BENCH, v.dir, 'ingest-launcher.js');
    const script = existsSync(launcher) ? launcher : runner;
    const child = spawn(process.execPath, [...limits, ...v.nodeArgs, script, 'ingest', casePath, folder, '--tz', 'UTC'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const at = {};
    const cpu = {};
    let peak = null;
    let buf = '';
    child.stderr.on('data', (d) => {
      buf += d;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith(PHASE_MARK)) {
          const phase = line.slice(PHASE_MARK.length);
          at[phase] = performance.now() - t0;
          cpu[phase] = cpuOf(child.pid);
          if (phase === 'analyze') {
            peak = peakOf(child.pid);
            child.kill('SIGKILL');
          }
        }
      }
    });
    child.on('exit', () => {
      for (const s of ['', '-wal', '-shm', '.lock']) {
        rmSync(casePath + s, { force: true });
      }
      if (at.ingest === undefined || at.index_events_ts === undefined || at.analyze === undefined) {
        fail(new Error(`${v.name}: the runner stopped before its indexes were built`));
        return;
      }
      const cpuMs = (a, b) => (cpu[a] == null || cpu[b] == null ? null : cpu[b] - cpu[a]);
      done({
        variant: v.name, ingestMs: Math.round(at.index_events_ts - at.ingest), indexMs: Math.round(at.analyze - at.index_events_ts),
        ingestCpuMs: cpuMs('ingest', 'index_events_ts'), indexCpuMs: cpuMs('index_events_ts', 'analyze'), peakRssMb: peak,
      });
    });
  });
}

async function main(argv) {
  let size = '1m';
  let kind = 'access';
  let rounds = 3;
  const specs = [];
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--size') {
      size = argv[++i] ?? size;
    } else if (argv[i] === '--kind') {
      kind = argv[++i] ?? kind;
    } else if (argv[i] === '--rounds') {
      rounds = Number(argv[++i]);
    } else {
      specs.push(argv[i]);
    }
  }
  if (specs.length === 0 || !(rounds >= 1)) {
    throw new Error('usage: node scripts/bench/alternate.mjs [--size 1m] [--kind access|error|auth] [--rounds 3] <variant>[:node,flags] ...');
  }
  const variants = specs.map(parseVariant);
  for (const v of variants) {
    if (!existsSync(join(BENCH, v.dir, 'runner.js'))) {
      throw new Error(`no runner bundle at .bench/${v.dir}/runner.js: make one with \`npm run bench -- --sizes 100k --kinds access\` and \`cp -r .bench/dist .bench/${v.dir}\``);
    }
  }
  ensureData(join(BENCH, 'data'), size, [kind]);
  const folder = kindFolder(join(BENCH, 'data'), size, kind);
  const runs = [];
  for (let r = 0; r < rounds; r += 1) {
    for (const v of variants) {
      const run = await runOnce(v, folder);
      runs.push(run);
      console.log(JSON.stringify({ round: r + 1, ...run }));
    }
  }
  for (const s of summariseAlternation(runs, variants.map((v) => v.name))) {
    console.log(`${s.variant}: ingest + indexes min ${s.totalMinMs} ms, median ${s.totalMedianMs} ms; ingest min ${s.ingestMinMs}, median ${s.ingestMedianMs}; CPU (ingest + indexes) min ${s.cpuMinMs ?? '?'}, median ${s.cpuMedianMs ?? '?'}; peak RSS ${s.peakRssMb?.join('–') ?? '?'} MB (${s.runs} runs)`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
