/**
 * The formats Dossier reads, and format detection by file name and content sniffing. Pure.
 * Detection is a suggestion with a confidence; the analyst can override it per evidence file.
 */
import type { LineParser, SourceKind } from '../../../shared/domain/parsed';
import { apacheAccessFormat, apacheErrorFormat, compileLogFormat } from './apache/index';
import { fail2banFormat } from './fail2ban/index';
import type { DocumentFormat } from './hoststate/document';
import { netstatFormat, psFormat, serverStatusFormat, topFormat } from './hoststate/index';
import { authLogFormat, syslogFormat } from './syslog/index';
import { textFormat } from './text/index';
import { bodyfileFormat } from './bodyfile/index';
import { manifestFormat } from './manifest/index';
import { straceFormat } from './strace/index';

export const FORMAT_IDS = ['apache_access', 'apache_access_custom', 'apache_error', 'auth', 'syslog', 'fail2ban', 'text', 'server_status', 'netstat', 'ps', 'top', 'strace', 'hash_manifest', 'bodyfile'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

export type FormatDescriptor = Readonly<{
  id: FormatId;
  sourceKind: SourceKind;
  label: string;
  /** Parser version: bumped whenever the parser's output for a line changes. Recorded per evidence. */
  version: number;
  parse: LineParser;
  /**
   * A parser for one file, when the file's name carries information its lines do not (strace's
   * `PID.log`). The ingest, the event detail and the export all use it, so re-derived fields agree.
   */
  forFile?: (file: Readonly<{ path: string }>) => LineParser;
  sniffScore: (lines: string[]) => number;
  /**
   * Document formats (host-state captures) are parsed statefully, once per file, in line order:
   * the engine opens a document parser with the file's head and mtime and uses it instead of `parse`.
   */
  document?: DocumentFormat;
}>;

/** The line parser of a format for one evidence file (its `forFile` when it has one). */
export function parserForFile(format: FormatDescriptor, path: string): LineParser {
  return format.forFile === undefined ? format.parse : format.forFile({ path });
}

const BUILT_IN: ReadonlyArray<FormatDescriptor> = [
  { ...apacheAccessFormat, id: 'apache_access', version: 1 },
  { ...apacheErrorFormat, id: 'apache_error', version: 1 },
  { ...authLogFormat, id: 'auth', version: 1 },
  { ...syslogFormat, id: 'syslog', version: 1 },
  { ...fail2banFormat, id: 'fail2ban', version: 1 },
  { ...serverStatusFormat, id: 'server_status', version: 1 },
  { ...netstatFormat, id: 'netstat', version: 1 },
  { ...psFormat, id: 'ps', version: 1 },
  { ...topFormat, id: 'top', version: 1 },
  { ...textFormat, id: 'text', version: 1 },
  { ...straceFormat, id: 'strace', version: 1 },
  { ...manifestFormat, id: 'hash_manifest', version: 1 },
  { ...bodyfileFormat, id: 'bodyfile', version: 1 },
];

export function formatById(id: FormatId): FormatDescriptor | null {
  return BUILT_IN.find((f) => f.id === id) ?? null;
}

export function listFormats(): ReadonlyArray<Readonly<{ id: FormatId; label: string; sourceKind: SourceKind }>> {
  return [
    ...BUILT_IN.map((f) => ({ id: f.id, label: f.label, sourceKind: f.sourceKind })),
    { id: 'apache_access_custom' as const, label: 'Apache access log (custom LogFormat)', sourceKind: 'apache_access' as const },
  ];
}

/** Options that change how a file is parsed (chosen by the analyst). */
export type FormatOptions = Readonly<{ logFormat?: string }>;

/** Resolves a format id (+ options) into a descriptor; a custom LogFormat is compiled here. */
export function resolveFormat(id: FormatId, options: FormatOptions = {}): { ok: true; format: FormatDescriptor } | { ok: false; error: string } {
  if (id === 'apache_access_custom') {
    const compiled = compileLogFormat(options.logFormat ?? '');
    if (!compiled.ok) {
      return { ok: false, error: compiled.error };
    }
    const parse = compiled.parser;
    return {
      ok: true,
      format: {
        id,
        sourceKind: 'apache_access',
        label: 'Apache access log (custom LogFormat)',
        version: 1,
        parse,
        sniffScore: (lines) => sniffFraction(parse, lines),
      },
    };
  }
  const f = formatById(id);
  return f === null ? { ok: false, error: `unknown format ${id}` } : { ok: true, format: f };
}

function sniffFraction(parse: LineParser, lines: string[]): number {
  let n = 0;
  let ok = 0;
  for (const l of lines) {
    if (l.trim() === '') {
      continue;
    }
    n += 1;
    if (parse(l).ok) {
      ok += 1;
    }
  }
  return n === 0 ? 0 : ok / n;
}

const NAME_HINTS: ReadonlyArray<Readonly<{ id: FormatId; test: RegExp }>> = [
  { id: 'apache_access', test: /(?:^|[/_.-])(?:ssl_)?(?:access|request)(?:[_.-]log)?(?:[._-]|$)/iu },
  { id: 'apache_error', test: /(?:^|[/_.-])(?:ssl_)?error(?:[_.-]log)?(?:[._-]|$)/iu },
  { id: 'auth', test: /(?:^|\/)(?:auth\.log|secure)(?:[._-]|$)/iu },
  { id: 'fail2ban', test: /(?:^|\/)fail2ban\.log/iu },
  { id: 'server_status', test: /(?:^|[/_.-])(?:server[-_]?status|apache_restart)/iu },
  { id: 'netstat', test: /(?:^|[/_.-])(?:netstat|ss)(?:[-_.]|$)/iu },
  { id: 'ps', test: /(?:^|[/_.-])ps(?:[-_.]|$)/iu },
  { id: 'top', test: /(?:^|[/_.-])top(?:[-_.]|$)/iu },
  { id: 'syslog', test: /(?:^|\/)(?:syslog|messages|daemon\.log|kern\.log|user\.log|debug)(?:[._-]|$)/iu },
  // UAC bodyfile/bodyfile.txt, fls -m output named *.body or *.bodyfile
  { id: 'bodyfile', test: /^(?:bodyfile(?:\.txt)?|.+\.body(?:file)?(?:\.txt)?)$/iu },
  // md5sums.txt, SHA256SUMS, UAC hash_executables/*.md5|sha1, *.sha256
  { id: 'hash_manifest', test: /^(?:(?:md5|sha\d*)sums?(?:\.txt)?|.+\.(?:md5|sha1|sha256|sha512)(?:\.txt)?|hashes(?:\.txt)?)$/iu },
  // seed 004's per-PID strace files (PID.log), strace -ff's prefix.PID, *.strace
  { id: 'strace', test: /^(?:\d{1,9}\.log|strace[\w.-]*|[\w-]+\.strace(?:\.log)?)$/iu },
];

/** The format a file name suggests (basename with rotation/compression suffixes), or null. */
export function formatFromName(path: string): FormatId | null {
  const base = path.replace(/\\/gu, '/').split('/').pop() ?? '';
  for (const h of NAME_HINTS) {
    if (h.test.test(base)) {
      return h.id;
    }
  }
  return null;
}

export type Detection = Readonly<{
  format: FormatId;
  confidence: number;
  reason: string;
  scores: Readonly<Partial<Record<FormatId, number>>>;
}>;

const NAME_BONUS = 0.15;
const MIN_SCORE = 0.3;

/**
 * Picks the format whose parser accepts the largest share of the sample lines; a matching file
 * name adds a small bonus (breaks ties such as auth.log vs syslog). Below 30% nothing is claimed:
 * the file is kept as text, line by line, with timestamps where a common one is found.
 */
export function detectFormat(path: string, sample: string[]): Detection {
  const hinted = formatFromName(path);
  const lines = sample.filter((l) => l.trim() !== '').slice(0, 200);
  if (lines.length === 0) {
    return { format: hinted ?? 'text', confidence: hinted === null ? 0 : 0.5, reason: hinted === null ? 'no content' : 'file name (no content to sniff)', scores: {} };
  }
  const scores: Partial<Record<FormatId, number>> = {};
  let best: FormatDescriptor | null = null;
  let bestScore = -1;
  for (const f of BUILT_IN) {
    if (f.id === 'text') {
      continue;
    }
    const s = f.sniffScore(lines);
    scores[f.id] = Math.round(s * 1000) / 1000;
    const ranked = s + (hinted === f.id && s > 0 ? NAME_BONUS : 0);
    if (ranked > bestScore) {
      best = f;
      bestScore = ranked;
    }
  }
  const raw = best === null ? 0 : (scores[best.id] ?? 0);
  if (best === null || raw < MIN_SCORE) {
    return { format: 'text', confidence: 1 - raw, reason: `no log format fits (best ${best?.label ?? '-'} at ${Math.round(raw * 100)}%)`, scores };
  }
  const named = hinted === best.id ? ' and file name' : '';
  return { format: best.id, confidence: raw, reason: `${Math.round(raw * 100)}% of sampled lines parse as ${best.label}${named}`, scores };
}
