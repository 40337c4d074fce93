import type * as esbuildTypes from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAllMembers } from './test-helpers';
import { makeTempDir, removeTempDir } from './test-helpers';
import { listCaseFolder, walkCaseFolder, type WalkEntry } from './walk';

let dir: string;
let outside: string;
beforeEach(async () => {
  dir = await makeTempDir('dossier-walk-');
  outside = await makeTempDir('dossier-outside-');
});
afterEach(async () => {
  await removeTempDir(dir);
  await removeTempDir(outside);
});

const byPath = (entries: readonly WalkEntry[]): Map<string, WalkEntry> => new Map(entries.map((e) => [e.relPath, e]));

describe('walkCaseFolder', () => {
  it('lists files recursively in byte-wise path order with POSIX relPaths', async () => {
    await mkdir(join(dir, 'a/b'), { recursive: true });
    await writeFile(join(dir, 'a/b/z.log'), 'z');
    await writeFile(join(dir, 'a-c.log'), 'ac');
    await writeFile(join(dir, 'a/0.log'), '0');
    await writeFile(join(dir, 'B.log'), 'B');
    await writeFile(join(dir, 'é.log'), 'e');
    await mkdir(join(dir, 'empty'));
    const entries = await listCaseFolder(dir);
    const paths = entries.map((e) => e.relPath);
    expect(paths).toEqual(['B.log', 'a-c.log', 'a/0.log', 'a/b/z.log', 'é.log']);
    const sorted = [...paths].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(paths).toEqual(sorted);
    const e = byPath(entries).get('a/b/z.log');
    expect(e).toMatchObject({ kind: 'file', size: 1, absPath: join(dir, 'a/b/z.log'), nameLossy: false, rawAbsPath: null });
    expect(e?.mtimeMs).toBeGreaterThan(0);
    expect(e?.fileId).toMatch(/^\d+:\d+$/);
  });

  it('reports symlinks: inside (alias, not followed), outside (not followed), loops, dangling', async () => {
    await mkdir(join(dir, 'logs/sub'), { recursive: true });
    await writeFile(join(dir, 'logs/access.log'), 'x\n');
    await writeFile(join(outside, 'secret.txt'), 'outside the case\n');
    await symlink('access.log', join(dir, 'logs/current'));
    await symlink(join(outside, 'secret.txt'), join(dir, 'logs/escape'));
    await symlink(outside, join(dir, 'logs/escape-dir'));
    await symlink('..', join(dir, 'logs/sub/up'));
    await symlink('self', join(dir, 'logs/self'));
    await symlink('ping', join(dir, 'logs/pong'));
    await symlink('pong', join(dir, 'logs/ping'));
    await symlink('missing.log', join(dir, 'logs/dangling'));
    const m = byPath(await listCaseFolder(dir));
    expect(m.get('logs/current')).toMatchObject({ kind: 'symlink_inside', targetRelPath: 'logs/access.log', linkText: 'access.log' });
    expect(m.get('logs/escape')?.kind).toBe('symlink_outside');
    expect(m.get('logs/escape')?.error).toMatch(/outside/);
    expect(m.get('logs/escape-dir')?.kind).toBe('symlink_outside');
    expect(m.get('logs/sub/up')?.kind).toBe('symlink_loop');
    expect(m.get('logs/self')?.kind).toBe('symlink_loop');
    expect(m.get('logs/ping')?.kind).toBe('symlink_loop');
    expect(m.get('logs/dangling')).toMatchObject({ kind: 'unreadable' });
    expect(m.get('logs/dangling')?.error).toMatch(/dangling/);
    // Nothing from outside the root was listed.
    expect([...m.keys()].some((k) => k.includes('secret'))).toBe(false);
  });

  it('lists a FIFO as special without opening it (the walk would block otherwise)', async () => {
    const fifo = join(dir, 'pipe');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      console.warn('mkfifo unavailable: FIFO test skipped');
      return;
    }
    await writeFile(join(dir, 'z.log'), 'z\n');
    const entries = await listCaseFolder(dir);
    expect(byPath(entries).get('pipe')).toMatchObject({ kind: 'special', special: 'fifo' });
    expect(byPath(entries).get('z.log')?.kind).toBe('file');
  });

  it('keeps file names that are not valid UTF-8 readable (raw path bytes)', async () => {
    const rawName = Buffer.concat([Buffer.from('access-'), Buffer.from([0xe9, 0xff]), Buffer.from('.log')]);
    await writeFile(Buffer.concat([Buffer.from(`${dir}/`), rawName]), 'latin1 name\n');
    const [entry] = await listCaseFolder(dir);
    expect(entry?.nameLossy).toBe(true);
    expect(entry?.rawAbsPath?.subarray(-rawName.length).equals(rawName)).toBe(true);
    expect(entry?.relPath).toContain('\uFFFD');
    const { members } = await readAllMembers(entry as WalkEntry);
    expect(members[0]?.data.toString()).toBe('latin1 name\n');
  });

  it('accepts a single file as root', async () => {
    await writeFile(join(dir, 'one.log'), 'one\n');
    const entries = await listCaseFolder(join(dir, 'one.log'));
    expect(entries.map((e) => [e.relPath, e.kind])).toEqual([['one.log', 'file']]);
  });

  it('stops on abort', async () => {
    await writeFile(join(dir, 'a.log'), 'a');
    const ac = new AbortController();
    ac.abort();
    await expect(listCaseFolder(dir, { signal: ac.signal })).rejects.toThrow(/abort/i);
    const ac2 = new AbortController();
    const it = walkCaseFolder(dir, { signal: ac2.signal });
    ac2.abort();
    await expect(it.next()).rejects.toThrow(/abort/i);
  });

  /**
   * Tests run as root, and root reads chmod-000 files anyway. So the unreadable cases run in a child process as
   * `nobody` (the walk bundled with esbuild). When that is impossible (not root, no esbuild), the in-process check
   * runs instead when we are not root, or the test is skipped with a message.
   */
  it('reports unreadable files and directories as entries, and open errors as outcomes', async () => {
    await mkdir(join(dir, 'locked'));
    await writeFile(join(dir, 'locked/inner.log'), 'hidden\n');
    await writeFile(join(dir, 'secret.log'), 'secret\n');
    await writeFile(join(dir, 'ok.log'), 'ok\n');
    await chmod(join(dir, 'locked'), 0o000);
    await chmod(join(dir, 'secret.log'), 0o000);
    await chmod(dir, 0o755);
    const isRoot = process.getuid?.() === 0;
    if (!isRoot) {
      const m = byPath(await listCaseFolder(dir));
      expect(m.get('locked')).toMatchObject({ kind: 'unreadable', isDirectory: true });
      expect(m.get('secret.log')?.kind).toBe('unreadable');
      expect(m.get('ok.log')?.kind).toBe('file');
      return;
    }
    let esbuild: typeof esbuildTypes;
    try {
      esbuild = await import('esbuild');
    } catch {
      console.warn('running as root without esbuild: unreadable-file test skipped (root can read chmod 000 files)');
      return;
    }
    const script = join(outside, 'child.ts');
    const bundle = join(outside, 'child.cjs');
    await writeFile(
      script,
      `import { listCaseFolder } from ${JSON.stringify(join(import.meta.dirname, 'walk.ts'))};
       import { openEvidence } from ${JSON.stringify(join(import.meta.dirname, 'open.ts'))};
       void (async () => {
         const entries = await listCaseFolder(process.argv[2]);
         const secret = entries.find((e) => e.relPath === 'secret.log');
         const forced = { ...secret, kind: 'file' };
         const file = await openEvidence(forced);
         const res = await file.finish();
         console.log(JSON.stringify({ entries, openError: res.openError }));
       })();`,
    );
    await esbuild.build({ entryPoints: [script], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent' });
    await chmod(outside, 0o755);
    await chmod(bundle, 0o644);
    const run = spawnSync(process.execPath, [bundle, dir], { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 30_000 });
    if (run.error !== undefined || run.status !== 0) {
      console.warn(`cannot run as nobody (${run.error?.message ?? run.stderr}): unreadable-file test skipped`);
      return;
    }
    const out = JSON.parse(run.stdout) as { entries: WalkEntry[]; openError: string | null };
    const m = byPath(out.entries);
    expect(m.get('locked')).toMatchObject({ kind: 'unreadable', isDirectory: true });
    expect(m.get('locked')?.error).toMatch(/EACCES/);
    expect(m.get('secret.log')?.kind).toBe('unreadable');
    expect(m.get('secret.log')?.error).toMatch(/EACCES/);
    expect(m.get('ok.log')?.kind).toBe('file');
    expect(out.openError).toMatch(/EACCES/);
  });
});
