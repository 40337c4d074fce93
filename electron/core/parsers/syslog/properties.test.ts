import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../../shared/domain/parsed';
import { createSshdCorrelator } from './sshd-correlator';
import { parseSyslogLine } from './syslog-line';

const fixtureLines = ['auth-sample.log', 'syslog-variants.log'].flatMap((f) =>
  readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l !== ''),
);

/** Valid lines with random insertions, deletions and replacements. */
const mutatedLine = fc
  .tuple(fc.constantFrom(...fixtureLines), fc.array(fc.tuple(fc.nat(), fc.nat(12), fc.string({ unit: 'binary', maxLength: 12 })), { maxLength: 4 }))
  .map(([line, edits]) => {
    let s = line;
    for (const [pos, del, ins] of edits) {
      const p = pos % (s.length + 1);
      s = s.slice(0, p) + ins + s.slice(p + del);
    }
    return s;
  });

const anyLine = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary-ascii' }), mutatedLine);

/** String fields that must be copied from the line verbatim. */
const SUBSTRING_EXTRAS = ['tty', 'pwd', 'run_as', 'command', 'key_fingerprint', 'remote_host', 'rhost', 'ruser', 'target_user', 'jail', 'method', 'msgid', 'structured_data'];

function checkSubstrings(line: string, r: ParseResult): void {
  if (!r.ok) {
    expect(typeof r.reason).toBe('string');
    return;
  }
  const e = r.event;
  for (const v of [e.host, e.program, e.user, e.srcIp, e.message, e.time?.text ?? null]) {
    if (v !== null) {
      expect(line).toContain(v);
    }
  }
  for (const k of SUBSTRING_EXTRAS) {
    const v = e.extra[k];
    if (typeof v === 'string') {
      expect(line).toContain(v);
    }
  }
  if (e.srcPort !== null) {
    expect(Number.isInteger(e.srcPort) && e.srcPort >= 0 && e.srcPort <= 65535).toBe(true);
  }
  if (e.pid !== null) {
    expect(Number.isInteger(e.pid) && e.pid >= 0).toBe(true);
  }
  if (e.time?.kind === 'local') {
    expect(e.time.month >= 1 && e.time.month <= 12 && e.time.day >= 1 && e.time.day <= 31).toBe(true);
    expect(e.time.hour <= 23 && e.time.minute <= 59 && e.time.second <= 59 && e.time.millis < 1000).toBe(true);
  }
  if (e.time?.kind === 'absolute') {
    expect(Number.isFinite(e.time.epochMs)).toBe(true);
  }
}

describe('parseSyslogLine properties', () => {
  it('never throws and copies fields verbatim', () => {
    fc.assert(
      fc.property(anyLine, (line) => {
        checkSubstrings(line, parseSyslogLine(line));
      }),
      { numRuns: 3000 },
    );
  });

  it('parses every fixture line', () => {
    for (const l of fixtureLines) {
      expect(parseSyslogLine(l).ok).toBe(true);
    }
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(anyLine, (line) => {
        expect(parseSyslogLine(line)).toEqual(parseSyslogLine(line));
      }),
      { numRuns: 300 },
    );
  });

  it('the correlator never throws and only fills missing addresses', () => {
    fc.assert(
      fc.property(fc.array(mutatedLine, { maxLength: 30 }), (lines) => {
        const c = createSshdCorrelator();
        for (const l of lines) {
          const r = parseSyslogLine(l);
          if (r.ok) {
            const out = c.apply(r.event);
            if (r.event.srcIp !== null) {
              expect(out).toBe(r.event);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
