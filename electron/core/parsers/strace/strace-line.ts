/**
 * strace output, one line at a time. Pure and total.
 *
 * A line is `[prefix] [time] body`:
 * - prefix: `[pid  N] ` (strace -f to a terminal), `N ` (strace -f -o file), or none (a per-PID file:
 *   `strace -o N.log -p N`, `strace -ff -o trace` → `trace.N`; the PID then comes from the file name);
 * - time: `HH:MM:SS` (-t), `HH:MM:SS.ffffff` (-tt), `EPOCH.ffffff` (-ttt), a small relative number (-r), or none;
 * - body: `name(args) = result [errno (text)] [<duration>]`, `name(args <unfinished ...>`,
 *   `<... name resumed> rest) = result`, `--- SIGSEGV {...} ---` (signal delivered),
 *   `+++ killed by SIGSEGV [(core dumped)] +++`, `+++ exited with N +++`, `Process N attached|detached`.
 *
 * The message is the body as written. Arguments are scanned with quotes and nesting, so `) = ` inside a
 * string never ends the call.
 */
import type { ExtraFields, ParsedTime, ParseResult, Severity } from '../../../../shared/domain/parsed';
import { emptyEvent } from '../../../../shared/domain/parsed';

export type StraceFileContext = Readonly<{
  /** PID named by the file (`1234.log`, `trace.1234`), used when the line has no PID prefix. */
  filePid: number | null;
}>;

const NO_FILE: StraceFileContext = { filePid: null };

/** The PID a file name gives: `1234.log`, `1234.txt`, `1234`, or strace -ff's `prefix.1234`. */
export function pidFromFileName(path: string): number | null {
  const base = path.replace(/\\/gu, '/').split('/').pop() ?? '';
  const m = /^(\d{1,9})(?:\.(?:log|txt|strace|out))?$/u.exec(base) ?? /^[\w-]+\.(\d{1,9})$/u.exec(base);
  if (m === null) {
    return null;
  }
  const n = Number(m[1]);
  return n > 0 ? n : null;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Index of the first `)` at depth 0 from `start` (quotes with escapes and (), [], {} nesting skipped), or -1. */
export function findClose(s: string, start: number): number {
  let depth = 0;
  let inQuote = false;
  for (let i = start; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (inQuote) {
      if (c === 92) {
        i += 1;
      } else if (c === 34) {
        inQuote = false;
      }
      continue;
    }
    if (c === 34) {
      inQuote = true;
    } else if (c === 40 || c === 91 || c === 123) {
      depth += 1;
    } else if (c === 41 || c === 93 || c === 125) {
      if (depth === 0) {
        if (c === 41) {
          return i;
        }
        // an unbalanced ] or }: tolerate
        continue;
      }
      depth -= 1;
    }
  }
  return -1;
}

type Prefix = { pid: number | null; pidSource: 'prefix' | null; rest: number };

function readPrefix(line: string): Prefix {
  if (line.startsWith('[pid ')) {
    let i = 5;
    while (i < line.length && line.charCodeAt(i) === 32) {
      i += 1;
    }
    const start = i;
    while (i < line.length && isDigit(line.charCodeAt(i)) && i - start < 10) {
      i += 1;
    }
    if (i > start && line.charCodeAt(i) === 93) {
      let j = i + 1;
      while (j < line.length && line.charCodeAt(j) === 32) {
        j += 1;
      }
      return { pid: Number(line.slice(start, i)), pidSource: 'prefix', rest: j };
    }
    return { pid: null, pidSource: null, rest: 0 };
  }
  // `N  body` (strace -f -o): digits then at least one space, then something that is not a time of day.
  let i = 0;
  while (i < line.length && isDigit(line.charCodeAt(i)) && i < 10) {
    i += 1;
  }
  if (i > 0 && line.charCodeAt(i) === 32) {
    let j = i;
    while (j < line.length && line.charCodeAt(j) === 32) {
      j += 1;
    }
    return { pid: Number(line.slice(0, i)), pidSource: 'prefix', rest: j };
  }
  return { pid: null, pidSource: null, rest: 0 };
}

type TimeRead = { time: ParsedTime | null; relative: number | null; format: 't' | 'tt' | 'ttt' | 'r' | null; rest: number };

const TIME_OF_DAY = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? +/u;
const EPOCH = /^(\d{1,12})\.(\d{1,9}) +/u;

function readTime(line: string, from: number): TimeRead {
  let at = from;
  while (at < line.length && at - from < 20 && line.charCodeAt(at) === 32) {
    at += 1;
  }
  const s = line.slice(at, at + 40);
  const t = TIME_OF_DAY.exec(s);
  if (t !== null) {
    const hour = Number(t[1]);
    const minute = Number(t[2]);
    const second = Number(t[3]);
    if (hour < 24 && minute < 60 && second < 61) {
      const frac = t[4];
      const millis = frac === undefined ? 0 : Number(`0.${frac}`) * 1000;
      const text = s.slice(0, t[0].trimEnd().length);
      return { time: { kind: 'time_of_day', hour, minute, second, millis, text }, relative: null, format: frac === undefined ? 't' : 'tt', rest: at + t[0].length };
    }
  }
  const e = EPOCH.exec(s);
  if (e !== null) {
    const secs = Number(e[1]);
    const frac = Number(`0.${e[2] ?? '0'}`);
    const text = s.slice(0, e[0].trimEnd().length);
    if (secs >= 100_000_000) {
      return { time: { kind: 'absolute', epochMs: secs * 1000 + frac * 1000, offsetMinutes: null, text }, relative: null, format: 'ttt', rest: at + e[0].length };
    }
    return { time: null, relative: secs + frac, format: 'r', rest: at + e[0].length };
  }
  return { time: null, relative: null, format: null, rest: from };
}

const SIGNAL = /^--- (SIG[A-Z0-9+-]+|[A-Z0-9]+) (.*) ---$/u;
const KILLED = /^\+\+\+ killed by (SIG[A-Z0-9+-]+)( \(core dumped\))? \+\+\+$/u;
const EXITED = /^\+\+\+ exited with (-?\d+) \+\+\+$/u;
const PROCESS = /^(?:strace: )?Process (\d+) (attached|detached|suspended)\b/u;
const RESUMED = /^<\.\.\. ([a-zA-Z_]\w*) resumed>/u;
const NAME = /^([a-zA-Z_]\w{0,63})\(/u;
const RESULT = /^= (-?\d+|0x[0-9a-fA-F]+|\?)(?:<[^>]*>)?(?: ([A-Z][A-Z0-9_]+)(?: \(([^)]*)\))?)?(?: \(([^)]*)\))?(?: <(\d+\.\d+)>)?$/u;

function result(
  tail: string,
): { ok: true; value: string; errno: string | null; errorText: string | null; duration: number | null } | { ok: false } {
  const t = tail.trimStart();
  const m = RESULT.exec(t);
  if (m === null) {
    return { ok: false };
  }
  return { ok: true, value: m[1] ?? '', errno: m[2] ?? null, errorText: m[3] ?? null, duration: m[5] === undefined ? null : Number(m[5]) };
}

/** Parses one line of strace output. `file` gives the PID of a per-PID file. */
export function parseStraceLine(line: string, file: StraceFileContext = NO_FILE): ParseResult {
  if (line.length > 1_000_000) {
    return { ok: false, reason: 'line too long for strace' };
  }
  const p = readPrefix(line);
  const tr = readTime(line, p.rest);
  const body = line.slice(tr.rest).trimEnd();
  if (body === '') {
    return { ok: false, reason: 'no strace body' };
  }
  const pid = p.pid ?? file.filePid;
  const base: Record<string, string | number | boolean | null> = {
    pid_source: p.pidSource ?? (file.filePid === null ? null : 'file_name'),
  };
  if (tr.format !== null) {
    base['time_format'] = tr.format;
  }
  if (tr.relative !== null) {
    base['relative_s'] = tr.relative;
  }
  const make = (kind: string, severity: Severity, extra: ExtraFields): ParseResult => ({
    ok: true,
    event: { ...emptyEvent(kind, body), time: tr.time, pid, severity, extra: { ...base, ...extra } },
  });

  if (body.startsWith('---')) {
    const m = SIGNAL.exec(body);
    if (m === null) {
      return { ok: false, reason: 'not a strace signal line' };
    }
    const detail = m[2] ?? '';
    const sender = /si_pid=(\d+)/u.exec(detail);
    const code = /si_code=([A-Z_]+)/u.exec(detail);
    const addr = /si_addr=(0x[0-9a-fA-F]+|NULL)/u.exec(detail) ?? /@ (0x[0-9a-fA-F]+|0) /u.exec(detail);
    return make('strace_signal', 'warn', {
      signal: m[1] ?? '',
      si_code: code?.[1] ?? null,
      si_pid: sender === null ? null : Number(sender[1]),
      fault_addr: addr?.[1] ?? null,
    });
  }
  if (body.startsWith('+++')) {
    const k = KILLED.exec(body);
    if (k !== null) {
      return make('strace_killed', 'error', { signal: k[1] ?? '', core_dumped: k[2] !== undefined });
    }
    const x = EXITED.exec(body);
    if (x !== null) {
      const code = Number(x[1]);
      return make('strace_exit', code === 0 ? 'info' : 'notice', { exit_code: code });
    }
    return { ok: false, reason: 'not a strace exit line' };
  }
  const proc = PROCESS.exec(body);
  if (proc !== null) {
    return make(`strace_${proc[2] === 'attached' ? 'attach' : proc[2] === 'detached' ? 'detach' : 'suspend'}`, 'info', { target_pid: Number(proc[1]) });
  }
  const resumed = RESUMED.exec(body);
  if (resumed !== null) {
    const name = resumed[1] ?? '';
    const after = resumed[0].length;
    const close = findClose(body, after);
    if (close < 0) {
      return { ok: false, reason: 'resumed call without its closing parenthesis' };
    }
    const r = result(body.slice(close + 1));
    if (!r.ok) {
      return { ok: false, reason: 'resumed call without a result' };
    }
    return make('strace_syscall', r.errno === null ? 'debug' : 'info', {
      syscall: name, resumed: true, result: r.value, errno: r.errno, error_text: r.errorText, duration_s: r.duration,
    });
  }
  const n = NAME.exec(body);
  if (n === null) {
    return { ok: false, reason: 'not a strace line' };
  }
  const name = n[1] ?? '';
  const open = n[0].length;
  if (body.endsWith('<unfinished ...>')) {
    const args = body.slice(open, body.length - '<unfinished ...>'.length).trimEnd();
    return make('strace_syscall', 'debug', { syscall: name, unfinished: true, ...killTarget(name, args) });
  }
  const close = findClose(body, open);
  if (close < 0) {
    return { ok: false, reason: 'call without its closing parenthesis' };
  }
  const r = result(body.slice(close + 1));
  if (!r.ok) {
    return { ok: false, reason: 'call without a result' };
  }
  const args = body.slice(open, close);
  return make('strace_syscall', r.errno === null ? 'debug' : 'info', {
    syscall: name, result: r.value, errno: r.errno, error_text: r.errorText, duration_s: r.duration, ...killTarget(name, args),
  });
}

/** kill/tkill/tgkill: the target and the signal sent. */
function killTarget(name: string, args: string): ExtraFields {
  if (name !== 'kill' && name !== 'tkill' && name !== 'tgkill') {
    return {};
  }
  const parts = args.split(',').map((a) => a.trim());
  const target = name === 'tgkill' ? parts[1] : parts[0];
  const sig = name === 'tgkill' ? parts[2] : parts[1];
  const pid = target !== undefined && /^-?\d{1,10}$/u.test(target) ? Number(target) : null;
  return { kill_pid: pid, kill_signal: sig !== undefined && /^SIG[A-Z0-9+-]+$|^\d+$/u.test(sig) ? sig : null };
}
