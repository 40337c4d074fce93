/** Test-only helpers for the evidence-reader tests (fixtures are created in os.tmpdir(), never in the repo). */
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { openEvidence, type EvidenceMemberInfo, type MemberResult, type OpenEvidenceOptions, type PhysicalFileResult } from './open';
import { listCaseFolder, type WalkEntry } from './walk';

export async function makeTempDir(prefix = 'dossier-source-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Removes a temp dir even when a test made parts of it unreadable. */
export async function removeTempDir(dir: string): Promise<void> {
  const fix = async (p: string): Promise<void> => {
    const st = await lstat(p).catch(() => null);
    if (st?.isDirectory() === true) {
      await chmod(p, 0o755).catch(() => undefined);
      for (const name of await readdir(p).catch(() => [])) {
        await fix(join(p, name));
      }
    }
  };
  await fix(dir);
  await rm(dir, { recursive: true, force: true });
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function md5(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

export type TarSpec = Readonly<{
  name: string;
  data?: Buffer;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  linkname?: string;
  mtime?: Date;
}>;

export async function makeTar(entries: readonly TarSpec[]): Promise<Buffer> {
  const p = pack();
  for (const e of entries) {
    const type = e.type ?? 'file';
    const header = {
      name: e.name,
      type,
      mtime: e.mtime ?? new Date('2024-03-01T12:00:00Z'),
      ...(type === 'file' ? { size: e.data?.length ?? 0 } : {}),
      ...(e.linkname === undefined ? {} : { linkname: e.linkname }),
    };
    if (type === 'file') {
      p.entry(header, e.data ?? Buffer.alloc(0));
    } else {
      p.entry(header);
    }
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) {
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export type ReadMember = Readonly<{ info: EvidenceMemberInfo; data: Buffer; result: MemberResult }>;

/** Reads every member of a walk entry, collecting its bytes. */
export async function readAllMembers(
  entry: WalkEntry,
  options: OpenEvidenceOptions = {},
): Promise<{ members: ReadMember[]; file: PhysicalFileResult }> {
  const file = await openEvidence(entry, options);
  const members: ReadMember[] = [];
  for await (const m of file.members()) {
    const chunks: Buffer[] = [];
    for await (const c of m.chunks()) {
      chunks.push(c);
    }
    members.push({ info: m.info, data: Buffer.concat(chunks), result: await m.finish() });
  }
  return { members, file: await file.finish() };
}

export async function entryFor(root: string, relPath: string): Promise<WalkEntry> {
  const entries = await listCaseFolder(root);
  const e = entries.find((x) => x.relPath === relPath);
  if (e === undefined) {
    throw new Error(`no entry ${relPath} in ${JSON.stringify(entries.map((x) => x.relPath))}`);
  }
  return e;
}
