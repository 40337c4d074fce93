/** strace output (with or without -f, -t/-tt/-ttt/-r, -T; per-PID files named `PID.log`). */
import type { LineParser, SourceKind } from '../../../../shared/domain/parsed';
import { parseStraceLine, pidFromFileName } from './strace-line';

export { parseStraceLine, pidFromFileName, findClose, type StraceFileContext } from './strace-line';

/** Fraction of non-empty lines that parse as strace lines. */
export function sniffStrace(lines: ReadonlyArray<string>): number {
  let total = 0;
  let ok = 0;
  for (const l of lines) {
    if (l.trim() === '') {
      continue;
    }
    total += 1;
    if (parseStraceLine(l).ok) {
      ok += 1;
    }
  }
  return total === 0 ? 0 : ok / total;
}

export const straceFormat = {
  sourceKind: 'strace' as SourceKind,
  label: 'strace output',
  parse: ((line) => parseStraceLine(line)) as LineParser,
  /** Per file: the PID a `PID.log` (or strace -ff `prefix.PID`) name gives to lines without a PID prefix. */
  forFile: (file: Readonly<{ path: string }>): LineParser => {
    const ctx = { filePid: pidFromFileName(file.path) };
    return (line) => parseStraceLine(line, ctx);
  },
  sniffScore: sniffStrace,
};
