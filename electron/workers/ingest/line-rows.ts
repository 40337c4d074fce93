/**
 * One line's event rows: decode, parse, correlate, resolve the time, assemble the row(s). The same
 * code runs on the writer's thread (small files, document formats) and in the parse worker, so both
 * paths store exactly the same rows.
 */
import { SEVERITIES, type LineParser, type ParsedEvent } from '../../../shared/domain/parsed';
import { EventFlag } from '../../../shared/domain/event-flags';
import type { SshdCorrelator } from '../../core/parsers/syslog/sshd-correlator';
import type { EventRow } from './event-writer';
import type { MemberClock } from './member-clock';
import { extraJson } from './extra-json';
import { decodeLine } from './source/lines';
import { requestCode } from '../../db/request-message';

/** Bytes of an oversized line that are decoded for its message (the rest is only in the raw store). */
export const OVERSIZED_PREVIEW_BYTES = 4096;

export type LineRows = {
  row: EventRow;
  /** Further rows of the same line (bodyfile MACB times), or null. */
  more: EventRow[] | null;
  valid: boolean;
};

function sevIndex(s: ParsedEvent['severity']): number | null {
  if (s === null) {
    return null;
  }
  const i = SEVERITIES.indexOf(s);
  return i < 0 ? null : i;
}

const TIME_FLAGS =
  EventFlag.TimeAbsolute | EventFlag.TimeZoned | EventFlag.YearInferred | EventFlag.YearRollover | EventFlag.TimeAmbiguous | EventFlag.TimeNonexistent | EventFlag.DateInferred;

/**
 * `ascii`: the line's text when the caller already knows the line is ASCII and has decoded it (the parse
 * worker decodes a chunk of ASCII lines without a per-line UTF-8 check); `bytes` is not read then.
 */
export type LineRowBuilder = (bytes: Uint8Array, byteLength: number, oversized: boolean, lineNo: number, byteOffset: number, ascii?: string) => LineRows;

/**
 * A builder for one member's lines. `bytes` is the line without its terminator (for an oversized
 * line, at least its first OVERSIZED_PREVIEW_BYTES bytes); `byteLength` is the line's whole length.
 */
export function lineRowBuilder(parse: LineParser, rawText: boolean, correlator: SshdCorrelator | null, clock: MemberClock): LineRowBuilder {
  return (bytes, byteLength, oversized, lineNo, byteOffset, ascii) => {
    let flags = 0;
    let text: string;
    let valid: boolean;
    if (oversized) {
      flags |= EventFlag.Oversized | EventFlag.RawOnly;
      const preview = decodeLine(bytes.subarray(0, OVERSIZED_PREVIEW_BYTES));
      valid = preview.validUtf8;
      text = `${preview.text}… [line of ${byteLength} bytes, kept whole in the raw store; not parsed]`;
    } else if (ascii !== undefined) {
      text = ascii;
      valid = true;
    } else {
      const d = decodeLine(bytes);
      text = d.text;
      valid = d.validUtf8;
    }
    if (!valid) {
      flags |= EventFlag.InvalidUtf8;
    }
    const r = oversized ? null : parse(text);
    let row: EventRow;
    if (r !== null && r.ok) {
      if (rawText) {
        // Plain text: kept line by line (with a timestamp where one was found), counted as raw.
        flags |= EventFlag.RawOnly;
      }
      const e = correlator === null ? r.event : correlator.apply(r.event);
      let ts: number | null = null;
      let tzOff: number | null = null;
      if (e.time !== null) {
        const [u, o, f] = clock.resolve(e.time);
        ts = u === null ? null : Math.floor(u);
        tzOff = o;
        flags |= f;
      }
      const h = e.http;
      const extra = extraJson(e.extra);
      const rq = h === null ? -1 : requestCode(e.message, h.method, h.path, h.query, h.protocol, h.status, h.request);
      row = {
        lineNo, byteOffset, ts, tzOff, flags, kind: e.kind, sev: sevIndex(e.severity), host: e.host, program: e.program,
        pid: e.pid, tid: e.tid, srcIp: e.srcIp, srcPort: e.srcPort, user: e.user, method: h?.method ?? null, path: h?.path ?? null,
        status: h?.status ?? null, bytes: h?.bytes ?? null, message: e.message, extra, ua: h?.userAgent ?? null,
        rq: rq < 0 ? null : rq, query: rq < 0 ? null : (h?.query ?? null),
      };
    } else {
      row = {
        lineNo, byteOffset, ts: null, tzOff: null, flags: flags | EventFlag.RawOnly, kind: 'raw', sev: null, host: null, program: null,
        pid: null, tid: null, srcIp: null, srcPort: null, user: null, method: null, path: null, status: null, bytes: null, message: text,
        extra: r !== null && !r.ok ? JSON.stringify({ unparsed: r.reason }) : null, rq: null, query: null,
      };
    }
    const moreTimes = r !== null && r.ok && !rawText ? r.event.moreTimes : undefined;
    let more: EventRow[] | null = null;
    if (moreTimes !== undefined && r !== null && r.ok) {
      // Further times of the same line (bodyfile MACB times): more rows of this line, raw bytes stored once.
      const baseFlags = row.flags & ~TIME_FLAGS;
      const baseExtra = r.event.extra;
      more = [];
      for (const m of moreTimes) {
        const [u, o, f] = clock.resolve(m.time);
        more.push({ ...row, ts: u === null ? null : Math.floor(u), tzOff: o, flags: baseFlags | f, message: m.message, extra: JSON.stringify({ ...baseExtra, ...m.extra }), rq: null, query: null });
      }
    }
    return { row, more, valid };
  };
}
