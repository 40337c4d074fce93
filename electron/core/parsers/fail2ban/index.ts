/** fail2ban.log format. */
import type { LineParser, SourceKind } from '../../../../shared/domain/parsed';
import { parseFail2banLine } from './fail2ban-line';

export { parseFail2banLine, parseFail2banBody, type Fail2banBody } from './fail2ban-line';

export type Fail2banFormat = Readonly<{
  id: 'fail2ban';
  sourceKind: SourceKind;
  label: string;
  parse: LineParser;
  sniffScore: (lines: ReadonlyArray<string>) => number;
}>;

/** Fraction of non-empty lines that parse as fail2ban.log lines. */
export function sniffScore(lines: ReadonlyArray<string>): number {
  let total = 0;
  let ok = 0;
  for (const l of lines) {
    if (l.trim() === '') {
      continue;
    }
    total++;
    if (parseFail2banLine(l).ok) {
      ok++;
    }
  }
  return total === 0 ? 0 : ok / total;
}

export const fail2banFormat: Fail2banFormat = {
  id: 'fail2ban',
  sourceKind: 'fail2ban',
  label: 'fail2ban.log',
  parse: parseFail2banLine,
  sniffScore,
};
