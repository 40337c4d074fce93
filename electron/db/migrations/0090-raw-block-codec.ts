import type { Migration } from './types';

/**
 * How each raw block is compressed: 0 = raw DEFLATE (level 1; every block written before this
 * migration), 1 = Brotli (quality 1, 256 KiB window). Brotli at quality 1 compresses the bench's access
 * logs about 1.7 times as fast as DEFLATE level 1 and a little smaller, and decompresses as fast
 * (docs/PERFORMANCE.md, session 5). Readers branch on the column; old blocks stay as they are.
 */
export const migration0090: Migration = {
  version: 90,
  name: 'raw-block-codec',
  sql: `
ALTER TABLE raw_blocks ADD COLUMN codec INTEGER NOT NULL DEFAULT 0 CHECK (codec IN (0, 1));
`,
};
