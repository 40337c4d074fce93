import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ConformanceFileResult, type ConformanceMiss, corpusDir, corpusFile, recordConformance } from '../../../testing/corpus';
import { findTimestamp, timeOfDayAt } from './timestamp';

const corpus = corpusDir();
if (corpus === null) {
  console.warn('[conformance:text] corpus not found (../shared/corpus or $DOSSIER_CORPUS): skipping');
}

/**
 * No third-party ground truth exists for "a timestamp somewhere at the start"; these checks use files whose
 * every line starts with a known stamp shape: lnav strace (epoch with pid → absolute; time-of-day → null by
 * design, exposed via timeOfDayAt), loghub/lnav syslog (year-less local) and the fail2ban.log sample.
 */
describe.skipIf(corpus === null)('text conformance', () => {
  it('finds the leading timestamp of known files', () => {
    const cases: Array<{ file: string; expect: 'absolute' | 'local' | 'time_of_day'; filter?: (l: string) => boolean }> = [
      { file: 'lnav/logfile_strace_log.1', expect: 'absolute' },
      { file: 'lnav/logfile_strace_log.0', expect: 'time_of_day' },
      { file: 'lnav/logfile_strace_log.2', expect: 'time_of_day' },
      { file: 'lnav/logfile_syslog.0', expect: 'local' },
      { file: 'lnav/logfile_syslog_fr.0', expect: 'local' },
      { file: 'fail2ban/logs/recidive', expect: 'local', filter: (l) => /^\d{4}-/.test(l) },
    ];
    const results: ConformanceFileResult[] = cases.map((c) => {
      const lines = readFileSync(corpusFile(c.file), 'utf8')
        .split('\n')
        .filter((l) => l !== '' && (c.filter?.(l) ?? true));
      const misses: ConformanceMiss[] = [];
      lines.forEach((l, i) => {
        const t = findTimestamp(l);
        const good = c.expect === 'time_of_day' ? t === null && timeOfDayAt(l) !== null : t?.kind === c.expect;
        if (!good) {
          misses.push({ line: i + 1, expected: c.expect, actual: JSON.stringify(t), why: l.slice(0, 60) });
        }
      });
      return { file: c.file, lines: lines.length, matched: lines.length - misses.length, mismatched: misses.length, misses };
    });
    recordConformance('text-timestamps', results);
    for (const r of results) {
      expect(r.mismatched).toBe(0);
    }
  });
});
