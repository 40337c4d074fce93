import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeCaseFile, createCaseFile, openCaseFile } from '../../db/case-file';
import { createRawLineReader } from '../../db/queries/raw-lines';
import { makeTempDir } from '../../db/testing/test-db';
import { runIngestJob } from './run-ingest-job';
import { rebuild } from './testing/rebuild';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/**
 * Lines longer than the reader keeps whole (16 MiB) arrive in pieces. Found by the fault-injection
 * suite: a raw block sealed between two pieces collided with the next block's key (UNIQUE
 * constraint failed: raw_blocks.evidence_id, raw_blocks.first_line) and the ingest failed.
 */
describe('lines longer than 16 MiB', () => {
  const tmp = makeTempDir('dossier-huge-line-');
  afterAll(() => tmp.cleanup());

  it('are stored whole, the file rebuilds byte for byte, and the lines after them keep their numbers', async () => {
    const folder = tmp.file('ev');
    mkdirSync(folder);
    const huge = Buffer.alloc(40 * 1024 * 1024 + 123, 0x41);
    const file = Buffer.concat([Buffer.from('first\n'), huge, Buffer.from('\n'), Buffer.alloc(17 * 1024 * 1024, 0x42), Buffer.from('\nlast line\n')]);
    writeFileSync(join(folder, 'huge.log'), file);
    const casePath = tmp.file('huge.dossier');
    closeCaseFile(createCaseFile({ name: 'Huge', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 'a', appVersion: 't', path: casePath }));
    const summary = await runIngestJob({ dbPath: casePath, options: { root: folder, timeZone: 'UTC', skipFullText: true } });
    expect(summary.status).toBe('complete');
    expect(summary.evidence[0]).toMatchObject({ status: 'complete', lines: 4 });
    const open = openCaseFile(casePath);
    try {
      const id = summary.evidence[0]?.id ?? 0;
      expect(sha(rebuild(open, id))).toBe(sha(readFileSync(join(folder, 'huge.log'))));
      const reader = createRawLineReader(open.db);
      expect(reader.line(id, 1)?.toString()).toBe('first');
      expect(reader.line(id, 2)?.length).toBe(huge.length);
      expect(reader.line(id, 3)?.length).toBe(17 * 1024 * 1024);
      expect(reader.line(id, 4)?.toString()).toBe('last line');
    } finally {
      closeCaseFile(open);
    }
  }, 120_000);
});
