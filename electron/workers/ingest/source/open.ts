/**
 * Opens one physical evidence file (a `file` entry from the walk) and yields its *logical evidence members*:
 *
 * - a plain file is one member;
 * - gzip (magic 1f 8b 08, whatever the name; multi-member too) and bzip2 (magic `BZh1`..`BZh9` + block magic) are
 *   decompressed transparently, bounded by the decompression limits;
 * - a tar (ustar/GNU magic at offset 257 with a valid header checksum, found after decompression too: .tar, .tar.gz,
 *   .tgz, .tar.bz2) is read with tar-stream without unpacking anything to disk; every regular entry becomes a member
 *   `archive.tar.gz!/path/inside` and is itself examined the same way (a rotated `access.log.2.gz` inside the tar is
 *   decompressed, a tar inside a tar is opened), up to `maxDepth` layers.
 *
 * One read pass: the physical bytes are read once, hashed (SHA-256 + MD5) as they are read, and fed to the
 * decoders. Members inside archives also get digests of their decoded bytes and (inside a tar) of the raw entry
 * bytes, i.e. of the file as it was on the collected system (the `.gz` itself for a rotated log).
 *
 * Nothing here throws for content or I/O problems: they are reported as outcomes (`truncated` on members,
 * `openError` / `ioError` / `problems` on the file). Only an abort (AbortSignal) rejects.
 *
 * Usage:
 *   const file = await openEvidence(entry, { signal });
 *   for await (const member of file.members()) {
 *     for await (const chunk of member.chunks()) { ... }   // optional: skipped bytes are still drained and hashed
 *     const result = await member.finish();                 // digests, truncation
 *   }
 *   const physical = await file.finish();                   // physical digests, grewDuringRead, errors
 */
import {
  Decompressor,
  DualHash,
  PhysicalFile,
  errorMessage,
  formatBytes,
  peekSource,
  type ByteSource,
  type DecompressionKind,
  type Digests,
  type Truncation,
} from './byte-source';
import { TarReader, type TarEntry } from './tar-reader';
import type { WalkEntry } from './walk';

export type { Digests, Truncation, TruncationReason } from './byte-source';
export { classifyUacPath, detectUacLayout, type UacArea, type UacLayout, type UacPathHint } from './uac';

export type Layer = 'gzip' | 'bzip2' | 'tar';

export type MemberContainer = 'plain' | 'gzip' | 'bzip2' | 'tar';

export type DecompressionLimits = Readonly<{
  /** Decoded bytes may reach ratio × compressed size... */
  ratio: number;
  /** ...or this floor, whichever is larger. */
  floorBytes: number;
  /** Maximum number of container layers examined (gzip in tar in gzip...). Deeper content is read as is. */
  maxDepth: number;
}>;

export const DEFAULT_DECOMPRESSION_LIMITS: DecompressionLimits = {
  ratio: 200,
  floorBytes: 1024 * 1024 * 1024,
  maxDepth: 4,
};

export const DEFAULT_READ_CHUNK_SIZE = 1024 * 1024;

export type OpenEvidenceOptions = Readonly<{
  signal?: AbortSignal;
  limits?: Partial<DecompressionLimits>;
  /** Size of physical reads. Default 1 MiB. */
  readChunkSize?: number;
}>;

export type TarEntryMeta = Readonly<{
  name: string;
  size: number;
  mode: number | null;
  uid: number | null;
  gid: number | null;
  uname: string | null;
  gname: string | null;
}>;

export type EvidenceMemberInfo = Readonly<{
  /** `relPath` for a plain or compressed file; `relPath!/inside/archive` (nested: `a.tar!/b.tar!/c`) in a tar. */
  memberPath: string;
  /** relPath of the physical file. */
  physicalRelPath: string;
  /** Path inside the innermost tar (normalised: no leading `./` or `/`); null outside archives. */
  innerPath: string | null;
  /** 'tar' when inside a tar, else the last decompression, else 'plain'. */
  container: MemberContainer;
  /** Layers from the outside in, e.g. ['gzip', 'tar', 'gzip'] for a rotated .gz log inside a .tar.gz. */
  layers: readonly Layer[];
  /** Size of the compressed object the member was decoded from (file size, or tar entry size); when compressed. */
  compressedSize?: number;
  /** Size announced in advance: file size at open (plain), tar header size (uncompressed entry); else null. */
  declaredSize: number | null;
  /** File mtime (plain/compressed file) or tar header mtime (inside a tar). */
  mtimeMs: number;
  tarEntry: TarEntryMeta | null;
}>;

export type ArchiveEntryResult = Readonly<{
  size: number;
  bytes: number;
  complete: boolean;
  sha256: string;
  md5: string;
}>;

export type MemberResult = Readonly<{
  /** Decoded bytes delivered (and hashed). */
  bytes: number;
  /** Digests of the decoded bytes (of what was decoded, when truncated). */
  sha256: string;
  md5: string;
  complete: boolean;
  truncated: Truncation | null;
  /** Inside a tar: the raw entry (the file as it was on the collected system). */
  archiveEntry: ArchiveEntryResult | null;
}>;

export type EvidenceMember = EvidenceMemberInfo & {
  readonly info: EvidenceMemberInfo;
  /** The decoded bytes, once (single use). Breaking out early is fine: `finish()` drains and hashes the rest. */
  chunks(): AsyncGenerator<Buffer, void, undefined>;
  /** Drains what was not read, and returns the digests and outcome. Idempotent. */
  finish(): Promise<MemberResult>;
};

export type SkippedArchiveEntry = Readonly<{ path: string; type: string; linkname: string | null; size: number }>;

export type ContainerProblem = Readonly<{ path: string; truncation: Truncation }>;

export type PhysicalFileResult = Readonly<{
  relPath: string;
  /** Why the file could not be opened (nothing was read). */
  openError: string | null;
  sizeAtOpen: number | null;
  bytesRead: number;
  /** Digests of the raw bytes read from disk (all of them when `complete`); null when not opened. */
  sha256: string | null;
  md5: string | null;
  complete: boolean;
  grewDuringRead: boolean;
  shrankDuringRead: boolean;
  modifiedDuringRead: boolean;
  ioError: string | null;
  /** The file was opened with O_NOATIME (its atime cannot have changed). */
  noatime: boolean;
  members: number;
  /** Archive-level problems (corrupt or truncated tar, bomb stopped around a tar...). */
  problems: readonly ContainerProblem[];
  /** Archive entries that are not regular files (symlinks, hard links, devices...): listed, not read. */
  skippedEntries: readonly SkippedArchiveEntry[];
}>;

export type EvidenceFile = {
  readonly entry: WalkEntry;
  /** Members in archive order (single use). */
  members(): AsyncGenerator<EvidenceMember, void, undefined>;
  /** Reads what is left (hashing it), checks for growth, closes. Idempotent. Rejects only on abort (fd closed). */
  finish(): Promise<PhysicalFileResult>;
  /** Closes without draining (e.g. after an abort). */
  close(): Promise<void>;
  /**
   * `PhysicalFile.recycle` of the file's reader. Only a member read straight from the file (no decompression, no
   * archive: `layers` empty) has the file's chunks themselves; a tar member's chunks are views of chunks that
   * hold the next member's bytes too, so read-evidence offers it for plain members only.
   */
  recycle(chunk: Uint8Array): boolean;
};

type Ctx = Readonly<{
  physicalRelPath: string;
  memberPath: string;
  innerPath: string | null;
  layers: readonly Layer[];
  /** Size of the bytes `expand` is looking at, when known (file size, tar entry size). */
  inputSize: number | null;
  compressedSize: number | null;
  declaredSize: number | null;
  mtimeMs: number;
  tarEntryMeta: TarEntryMeta | null;
  /** The raw object whose hash equals the member's when no decoding happens in between. */
  rawHashOf: { digests(): Digests } | null;
  tarEntry: TarEntry | null;
  depth: number;
}>;

type Shared = {
  limits: DecompressionLimits;
  problems: ContainerProblem[];
  skipped: SkippedArchiveEntry[];
  members: number;
};

function detectKind(head: Buffer): DecompressionKind | 'tar' | null {
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) {
    return 'gzip';
  }
  if (
    head.length >= 10 &&
    head[0] === 0x42 &&
    head[1] === 0x5a &&
    head[2] === 0x68 &&
    (head[3] ?? 0) >= 0x31 &&
    (head[3] ?? 0) <= 0x39 &&
    ((head[4] === 0x31 && head[5] === 0x41 && head[6] === 0x59 && head[7] === 0x26 && head[8] === 0x53 && head[9] === 0x59) ||
      (head[4] === 0x17 && head[5] === 0x72 && head[6] === 0x45 && head[7] === 0x38 && head[8] === 0x50 && head[9] === 0x90))
  ) {
    return 'bzip2';
  }
  if (isTarHeader(head)) {
    return 'tar';
  }
  return null;
}

/** ustar ("ustar\0") or GNU ("ustar  \0") magic at 257, and a valid header checksum. */
export function isTarHeader(head: Buffer): boolean {
  if (head.length < 512 || head.toString('latin1', 257, 262) !== 'ustar') {
    return false;
  }
  const field = head.toString('latin1', 148, 156).replace(/[\0 ]+$/g, '').trim();
  if (!/^[0-7]+$/.test(field)) {
    return false;
  }
  const expected = parseInt(field, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (head[i] ?? 0);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return expected === unsigned || expected === signed;
}

function normalizeEntryName(name: string): string {
  let n = name;
  while (n.startsWith('./')) {
    n = n.slice(2);
  }
  return n.replace(/^\/+/, '');
}

function containerOf(layers: readonly Layer[]): MemberContainer {
  if (layers.includes('tar')) {
    return 'tar';
  }
  return layers[layers.length - 1] ?? 'plain';
}

class Member implements EvidenceMember {
  readonly info: EvidenceMemberInfo;
  #source: ByteSource;
  #ctx: Ctx;
  #hash: DualHash | null;
  #bytes = 0;
  #ended = false;
  #chunksTaken = false;
  #result: MemberResult | null = null;

  constructor(source: ByteSource, ctx: Ctx) {
    this.#source = source;
    this.#ctx = ctx;
    this.#hash = ctx.rawHashOf === null ? new DualHash() : null;
    const info: EvidenceMemberInfo = {
      memberPath: ctx.memberPath,
      physicalRelPath: ctx.physicalRelPath,
      innerPath: ctx.innerPath,
      container: containerOf(ctx.layers),
      layers: ctx.layers,
      ...(ctx.compressedSize === null ? {} : { compressedSize: ctx.compressedSize }),
      declaredSize: ctx.declaredSize,
      mtimeMs: ctx.mtimeMs,
      tarEntry: ctx.tarEntryMeta,
    };
    this.info = info;
  }

  get memberPath(): string {
    return this.info.memberPath;
  }
  get physicalRelPath(): string {
    return this.info.physicalRelPath;
  }
  get innerPath(): string | null {
    return this.info.innerPath;
  }
  get container(): MemberContainer {
    return this.info.container;
  }
  get layers(): readonly Layer[] {
    return this.info.layers;
  }
  get compressedSize(): number | undefined {
    return this.info.compressedSize;
  }
  get declaredSize(): number | null {
    return this.info.declaredSize;
  }
  get mtimeMs(): number {
    return this.info.mtimeMs;
  }
  get tarEntry(): TarEntryMeta | null {
    return this.info.tarEntry;
  }

  async #next(): Promise<Buffer | null> {
    if (this.#ended) {
      return null;
    }
    const chunk = await this.#source.pull();
    if (chunk === null) {
      this.#ended = true;
      return null;
    }
    this.#bytes += chunk.length;
    this.#hash?.update(chunk);
    return chunk;
  }

  async *chunks(): AsyncGenerator<Buffer, void, undefined> {
    if (this.#chunksTaken) {
      throw new Error(`chunks() of ${this.info.memberPath} was already taken`);
    }
    this.#chunksTaken = true;
    for (;;) {
      const chunk = await this.#next();
      if (chunk === null) {
        return;
      }
      yield chunk;
    }
  }

  async finish(): Promise<MemberResult> {
    if (this.#result !== null) {
      return this.#result;
    }
    while ((await this.#next()) !== null) {
      // drain: hash only
    }
    const truncated = this.#source.truncation();
    const entry = this.#ctx.tarEntry;
    const entryResult = entry === null ? null : await entry.finish();
    const digests = this.#hash?.digest() ?? this.#ctx.rawHashOf?.digests() ?? new DualHash().digest();
    this.#result = {
      bytes: this.#bytes,
      sha256: digests.sha256,
      md5: digests.md5,
      complete: truncated === null,
      truncated,
      archiveEntry:
        entryResult === null
          ? null
          : {
              size: entryResult.size,
              bytes: entryResult.bytes,
              complete: entryResult.complete,
              sha256: entryResult.digests.sha256,
              md5: entryResult.digests.md5,
            },
    };
    return this.#result;
  }
}

async function* expand(src: ByteSource, ctx: Ctx, shared: Shared): AsyncGenerator<Member, void, undefined> {
  const { head, source } = await peekSource(src, 512);
  const kind = ctx.depth < shared.limits.maxDepth ? detectKind(head) : null;
  if (kind === 'gzip' || kind === 'bzip2') {
    const { ratio, floorBytes } = shared.limits;
    const compressed = ctx.inputSize;
    const maxBytes = Math.max(compressed === null ? 0 : ratio * compressed, floorBytes);
    const explanation =
      compressed === null
        ? `floor ${formatBytes(floorBytes)}; compressed size unknown`
        : `max(ratio ${ratio} × compressed size ${formatBytes(compressed)}, floor ${formatBytes(floorBytes)})`;
    const decoder = new Decompressor(source, kind, { maxBytes, explanation });
    try {
      yield* expand(
        decoder,
        {
          ...ctx,
          layers: [...ctx.layers, kind],
          inputSize: null,
          compressedSize: ctx.compressedSize ?? compressed,
          declaredSize: null,
          rawHashOf: null,
          depth: ctx.depth + 1,
        },
        shared,
      );
    } finally {
      await decoder.close();
    }
    return;
  }
  if (kind === 'tar') {
    const reader = new TarReader(source);
    try {
      for (;;) {
        const entry = await reader.next();
        if (entry === null) {
          break;
        }
        const h = entry.header;
        const name = normalizeEntryName(h.name);
        const path = `${ctx.memberPath}!/${name}`;
        const type = h.type ?? 'file';
        if (type === 'file' || type === 'contiguous-file') {
          yield* expand(
            entry,
            {
              physicalRelPath: ctx.physicalRelPath,
              memberPath: path,
              innerPath: name,
              layers: [...ctx.layers, 'tar'],
              inputSize: h.size,
              compressedSize: null,
              declaredSize: h.size,
              mtimeMs: h.mtime instanceof Date ? h.mtime.getTime() : ctx.mtimeMs,
              tarEntryMeta: {
                name: h.name,
                size: h.size,
                mode: h.mode ?? null,
                uid: h.uid ?? null,
                gid: h.gid ?? null,
                uname: h.uname ?? null,
                gname: h.gname ?? null,
              },
              rawHashOf: entry,
              tarEntry: entry,
              depth: ctx.depth + 1,
            },
            shared,
          );
        } else if (type !== 'directory') {
          shared.skipped.push({ path, type, linkname: h.linkname ?? null, size: h.size });
        }
        await entry.finish();
      }
    } finally {
      await reader.close();
    }
    const problem = reader.problem();
    if (problem !== null) {
      shared.problems.push({ path: ctx.memberPath, truncation: problem });
    }
    return;
  }
  const member = new Member(source, ctx);
  shared.members++;
  yield member;
  await member.finish();
}

/**
 * Opens a `file` entry of the walk. Never rejects for I/O problems (they become `openError`/`ioError`); rejects
 * with a TypeError for an entry that is not a file, and on abort.
 */
export async function openEvidence(entry: WalkEntry, options: OpenEvidenceOptions = {}): Promise<EvidenceFile> {
  if (entry.kind !== 'file') {
    throw new TypeError(`openEvidence: ${entry.relPath} is not a file entry (kind ${entry.kind})`);
  }
  const limits: DecompressionLimits = { ...DEFAULT_DECOMPRESSION_LIMITS, ...options.limits };
  const signal = options.signal;
  let physical: PhysicalFile | null = null;
  let openError: string | null = null;
  try {
    physical = await PhysicalFile.open(entry.rawAbsPath ?? entry.absPath, {
      chunkSize: options.readChunkSize ?? DEFAULT_READ_CHUNK_SIZE,
      ...(signal === undefined ? {} : { signal }),
      expectedFileId: entry.fileId,
    });
  } catch (err) {
    signal?.throwIfAborted();
    openError = errorMessage(err);
  }
  const shared: Shared = { limits, problems: [], skipped: [], members: 0 };
  let membersTaken = false;
  let result: PhysicalFileResult | null = null;

  const finish = async (): Promise<PhysicalFileResult> => {
    if (result !== null) {
      return result;
    }
    if (physical === null) {
      result = {
        relPath: entry.relPath,
        openError,
        sizeAtOpen: null,
        bytesRead: 0,
        sha256: null,
        md5: null,
        complete: false,
        grewDuringRead: false,
        shrankDuringRead: false,
        modifiedDuringRead: false,
        ioError: null,
        noatime: false,
        members: 0,
        problems: [],
        skippedEntries: [],
      };
      return result;
    }
    const state = await physical.finish();
    result = {
      relPath: entry.relPath,
      openError: null,
      sizeAtOpen: state.sizeAtOpen,
      bytesRead: state.bytesRead,
      sha256: state.digests.sha256,
      md5: state.digests.md5,
      complete: state.complete,
      grewDuringRead: state.grewDuringRead,
      shrankDuringRead: state.shrankDuringRead,
      modifiedDuringRead: state.modifiedDuringRead,
      ioError: state.ioError,
      noatime: state.noatime,
      members: shared.members,
      problems: shared.problems,
      skippedEntries: shared.skipped,
    };
    return result;
  };

  async function* members(): AsyncGenerator<EvidenceMember, void, undefined> {
    if (membersTaken) {
      throw new Error(`members() of ${entry.relPath} was already taken`);
    }
    membersTaken = true;
    if (physical === null) {
      return;
    }
    const p = physical;
    yield* expand(
      p,
      {
        physicalRelPath: entry.relPath,
        memberPath: entry.relPath,
        innerPath: null,
        layers: [],
        inputSize: p.sizeAtOpen,
        compressedSize: null,
        declaredSize: p.sizeAtOpen,
        mtimeMs: p.mtimeMsAtOpen,
        tarEntryMeta: null,
        rawHashOf: p,
        tarEntry: null,
        depth: 0,
      },
      shared,
    );
  }

  return {
    entry,
    members,
    finish,
    close: async () => {
      await physical?.close();
    },
    recycle: (chunk) => physical?.recycle(chunk) ?? false,
  };
}
