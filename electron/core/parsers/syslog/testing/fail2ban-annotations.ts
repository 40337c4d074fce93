/**
 * Test-only (no Node APIs: callers read the files): checks parsers against fail2ban's `# failJSON:` annotations (see ../../../../../../shared corpus
 * SOURCES.md §2.2). Times are local wall clock in Europe/Zurich; year-less stamps resolve against
 * "now" = 2005-08-14 10:00 UTC with fail2ban's per-line rule (a date after now belongs to the year before).
 * Host = the attacker address the parser extracted: srcIp, else extra.remote_host, else extra.rhost.
 */
import type { ParseResult, ParsedEvent } from '../../../../../shared/domain/parsed';
import type { ConformanceFileResult, ConformanceMiss } from '../../../../testing/corpus';
import { formatZonedSeconds, resolveTime, yearFromReference } from '../../../time';
import { createSshdCorrelator } from '../sshd-correlator';

export const F2B_ZONE = 'Europe/Zurich';
export const F2B_NOW = { year: 2005, month: 8, day: 14 } as const;

type Annotation = { time?: string | null; host?: string | null; match?: boolean; desc?: string };

export function hostOf(e: ParsedEvent): string | null {
  if (e.srcIp !== null) {
    return e.srcIp;
  }
  const rh = e.extra['remote_host'] ?? e.extra['rhost'];
  return typeof rh === 'string' && rh !== '' ? rh : null;
}

export function localSecondsOf(e: ParsedEvent): string | null {
  const t = e.time;
  if (t === null) {
    return null;
  }
  const year = t.kind === 'local' && t.year === null ? yearFromReference(t.month, F2B_NOW, t.day) : undefined;
  const r = resolveTime(t, { zone: F2B_ZONE, clockOffsetMs: 0, ...(year !== undefined ? { year, yearReason: 'reference' } : {}) });
  return r.utcMs === null ? null : formatZonedSeconds(r.utcMs, F2B_ZONE);
}

/** Explains a miss from the line's shape, so the report says why. */
function why(r: ParseResult, field: 'time' | 'host'): string {
  if (!r.ok) {
    return `line not parsed: ${r.reason}`;
  }
  if (field === 'host') {
    if (r.event.kind.endsWith('_other') || r.event.kind === 'syslog') {
      return `no rule extracts an address from this message (kind ${r.event.kind})`;
    }
    return `kind ${r.event.kind} has no address in the line and no earlier line of the same pid gave one`;
  }
  return `time ${r.event.time?.text ?? 'null'}`;
}

export function checkAnnotatedFile(label: string, text: string, parse: (line: string) => ParseResult): ConformanceFileResult & { checkedTime: number; checkedHost: number; skipped: string[] } {
  const lines = text.split('\n');
  const correlator = createSshdCorrelator();
  let pending: Annotation | null = null;
  let annotated = 0;
  let matched = 0;
  let checkedTime = 0;
  let checkedHost = 0;
  let journal = false;
  const skipped: string[] = [];
  const misses: ConformanceMiss[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith('# filterOptions:')) {
      // journald entries carry no timestamp in the line (the journal supplies it): not a log-file line
      journal = /"logtype"\s*:\s*"journal"/.test(line);
      return;
    }
    if (line.startsWith('#')) {
      const m = /^# failJSON:\s*(\{.*\})\s*$/.exec(line);
      if (m !== null) {
        pending = JSON.parse(m[1] ?? '{}') as Annotation;
      }
      return;
    }
    if (line.trim() === '') {
      return;
    }
    const r0 = parse(line);
    const r: ParseResult = r0.ok ? { ok: true, event: correlator.apply(r0.event) } : r0;
    const ann: Annotation | null = pending;
    pending = null;
    if (ann === null || (!('time' in ann) && !('host' in ann))) {
      return;
    }
    // only annotations with time and/or host are parser ground truth
    if (ann.time === undefined && ann.host === undefined) {
      return;
    }
    if (journal) {
      skipped.push(`line ${i + 1} (logtype journal: no timestamp in the line)`);
      return;
    }
    annotated++;
    let good = true;
    if (ann.time !== undefined) {
      checkedTime++;
      const got = r.ok ? localSecondsOf(r.event) : null;
      if (got !== ann.time) {
        good = false;
        misses.push({ line: i + 1, expected: `time ${String(ann.time)}`, actual: `time ${String(got)}`, why: why(r, 'time') });
      }
    }
    if (ann.host !== undefined && ann.host !== null) {
      checkedHost++;
      const got = r.ok ? hostOf(r.event) : null;
      if (got !== ann.host) {
        good = false;
        misses.push({ line: i + 1, expected: `host ${ann.host}`, actual: `host ${String(got)}`, why: why(r, 'host') });
      }
    }
    if (good) {
      matched++;
    }
  });
  if (skipped.length > 0) {
    console.log(`[conformance] ${label}: skipped ${skipped.length} journal-only annotation(s): ${skipped.join(', ')}`);
  }
  return { file: label, lines: annotated, matched, mismatched: annotated - matched, misses, checkedTime, checkedHost, skipped };
}

/** Minimal RFC 4180 CSV reader (quoted fields, doubled quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') {
        i++;
      }
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
