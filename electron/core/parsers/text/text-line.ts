/**
 * Generic text lines: every string is an event (kind 'text'); the time is the timestamp found near the start
 * (null when none: the caller decides whether such a line is a continuation, a header or an event).
 * The message is the whole line without its trailing whitespace.
 */
import type { ParseResult, ParsedEvent } from '../../../../shared/domain/parsed';
import { findTimestampSpan, timeOfDayAt } from './timestamp';

export function parseTextLine(line: string): ParseResult {
  let end = line.length;
  while (end > 0) {
    const c = line.charCodeAt(end - 1);
    if (c === 32 || c === 9 || c === 13 || c === 10) {
      end--;
    } else {
      break;
    }
  }
  const message = end === line.length ? line : line.slice(0, end);
  const span = findTimestampSpan(line);
  const tod = span === null ? timeOfDayAt(line) : null;
  const event: ParsedEvent = {
    kind: 'text',
    time: span === null ? null : span.time,
    host: null,
    program: null,
    pid: null,
    tid: null,
    severity: null,
    srcIp: null,
    srcPort: null,
    user: null,
    message,
    http: null,
    extra: tod === null ? {} : { time_of_day: tod },
  };
  return { ok: true, event };
}
