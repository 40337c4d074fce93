/**
 * Hash manifests, one line at a time: `md5sum`/`sha1sum`/`sha256sum`/`sha384sum`/`sha512sum`/`shasum`
 * output (`HASH  name`, `HASH *name` in binary mode, `\HASH  name` when the name had to be escaped),
 * the BSD / `--tag` / openssl style (`MD5 (name) = HASH`, `SHA256(name)= HASH`), and `md5sum -c`
 * results (`name: OK`, `name: FAILED`). Pure and total. A hash line carries no time: the event is
 * untimed (the manifest's capture time is its file's modification time, kept on the evidence).
 */
import type { ParseResult } from '../../../../shared/domain/parsed';
import { emptyEvent } from '../../../../shared/domain/parsed';

export type HashAlgorithm = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** The algorithm a hex digest's length implies (md5sum and sha*sum write no algorithm name). */
export function algorithmByLength(hexLength: number): HashAlgorithm | null {
  switch (hexLength) {
    case 32:
      return 'md5';
    case 40:
      return 'sha1';
    case 56:
      return 'sha224';
    case 64:
      return 'sha256';
    case 96:
      return 'sha384';
    case 128:
      return 'sha512';
    default:
      return null;
  }
}

function algorithmByTag(tag: string): string {
  const t = tag.toLowerCase().replace(/-/gu, '');
  return t === 'sha' ? 'sha1' : t;
}

/** GNU coreutils escaping of a name (a line starting with `\`): `\\` → `\`, `\n` → newline, `\r` → CR. */
export function unescapeGnuName(name: string): string {
  return name.replace(/\\([\\nr])/gu, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : '\\'));
}

const HEX = /^[0-9a-f]+$/iu;
const BSD = /^([A-Z][A-Z0-9/-]{1,15}) ?\((.*)\) ?= ([0-9a-fA-F]{8,128})$/u;
const CHECK = /^(.*): (OK|FAILED|FAILED open or read)$/u;

export function parseManifestLine(line: string): ParseResult {
  if (line.length > 100_000) {
    return { ok: false, reason: 'line too long for a hash manifest' };
  }
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (text.trim() === '') {
    return { ok: false, reason: 'empty line' };
  }
  if (text.startsWith('#')) {
    return { ok: false, reason: 'comment' };
  }
  const escaped = text.startsWith('\\');
  const body = escaped ? text.slice(1) : text;
  const sp = body.indexOf(' ');
  if (sp > 0 && sp <= 128) {
    const hash = body.slice(0, sp);
    const mode = body.charAt(sp + 1);
    const algorithm = algorithmByLength(hash.length);
    if (algorithm !== null && HEX.test(hash) && (mode === ' ' || mode === '*')) {
      const written = body.slice(sp + 2);
      if (written !== '') {
        const path = escaped ? unescapeGnuName(written) : written;
        return {
          ok: true,
          event: {
            ...emptyEvent('file_hash', line),
            severity: 'info',
            extra: { hash: hash.toLowerCase(), algorithm, path, binary_mode: mode === '*', style: 'gnu', escaped },
          },
        };
      }
    }
  }
  const b = BSD.exec(text);
  if (b !== null) {
    const hash = b[3] ?? '';
    const tag = b[1] ?? '';
    return {
      ok: true,
      event: {
        ...emptyEvent('file_hash', line),
        severity: 'info',
        extra: { hash: hash.toLowerCase(), algorithm: algorithmByTag(tag), path: b[2] ?? '', binary_mode: false, style: 'bsd', escaped: false },
      },
    };
  }
  const c = CHECK.exec(text);
  if (c !== null && (c[1] ?? '') !== '') {
    const ok = c[2] === 'OK';
    return {
      ok: true,
      event: { ...emptyEvent('file_check', line), severity: ok ? 'info' : 'warn', extra: { path: c[1] ?? '', check: c[2] ?? '' } },
    };
  }
  return { ok: false, reason: 'not a hash manifest line' };
}

export function sniffManifest(lines: ReadonlyArray<string>): number {
  let total = 0;
  let ok = 0;
  for (const l of lines) {
    if (l.trim() === '' || l.startsWith('#')) {
      continue;
    }
    total += 1;
    const r = parseManifestLine(l);
    // `name: OK` alone is too weak a sign of a manifest: only hash lines count.
    if (r.ok && r.event.kind === 'file_hash') {
      ok += 1;
    }
  }
  return total === 0 ? 0 : ok / total;
}
