/** Generic text format: the fallback for files no specific parser recognises. */
import type { LineParser, SourceKind } from '../../../../shared/domain/parsed';
import { findTimestamp } from './timestamp';
import { parseTextLine } from './text-line';

export { parseTextLine } from './text-line';
export { findTimestamp, findTimestampSpan, timeOfDayAt } from './timestamp';

export type TextFormat = Readonly<{
  id: 'text';
  sourceKind: SourceKind;
  label: string;
  parse: LineParser;
  sniffScore: (lines: ReadonlyArray<string>) => number;
}>;

/**
 * Text accepts every line, so its score is the fraction of non-empty lines carrying a timestamp, halved:
 * it never outranks a specific format that fits.
 */
export function sniffScore(lines: ReadonlyArray<string>): number {
  let total = 0;
  let timed = 0;
  for (const l of lines) {
    if (l.trim() === '') {
      continue;
    }
    total++;
    if (findTimestamp(l) !== null) {
      timed++;
    }
  }
  return total === 0 ? 0 : (0.5 * timed) / total;
}

export const textFormat: TextFormat = {
  id: 'text',
  sourceKind: 'text',
  label: 'Plain text (timestamp detected per line)',
  parse: parseTextLine,
  sniffScore,
};
