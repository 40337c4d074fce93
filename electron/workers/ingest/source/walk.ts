/**
 * Walks a case folder, read-only, listing every path with an outcome.
 *
 * - Order is deterministic: entries come sorted by relPath, compared byte-wise (UTF-8 bytes of the names), as
 *   `sort` with `LC_ALL=C` would sort the full relative paths.
 * - Symlinks are never followed. A symlink whose target resolves outside the root is `symlink_outside`; one whose
 *   resolution loops (ELOOP) or that points at one of its own ancestor directories is `symlink_loop`; one that points
 *   to something inside the root is `symlink_inside` (an alias: its target is listed under its real path anyway, so
 *   following it would only read the same evidence twice); a dangling one is `unreadable`.
 * - Directories are tracked by dev:ino: a directory reached twice (bind mount, loop) is reported `symlink_loop` and
 *   not entered again.
 * - FIFOs, sockets and devices are `special` and never opened (opening a FIFO would block).
 * - Nothing is skipped silently: errors (lstat, readdir, access) become `unreadable` entries with `error` set.
 * - Only metadata calls are made (lstat, readdir, realpath, readlink, access): no file is opened. The OS may still
 *   update atimes that no API lets us protect: a directory's when it is listed (Node cannot read a directory with
 *   O_NOATIME) and a symlink's when it is resolved. File contents, mtimes and regular files' atimes are untouched
 *   (files are read with O_NOATIME, see byte-source.ts).
 * - File names that are not valid UTF-8 are kept exactly: `rawAbsPath` holds the bytes to open the file with, and
 *   `relPath` is a lossy (U+FFFD) rendering flagged by `nameLossy`.
 */
import { isUtf8 } from 'node:buffer';
import { constants as fsConstants, type BigIntStats } from 'node:fs';
import { access, lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { resolve as resolvePath, basename } from 'node:path';

export type WalkEntryKind = 'file' | 'symlink_inside' | 'symlink_outside' | 'symlink_loop' | 'unreadable' | 'special';

export type SpecialKind = 'fifo' | 'socket' | 'char_device' | 'block_device' | 'unknown';

export type WalkEntry = Readonly<{
  /** Relative to the root, POSIX separators, no leading './'. For a root that is a single file: its base name. */
  relPath: string;
  absPath: string;
  /** Set only when the path is not valid UTF-8: the exact bytes to use with fs calls. */
  rawAbsPath: Buffer | null;
  /** relPath contains U+FFFD replacements (the name is not valid UTF-8). */
  nameLossy: boolean;
  kind: WalkEntryKind;
  /** For files: size at listing time. For symlinks: length of the link itself. 0 when unknown. */
  size: number;
  mtimeMs: number;
  /** `dev:ino` (exact, from bigint stats); empty when lstat failed. */
  fileId: string;
  isDirectory: boolean;
  special?: SpecialKind;
  /** Symlinks: the link text as stored (readlink). */
  linkText?: string;
  /** symlink_inside: relPath of the resolved target. */
  targetRelPath?: string;
  error?: string;
}>;

export type WalkOptions = Readonly<{
  signal?: AbortSignal;
}>;

const SLASH = 0x2f;

type Child = { name: Buffer; abs: Buffer; st: BigIntStats | null; error: string | null; key: Buffer };

function errorText(err: unknown): string {
  if (err instanceof Error) {
    return err.message;
  }
  return String(err);
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

function joinBuf(dir: Buffer, name: Buffer): Buffer {
  if (dir.length > 0 && dir[dir.length - 1] === SLASH) {
    return Buffer.concat([dir, name]);
  }
  return Buffer.concat([dir, Buffer.from('/'), name]);
}

function specialKind(st: BigIntStats): SpecialKind {
  if (st.isFIFO()) {
    return 'fifo';
  }
  if (st.isSocket()) {
    return 'socket';
  }
  if (st.isCharacterDevice()) {
    return 'char_device';
  }
  if (st.isBlockDevice()) {
    return 'block_device';
  }
  return 'unknown';
}

function fileIdOf(st: BigIntStats): string {
  return `${st.dev}:${st.ino}`;
}

function mtimeOf(st: BigIntStats): number {
  return Number(st.mtimeNs) / 1e6;
}

function makeEntry(
  relBuf: Buffer,
  absBuf: Buffer,
  kind: WalkEntryKind,
  st: BigIntStats | null,
  extra: Partial<Pick<WalkEntry, 'special' | 'linkText' | 'targetRelPath' | 'error' | 'isDirectory'>> = {},
): WalkEntry {
  const lossy = !isUtf8(absBuf);
  return {
    relPath: relBuf.toString('utf8'),
    absPath: absBuf.toString('utf8'),
    rawAbsPath: lossy ? absBuf : null,
    nameLossy: lossy,
    kind,
    size: st === null ? 0 : Number(st.size),
    mtimeMs: st === null ? 0 : mtimeOf(st),
    fileId: st === null ? '' : fileIdOf(st),
    isDirectory: st?.isDirectory() ?? false,
    ...extra,
  };
}

/** Resolves a symlink and decides its kind; never follows it for reading. */
async function classifySymlink(
  abs: Buffer,
  relBuf: Buffer,
  st: BigIntStats,
  realRoot: Buffer,
  ancestors: ReadonlySet<string>,
): Promise<WalkEntry> {
  let linkText: string | undefined;
  try {
    linkText = (await readlink(abs, { encoding: 'buffer' })).toString('utf8');
  } catch {
    linkText = undefined;
  }
  const base = linkText === undefined ? {} : { linkText };
  let target: Buffer;
  try {
    target = await realpath(abs, { encoding: 'buffer' });
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ELOOP') {
      return makeEntry(relBuf, abs, 'symlink_loop', st, { ...base, error: `symlink loop: ${errorText(err)}` });
    }
    return makeEntry(relBuf, abs, 'unreadable', st, {
      ...base,
      error: code === 'ENOENT' ? `dangling symlink (target does not exist): ${linkText ?? '?'}` : errorText(err),
    });
  }
  const inside = target.equals(realRoot) || (target.length > realRoot.length && target[realRoot.length] === SLASH && target.subarray(0, realRoot.length).equals(realRoot));
  if (!inside) {
    return makeEntry(relBuf, abs, 'symlink_outside', st, {
      ...base,
      error: `symlink points outside the case folder: ${target.toString('utf8')} (not followed)`,
    });
  }
  let targetSt: BigIntStats | null;
  try {
    targetSt = await stat(target, { bigint: true });
  } catch {
    targetSt = null;
  }
  if (targetSt !== null && targetSt.isDirectory() && ancestors.has(fileIdOf(targetSt))) {
    return makeEntry(relBuf, abs, 'symlink_loop', st, {
      ...base,
      error: 'symlink points to one of its own ancestor directories (not followed)',
    });
  }
  const targetRel = target.length === realRoot.length ? '' : target.subarray(realRoot.length + 1).toString('utf8');
  return makeEntry(relBuf, abs, 'symlink_inside', st, { ...base, targetRelPath: targetRel });
}

/**
 * Lists every path under `root` in deterministic byte-wise order. `root` may also be a single file.
 * Throws only when the root itself cannot be read, or on abort.
 */
export async function* walkCaseFolder(root: string, options: WalkOptions = {}): AsyncGenerator<WalkEntry, void, undefined> {
  const signal = options.signal;
  signal?.throwIfAborted();
  const rootAbs = Buffer.from(resolvePath(root));
  const rootSt = await stat(rootAbs, { bigint: true });
  if (!rootSt.isDirectory()) {
    const rel = Buffer.from(basename(rootAbs.toString('utf8')));
    if (rootSt.isFile()) {
      yield await fileEntry(rel, rootAbs, rootSt);
    } else {
      yield makeEntry(rel, rootAbs, 'special', rootSt, { special: specialKind(rootSt) });
    }
    return;
  }
  const realRoot = await realpath(rootAbs, { encoding: 'buffer' });
  const visited = new Set<string>([fileIdOf(rootSt)]);
  const ancestors = new Set<string>([fileIdOf(rootSt)]);
  yield* walkDir(rootAbs, Buffer.alloc(0), realRoot, visited, ancestors, signal);
}

async function fileEntry(relBuf: Buffer, abs: Buffer, st: BigIntStats): Promise<WalkEntry> {
  try {
    await access(abs, fsConstants.R_OK);
  } catch (err) {
    return makeEntry(relBuf, abs, 'unreadable', st, { error: errorText(err) });
  }
  return makeEntry(relBuf, abs, 'file', st);
}

const LSTAT_BATCH = 32;

async function* walkDir(
  dirAbs: Buffer,
  dirRel: Buffer,
  realRoot: Buffer,
  visited: Set<string>,
  ancestors: Set<string>,
  signal: AbortSignal | undefined,
): AsyncGenerator<WalkEntry, void, undefined> {
  signal?.throwIfAborted();
  const names = await readdir(dirAbs, { encoding: 'buffer' });
  const children: Child[] = [];
  for (let i = 0; i < names.length; i += LSTAT_BATCH) {
    signal?.throwIfAborted();
    const batch = names.slice(i, i + LSTAT_BATCH);
    const stats = await Promise.all(
      batch.map(async (name): Promise<Child> => {
        const abs = joinBuf(dirAbs, name);
        try {
          const st = await lstat(abs, { bigint: true });
          const key = st.isDirectory() ? Buffer.concat([name, Buffer.from('/')]) : name;
          return { name, abs, st, error: null, key };
        } catch (err) {
          return { name, abs, st: null, error: errorText(err), key: name };
        }
      }),
    );
    children.push(...stats);
  }
  // Sorting siblings by name (plus '/' for directories) gives byte-wise order of the full relative paths.
  children.sort((a, b) => Buffer.compare(a.key, b.key));
  for (const child of children) {
    signal?.throwIfAborted();
    const relBuf = dirRel.length === 0 ? child.name : joinBuf(dirRel, child.name);
    const st = child.st;
    if (st === null) {
      yield makeEntry(relBuf, child.abs, 'unreadable', null, { error: child.error ?? 'lstat failed' });
      continue;
    }
    if (st.isSymbolicLink()) {
      yield await classifySymlink(child.abs, relBuf, st, realRoot, ancestors);
      continue;
    }
    if (st.isDirectory()) {
      const id = fileIdOf(st);
      if (visited.has(id)) {
        yield makeEntry(relBuf, child.abs, 'symlink_loop', st, {
          error: 'directory already visited under another path (bind mount or loop); not entered again',
        });
        continue;
      }
      visited.add(id);
      ancestors.add(id);
      try {
        yield* walkDir(child.abs, relBuf, realRoot, visited, ancestors, signal);
      } catch (err) {
        if (signal?.aborted) {
          throw err;
        }
        // Deeper errors are turned into entries below; what reaches here is this directory's own readdir failure.
        yield makeEntry(relBuf, child.abs, 'unreadable', st, { error: `cannot list directory: ${errorText(err)}` });
      } finally {
        ancestors.delete(id);
      }
      continue;
    }
    if (st.isFile()) {
      yield await fileEntry(relBuf, child.abs, st);
      continue;
    }
    yield makeEntry(relBuf, child.abs, 'special', st, { special: specialKind(st), error: 'not a regular file (never opened)' });
  }
}

/** Convenience: the whole listing as an array. */
export async function listCaseFolder(root: string, options: WalkOptions = {}): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  for await (const entry of walkCaseFolder(root, options)) {
    out.push(entry);
  }
  return out;
}
