/**
 * strace per process: syscall counts, failed calls, signals received, kills sent, how it ended; and the
 * Apache error-log lines (`child pid N exit signal Segmentation fault (11)`) naming the same PID. Pure.
 */

export type StraceRow = Readonly<{
  eventId: number;
  ts: number | null;
  pid: number | null;
  kind: string;
  evidenceId: number;
  evidencePath: string;
  extra: Readonly<Record<string, unknown>>;
}>;

export type ErrorLogLine = Readonly<{ eventId: number; ts: number | null; message: string; evidencePath: string }>;

export type ChildExit = Readonly<{ pid: number; signal: string | null; signalNumber: number | null; exitCode: number | null }>;

const CHILD = /\bchild pid (\d{1,10}) exit (signal|status) /u;

/** `child pid 2880 exit signal Segmentation fault (11)` (Apache 1.3 to 2.4), `child pid N exit status 255`. */
export function parseChildExit(message: string): ChildExit | null {
  const m = CHILD.exec(message);
  if (m === null) {
    return null;
  }
  const rest = message.slice(m.index + m[0].length);
  const pid = Number(m[1]);
  if (m[2] === 'status') {
    const code = /^\d{1,5}/u.exec(rest);
    return { pid, signal: null, signalNumber: null, exitCode: code === null ? null : Number(code[0]) };
  }
  const stop = rest.search(/[(,]/u);
  const name = (stop < 0 ? rest : rest.slice(0, stop)).trim();
  const number = /^\((\d{1,3})\)/u.exec(stop < 0 ? '' : rest.slice(stop));
  return { pid, signal: name === '' ? null : name.slice(0, 80), signalNumber: number === null ? null : Number(number[1]), exitCode: null };
}

export type PidSummary = Readonly<{
  pid: number;
  evidencePaths: ReadonlyArray<string>;
  first: number | null;
  last: number | null;
  events: number;
  syscalls: number;
  failed: number;
  /** Most frequent syscalls first (at most 12). */
  topSyscalls: ReadonlyArray<Readonly<{ name: string; count: number }>>;
  signals: ReadonlyArray<Readonly<{ signal: string; count: number; firstEventId: number }>>;
  kills: ReadonlyArray<Readonly<{ target: number | null; signal: string | null; eventId: number }>>;
  /** How the trace ended: `killed by SIGSEGV`, `exited with 0`, `detached`, or null when the trace just stops. */
  end: Readonly<{ kind: 'killed' | 'exited' | 'detached'; text: string; eventId: number; ts: number | null }> | null;
  /** Error-log lines naming this PID as an exiting child. */
  errorLog: ReadonlyArray<Readonly<{ eventId: number; ts: number | null; message: string; evidencePath: string; signal: string | null }>>;
}>;

type Acc = {
  pid: number;
  paths: Set<string>;
  first: number | null;
  last: number | null;
  events: number;
  syscalls: number;
  failed: number;
  names: Map<string, number>;
  signals: Map<string, { count: number; firstEventId: number }>;
  kills: Array<{ target: number | null; signal: string | null; eventId: number }>;
  end: PidSummary['end'];
};

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function summariseStrace(rows: ReadonlyArray<StraceRow>, errorLines: ReadonlyArray<ErrorLogLine>): ReadonlyArray<PidSummary> {
  const byPid = new Map<number, Acc>();
  for (const r of rows) {
    if (r.pid === null) {
      continue;
    }
    let a = byPid.get(r.pid);
    if (a === undefined) {
      a = { pid: r.pid, paths: new Set(), first: null, last: null, events: 0, syscalls: 0, failed: 0, names: new Map(), signals: new Map(), kills: [], end: null };
      byPid.set(r.pid, a);
    }
    a.paths.add(r.evidencePath);
    a.events += 1;
    if (r.ts !== null) {
      a.first = a.first === null ? r.ts : Math.min(a.first, r.ts);
      a.last = a.last === null ? r.ts : Math.max(a.last, r.ts);
    }
    switch (r.kind) {
      case 'strace_syscall': {
        if (r.extra['resumed'] === true) {
          break; // counted at its start (`<unfinished ...>`)
        }
        a.syscalls += 1;
        const name = str(r.extra['syscall']) ?? '?';
        a.names.set(name, (a.names.get(name) ?? 0) + 1);
        if (str(r.extra['errno']) !== null) {
          a.failed += 1;
        }
        if (name === 'kill' || name === 'tkill' || name === 'tgkill') {
          a.kills.push({ target: num(r.extra['kill_pid']), signal: str(r.extra['kill_signal']), eventId: r.eventId });
        }
        break;
      }
      case 'strace_signal': {
        const s = str(r.extra['signal']) ?? '?';
        const prev = a.signals.get(s);
        a.signals.set(s, prev === undefined ? { count: 1, firstEventId: r.eventId } : { ...prev, count: prev.count + 1 });
        break;
      }
      case 'strace_killed':
        a.end = { kind: 'killed', text: `killed by ${str(r.extra['signal']) ?? '?'}${r.extra['core_dumped'] === true ? ' (core dumped)' : ''}`, eventId: r.eventId, ts: r.ts };
        break;
      case 'strace_exit':
        a.end = { kind: 'exited', text: `exited with ${num(r.extra['exit_code']) ?? '?'}`, eventId: r.eventId, ts: r.ts };
        break;
      case 'strace_detach':
        if (a.end === null) {
          a.end = { kind: 'detached', text: 'detached', eventId: r.eventId, ts: r.ts };
        }
        break;
      default:
        break;
    }
  }
  const exits = new Map<number, PidSummary['errorLog'][number][]>();
  for (const l of errorLines) {
    const c = parseChildExit(l.message);
    if (c === null || !byPid.has(c.pid)) {
      continue;
    }
    const list = exits.get(c.pid) ?? [];
    list.push({ eventId: l.eventId, ts: l.ts, message: l.message, evidencePath: l.evidencePath, signal: c.signal });
    exits.set(c.pid, list);
  }
  return [...byPid.values()]
    .map((a) => ({
      pid: a.pid,
      evidencePaths: [...a.paths].sort(),
      first: a.first,
      last: a.last,
      events: a.events,
      syscalls: a.syscalls,
      failed: a.failed,
      topSyscalls: [...a.names.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, 12).map(([name, count]) => ({ name, count })),
      signals: [...a.signals.entries()].map(([signal, v]) => ({ signal, ...v })).sort((x, y) => y.count - x.count),
      kills: a.kills,
      end: a.end,
      errorLog: exits.get(a.pid) ?? [],
    }))
    .sort((x, y) => Number(y.errorLog.length > 0) - Number(x.errorLog.length > 0) || Number(y.end?.kind === 'killed') - Number(x.end?.kind === 'killed') || x.pid - y.pid);
}
