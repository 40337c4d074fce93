import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SniffResult } from './binary';
import { decodeLine } from './lines';
import type { EvidenceMemberInfo, MemberResult, PhysicalFileResult } from './open';
import { readEvidence } from './read-evidence';
import { makeTar, makeTempDir, md5, removeTempDir, sha256 } from './test-helpers';
import type { WalkEntry } from './walk';

let dir: string;
let outside: string;
beforeEach(async () => {
  dir = await makeTempDir('dossier-case-');
  outside = await makeTempDir('dossier-outside-');
});
afterEach(async () => {
  await removeTempDir(dir);
  await removeTempDir(outside);
});

type Seen = {
  entries: WalkEntry[];
  members: { info: EvidenceMemberInfo; sniff: SniffResult; lines: { no: number; off: number; bytes: Buffer; term: string; oversized: boolean }[] }[];
  done: Map<string, MemberResult>;
  files: Map<string, PhysicalFileResult>;
};

const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(2000, 0), Buffer.from('some strings')]);
const INVALID_UTF8 = Buffer.from([0x47, 0x45, 0x54, 0x20, 0x2f, 0xc0, 0xaf, 0xff, 0x0a]);
const HUGE_LINE = Buffer.alloc(10 * 1024 * 1024, 0x41);

async function buildCase(): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const put = async (rel: string, data: Buffer): Promise<void> => {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), data);
    files.set(rel, data);
  };
  await put('web/access.log', Buffer.from('l1\nl2\r\nl3 with lone \r inside\nlast without newline'));
  await put('web/access.log.1.gz', gzipSync(Buffer.from('rotated 1\nrotated 2\n')));
  await put('web/invalid.log', INVALID_UTF8);
  await put('web/huge.log', Buffer.concat([Buffer.from('before\n'), HUGE_LINE, Buffer.from('\nafter\n')]));
  await put('bin/tool', ELF);
  await put('empty.log', Buffer.alloc(0));
  await put('sys/messages.bz2', await readFile(join(import.meta.dirname, 'fixtures/multi-stream.log.bz2')));
  const tar = await makeTar([
    { name: 'uac-db01-linux-20240301120000/[root]/var/log/auth.log', data: Buffer.from('Mar  1 sshd: Accepted\n') },
    { name: 'uac-db01-linux-20240301120000/[root]/var/log/auth.log.2.gz', data: gzipSync(Buffer.from('Feb 20 sshd: Failed\n')) },
    { name: 'uac-db01-linux-20240301120000/live_response/process/ps.txt', data: Buffer.from('PID CMD\n1 init\n') },
    { name: 'uac-db01-linux-20240301120000/uac.log', data: Buffer.from('UAC log\n') },
  ]);
  await put('uac-db01-linux-20240301120000.tar.gz', gzipSync(tar));
  await writeFile(join(outside, 'not-evidence.log'), 'outside\n');
  await symlink(join(outside, 'not-evidence.log'), join(dir, 'web/outside-link'));
  await symlink('access.log', join(dir, 'web/current'));
  await symlink('.', join(dir, 'web/loop'));
  try {
    execFileSync('mkfifo', [join(dir, 'web/pipe')]);
  } catch {
    // no mkfifo: the FIFO part of the test is just absent
  }
  // Old timestamps: a plain read would update atime under relatime; O_NOATIME must prevent it.
  const old = new Date('2020-01-02T03:04:05Z');
  for (const rel of files.keys()) {
    await utimes(join(dir, rel), new Date('2020-01-01T00:00:00Z'), old);
  }
  return files;
}

/**
 * size, mtime, atime, mode and inode of every path. Symlinks are compared without atime: resolving a link
 * (readlink/realpath) counts as an access of the link itself and the OS offers no O_NOATIME for that.
 */
async function statTree(root: string, rels: Iterable<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const rel of rels) {
    const st = await lstat(join(root, rel), { bigint: true });
    const atime = st.isSymbolicLink() ? '-' : String(st.atimeNs);
    out.set(rel, `${st.size}|${st.mtimeNs}|${atime}|${st.mode}|${st.ino}`);
  }
  return out;
}

async function listAll(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, rel), { withFileTypes: true })) {
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    out.push(r);
    if (e.isDirectory()) {
      out.push(...(await listAll(root, r)));
    }
  }
  return out.sort();
}

async function runRead(root: string, signal?: AbortSignal): Promise<{ seen: Seen; summary: Awaited<ReturnType<typeof readEvidence>> }> {
  const seen: Seen = { entries: [], members: [], done: new Map(), files: new Map() };
  const summary = await readEvidence(root, {
    ...(signal === undefined ? {} : { signal }),
    readChunkSize: 256 * 1024,
    onEntry: (e) => {
      seen.entries.push(e);
    },
    onMember: async ({ member, sniff, lines }) => {
      const rec: Seen['members'][number] = { info: member, sniff, lines: [] };
      seen.members.push(rec);
      if (sniff.binary) {
        return;
      }
      for await (const batch of lines()) {
        for (let i = 0; i < batch.count; i++) {
          rec.lines.push({
            no: batch.lineNo(i),
            off: batch.byteOffset(i),
            bytes: batch.bytes(i),
            term: batch.terminator(i),
            oversized: batch.oversized(i),
          });
        }
      }
    },
    onMemberDone: (m, r) => {
      seen.done.set(m.memberPath, r);
    },
    onFileDone: (e, r) => {
      seen.files.set(e.relPath, r);
    },
  });
  return { seen, summary };
}

describe('readEvidence', () => {
  it('reads a whole case folder faithfully, in one pass, and leaves the evidence untouched', async () => {
    const files = await buildCase();
    const allPaths = await listAll(dir);
    const before = await statTree(dir, allPaths);
    const treeBefore = await snapshotTreeNoRead(dir);

    const { seen, summary } = await runRead(dir);

    // Evidence untouched: same listing, same size/mtime/atime/mode/inode everywhere, same bytes.
    expect(await listAll(dir)).toEqual(allPaths);
    expect(await statTree(dir, allPaths)).toEqual(before);
    expect(await snapshotTreeNoRead(dir)).toEqual(treeBefore);
    for (const [rel, data] of files) {
      expect(sha256(await readFile(join(dir, rel)))).toBe(sha256(data));
    }

    // Every path listed, with an outcome, in byte-wise order.
    const kinds = Object.fromEntries(seen.entries.map((e) => [e.relPath, e.kind]));
    expect(kinds).toMatchObject({
      'web/outside-link': 'symlink_outside',
      'web/current': 'symlink_inside',
      'web/loop': 'symlink_loop',
      'bin/tool': 'file',
      'empty.log': 'file',
    });
    if (seen.entries.some((e) => e.relPath === 'web/pipe')) {
      expect(kinds['web/pipe']).toBe('special');
    }
    const order = seen.entries.map((e) => e.relPath);
    expect(order).toEqual([...order].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));

    // Physical digests equal crypto over the file for every file.
    for (const [rel, data] of files) {
      expect(seen.files.get(rel)).toMatchObject({ sha256: sha256(data), md5: md5(data), complete: true, noatime: true });
    }

    const member = (path: string): Seen['members'][number] | undefined => seen.members.find((m) => m.info.memberPath === path);
    // Lines: CRLF, lone CR kept, last line without terminator.
    expect(member('web/access.log')?.lines.map((l) => [l.no, l.off, l.bytes.toString('latin1'), l.term])).toEqual([
      [1, 0, 'l1', '\n'],
      [2, 3, 'l2', '\r\n'],
      [3, 7, 'l3 with lone \r inside', '\n'],
      [4, 29, 'last without newline', ''],
    ]);
    expect(member('web/access.log.1.gz')?.lines.map((l) => l.bytes.toString())).toEqual(['rotated 1', 'rotated 2']);
    // Invalid UTF-8 preserved byte for byte; decoding is lossy only for parsing.
    const inv = member('web/invalid.log')?.lines[0];
    expect(inv?.bytes.equals(INVALID_UTF8.subarray(0, -1))).toBe(true);
    expect(decodeLine(inv?.bytes ?? Buffer.alloc(0)).validUtf8).toBe(false);
    // 10 MB line: whole and flagged.
    const huge = member('web/huge.log')?.lines;
    expect(huge?.map((l) => [l.no, l.bytes.length, l.oversized])).toEqual([
      [1, 6, false],
      [2, HUGE_LINE.length, true],
      [3, 5, false],
    ]);
    expect(huge?.[1]?.bytes.equals(HUGE_LINE)).toBe(true);
    // Binary and empty.
    expect(member('bin/tool')?.sniff).toMatchObject({ binary: true, reason: 'magic: ELF executable' });
    expect(seen.done.get('bin/tool')?.sha256).toBe(sha256(ELF));
    expect(member('empty.log')?.sniff.encoding).toBe('empty');
    expect(member('empty.log')?.lines).toEqual([]);
    // bzip2.
    expect(member('sys/messages.bz2')?.lines).toHaveLength(3000);
    // UAC inside the .tar.gz, nested .gz decompressed, hashes of decoded members.
    const base = 'uac-db01-linux-20240301120000.tar.gz!/uac-db01-linux-20240301120000';
    expect(member(`${base}/[root]/var/log/auth.log.2.gz`)?.lines.map((l) => l.bytes.toString())).toEqual(['Feb 20 sshd: Failed']);
    expect(seen.done.get(`${base}/[root]/var/log/auth.log.2.gz`)?.sha256).toBe(sha256(Buffer.from('Feb 20 sshd: Failed\n')));
    expect(summary.uac).toMatchObject({ isUac: true, rootPrefix: `${base}/`, hostname: 'db01', os: 'linux' });

    expect(summary).toMatchObject({ files: files.size, truncatedMembers: 0, filesWithErrors: 0 });
    expect(summary.members).toBe(seen.members.length);
  });

  it('cancels promptly on abort and closes its file descriptors', async () => {
    const big = Buffer.from('x'.repeat(99) + '\n').subarray(0, 100);
    const data = Buffer.concat(Array.from({ length: 200_000 }, () => big));
    await writeFile(join(dir, 'a.log'), data);
    await writeFile(join(dir, 'b.log'), data);
    const fdsBefore = (await readdir('/proc/self/fd').catch(() => [])).length;
    const ac = new AbortController();
    let batches = 0;
    const promise = readEvidence(dir, {
      signal: ac.signal,
      readChunkSize: 64 * 1024,
      onMember: async ({ lines }) => {
        for await (const _batch of lines()) {
          batches++;
          if (batches === 3) {
            ac.abort();
          }
        }
      },
    });
    await expect(promise).rejects.toThrow(/abort/i);
    expect(batches).toBeLessThan(10);
    const fdsAfter = (await readdir('/proc/self/fd').catch(() => [])).length;
    expect(fdsAfter).toBeLessThanOrEqual(fdsBefore);
  });

  it('reports a truncated .gz and a bomb as outcomes without throwing', async () => {
    const text = Buffer.from(Array.from({ length: 20_000 }, () => `${randomBytes(24).toString('hex')}\n`).join(''));
    const gz = gzipSync(text);
    await writeFile(join(dir, 'cut.gz'), gz.subarray(0, gz.length >> 1));
    await writeFile(join(dir, 'zeros.gz'), gzipSync(Buffer.alloc(32 * 1024 * 1024), { level: 9 }));
    const done = new Map<string, MemberResult>();
    const summary = await readEvidence(dir, {
      limits: { ratio: 50, floorBytes: 1024 * 1024 },
      onMemberDone: (m, r) => {
        done.set(m.memberPath, r);
      },
    });
    expect(done.get('cut.gz')?.truncated?.reason).toBe('unexpected_eof');
    expect(done.get('zeros.gz')?.truncated?.reason).toBe('decompression_limit');
    expect(summary.truncatedMembers).toBe(2);
  });
});

/** Listing + lstat of the whole tree (directories included), without reading any file content. */
async function snapshotTreeNoRead(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const rel of ['.', ...(await listAll(root))]) {
    const st = await lstat(join(root, rel), { bigint: true });
    out.push(`${rel}|${st.size}|${st.mtimeNs}|${st.ctimeNs}|${st.mode}`);
  }
  return out;
}

describe.runIf(process.env['DOSSIER_MICROBENCH'] === '1')('readEvidence throughput (DOSSIER_MICROBENCH=1)', () => {
  it('measures hash + split on a plain and a gzipped log', async () => {
    const line = '192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET /index.html HTTP/1.1" 200 2326 "-" "curl/8.0"\n';
    const block = Buffer.from(line.repeat(Math.ceil((4 * 1024 * 1024) / line.length)));
    const { open: fsOpen } = await import('node:fs/promises');
    const fh = await fsOpen(join(dir, 'big.log'), 'w');
    for (let i = 0; i < 64; i++) {
      await fh.write(block);
    }
    await fh.close();
    const { createGzip } = await import('node:zlib');
    const { pipeline } = await import('node:stream/promises');
    const { createReadStream, createWriteStream } = await import('node:fs');
    await pipeline(createReadStream(join(dir, 'big.log')), createGzip({ level: 6 }), createWriteStream(join(outside, 'big.log.gz')));
    for (const root of [join(dir, 'big.log'), join(outside, 'big.log.gz')]) {
      let lines = 0;
      let bytes = 0;
      const t0 = performance.now();
      await readEvidence(root, {
        onMember: async ({ lines: it }) => {
          for await (const b of it()) {
            lines += b.count;
          }
        },
        onMemberDone: (_m, r) => {
          bytes = r.bytes;
        },
      });
      const secs = (performance.now() - t0) / 1000;
      console.log(
        `[bench] readEvidence ${root.endsWith('.gz') ? 'gzip' : 'plain'}: ${(bytes / 1e6 / secs).toFixed(0)} MB/s decoded ` +
          `(${(lines / 1e6).toFixed(1)} M lines, SHA-256 + MD5 of the raw file included)`,
      );
      // the same lines from the plain file and from its gzip
      expect(lines).toBe(64 * (block.length / line.length));
    }
  });
});
