/**
 * Content sniffing on the first bytes of a member (the ingest reads the first 64 KiB).
 *
 * Rules, in order:
 * 1. No bytes: `{ binary: false, encoding: 'empty' }` (an empty file is not an error).
 * 2. A Unicode BOM decides the encoding (text).
 * 3. Known binary magics (ELF, PE, Mach-O, zip, sqlite, png, jpeg, gif, pdf, 7z, xz, zstd, rar, evtx, journald,
 *    pcap, class files, wasm...) make it binary.
 * 4. UTF-16 without BOM: when most odd (resp. even) bytes are NUL and the others are not, it is UTF-16LE (BE) text.
 * 5. Otherwise a proportion test. Logs can legitimately contain NUL bytes: isolated NULs, and NUL padding left by a
 *    crash (a log extended with zero blocks). So runs of >= 8 NULs are treated as padding and not counted; the file
 *    is binary when more than 10% of the remaining bytes are NUL or C0 control bytes other than TAB/LF/CR/FF/VT/ESC
 *    (5% when the sample is not valid UTF-8 — random/compressed data has ~10% control bytes and is never valid
 *    UTF-8). A sample made only of NUL bytes is binary.
 */
import { isUtf8 } from 'node:buffer';

export type TextEncodingGuess = 'utf8' | 'utf16le' | 'utf16be' | 'latin1-ish' | 'empty';

export type SniffResult = Readonly<{
  binary: boolean;
  /** Why it is binary (or which BOM/heuristic decided the encoding). */
  reason?: string;
  encoding: TextEncodingGuess;
}>;

type Magic = Readonly<{ name: string; offset: number; bytes: readonly number[] }>;

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

const MAGICS: readonly Magic[] = [
  { name: 'ELF executable', offset: 0, bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { name: 'Mach-O executable', offset: 0, bytes: [0xcf, 0xfa, 0xed, 0xfe] },
  { name: 'Mach-O executable', offset: 0, bytes: [0xce, 0xfa, 0xed, 0xfe] },
  { name: 'Mach-O executable', offset: 0, bytes: [0xfe, 0xed, 0xfa, 0xcf] },
  { name: 'Mach-O executable', offset: 0, bytes: [0xfe, 0xed, 0xfa, 0xce] },
  { name: 'Java class / Mach-O fat binary', offset: 0, bytes: [0xca, 0xfe, 0xba, 0xbe] },
  { name: 'WebAssembly module', offset: 0, bytes: [0x00, 0x61, 0x73, 0x6d] },
  { name: 'zip archive', offset: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'zip archive (empty)', offset: 0, bytes: [0x50, 0x4b, 0x05, 0x06] },
  { name: 'SQLite database', offset: 0, bytes: ascii('SQLite format 3\u0000') },
  { name: 'PNG image', offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { name: 'JPEG image', offset: 0, bytes: [0xff, 0xd8, 0xff] },
  { name: 'GIF image', offset: 0, bytes: ascii('GIF87a') },
  { name: 'GIF image', offset: 0, bytes: ascii('GIF89a') },
  { name: 'PDF document', offset: 0, bytes: ascii('%PDF-') },
  { name: '7-Zip archive', offset: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'xz stream', offset: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: 'zstd stream', offset: 0, bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: 'lz4 frame', offset: 0, bytes: [0x04, 0x22, 0x4d, 0x18] },
  { name: 'gzip stream', offset: 0, bytes: [0x1f, 0x8b, 0x08] },
  { name: 'bzip2 stream', offset: 0, bytes: ascii('BZh') },
  { name: 'RAR archive', offset: 0, bytes: ascii('Rar!\u001a\u0007') },
  { name: 'Windows event log (EVTX)', offset: 0, bytes: ascii('ElfFile\u0000') },
  { name: 'systemd journal', offset: 0, bytes: ascii('LPKSHHRH') },
  { name: 'pcap capture', offset: 0, bytes: [0xd4, 0xc3, 0xb2, 0xa1] },
  { name: 'pcap capture', offset: 0, bytes: [0xa1, 0xb2, 0xc3, 0xd4] },
  { name: 'pcap capture (ns)', offset: 0, bytes: [0x4d, 0x3c, 0xb2, 0xa1] },
  { name: 'pcapng capture', offset: 0, bytes: [0x0a, 0x0d, 0x0d, 0x0a] },
  { name: 'OLE compound document', offset: 0, bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { name: 'Berkeley DB', offset: 12, bytes: [0x61, 0x15, 0x06, 0x00] },
  { name: 'Berkeley DB (hash)', offset: 12, bytes: [0x00, 0x06, 0x15, 0x61] },
];

function startsWithAt(buf: Uint8Array, magic: Magic): boolean {
  if (buf.length < magic.offset + magic.bytes.length) {
    return false;
  }
  for (let i = 0; i < magic.bytes.length; i++) {
    if (buf[magic.offset + i] !== magic.bytes[i]) {
      return false;
    }
  }
  return true;
}

/** A Windows PE file: "MZ", e_lfanew at 0x3c pointing at "PE\0\0". */
function isPe(buf: Uint8Array): boolean {
  if (buf.length < 0x40 || buf[0] !== 0x4d || buf[1] !== 0x5a) {
    return false;
  }
  const lfanew = (buf[0x3c] ?? 0) | ((buf[0x3d] ?? 0) << 8) | ((buf[0x3e] ?? 0) << 16) | ((buf[0x3f] ?? 0) << 24);
  if (lfanew < 0x40 || lfanew + 4 > buf.length) {
    // Truncated sample: "MZ" plus a NUL-heavy DOS header is enough.
    return buf.subarray(0, 0x40).filter((b) => b === 0).length > 16;
  }
  return buf[lfanew] === 0x50 && buf[lfanew + 1] === 0x45 && buf[lfanew + 2] === 0 && buf[lfanew + 3] === 0;
}

/** Bytes that do not occur in text: NUL and C0 controls other than TAB, LF, VT, FF, CR, ESC; and DEL. */
function isControl(b: number): boolean {
  return (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f;
}

/** UTF-8 validity ignoring a multi-byte sequence cut at the end of the sample. */
function isUtf8Sample(buf: Uint8Array): boolean {
  if (isUtf8(buf)) {
    return true;
  }
  for (let cut = 1; cut <= 3 && cut < buf.length; cut++) {
    const b = buf[buf.length - cut] ?? 0;
    if ((b & 0xc0) === 0xc0) {
      // Lead byte of a sequence that the sample cut.
      return isUtf8(buf.subarray(0, buf.length - cut));
    }
    if ((b & 0xc0) !== 0x80) {
      return false;
    }
  }
  return false;
}

function utf16Guess(buf: Uint8Array): 'utf16le' | 'utf16be' | null {
  const n = buf.length - (buf.length % 2);
  if (n < 8) {
    return null;
  }
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) {
      evenNul++;
    }
    if (buf[i + 1] === 0) {
      oddNul++;
    }
  }
  const pairs = n / 2;
  if (oddNul / pairs > 0.4 && evenNul / pairs < 0.05) {
    return 'utf16le';
  }
  if (evenNul / pairs > 0.4 && oddNul / pairs < 0.05) {
    return 'utf16be';
  }
  return null;
}

/** NUL runs at least this long are padding (not counted against text). */
const NUL_PADDING_RUN = 8;
const MAX_CONTROL_RATIO_UTF8 = 0.1;
const MAX_CONTROL_RATIO_NON_UTF8 = 0.05;

export function sniffContent(firstBytes: Uint8Array): SniffResult {
  const buf = firstBytes;
  if (buf.length === 0) {
    return { binary: false, encoding: 'empty' };
  }
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { binary: false, reason: 'UTF-8 BOM', encoding: 'utf8' };
  }
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) {
    return { binary: false, reason: 'UTF-16LE BOM', encoding: 'utf16le' };
  }
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    return { binary: false, reason: 'UTF-16BE BOM', encoding: 'utf16be' };
  }
  const utf8 = isUtf8Sample(buf);
  const textEncoding: TextEncodingGuess = utf8 ? 'utf8' : 'latin1-ish';
  for (const magic of MAGICS) {
    if (startsWithAt(buf, magic)) {
      return { binary: true, reason: `magic: ${magic.name}`, encoding: textEncoding };
    }
  }
  if (isPe(buf)) {
    return { binary: true, reason: 'magic: Windows PE executable', encoding: textEncoding };
  }
  const utf16 = utf16Guess(buf);
  if (utf16 !== null) {
    return { binary: false, reason: `${utf16} without BOM (NUL pattern)`, encoding: utf16 };
  }
  let padding = 0;
  let controls = 0;
  let run = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i] ?? 0;
    if (b === 0) {
      run++;
      continue;
    }
    if (run > 0) {
      if (run >= NUL_PADDING_RUN) {
        padding += run;
      } else {
        controls += run;
      }
      run = 0;
    }
    if (isControl(b)) {
      controls++;
    }
  }
  if (run >= NUL_PADDING_RUN) {
    padding += run;
  } else {
    controls += run;
  }
  const counted = buf.length - padding;
  if (counted === 0) {
    return { binary: true, reason: 'only NUL bytes', encoding: textEncoding };
  }
  const ratio = controls / counted;
  const max = utf8 ? MAX_CONTROL_RATIO_UTF8 : MAX_CONTROL_RATIO_NON_UTF8;
  if (ratio > max) {
    return {
      binary: true,
      reason: `${(ratio * 100).toFixed(1)}% NUL/control bytes (threshold ${max * 100}%${utf8 ? '' : ', not valid UTF-8'})`,
      encoding: textEncoding,
    };
  }
  return { binary: false, encoding: textEncoding };
}
