import { brotliCompress, brotliCompressSync, brotliDecompressSync, constants, inflateRawSync } from 'node:zlib';
import { promisify } from 'node:util';
import type { ReadableDb } from '../connection/sql';

type Block = { firstLine: number; lineCount: number; lines: Buffer[] };

/** `raw_blocks.codec` (migration 0090): raw DEFLATE (blocks written before it) or Brotli. */
export const RawCodec = { Deflate: 0, Brotli: 1 } as const;
/** The codec this version writes. */
export const RAW_BLOCK_CODEC = RawCodec.Brotli;

/**
 * Brotli at quality 0 with a 256 KiB window (a block's size). Quality 1 (sessions 5-6) was about 1.7 times
 * as fast as DEFLATE level 1 on access logs; quality 0 is another 1.5 times as fast for blocks 15% larger
 * (17.1% of the text instead of 14.9%): the parse worker's largest cost (docs/PERFORMANCE.md, session 7).
 * Any quality decodes with the same codec. The same parameters on every thread, so every path stores
 * the same bytes.
 */
function brotliParams(size: number): { params: Record<number, number> } {
  return { params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_LGWIN]: 18, [constants.BROTLI_PARAM_SIZE_HINT]: size } };
}
const brotliCompressAsync = promisify(brotliCompress);

/** Compresses a raw block with RAW_BLOCK_CODEC, on this thread. */
export function compressRawBlockSync(raw: Uint8Array): Buffer {
  return brotliCompressSync(raw, brotliParams(raw.byteLength));
}

/** Compresses a raw block with RAW_BLOCK_CODEC on the libuv pool. */
export function compressRawBlock(raw: Buffer): Promise<Buffer> {
  return brotliCompressAsync(raw, brotliParams(raw.byteLength));
}

/** The bytes of a stored raw block. */
export function decompressRawBlock(data: Buffer, codec: number): Buffer {
  switch (codec) {
    case RawCodec.Deflate:
      return inflateRawSync(data);
    case RawCodec.Brotli:
      return brotliDecompressSync(data);
    default:
      throw new Error(`raw block in an unknown codec (${codec}): written by a newer Dossier`);
  }
}

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
  const find = db.prepare('SELECT first_line, line_count, data, codec FROM raw_blocks WHERE evidence_id = ? AND first_line <= ? ORDER BY first_line DESC LIMIT 1');
  const cache = new Map<string, Block>();

  function block(evidenceId: number, lineNo: number): Block | null {
    for (const [key, b] of cache) {
      if (key.startsWith(`${evidenceId}:`) && lineNo >= b.firstLine && lineNo < b.firstLine + b.lineCount) {
        return b;
      }
    }
    const row = find.get(evidenceId, lineNo) as { first_line: number; line_count: number; data: Buffer; codec: number } | undefined;
    if (row === undefined) {
      return null;
    }
    const b: Block = { firstLine: row.first_line, lineCount: row.line_count, lines: splitBlock(decompressRawBlock(row.data, row.codec)) };
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
