// Child-process measurement helpers for the benchmark: wall time, peak RSS of the whole process tree
// (sum of VmRSS of the process and all its descendants, sampled from /proc every 100 ms), and, when
// /usr/bin/time exists, its max RSS (getrusage of the biggest single process) as a cross-check.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TIME_BIN = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function childrenOf(pid) {
  const out = [];
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ')) {
        if (c.trim() !== '') {
          out.push(Number(c));
        }
      }
    } catch {
      // task gone
    }
  }
  return out;
}

function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/u.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]);
  } catch {
    return 0;
  }
}

/** Sum of VmRSS over `root` and all its descendants (kB); `skipRoot` leaves out a wrapper such as time(1). */
export function treeRssKb(root, skipRoot = false) {
  let total = 0;
  const stack = [root];
  const seen = new Set();
  while (stack.length > 0) {
    const pid = stack.pop();
    if (seen.has(pid)) {
      continue;
    }
    seen.add(pid);
    if (!(skipRoot && pid === root)) {
      total += rssKb(pid);
    }
    stack.push(...childrenOf(pid));
  }
  return total;
}

/** A child that writes `${PHASE_MARK}<name>` lines on stderr gets its peak RSS per phase (electron/bench/runner.ts). */
export const PHASE_MARK = '@@dossier-phase ';

/**
 * Runs `cmd args` and resolves { code, wallMs, peakTreeRssMb, phasesPeakRssMb, timeMaxRssMb, stdout, stderr }.
 * stdout is kept in memory (the runner prints one JSON line); `discardStdout` for peers that print a lot.
 */
export function measure(cmd, args, { cwd, env, discardStdout = false, useTime = true, onStdoutLine } = {}) {
  const timeFile = join(tmpdir(), `dossier-bench-time-${process.pid}-${Date.now()}.txt`);
  const wrapped = useTime && TIME_BIN !== null;
  const argv = wrapped ? ['-f', '%M %e %U %S', '-o', timeFile, cmd, ...args] : args;
  const bin = wrapped ? TIME_BIN : cmd;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(bin, argv, { cwd, env: env ?? process.env, stdio: ['ignore', discardStdout ? 'ignore' : 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    /** Peak tree RSS (kB) per phase the child announced, in announcement order. */
    const phasePeaks = new Map();
    let phase = null;
    let stderrTail = '';
    const lineTimes = [];
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d) => {
      stdout += d;
      lineTimes.push(performance.now() - t0);
      onStdoutLine?.(performance.now() - t0);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      stderrTail += d;
      let nl = stderrTail.indexOf('\n');
      while (nl >= 0) {
        const line = stderrTail.slice(0, nl);
        stderrTail = stderrTail.slice(nl + 1);
        if (line.startsWith(PHASE_MARK)) {
          // the sample at the boundary belongs to the phase that just ended
          sample();
          phase = line.slice(PHASE_MARK.length).trim();
          phasePeaks.set(phase, 0);
          sample();
        }
        nl = stderrTail.indexOf('\n');
      }
      if (stderrTail.length > 100_000) {
        stderrTail = '';
      }
      stderr += d;
      if (stderr.length > 200_000) {
        stderr = stderr.slice(-100_000);
      }
    });
    const sample = () => {
      if (child.pid !== undefined) {
        const kb = treeRssKb(child.pid, wrapped);
        peak = Math.max(peak, kb);
        if (phase !== null) {
          phasePeaks.set(phase, Math.max(phasePeaks.get(phase) ?? 0, kb));
        }
      }
    };
    const timer = setInterval(sample, 100);
    sample();
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      const wallMs = Math.round(performance.now() - t0);
      let timeMaxRssMb = null;
      let timeCpu = null;
      if (wrapped) {
        try {
          const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
          const f = (lines[lines.length - 1] ?? '').trim().split(/\s+/u);
          timeMaxRssMb = Math.round(Number(f[0]) / 1024);
          timeCpu = { userS: Number(f[2]), sysS: Number(f[3]) };
        } catch {
          // time(1) output missing
        }
        rmSync(timeFile, { force: true });
      }
      const phasesPeakRssMb = phasePeaks.size === 0 ? null : Object.fromEntries([...phasePeaks].map(([k, v]) => [`${k}Mb`, v > 0 ? Math.round(v / 1024) : null]));
      resolve({ code, wallMs, peakTreeRssMb: Math.round(peak / 1024), phasesPeakRssMb, timeMaxRssMb, timeCpu, stdout, stderr, firstStdoutMs: lineTimes[0] ?? null });
    });
  });
}
