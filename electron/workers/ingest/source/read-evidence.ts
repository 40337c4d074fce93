/**
 * The evidence reader used by the ingest worker: walks a case folder and, for every logical member of every file,
 * hands over metadata, a content sniff of the first 64 KiB, a line iterator and, once read, digests and outcome.
 *
 * - One pass: every physical byte is read once; hashing, decompression, tar parsing, sniffing and line splitting
 *   all work on that single stream. Files are processed one at a time, in walk order (deterministic).
 * - Evidence is never modified: files are opened read-only (O_NOATIME where permitted), nothing is written next to
 *   them, nothing is unpacked to disk.
 * - Content problems never throw: they are outcomes (`MemberResult.truncated`, `PhysicalFileResult.openError`,
 *   `ioError`, `problems`). Errors thrown by your callbacks propagate (the open file is closed first).
 * - Cancellation: pass an AbortSignal. Reading stops at the next chunk (or between walk steps), the open file
 *   descriptor is closed, and `readEvidence` rejects with the signal's reason (an AbortError by default).
 *
 * Example (ingest worker):
 *   const summary = await readEvidence(caseFolder, {
 *     signal,
 *     onEntry: (entry) => recordSource(entry),                 // every path, with its outcome
 *     onMember: async ({ member, sniff, lines }) => {
 *       if (sniff.binary) return;                                // bytes still hashed, lines not split
 *       for await (const batch of lines()) {
 *         for (let i = 0; i < batch.count; i++) {
 *           if (!batch.oversized(i)) parse(batch.bytes(i), batch.lineNo(i), batch.byteOffset(i));
 *         }
 *       }
 *     },
 *     onMemberDone: (member, result) => recordMember(member, result),   // digests, truncated
 *     onFileDone: (entry, result) => recordFile(entry, result),        // physical digests, grewDuringRead
 *   });
 */
import { sniffContent, type SniffResult } from './binary';
import { splitLines, type LineBatch, type LineSplitOptions } from './lines';
import {
  openEvidence,
  type DecompressionLimits,
  type EvidenceMemberInfo,
  type MemberResult,
  type PhysicalFileResult,
} from './open';
import { classifyUacPath, detectUacLayout, type UacLayout, type UacPathHint } from './uac';
import { listCaseFolder, type WalkEntry, type WalkEntryKind } from './walk';

export const DEFAULT_SNIFF_BYTES = 64 * 1024;

export type MemberContext = Readonly<{
  /** The physical file (walk entry) the member comes from. */
  file: WalkEntry;
  member: EvidenceMemberInfo;
  /** Sniff of the first `sniffBytes` decoded bytes. */
  sniff: SniffResult;
  /** A copy of the first (up to) `sniffBytes` decoded bytes. */
  head: Buffer;
  /** UAC hint for this member path (area, original path on the collected system). */
  uac: UacPathHint;
  /** Lines of the member as raw bytes, in batches. Single use; exclusive with `chunks()`. */
  lines(options?: Partial<LineSplitOptions>): AsyncGenerator<LineBatch, void, undefined>;
  /** The decoded bytes (starting with the head). Single use; exclusive with `lines()`. */
  chunks(): AsyncGenerator<Buffer, void, undefined>;
  /**
   * For a member read straight from its file (no decompression, no archive) only: hands a chunk (a line batch's
   * `base`) back to the file's reader for reuse, once nothing references its bytes any more (EvidenceFile.recycle).
   */
  recycle?: (chunk: Buffer) => boolean;
}>;

export type ReadEvidenceOptions = Readonly<{
  signal?: AbortSignal;
  limits?: Partial<DecompressionLimits>;
  /** Defaults for `lines()`. */
  lineOptions?: Partial<LineSplitOptions>;
  readChunkSize?: number;
  sniffBytes?: number;
  /** Called for every walk entry (files and everything else), in order, before the file is read. */
  onEntry?: (entry: WalkEntry) => void | Promise<void>;
  /** Called for every member; read its lines/chunks before returning (what is left is drained and hashed). */
  onMember?: (ctx: MemberContext) => void | Promise<void>;
  onMemberDone?: (member: EvidenceMemberInfo, result: MemberResult, file: WalkEntry) => void | Promise<void>;
  onFileDone?: (entry: WalkEntry, result: PhysicalFileResult) => void | Promise<void>;
}>;

export type ReadEvidenceSummary = Readonly<{
  root: string;
  /** UAC layout, from the folder paths and the member paths seen inside archives. */
  uac: UacLayout;
  entries: number;
  entriesByKind: Readonly<Record<WalkEntryKind, number>>;
  files: number;
  members: number;
  /** Raw bytes read from disk. */
  bytesRead: number;
  /** Decoded member bytes. */
  bytesDecoded: number;
  truncatedMembers: number;
  /** Files that could not be opened or read completely. */
  filesWithErrors: number;
}>;

async function* replay(head: Buffer[], rest: AsyncIterator<Buffer, void, undefined>): AsyncGenerator<Buffer, void, undefined> {
  // Shift so the head chunks are released as soon as they were consumed.
  for (let chunk = head.shift(); chunk !== undefined; chunk = head.shift()) {
    yield chunk;
  }
  for (;;) {
    const r = await rest.next();
    if (r.done === true) {
      return;
    }
    yield r.value;
  }
}

export async function readEvidence(root: string, options: ReadEvidenceOptions = {}): Promise<ReadEvidenceSummary> {
  const signal = options.signal;
  const sniffBytes = options.sniffBytes ?? DEFAULT_SNIFF_BYTES;
  const entries = await listCaseFolder(root, signal === undefined ? {} : { signal });
  const byKind: Record<WalkEntryKind, number> = {
    file: 0,
    symlink_inside: 0,
    symlink_outside: 0,
    symlink_loop: 0,
    unreadable: 0,
    special: 0,
  };
  const paths: string[] = [];
  let members = 0;
  let bytesRead = 0;
  let bytesDecoded = 0;
  let truncatedMembers = 0;
  let filesWithErrors = 0;

  for (const entry of entries) {
    signal?.throwIfAborted();
    byKind[entry.kind]++;
    paths.push(entry.relPath);
    await options.onEntry?.(entry);
    if (entry.kind !== 'file') {
      continue;
    }
    const file = await openEvidence(entry, {
      ...(signal === undefined ? {} : { signal }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.readChunkSize === undefined ? {} : { readChunkSize: options.readChunkSize }),
    });
    let fileResult: PhysicalFileResult;
    try {
      for await (const member of file.members()) {
        members++;
        if (member.memberPath !== entry.relPath) {
          paths.push(member.memberPath);
        }
        const it = member.chunks()[Symbol.asyncIterator]();
        const headChunks: Buffer[] = [];
        let headLen = 0;
        while (headLen < sniffBytes) {
          const r = await it.next();
          if (r.done === true) {
            break;
          }
          headChunks.push(r.value);
          headLen += r.value.length;
        }
        const all = headChunks.length === 1 ? (headChunks[0] ?? Buffer.alloc(0)) : Buffer.concat(headChunks, headLen);
        const head = Buffer.from(all.subarray(0, Math.min(sniffBytes, all.length)));
        let taken = false;
        const take = (): AsyncGenerator<Buffer, void, undefined> => {
          if (taken) {
            throw new Error(`the content of ${member.memberPath} was already taken (lines() and chunks() are single use)`);
          }
          taken = true;
          return replay(headChunks, it);
        };
        await options.onMember?.({
          file: entry,
          member: member.info,
          sniff: sniffContent(head),
          head,
          uac: classifyUacPath(member.memberPath),
          lines: (lineOptions) => splitLines(take(), { ...options.lineOptions, ...lineOptions }),
          chunks: take,
          ...(member.info.layers.length === 0 ? { recycle: (chunk: Buffer) => file.recycle(chunk) } : {}),
        });
        const result = await member.finish();
        bytesDecoded += result.bytes;
        if (result.truncated !== null) {
          truncatedMembers++;
        }
        await options.onMemberDone?.(member.info, result, entry);
      }
      fileResult = await file.finish();
    } catch (err) {
      await file.close();
      throw err;
    }
    bytesRead += fileResult.bytesRead;
    if (fileResult.openError !== null || !fileResult.complete) {
      filesWithErrors++;
    }
    await options.onFileDone?.(entry, fileResult);
  }
  return {
    root,
    uac: detectUacLayout(paths),
    entries: entries.length,
    entriesByKind: byKind,
    files: byKind.file,
    members,
    bytesRead,
    bytesDecoded,
    truncatedMembers,
    filesWithErrors,
  };
}
