/**
 * Apache parsers: access log (common/combined/vhost_combined and extensions), error log (1.3-2.4,
 * ModSecurity, syslog-relayed) and compiled custom `LogFormat`s, plus the descriptors used by the
 * format detector.
 */
import type { LineParser, SourceKind } from '../../../../shared/domain/parsed';
import { parseAccessLine } from './access';
import { parseErrorLine } from './error';

export { parseAccessLine } from './access';
export { parseErrorLine, levelSeverity } from './error';
export { compileLogFormat, NAMED_LOG_FORMATS } from './logformat';
export type { CompileResult } from './logformat';

export type ApacheFormat = Readonly<{
  id: string;
  sourceKind: SourceKind;
  label: string;
  parse: LineParser;
  /** Fraction (0-1) of the non-empty sample lines that parse. */
  sniffScore: (lines: string[]) => number;
}>;

/** Fraction of the non-empty lines (blank or whitespace-only lines are ignored) that `parse` accepts. */
export function sniffWith(parse: LineParser, lines: string[]): number {
  let considered = 0;
  let parsed = 0;
  for (const line of lines) {
    if (line.trim().length === 0) {
      continue;
    }
    considered++;
    if (parse(line).ok) {
      parsed++;
    }
  }
  return considered === 0 ? 0 : parsed / considered;
}

export function sniffAccessScore(lines: string[]): number {
  return sniffWith(parseAccessLine, lines);
}

export function sniffErrorScore(lines: string[]): number {
  return sniffWith(parseErrorLine, lines);
}

export const apacheAccessFormat: ApacheFormat = {
  id: 'apache_access',
  sourceKind: 'apache_access',
  label: 'Apache access log',
  parse: parseAccessLine,
  sniffScore: sniffAccessScore,
};

export const apacheErrorFormat: ApacheFormat = {
  id: 'apache_error',
  sourceKind: 'apache_error',
  label: 'Apache error log',
  parse: parseErrorLine,
  sniffScore: sniffErrorScore,
};
