import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, neutraliseCell } from './csv';

describe('CSV export cells', () => {
  it('neutralises formula prefixes', () => {
    for (const p of ['=cmd|"/c calc"!A1', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      expect(neutraliseCell(p).startsWith("'")).toBe(true);
    }
    expect(neutraliseCell('GET /index.php')).toBe('GET /index.php');
  });
  it('quotes every cell and doubles quotes', () => {
    expect(csvRow(['a"b', 1, null, '=1'])).toBe('"a""b","1","","\'=1"\r\n');
  });
  it('never lets a cell start with a dangerous character once unquoted', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const cell = csvCell(s);
        const inner = cell.slice(1, -1).replace(/""/gu, '"');
        expect(['=', '+', '-', '@', '\t', '\r']).not.toContain(inner.charAt(0));
      }),
    );
  });
});
