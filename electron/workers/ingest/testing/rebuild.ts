/** Test-only: rebuilds an evidence member's bytes from its raw blocks. */
import { inflateRawSync } from 'node:zlib';
import type { OpenCase } from '../../../db/case-file';

export function rebuild(open: Pick<OpenCase, 'db'>, evidenceId: number): Buffer {
  const blocks = open.db.prepare('SELECT data FROM raw_blocks WHERE evidence_id = ? ORDER BY first_line, byte_offset').all(evidenceId) as Array<{ data: Buffer }>;
  return Buffer.concat(blocks.map((b) => inflateRawSync(b.data)));
}
