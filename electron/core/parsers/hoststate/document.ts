/**
 * Document parsers: captures such as server-status pages, netstat, ps and top outputs are whole
 * documents (a header decides the columns, a table row may span several lines, the capture time is
 * written once). A document parser is opened once per file with the file's head (its first 64 KiB,
 * already read for format detection) and mtime; it then reads the lines in order, statefully, and
 * returns one ParseResult per line (so every line is still an event or a raw line, byte for byte),
 * and at the end a snapshot summary. Pure and total: no line makes it throw.
 */
import type { CaptureTimeSource, SnapshotSummary } from '../../../../shared/domain/hoststate';
import type { ParsedEvent, ParseResult, ParsedTime } from '../../../../shared/domain/parsed';
import { emptyEvent } from '../../../../shared/domain/parsed';

export type DocumentContext = Readonly<{
  /** Decoded lines of the file's head (without terminators). */
  headLines: ReadonlyArray<string>;
  /** The file's modification time (UTC ms), the capture time when the content has none. */
  mtimeMs: number;
}>;

export type CaptureTime = Readonly<{ time: ParsedTime | null; source: CaptureTimeSource; text: string | null }>;

export interface DocumentParser {
  /** When the capture was taken (every event of the file carries it). */
  readonly capture: CaptureTime;
  parseLine(line: string): ParseResult;
  /** The summary of everything read so far (call once at the end). */
  finish(): SnapshotSummary;
}

export type DocumentFormat = Readonly<{ open: (ctx: DocumentContext) => DocumentParser }>;

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Zone abbreviations Apache writes (strftime %Z) with an unambiguous offset in minutes. */
export const ZONE_OFFSETS: Readonly<Record<string, number>> = {
  UTC: 0, GMT: 0, Z: 0, WET: 0, WEST: 60, BST: 60, IST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180,
  MSK: 180, EST: -300, EDT: -240, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600,
  JST: 540, KST: 540, AEST: 600, AEDT: 660, ACST: 570, ACDT: 630, AWST: 480, NZST: 720, NZDT: 780, SGT: 480, HKT: 480,
};

/**
 * The output of `date` written at the top of a capture by a collection script
 * (`Sat Mar 16 03:20:00 CET 2024`, or ISO 8601 with an offset), as a time; null otherwise.
 */
export function parseDateLine(line: string): ParsedTime | null {
  const t = line.trim();
  const c = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (?:([A-Za-z]{1,6}) )?(\d{4})$/u.exec(t);
  if (c !== null) {
    const month = MONTHS.indexOf(c[1] ?? '') + 1;
    const [day, hour, minute, second, year] = [Number(c[2]), Number(c[3]), Number(c[4]), Number(c[5]), Number(c[7])];
    if (month === 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
      return null;
    }
    const off = c[6] === undefined ? undefined : ZONE_OFFSETS[c[6].toUpperCase()];
    if (off !== undefined) {
      return { kind: 'absolute', epochMs: Date.UTC(year, month - 1, day, hour, minute, second) - off * 60_000, offsetMinutes: off, text: t };
    }
    return { kind: 'local', year, month, day, hour, minute, second, millis: 0, text: t };
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/u.exec(t);
  if (iso !== null) {
    const z = iso[7] ?? 'Z';
    const off = z === 'Z' ? 0 : (z.startsWith('-') ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(-2)));
    const ms = Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]), Number(iso[4]), Number(iso[5]), Number(iso[6])) - off * 60_000;
    return Number.isFinite(ms) ? { kind: 'absolute', epochMs: ms, offsetMinutes: off, text: t } : null;
  }
  return null;
}

/** Capture time of a capture without its own clock: a `date` line at its top, else the file's mtime. */
export function captureFromDateLine(ctx: DocumentContext): CaptureTime {
  for (const l of ctx.headLines.slice(0, 10)) {
    const t = l.length > 200 ? null : parseDateLine(l);
    if (t !== null) {
      return { time: t, source: 'page', text: t.text };
    }
  }
  return mtimeCapture(ctx.mtimeMs);
}

/** Longest line a document parser looks at (longer lines are kept raw). */
export const MAX_DOC_LINE = 64 * 1024;

export function mtimeCapture(mtimeMs: number): CaptureTime {
  if (!Number.isFinite(mtimeMs) || mtimeMs <= 0) {
    return { time: null, source: 'none', text: null };
  }
  const text = `file modified ${new Date(mtimeMs).toISOString()}`;
  return { time: { kind: 'absolute', epochMs: mtimeMs, offsetMinutes: null, text }, source: 'file_mtime', text };
}

export function fail(reason: string): ParseResult {
  return { ok: false, reason };
}

/** An event of a capture: at the capture time, with the given fields. */
export function captureEvent(capture: CaptureTime, kind: string, message: string, fields: Partial<Omit<ParsedEvent, 'kind' | 'message' | 'time'>>): ParseResult {
  return { ok: true, event: { ...emptyEvent(kind, message), time: capture.time, ...fields } };
}

/** A plain IPv4 or IPv6 address (no port, no zone): used for srcIp. */
export function isIpAddress(text: string): boolean {
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/u.test(text)) {
    return text.split('.').every((o) => Number(o) <= 255);
  }
  return text.includes(':') && text.length <= 45 && /^[0-9a-f:.]+$/iu.test(text) && (text.match(/::/gu)?.length ?? 0) <= 1;
}

/** An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) as its IPv4 form. */
export function unmapIp(text: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/iu.exec(text);
  return m?.[1] ?? text;
}

export function incr(counts: Record<string, number>, key: string, by = 1, maxKeys = 10_000): void {
  if (counts[key] === undefined && Object.keys(counts).length >= maxKeys) {
    return;
  }
  counts[key] = (counts[key] ?? 0) + by;
}

export function toNumber(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') {
    return null;
  }
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : null;
}

const WEB_SERVER = /^(?:httpd\d?|apache|apache2|httpd\.worker|httpd\.event|httpd-prefork|httpd-worker|apache2-prefork)$/u;

/** Whether an argv[0] (path or name) is an Apache web server process. */
export function isWebServerCommand(argv0: string): boolean {
  const base = argv0.replace(/:$/u, '').split('/').pop() ?? '';
  return WEB_SERVER.test(base);
}

/** Flags of a process from its command line: runs from /tmp, /var/tmp, /dev/shm, or from a deleted binary. */
export function processFlags(command: string): string[] {
  const flags: string[] = [];
  const argv0 = command.trim().split(/\s+/u)[0] ?? '';
  if (/^(?:\/tmp\/|\/var\/tmp\/|\/dev\/shm\/)/u.test(argv0)) {
    flags.push('runs_from_tmp');
  }
  if (/\(deleted\)/u.test(command)) {
    flags.push('deleted_binary');
  }
  if (isWebServerCommand(argv0)) {
    flags.push('web_server');
  }
  return flags;
}

/** Splits a line into whitespace-separated tokens with their start offsets. */
export function tokens(line: string): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  const re = /\S+/gu;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    out.push({ text: m[0], start: m.index });
    if (out.length > 4096) {
      break;
    }
  }
  return out;
}
