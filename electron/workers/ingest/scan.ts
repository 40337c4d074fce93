import { constants as fsConstants } from 'node:fs';
import { open } from 'node:fs/promises';
import { constants as zc, gunzipSync } from 'node:zlib';
import type { ScanResult, ScannedFile } from '../../../shared/domain/evidence';
import { detectFormat } from '../../core/parsers/registry';
import { sniffContent } from './source/binary';
import { decodeLine } from './source/lines';
import { classifyUacPath, detectUacLayout } from './source/uac';
import { listCaseFolder } from './source/walk';

const HEAD_BYTES = 64 * 1024;
const O_NOATIME: number = (fsConstants as Record<string, number>)['O_NOATIME'] ?? 0;

async function readHead(path: string): Promise<Buffer> {
  let fh;
  try {
    fh = await open(path, fsConstants.O_RDONLY | O_NOATIME);
  } catch {
    fh = await open(path, fsConstants.O_RDONLY);
  }
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function sampleLines(head: Buffer): string[] {
  const out: string[] = [];
  let start = 0;
  while (out.length < 200 && start < head.length) {
    const end = head.indexOf(10, start);
    if (end < 0) {
      break;
    }
    out.push(decodeLine(head.subarray(start, end > start && head[end - 1] === 13 ? end - 1 : end)).text);
    start = end + 1;
  }
  return out;
}

/**
 * A quick look at a case folder before ingest: every entry with what Dossier would do with it
 * (detected format and why). Reads at most the first 64 KiB of each file; never writes.
 */
export async function scanFolder(root: string, known: (relPath: string, size: number, mtimeMs: number) => boolean): Promise<ScanResult> {
  const entries = await listCaseFolder(root);
  const files: ScannedFile[] = [];
  let totalBytes = 0;
  for (const e of entries) {
    const base = {
      path: e.relPath,
      size: e.size,
      mtimeUtc: e.mtimeMs > 0 ? new Date(e.mtimeMs).toISOString() : null,
      kind: e.kind,
      uacArea: classifyUacPath(e.relPath).area === 'other' ? null : classifyUacPath(e.relPath).area,
      alreadyInCase: e.kind === 'file' && known(e.relPath, e.size, Math.round(e.mtimeMs)),
    };
    if (e.kind !== 'file') {
      files.push({ ...base, container: 'none', format: 'none', confidence: 0, reason: e.error ?? `${e.kind.replace('_', ' ')}: not read` });
      continue;
    }
    totalBytes += e.size;
    let head: Buffer;
    try {
      head = await readHead(e.absPath);
    } catch (error) {
      files.push({ ...base, container: 'none', format: 'none', confidence: 0, reason: `unreadable: ${(error as Error).message}` });
      continue;
    }
    let container = 'plain';
    if (head[0] === 0x1f && head[1] === 0x8b) {
      container = 'gzip';
      try {
        head = gunzipSync(head, { finishFlush: zc.Z_SYNC_FLUSH }).subarray(0, HEAD_BYTES);
      } catch {
        files.push({ ...base, container, format: 'unknown', confidence: 0, reason: 'gzip data could not be decoded' });
        continue;
      }
    } else if (head.subarray(0, 3).toString('latin1') === 'BZh') {
      files.push({ ...base, container: 'bzip2', format: detectFormat(e.relPath.replace(/\.bz2$/u, ''), []).format, confidence: 0.5, reason: 'bzip2: format from the file name; content is read at ingest' });
      continue;
    }
    if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') {
      files.push({ ...base, container: container === 'gzip' ? 'tar.gz' : 'tar', format: 'archive', confidence: 1, reason: 'tar archive: every member is read at ingest, without unpacking' });
      continue;
    }
    const sniff = sniffContent(head);
    if (sniff.binary) {
      files.push({ ...base, container, format: 'binary', confidence: 1, reason: `binary content (${sniff.reason ?? 'not text'}): hashed and listed, not split into lines` });
      continue;
    }
    const d = detectFormat(e.relPath.replace(/\.gz$/u, ''), sampleLines(head));
    files.push({ ...base, container, format: d.format, confidence: d.confidence, reason: d.reason });
  }
  return { root, files, totalBytes, uac: detectUacLayout(entries.map((e) => e.relPath)).isUac };
}
