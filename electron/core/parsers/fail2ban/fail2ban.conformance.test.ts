import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../../shared/domain/parsed';
import { corpusDir, corpusFile, recordConformance } from '../../../testing/corpus';
import { parseSyslogLine } from '../syslog/syslog-line';
import { checkAnnotatedFile } from '../syslog/testing/fail2ban-annotations';
import { parseFail2banLine } from './fail2ban-line';

const corpus = corpusDir();
if (corpus === null) {
  console.warn('[conformance:fail2ban] corpus not found (../shared/corpus or $DOSSIER_CORPUS): skipping');
}

/** fail2ban.log first; the recidive sample also holds fail2ban lines relayed through syslog. */
function parseAny(line: string): ParseResult {
  const f = parseFail2banLine(line);
  return f.ok ? f : parseSyslogLine(line);
}

describe.skipIf(corpus === null)('fail2ban conformance', () => {
  it('recidive failJSON annotations (fail2ban.log format)', () => {
    const r = checkAnnotatedFile('fail2ban/logs/recidive', readFileSync(corpusFile('fail2ban/logs/recidive'), 'utf8'), parseAny);
    recordConformance('fail2ban-recidive', [r]);
    console.log(`[conformance:fail2ban] recidive: ${r.checkedTime} times, ${r.checkedHost} hosts checked`);
    // the last annotated line (`host fail2ban[15699]: …`, logtype journal) has no timestamp at all and is skipped
    expect(r.matched / r.lines).toBeGreaterThanOrEqual(0.98);
  });

  it('every fail2ban.log-format line of the recidive sample parses with the fail2ban parser', () => {
    const lines = readFileSync(corpusFile('fail2ban/logs/recidive'), 'utf8')
      .split('\n')
      .filter((l) => /^\d{4}-\d\d-\d\d /.test(l));
    const bad = lines.filter((l) => !parseFail2banLine(l).ok);
    expect(bad).toEqual([]);
    expect(lines.length).toBeGreaterThan(0);
  });
});
