import { appendFile, open as fsOpen, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync, constants as zlibConstants, deflateSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTarHeader, openEvidence } from './open';
import { entryFor, makeTar, makeTempDir, md5, readAllMembers, removeTempDir, sha256 } from './test-helpers';

const FIXTURES = join(import.meta.dirname, 'fixtures');

function logText(n: number, prefix = 'line'): Buffer {
  let s = '';
  for (let i = 0; i < n; i++) {
    s += `${prefix} ${i} 192.0.2.${i % 255} "GET /p/${i} HTTP/1.1" 200 ${i * 7}\n`;
  }
  return Buffer.from(s);
}

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

describe('openEvidence: plain files and hashes', () => {
  it('a plain file is one member; physical digests equal crypto over the file', async () => {
    const data = logText(5000);
    await writeFile(join(dir, 'access.log'), data);
    const { members, file } = await readAllMembers(await entryFor(dir, 'access.log'), { readChunkSize: 4096 });
    expect(members).toHaveLength(1);
    const m = members[0];
    expect(m?.info.container).toBe('plain');
    expect(m?.info.memberPath).toBe('access.log');
    expect(m?.data.equals(data)).toBe(true);
    expect(m?.result).toMatchObject({ bytes: data.length, sha256: sha256(data), md5: md5(data), complete: true, truncated: null });
    expect(file).toMatchObject({
      sha256: sha256(data),
      md5: md5(data),
      complete: true,
      bytesRead: data.length,
      sizeAtOpen: data.length,
      grewDuringRead: false,
      openError: null,
      ioError: null,
      members: 1,
    });
  });

  it('an empty file is one empty member, not an error', async () => {
    await writeFile(join(dir, 'empty.log'), '');
    const { members, file } = await readAllMembers(await entryFor(dir, 'empty.log'));
    expect(members).toHaveLength(1);
    expect(members[0]?.data.length).toBe(0);
    expect(members[0]?.result.complete).toBe(true);
    expect(file.sha256).toBe(sha256(Buffer.alloc(0)));
    expect(file.complete).toBe(true);
  });

  it('hashes bytes that the consumer skipped (finish drains)', async () => {
    const data = logText(20000);
    await writeFile(join(dir, 'big.log'), data);
    const f = await openEvidence(await entryFor(dir, 'big.log'), { readChunkSize: 8192 });
    for await (const m of f.members()) {
      for await (const _chunk of m.chunks()) {
        break;
      }
      expect((await m.finish()).sha256).toBe(sha256(data));
    }
    expect((await f.finish()).sha256).toBe(sha256(data));
  });

  it('a file growing during the read is read up to its size at open, flagged grewDuringRead', async () => {
    const original = logText(30000);
    const path = join(dir, 'growing.log');
    await writeFile(path, original);
    const f = await openEvidence(await entryFor(dir, 'growing.log'), { readChunkSize: 64 * 1024 });
    const got: Buffer[] = [];
    let appended = false;
    for await (const m of f.members()) {
      for await (const c of m.chunks()) {
        got.push(c);
        if (!appended) {
          appended = true;
          await appendFile(path, 'a line written while the ingest was reading\n'.repeat(1000));
        }
      }
    }
    const res = await f.finish();
    expect(Buffer.concat(got).equals(original)).toBe(true);
    expect(res.grewDuringRead).toBe(true);
    expect(res.modifiedDuringRead).toBe(true);
    expect(res.bytesRead).toBe(original.length);
    expect(res.sha256).toBe(sha256(original));
    expect(res.complete).toBe(true);
  });

  it('a file that vanished before open is an openError outcome', async () => {
    await writeFile(join(dir, 'gone.log'), 'x\n');
    const entry = await entryFor(dir, 'gone.log');
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, 'gone.log'));
    const { members, file } = await readAllMembers(entry);
    expect(members).toEqual([]);
    expect(file.openError).toMatch(/ENOENT/);
    expect(file.sha256).toBeNull();
  });

  it('refuses a file replaced since listing (dev:ino differs)', async () => {
    await writeFile(join(dir, 'swap.log'), 'old\n');
    const entry = await entryFor(dir, 'swap.log');
    const { rename } = await import('node:fs/promises');
    await writeFile(join(dir, 'other'), 'new\n');
    await rename(join(dir, 'other'), join(dir, 'swap.log'));
    const { file } = await readAllMembers(entry);
    expect(file.openError).toMatch(/replaced/);
  });
});

describe('openEvidence: gzip', () => {
  it('decompresses a rotated .gz transparently; physical and member digests differ as expected', async () => {
    const data = logText(8000);
    const gz = gzipSync(data);
    await writeFile(join(dir, 'access.log.2.gz'), gz);
    const { members, file } = await readAllMembers(await entryFor(dir, 'access.log.2.gz'));
    expect(members).toHaveLength(1);
    const m = members[0];
    expect(m?.info).toMatchObject({ container: 'gzip', layers: ['gzip'], compressedSize: gz.length, declaredSize: null });
    expect(m?.data.equals(data)).toBe(true);
    expect(m?.result).toMatchObject({ sha256: sha256(data), md5: md5(data), complete: true, truncated: null });
    expect(file.sha256).toBe(sha256(gz));
    expect(file.md5).toBe(md5(gz));
  });

  it('detects gzip by magic bytes, not by name', async () => {
    const data = logText(100);
    await writeFile(join(dir, 'messages.1'), gzipSync(data));
    const { members } = await readAllMembers(await entryFor(dir, 'messages.1'));
    expect(members[0]?.info.container).toBe('gzip');
    expect(members[0]?.data.equals(data)).toBe(true);
  });

  it('reads every member of a multi-member gzip', async () => {
    const a = logText(3000, 'first');
    const b = logText(2000, 'second');
    await writeFile(join(dir, 'multi.gz'), Buffer.concat([gzipSync(a), gzipSync(b)]));
    const { members } = await readAllMembers(await entryFor(dir, 'multi.gz'), { readChunkSize: 4096 });
    expect(members).toHaveLength(1);
    expect(members[0]?.data.equals(Buffer.concat([a, b]))).toBe(true);
    expect(members[0]?.result.complete).toBe(true);
  });

  it('a truncated .gz yields everything decodable and reports unexpected_eof', async () => {
    const data = logText(40000);
    const gz = gzipSync(data);
    const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
    await writeFile(join(dir, 'cut.log.gz'), cut);
    const { members, file } = await readAllMembers(await entryFor(dir, 'cut.log.gz'), { readChunkSize: 16384 });
    const m = members[0];
    // Reference: zlib with Z_SYNC_FLUSH decodes the maximal prefix.
    const { gunzipSync } = await import('node:zlib');
    const reference = gunzipSync(cut, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    expect(m?.data.length).toBe(reference.length);
    expect(m?.data.equals(data.subarray(0, m.data.length))).toBe(true);
    expect(m?.result.complete).toBe(false);
    expect(m?.result.truncated?.reason).toBe('unexpected_eof');
    expect(m?.result.truncated?.message).toMatch(/ends unexpectedly/);
    expect(file.complete).toBe(true);
    expect(file.sha256).toBe(sha256(cut));
  });

  it('a slow consumer loses nothing either (the decoder is never paused with data inside)', async () => {
    const data = logText(150000);
    const gz = gzipSync(data);
    const cut = gz.subarray(0, gz.length - 1000);
    await writeFile(join(dir, 'slow.gz'), cut);
    const f = await openEvidence(await entryFor(dir, 'slow.gz'));
    const got: Buffer[] = [];
    for await (const m of f.members()) {
      for await (const c of m.chunks()) {
        got.push(c);
        await new Promise((r) => setTimeout(r, 1));
      }
      expect((await m.finish()).truncated?.reason).toBe('unexpected_eof');
    }
    await f.finish();
    const { gunzipSync } = await import('node:zlib');
    const reference = gunzipSync(cut, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    expect(Buffer.concat(got).equals(reference)).toBe(true);
  });

  it('corrupt gzip data is reported as corrupt, decoded prefix kept', async () => {
    const data = logText(40000);
    const gz = Buffer.from(gzipSync(data));
    const at = Math.floor(gz.length / 2);
    gz[at] = (gz[at] ?? 0) ^ 0xff;
    await writeFile(join(dir, 'bad.gz'), gz);
    const { members, file } = await readAllMembers(await entryFor(dir, 'bad.gz'));
    const m = members[0];
    expect(m?.result.truncated?.reason).toBe('corrupt');
    // Deflate may emit some garbage between the damaged byte and the point where zlib notices; before it, the
    // decoded bytes are exact.
    const safe = Math.floor(data.length * 0.3);
    expect(m?.data.length).toBeGreaterThan(safe);
    expect(m?.data.subarray(0, safe).equals(data.subarray(0, safe))).toBe(true);
    expect(m?.result.truncated?.message).toMatch(/corrupt/);
    expect(file.sha256).toBe(sha256(gz));
  });

  it('stops a gzip bomb (2 GiB of zeros) at the limit with a clear message, keeping the decoded part', async () => {
    // 32 gzip members of 64 MiB of zeros each: a valid gzip of 2 GiB, about 2 MiB on disk.
    const member = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const path = join(dir, 'bomb.log.gz');
    const fh = await fsOpen(path, 'w');
    for (let i = 0; i < 32; i++) {
      await fh.write(member);
    }
    await fh.close();
    const onDisk = await readFile(path);
    const limits = { ratio: 4, floorBytes: 8 * 1024 * 1024 };
    const expectedLimit = Math.max(limits.ratio * onDisk.length, limits.floorBytes);
    const f = await openEvidence(await entryFor(dir, 'bomb.log.gz'), { limits });
    let bytes = 0;
    let allZero = true;
    for await (const m of f.members()) {
      for await (const c of m.chunks()) {
        bytes += c.length;
        allZero &&= c.every((b) => b === 0);
      }
      const r = await m.finish();
      expect(r.bytes).toBe(expectedLimit);
      expect(r.complete).toBe(false);
      expect(r.truncated?.reason).toBe('decompression_limit');
      expect(r.truncated?.message).toMatch(/exceeded the limit of .*ratio 4 × compressed size .*possible decompression bomb/);
    }
    expect(bytes).toBe(expectedLimit);
    expect(allZero).toBe(true);
    const res = await f.finish();
    expect(res.complete).toBe(true);
    expect(res.sha256).toBe(sha256(onDisk));
  });
});

describe('openEvidence: bzip2', () => {
  const expected = (): Buffer => {
    let s = '';
    for (let i = 0; i < 3000; i++) {
      s += `bzip2 line ${i} ${'x'.repeat(i % 50)}\n`;
    }
    return Buffer.from(s);
  };

  it('decompresses a multi-stream .bz2', async () => {
    const bz = await readFile(join(FIXTURES, 'multi-stream.log.bz2'));
    await writeFile(join(dir, 'syslog.bz2'), bz);
    const { members, file } = await readAllMembers(await entryFor(dir, 'syslog.bz2'), { readChunkSize: 1000 });
    expect(members[0]?.info.container).toBe('bzip2');
    expect(members[0]?.data.equals(expected())).toBe(true);
    expect(members[0]?.result.complete).toBe(true);
    expect(members[0]?.result.sha256).toBe(sha256(expected()));
    expect(file.sha256).toBe(sha256(bz));
  });

  it('a truncated .bz2 keeps the complete blocks and reports unexpected_eof', async () => {
    const bz = await readFile(join(FIXTURES, 'multi-stream.log.bz2'));
    const cut = bz.subarray(0, bz.length - 200);
    await writeFile(join(dir, 'cut.bz2'), cut);
    const { members } = await readAllMembers(await entryFor(dir, 'cut.bz2'));
    const m = members[0];
    expect(m?.result.truncated?.reason).toBe('unexpected_eof');
    // The first bzip2 stream (2000 lines) is complete and kept.
    expect(m?.data.length).toBeGreaterThanOrEqual(expected().indexOf('bzip2 line 2000 '));
    expect(m?.data.equals(expected().subarray(0, m.data.length))).toBe(true);
  });
});

describe('openEvidence: tar', () => {
  const uacFiles = {
    access: logText(3000, 'access'),
    rotated: logText(2000, 'rotated'),
    ps: Buffer.from('PID TTY TIME CMD\n1 ? 00:00:01 systemd\n'),
    bodyfile: Buffer.from('0|/etc/passwd|1234|-rw-r--r--|0|0|1000|1700000000|1700000000|1700000000|0\n'),
    uacLog: Buffer.from('2024-03-01 12:00:00 INFO UAC started\n'),
  };
  const uacTar = (): Promise<Buffer> =>
    makeTar([
      { name: 'uac-web01-linux-20240301120000/', type: 'directory' },
      { name: 'uac-web01-linux-20240301120000/[root]/var/log/apache2/access.log', data: uacFiles.access, mtime: new Date('2024-02-29T23:59:59Z') },
      { name: 'uac-web01-linux-20240301120000/[root]/var/log/apache2/access.log.2.gz', data: gzipSync(uacFiles.rotated) },
      { name: 'uac-web01-linux-20240301120000/[root]/var/log/apache2/current', type: 'symlink', linkname: 'access.log' },
      { name: 'uac-web01-linux-20240301120000/live_response/process/ps.txt', data: uacFiles.ps },
      { name: 'uac-web01-linux-20240301120000/bodyfile/bodyfile.txt', data: uacFiles.bodyfile },
      { name: 'uac-web01-linux-20240301120000/uac.log', data: uacFiles.uacLog },
      { name: 'uac-web01-linux-20240301120000/empty.txt', data: Buffer.alloc(0) },
    ]);

  it('recognises a tar header by magic and checksum', async () => {
    const tar = await makeTar([{ name: 'a.txt', data: Buffer.from('hi\n') }]);
    expect(isTarHeader(tar)).toBe(true);
    const broken = Buffer.from(tar);
    broken[0] = (broken[0] ?? 0) ^ 1;
    expect(isTarHeader(broken)).toBe(false);
    expect(isTarHeader(Buffer.alloc(512))).toBe(false);
  });

  it('reads a .tar without unpacking: every regular entry is a member, nested .gz decompressed', async () => {
    const tar = await uacTar();
    await writeFile(join(dir, 'collection.tar'), tar);
    const { members, file } = await readAllMembers(await entryFor(dir, 'collection.tar'), { readChunkSize: 3000 });
    const base = 'collection.tar!/uac-web01-linux-20240301120000';
    expect(members.map((m) => m.info.memberPath)).toEqual([
      `${base}/[root]/var/log/apache2/access.log`,
      `${base}/[root]/var/log/apache2/access.log.2.gz`,
      `${base}/live_response/process/ps.txt`,
      `${base}/bodyfile/bodyfile.txt`,
      `${base}/uac.log`,
      `${base}/empty.txt`,
    ]);
    const [access, rotated] = members;
    expect(access?.data.equals(uacFiles.access)).toBe(true);
    expect(access?.info).toMatchObject({ container: 'tar', layers: ['tar'], declaredSize: uacFiles.access.length });
    expect(access?.info.mtimeMs).toBe(new Date('2024-02-29T23:59:59Z').getTime());
    expect(access?.result.sha256).toBe(sha256(uacFiles.access));
    expect(access?.result.archiveEntry?.sha256).toBe(sha256(uacFiles.access));
    expect(rotated?.data.equals(uacFiles.rotated)).toBe(true);
    expect(rotated?.info).toMatchObject({ container: 'tar', layers: ['tar', 'gzip'] });
    expect(rotated?.result.sha256).toBe(sha256(uacFiles.rotated));
    // The raw entry digest is the digest of the .gz file as it was on the collected system.
    expect(rotated?.result.archiveEntry?.sha256).toBe(sha256(gzipSync(uacFiles.rotated)));
    expect(members[5]?.data.length).toBe(0);
    expect(file.skippedEntries).toEqual([
      { path: `${base}/[root]/var/log/apache2/current`, type: 'symlink', linkname: 'access.log', size: 0 },
    ]);
    expect(file.problems).toEqual([]);
    expect(file.sha256).toBe(sha256(tar));
  });

  it('reads a .tar.gz (tgz), including a nested .gz, with member digests matching sha256 of the original files', async () => {
    const tar = await uacTar();
    const tgz = gzipSync(tar);
    await writeFile(join(dir, 'uac-web01-linux-20240301120000.tar.gz'), tgz);
    const entry = await entryFor(dir, 'uac-web01-linux-20240301120000.tar.gz');
    const { members, file } = await readAllMembers(entry, { readChunkSize: 1000 });
    expect(members).toHaveLength(6);
    const rotated = members.find((m) => m.info.innerPath?.endsWith('access.log.2.gz'));
    expect(rotated?.info.layers).toEqual(['gzip', 'tar', 'gzip']);
    expect(rotated?.info.memberPath).toBe(
      'uac-web01-linux-20240301120000.tar.gz!/uac-web01-linux-20240301120000/[root]/var/log/apache2/access.log.2.gz',
    );
    expect(rotated?.data.equals(uacFiles.rotated)).toBe(true);
    expect(rotated?.result.sha256).toBe(sha256(uacFiles.rotated));
    expect(members.find((m) => m.info.innerPath?.endsWith('ps.txt'))?.result.sha256).toBe(sha256(uacFiles.ps));
    expect(file.sha256).toBe(sha256(tgz));
    expect(file.problems).toEqual([]);
  });

  it('a truncated .tar.gz keeps the entries before the cut and reports the cut entry', async () => {
    const big = logText(50000, 'big');
    const tar = await makeTar([
      { name: 'first.log', data: logText(100, 'first') },
      { name: 'second.log', data: big },
      { name: 'third.log', data: logText(100, 'third') },
    ]);
    const tgz = gzipSync(tar);
    await writeFile(join(dir, 'cut.tgz'), tgz.subarray(0, Math.floor(tgz.length * 0.5)));
    const { members, file } = await readAllMembers(await entryFor(dir, 'cut.tgz'));
    expect(members.map((m) => m.info.innerPath)).toEqual(['first.log', 'second.log']);
    expect(members[0]?.result.complete).toBe(true);
    const second = members[1];
    expect(second?.result.complete).toBe(false);
    expect(second?.result.truncated?.reason).toBe('unexpected_eof');
    expect(second?.data.equals(big.subarray(0, second.data.length))).toBe(true);
    expect(file.problems.map((p) => p.truncation.reason)).toEqual(['unexpected_eof']);
  });

  it('a slow consumer of a truncated .tar.gz gets the same bytes as a fast one', async () => {
    const big = logText(120000, 'slow');
    const tgz = gzipSync(await makeTar([{ name: 'big.log', data: big }]));
    await writeFile(join(dir, 'slow.tgz'), tgz.subarray(0, tgz.length - 5000));
    const fast = await readAllMembers(await entryFor(dir, 'slow.tgz'));
    const f = await openEvidence(await entryFor(dir, 'slow.tgz'), { readChunkSize: 256 * 1024 });
    const got: Buffer[] = [];
    for await (const m of f.members()) {
      for await (const c of m.chunks()) {
        got.push(c);
        await new Promise((r) => setTimeout(r, 1));
      }
      expect((await m.finish()).truncated?.reason).toBe('unexpected_eof');
    }
    await f.finish();
    const slow = Buffer.concat(got);
    expect(slow.length).toBe(fast.members[0]?.data.length);
    expect(slow.equals(big.subarray(0, slow.length))).toBe(true);
    expect(slow.length).toBeGreaterThan(big.length - 100_000);
  });

  it('a bomb inside a tar entry is bounded per entry and the archive goes on', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const tar = await makeTar([
      { name: 'bomb.gz', data: bomb },
      { name: 'after.log', data: Buffer.from('still read\n') },
    ]);
    await writeFile(join(dir, 'b.tar'), tar);
    const { members } = await readAllMembers(await entryFor(dir, 'b.tar'), {
      limits: { ratio: 10, floorBytes: 1024 * 1024 },
    });
    expect(members[0]?.result.truncated?.reason).toBe('decompression_limit');
    expect(members[0]?.data.length).toBe(Math.max(10 * bomb.length, 1024 * 1024));
    expect(members[0]?.result.archiveEntry).toMatchObject({ complete: true, sha256: sha256(bomb) });
    expect(members[1]?.data.toString()).toBe('still read\n');
  });

  it('garbage after the tar end is reported as a problem, entries kept', async () => {
    const tar = await makeTar([{ name: 'a.log', data: Buffer.from('a\n') }]);
    await writeFile(join(dir, 'g.tar'), Buffer.concat([tar, Buffer.from('this is not a tar header'.repeat(40))]));
    const { members, file } = await readAllMembers(await entryFor(dir, 'g.tar'));
    expect(members.map((m) => m.data.toString())).toEqual(['a\n']);
    expect(members[0]?.result.complete).toBe(true);
    expect(file.problems[0]?.truncation.reason).toBe('corrupt');
  });

  it('a tar in a tar is opened too, within maxDepth', async () => {
    const inner = await makeTar([{ name: 'deep.log', data: Buffer.from('deep\n') }]);
    const outer = await makeTar([{ name: 'inner.tar', data: inner }]);
    await writeFile(join(dir, 'outer.tar'), outer);
    const { members } = await readAllMembers(await entryFor(dir, 'outer.tar'));
    expect(members.map((m) => m.info.memberPath)).toEqual(['outer.tar!/inner.tar!/deep.log']);
    expect(members[0]?.info.layers).toEqual(['tar', 'tar']);
    const shallow = await readAllMembers(await entryFor(dir, 'outer.tar'), { limits: { maxDepth: 1 } });
    expect(shallow.members.map((m) => m.info.memberPath)).toEqual(['outer.tar!/inner.tar']);
    expect(shallow.members[0]?.data.equals(inner)).toBe(true);
  });

  it('raw deflate or random data starting with gzip-like bytes is never lost', async () => {
    const raw = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), deflateSync(Buffer.from('not really gzip'))]);
    await writeFile(join(dir, 'weird.bin'), raw);
    const { members, file } = await readAllMembers(await entryFor(dir, 'weird.bin'));
    expect(members[0]?.result.truncated?.reason).toBe('corrupt');
    expect(file.sha256).toBe(sha256(raw));
    expect(file.complete).toBe(true);
  });
});
