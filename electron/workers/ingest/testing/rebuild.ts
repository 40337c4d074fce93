/** Test-only: rebuilds an evidence member's bytes from its raw blocks. */
import type { OpenCase } from '../../../db/case-file';
import { decompressRawBlock } from '../../../db/queries/raw-lines';

export function rebuild(open: Pick<OpenCase, 'db'>, evidenceId: number): Buffer {
  const blocks = open.db.prepare('SELECT data, codec FROM raw_blocks WHERE evidence_id = ? ORDER BY first_line, byte_offset').all(evidenceId) as Array<{ data: Buffer; codec: number }>;
  return Buffer.concat(blocks.map((b) => decompressRawBlock(b.data, b.codec)));
}
