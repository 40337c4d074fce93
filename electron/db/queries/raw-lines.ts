import { inflateRawSync } from 'node:zlib';
import type { ReadableDb } from '../connection/sql';

type Block = { firstLine: number; lineCount: number; lines: Buffer[] };

/** Splits a raw block into its lines, each with its terminator (exact bytes). */
function splitBlock(raw: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (;;) {
    const nl = raw.indexOf(10, start);
    if (nl < 0) {
      if (start < raw.length) {
        out.push(raw.subarray(start));
      }
      return out;
    }
    out.push(raw.subarray(start, nl + 1));
    start = nl + 1;
  }
}

function stripTerminator(b: Buffer): Buffer {
  if (b.length > 0 && b[b.length - 1] === 10) {
    return b.subarray(0, b.length > 1 && b[b.length - 2] === 13 ? b.length - 2 : b.length - 1);
  }
  return b;
}

/**
 * Reads raw lines back from the compressed blocks, keeping the last few blocks decompressed (events
 * of one file are read mostly in line order, so the hit rate is high).
 */
export function createRawLineReader(db: ReadableDb, cacheBlocks = 8) {
  const find = db.prepare('SELECT first_line, line_count, data FROM raw_blocks WHERE evidence_id = ? AND first_line <= ? ORDER BY first_line DESC LIMIT 1');
  const cache = new Map<string, Block>();

  function block(evidenceId: number, lineNo: number): Block | null {
    for (const [key, b] of cache) {
      if (key.startsWith(`${evidenceId}:`) && lineNo >= b.firstLine && lineNo < b.firstLine + b.lineCount) {
        return b;
      }
    }
    const row = find.get(evidenceId, lineNo) as { first_line: number; line_count: number; data: Buffer } | undefined;
    if (row === undefined) {
      return null;
    }
    const b: Block = { firstLine: row.first_line, lineCount: row.line_count, lines: splitBlock(inflateRawSync(row.data)) };
    cache.set(`${evidenceId}:${row.first_line}`, b);
    if (cache.size > cacheBlocks) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) {
        cache.delete(oldest);
      }
    }
    return b;
  }

  /** The raw bytes of a line (without its terminator), or null when not stored. */
  function line(evidenceId: number, lineNo: number): Buffer | null {
    const b = block(evidenceId, lineNo);
    const l = b?.lines[lineNo - (b?.firstLine ?? 0)];
    return l === undefined ? null : stripTerminator(l);
  }

  return { line };
}
export type RawLineReader = ReturnType<typeof createRawLineReader>;
