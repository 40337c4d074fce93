/** strace captures from lnav's test data (-tt -T; with a PID column and epoch or time-of-day times). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusDir, corpusFile, recordConformance } from '../../../testing/corpus';
import { parseStraceLine } from './index';

const corpus = corpusDir();
if (corpus === null) {
  console.warn('[conformance:strace] corpus not found (../shared/corpus or $DOSSIER_CORPUS): skipping');
}

function parseAll(path: string) {
  const lines = readFileSync(corpusFile(path), 'utf8').split('\n').filter((l) => l !== '');
  const results = lines.map((l) => parseStraceLine(l));
  const misses = results.flatMap((r, i) => (r.ok ? [] : [{ line: i + 1, expected: 'strace line', actual: 'unparsed', why: r.reason }]));
  recordConformance(`strace-${path.replace(/\//gu, '-')}`, [{ file: path, lines: lines.length, matched: lines.length - misses.length, mismatched: misses.length, misses }]);
  return { lines, events: results.flatMap((r) => (r.ok ? [r.event] : [])), misses };
}

describe.skipIf(corpus === null)('strace conformance (lnav captures)', () => {
  it('logfile_strace_log.0: no PID, -tt times of day, every line parses', () => {
    const r = parseAll('lnav/logfile_strace_log.0');
    expect(r.misses).toEqual([]);
    expect(r.events.every((e) => e.pid === null && e.time?.kind === 'time_of_day')).toBe(true);
    expect(r.events[0]?.extra).toMatchObject({ syscall: 'execve', result: '0', duration_s: 0.000264 });
  });

  it('logfile_strace_log.1: PID column and epoch times; exits, unfinished and resumed calls', () => {
    const r = parseAll('lnav/logfile_strace_log.1');
    expect(r.misses).toEqual([]);
    expect(r.events.every((e) => e.pid !== null && e.time?.kind === 'absolute')).toBe(true);
    const exits = r.events.filter((e) => e.kind === 'strace_exit').map((e) => e.pid);
    expect(exits).toEqual([10002, 10003, 10004, 10001, 10000]);
    expect(r.events.filter((e) => e.extra['unfinished'] === true).length).toBeGreaterThan(0);
    expect(r.events.filter((e) => e.extra['resumed'] === true).length).toBeGreaterThan(0);
  });

  it('logfile_strace_log.2: PID column and times of day, every line parses', () => {
    const r = parseAll('lnav/logfile_strace_log.2');
    expect(r.misses).toEqual([]);
    expect(new Set(r.events.map((e) => e.time?.kind))).toEqual(new Set(['time_of_day']));
  });
});
