import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PhysicalFile } from './byte-source';
import { makeTempDir, removeTempDir, sha256 } from './test-helpers';

describe('PhysicalFile.recycle', () => {
  let dir: string;
  let path: string;
  const data = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 31 + 7) & 0xff));
  beforeAll(async () => {
    dir = await makeTempDir();
    path = join(dir, 'f.bin');
    await writeFile(path, data);
  });
  afterAll(() => removeTempDir(dir));

  it('reads into the chunks handed back, zeroed first, and reads and hashes the same bytes', async () => {
    const f = await PhysicalFile.open(path, { chunkSize: 4096 });
    const got: Buffer[] = [];
    const first = await f.pull();
    expect(first?.length).toBe(4096);
    got.push(Buffer.from(first ?? []));
    expect(f.recycle(first ?? Buffer.alloc(0))).toBe(true);
    // handed back: zeroed at once (a view kept by mistake reads NUL, not stale evidence)
    expect(first?.every((b) => b === 0)).toBe(true);
    // not twice
    expect(f.recycle(first ?? Buffer.alloc(0))).toBe(false);
    const second = await f.pull();
    // the same memory, read into again
    expect(second?.buffer).toBe(first?.buffer);
    got.push(Buffer.from(second ?? []));
    for (let c = await f.pull(); c !== null; c = await f.pull()) {
      got.push(Buffer.from(c));
      f.recycle(c);
    }
    expect(Buffer.concat(got).equals(data)).toBe(true);
    const state = await f.finish();
    expect(state.complete).toBe(true);
    expect(state.digests.sha256).toBe(sha256(data));
    expect(f.recycledChunks).toBeGreaterThan(5);
  });

  it('takes only full-size chunks it read itself, and keeps at most 8', async () => {
    const f = await PhysicalFile.open(path, { chunkSize: 4096 });
    expect(f.recycle(Buffer.alloc(4096))).toBe(false);
    const chunks: Buffer[] = [];
    for (let c = await f.pull(); c !== null; c = await f.pull()) {
      chunks.push(c);
    }
    // 40,000 bytes: 9 full chunks and a last one of 3,136 bytes
    expect(chunks.map((c) => c.length)).toEqual([...Array.from({ length: 9 }, () => 4096), 3136]);
    expect(f.recycle(chunks[9] ?? Buffer.alloc(0))).toBe(false);
    const other = await PhysicalFile.open(path, { chunkSize: 4096 });
    const foreign = await other.pull();
    expect(f.recycle(foreign ?? Buffer.alloc(0))).toBe(false);
    expect(chunks.slice(0, 9).map((c) => f.recycle(c))).toEqual([true, true, true, true, true, true, true, true, false]);
    await other.close();
    await f.close();
  });
});
