import { deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeCaseFile, createCaseFile } from '../case-file';
import { makeTempDir, type TempDir } from '../testing/test-db';
import { compressRawBlock, compressRawBlockSync, createRawLineReader, decompressRawBlock, RAW_BLOCK_CODEC, RawCodec } from './raw-lines';

const meta = { name: 'R', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };

describe('raw blocks', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('are written with Brotli, the same bytes on every thread, and read back exactly (invalid UTF-8, CRLF, no final newline)', async () => {
    const raw = Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n'), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from('x'.repeat(300_000)), Buffer.from('\nlast')]);
    const sync = compressRawBlockSync(raw);
    expect(await compressRawBlock(raw)).toEqual(sync);
    expect(RAW_BLOCK_CODEC).toBe(RawCodec.Brotli);
    expect(decompressRawBlock(sync, RawCodec.Brotli)).toEqual(raw);
    expect(sync.length).toBeLessThan(raw.length / 50);
    expect(() => decompressRawBlock(sync, 7)).toThrow(/unknown codec \(7\): written by a newer Dossier/u);
  });

  it('of both codecs are read in one case: DEFLATE blocks of an older version and Brotli blocks of this one', () => {
    const open = createCaseFile({ ...meta, path: tmp.file('r.dossier') });
    try {
      const db = open.db;
      const insert = db.prepare('INSERT INTO raw_blocks (evidence_id, first_line, line_count, byte_offset, raw_size, data, codec) VALUES (1, ?, ?, ?, ?, ?, ?)');
      const old = Buffer.from('one\r\ntwo\n');
      const young = Buffer.from('three\nfour\n');
      // The column's default is the old codec: a block inserted as the older version did reads as DEFLATE.
      db.prepare('INSERT INTO raw_blocks (evidence_id, first_line, line_count, byte_offset, raw_size, data) VALUES (1, 1, 2, 0, ?, ?)').run(old.length, deflateRawSync(old, { level: 1 }));
      insert.run(3, 2, old.length, young.length, compressRawBlockSync(young), RawCodec.Brotli);
      expect(() => insert.run(5, 1, 99, 1, Buffer.from('x'), 2)).toThrow(/CHECK constraint/u);
      const reader = createRawLineReader(db);
      expect([1, 2, 3, 4].map((n) => reader.line(1, n)?.toString())).toEqual(['one', 'two', 'three', 'four']);
      expect(reader.line(1, 5)).toBeNull();
    } finally {
      closeCaseFile(open);
    }
  });
});
