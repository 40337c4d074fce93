/**
 * Process lists: `ps -ef`, `ps aux` / `auxww` / `axu`, and any header-led ps table (columns are
 * read from the header; the last column, the command, keeps its spaces), plus `top -b` (header
 * block with load average, tasks and CPU, then the process table; several frames with `-n N`).
 *
 * Events: `process` (one per process row: pid, user, program = argv[0]'s base name, message = the
 * command line, `extra.flags` = runs_from_tmp / deleted_binary / web_server), `top_summary` (the
 * header lines of top). Pure and total.
 */
import type { ProcessListSummary, TopFrame, TopSummary } from '../../../../shared/domain/hoststate';
import type { ParseResult, ParsedTime } from '../../../../shared/domain/parsed';
import { captureEvent, fail, incr, MAX_DOC_LINE, captureFromDateLine, mtimeCapture, parseDateLine, processFlags, tokens, toNumber, type CaptureTime, type DocumentContext, type DocumentParser } from './document';

const PS_HEADER = /^\s*(?:(?:UID|USER|F\s+S\s+UID)\s(?:.*\s)?)?PID\s.*\s(?:CMD|COMMAND|ARGS)\s*$/u;
const TOP_FIRST = /^top - (\d{1,2}:\d{2}:\d{2}) +up ([^,]+(?:,[^,]+)??), +(\d+) users?,\s+load average:\s*([\d.]+),\s*([\d.]+),\s*([\d.]+)/u;
const TOP_HEADER = /^\s*PID\s+USER\s+PR\s+NI\s.*\sCOMMAND\s*$/u;

export function psStyle(lines: ReadonlyArray<string>): 'ef' | 'aux' | 'other' | null {
  for (const l of lines.slice(0, 20)) {
    if (l.length > 4096) {
      continue;
    }
    if (PS_HEADER.test(l) && !TOP_HEADER.test(l)) {
      return /^\s*UID\s+PID\s+PPID\b/u.test(l) ? 'ef' : /^\s*USER\s+PID\s+%CPU\s+%MEM\b/u.test(l) ? 'aux' : 'other';
    }
  }
  return null;
}

export function sniffPs(lines: ReadonlyArray<string>): number {
  return psStyle(lines) === null ? 0 : 0.96;
}

export function sniffTop(lines: ReadonlyArray<string>): number {
  return lines.slice(0, 20).some((l) => l.length < 4096 && TOP_FIRST.test(l)) ? 0.97 : 0;
}

/** A header-led process table: the column names, the command as the rest of the line. */
class ProcessTable {
  readonly columns: string[];
  constructor(header: string) {
    this.columns = header.trim().split(/\s+/u);
  }

  row(line: string): Record<string, string> | null {
    const t = tokens(line);
    const n = this.columns.length;
    if (t.length < n - 1 || n < 2) {
      return null;
    }
    const out: Record<string, string> = {};
    for (let i = 0; i < n - 1; i += 1) {
      out[this.columns[i] ?? ''] = t[i]?.text ?? '';
    }
    const last = t[n - 1];
    out[this.columns[n - 1] ?? ''] = last === undefined ? '' : line.slice(last.start).trimEnd();
    return out;
  }
}

type ProcessTally = { processes: number; users: Record<string, number>; webPids: Set<number>; webParents: Array<[number, number | null]>; flagged: number };

function newTally(): ProcessTally {
  return { processes: 0, users: {}, webPids: new Set(), webParents: [], flagged: 0 };
}

function processEvent(capture: CaptureTime, tally: ProcessTally, fields: Record<string, string>, source: 'ps' | 'top'): ParseResult {
  const pidText = fields['PID'] ?? '';
  if (!/^\d{1,10}$/u.test(pidText)) {
    return fail('process row without a numeric PID');
  }
  const pid = Number(pidText);
  const user = fields['USER'] ?? fields['UID'] ?? fields['RUSER'] ?? null;
  const command = fields['CMD'] ?? fields['COMMAND'] ?? fields['ARGS'] ?? '';
  const ppid = toNumber(fields['PPID']);
  const flags = processFlags(command);
  const argv0 = command.trim().split(/\s+/u)[0] ?? '';
  const program = argv0.startsWith('[') ? argv0.replace(/^\[|\]$/gu, '') : (argv0.split('/').pop() ?? argv0).replace(/:$/u, '');
  tally.processes += 1;
  if (user !== null) {
    incr(tally.users, user);
  }
  if (flags.includes('web_server')) {
    tally.webPids.add(pid);
    tally.webParents.push([pid, ppid]);
  }
  const suspicious = flags.includes('runs_from_tmp') || flags.includes('deleted_binary');
  if (suspicious) {
    tally.flagged += 1;
  }
  const extra: Record<string, string | number | null> = { source, ppid, flags: flags.join(','), command: command.slice(0, 8192) };
  for (const [k, v] of Object.entries(fields)) {
    const key = k.toLowerCase().replace(/%/gu, 'pct_').replace(/[^a-z0-9_]/gu, '_');
    if (key !== 'cmd' && key !== 'command' && key !== 'args' && key !== 'pid' && key !== 'ppid' && extra[key] === undefined) {
      extra[key] = v.slice(0, 256);
    }
  }
  return captureEvent(capture, 'process', command === '' ? `pid ${pid}` : command, {
    pid,
    user: user === null ? null : user.slice(0, 255),
    program: program === '' ? null : program.slice(0, 255),
    severity: suspicious ? 'warn' : null,
    extra,
  });
}

function webChildren(t: ProcessTally): number | null {
  if (t.webParents.every(([, pp]) => pp === null)) {
    return null;
  }
  return t.webParents.filter(([, pp]) => pp !== null && t.webPids.has(pp)).length;
}

export function openPs(ctx: DocumentContext): DocumentParser {
  const capture = captureFromDateLine(ctx);
  let table: ProcessTable | null = null;
  let style: ProcessListSummary['style'] = psStyle(ctx.headLines) ?? 'other';
  const tally = newTally();
  return {
    capture,
    parseLine(line: string): ParseResult {
      if (line.length > MAX_DOC_LINE) {
        return fail('line too long for a ps capture');
      }
      if (line.trim() === '') {
        return fail('blank');
      }
      if (table === null && line.length < 200 && parseDateLine(line) !== null) {
        return captureEvent(capture, 'capture_time', line.trim(), { program: 'date' });
      }
      if (PS_HEADER.test(line)) {
        table = new ProcessTable(line);
        style = /^\s*UID\s+PID\s+PPID\b/u.test(line) ? 'ef' : /^\s*USER\s+PID\s+%CPU\s+%MEM\b/u.test(line) ? 'aux' : 'other';
        return fail('ps header');
      }
      if (table === null) {
        return fail('before the ps header');
      }
      const row = table.row(line);
      return row === null ? fail('short ps row') : processEvent(capture, tally, row, 'ps');
    },
    finish(): ProcessListSummary {
      return { kind: 'ps', style, processes: tally.processes, users: tally.users, webProcesses: tally.webPids.size, webChildren: webChildren(tally), flagged: tally.flagged };
    },
  };
}

/** top's clock time (no date) on the mtime's day, in the evidence zone; the mtime when none. */
function topCapture(ctx: DocumentContext): CaptureTime {
  const base = mtimeCapture(ctx.mtimeMs);
  for (const l of ctx.headLines.slice(0, 20)) {
    const m = TOP_FIRST.exec(l.length > 4096 ? '' : l);
    if (m !== null && base.time !== null) {
      // The wall-clock time is the page's; the date is the file's (top prints no date).
      const d = new Date(ctx.mtimeMs);
      const [h, mi, se] = (m[1] ?? '0:0:0').split(':').map(Number);
      const t: ParsedTime = { kind: 'local', year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: h ?? 0, minute: mi ?? 0, second: se ?? 0, millis: 0, text: `${m[1] ?? ''} (date from the file's mtime)` };
      return { time: t, source: 'page', text: t.text };
    }
  }
  return base;
}

export function openTop(ctx: DocumentContext): DocumentParser {
  const capture = topCapture(ctx);
  const frames: TopFrame[] = [];
  let frameCount = 0;
  let frame: TopFrame | null = null;
  let table: ProcessTable | null = null;
  const tally = newTally();

  const summaryEvent = (field: string, line: string, extra: Record<string, string | number | null>): ParseResult =>
    captureEvent(capture, 'top_summary', line.trim(), { program: 'top', extra: { field, frame: frameCount, ...extra } });

  const counts = (text: string): Record<string, number> => {
    const out: Record<string, number> = {};
    const re = /([\d.]+)\s*([a-z][a-z/]*)/gu;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      out[m[2] ?? ''] = Number(m[1]);
    }
    return out;
  };

  return {
    capture,
    parseLine(line: string): ParseResult {
      if (line.length > MAX_DOC_LINE) {
        return fail('line too long for a top capture');
      }
      if (line.trim() === '') {
        return fail('blank');
      }
      const first = TOP_FIRST.exec(line);
      if (first !== null) {
        frameCount += 1;
        table = null;
        frame = { time: first[1] ?? null, uptime: (first[2] ?? '').trim(), users: toNumber(first[3]), load: [Number(first[4]), Number(first[5]), Number(first[6])], tasks: {}, cpu: {}, processes: 0 };
        if (frames.length < 100) {
          frames.push(frame);
        }
        return summaryEvent('uptime', line, { time: frame.time, uptime: frame.uptime, users: frame.users, load1: frame.load?.[0] ?? null, load5: frame.load?.[1] ?? null, load15: frame.load?.[2] ?? null });
      }
      let m: RegExpExecArray | null;
      if ((m = /^(?:Tasks|Threads):(.*)$/u.exec(line)) !== null && frame !== null) {
        frame.tasks = counts(m[1] ?? '');
        return summaryEvent('tasks', line, { ...frame.tasks });
      }
      if ((m = /^%?Cpu\(s\):(.*)$/u.exec(line)) !== null && frame !== null) {
        frame.cpu = counts(m[1] ?? '');
        return summaryEvent('cpu', line, { ...frame.cpu });
      }
      if (/^(?:[KMGTPE]iB\s+)?(?:Mem|Swap)\s*:/u.test(line)) {
        return summaryEvent(/Swap/u.test(line) ? 'swap' : 'mem', line, {});
      }
      if (TOP_HEADER.test(line)) {
        table = new ProcessTable(line);
        return fail('top process table header');
      }
      if (table === null) {
        return fail('top text');
      }
      const row = table.row(line);
      if (row === null) {
        return fail('short top row');
      }
      const r = processEvent(capture, tally, row, 'top');
      if (r.ok && frame !== null) {
        frame.processes += 1;
      }
      return r.ok ? { ok: true, event: { ...r.event, extra: { ...r.event.extra, frame: frameCount } } } : r;
    },
    finish(): TopSummary {
      return { kind: 'top', frames, frameCount, processes: tally.processes, webProcesses: tally.webPids.size, flagged: tally.flagged };
    },
  };
}
