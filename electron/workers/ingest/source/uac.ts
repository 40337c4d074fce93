/**
 * Recognition of UAC (Unix-like Artifacts Collector) collections, in a plain folder or inside an archive.
 *
 * A UAC collection (`uac-<hostname>-<os>-<YYYYMMDDhhmmss>[.tar.gz]`) holds, at its base:
 *   `[root]/...`            files copied with their original absolute path (e.g. `[root]/var/log/apache2/access.log`)
 *   `live_response/<cat>/`  command outputs (process, network, system, packages...)
 *   `bodyfile/bodyfile.txt` file-system timeline (mactime bodyfile)
 *   `hash_executables/`     hashes of executables found on the system
 *   `uac.log`, `uac.log.stderr`
 * Paths may be member paths (`uac-x.tar.gz!/[root]/var/log/syslog`) or folder paths with a leading directory.
 */

export type UacArea =
  | 'var_log'
  | 'root_fs'
  | 'live_response'
  | 'bodyfile'
  | 'hash_executables'
  | 'uac_log'
  | 'other';

export type UacPathHint = Readonly<{
  area: UacArea;
  /** The path on the collected system (only for files under `[root]/`), e.g. `/var/log/apache2/access.log`. */
  originalPath: string | null;
  /** For live_response: the category directory (`process`, `network`...). */
  category: string | null;
  /** Path prefix of the collection base this path belongs to ('' when the path starts with the marker). */
  collectionPrefix: string | null;
}>;

export type UacLayout = Readonly<{
  isUac: boolean;
  /** Prefix of the collection base (e.g. '', 'uac-web01-linux-20240101120000/', 'uac-x.tar.gz!/'), or null. */
  rootPrefix: string | null;
  /** Which UAC markers were seen under rootPrefix. */
  markers: readonly UacArea[];
  /** Parsed from a `uac-<hostname>-<os>-<timestamp>` name in the prefix, when present. */
  hostname: string | null;
  os: string | null;
  /** Raw `YYYYMMDDhhmmss` from the collection name (collector's local time). */
  collectedAt: string | null;
}>;


/** Splits `a.tar.gz!/b.tar!/c` into the archive prefix (`a.tar.gz!/b.tar!/`) and the innermost path (`c`). */
function splitArchive(path: string): { outer: string; inner: string } {
  const i = path.lastIndexOf('!/');
  return i === -1 ? { outer: '', inner: path } : { outer: path.slice(0, i + 2), inner: path.slice(i + 2) };
}

function normalize(path: string): string {
  let p = path.replace(/\\/g, '/');
  while (p.startsWith('./')) {
    p = p.slice(2);
  }
  return p.replace(/^\/+/, '');
}

function markerAt(segments: readonly string[], i: number): UacArea | null {
  const seg = segments[i];
  const last = i === segments.length - 1;
  if (seg === '[root]' && !last) {
    return 'root_fs';
  }
  if (seg === 'live_response' && !last) {
    return 'live_response';
  }
  if (seg === 'bodyfile' && !last) {
    return 'bodyfile';
  }
  if (seg === 'hash_executables' && !last) {
    return 'hash_executables';
  }
  if (last && (seg === 'uac.log' || seg === 'uac.log.stderr')) {
    return 'uac_log';
  }
  return null;
}

export function classifyUacPath(path: string): UacPathHint {
  const { outer, inner } = splitArchive(path);
  const p = normalize(inner);
  const segments = p.split('/');
  // `[root]` wins over anything else (a collected file could itself be named uac.log).
  const rootIdx = segments.indexOf('[root]');
  if (rootIdx !== -1 && rootIdx < segments.length - 1) {
    const prefix = outer + segments.slice(0, rootIdx).map((s) => `${s}/`).join('');
    const original = `/${segments.slice(rootIdx + 1).join('/')}`;
    return {
      area: original.startsWith('/var/log/') ? 'var_log' : 'root_fs',
      originalPath: original,
      category: null,
      collectionPrefix: prefix,
    };
  }
  for (let i = 0; i < segments.length; i++) {
    const area = markerAt(segments, i);
    if (area === null) {
      continue;
    }
    const prefix = outer + segments.slice(0, i).map((s) => `${s}/`).join('');
    return {
      area,
      originalPath: null,
      category: area === 'live_response' && i + 2 < segments.length ? (segments[i + 1] ?? null) : null,
      collectionPrefix: prefix,
    };
  }
  return { area: 'other', originalPath: null, category: null, collectionPrefix: null };
}

const NAME_RE =
  /^uac-(.+)-(aix|android|esxi|freebsd|linux|macos|netbsd|netscaler|openbsd|solaris)-(\d{14})(?:\.tar|\.tar\.gz|\.tgz|\.tar\.bz2)?!?$/;

/** The innermost path segment of the prefix named like a UAC collection. */
function parseCollectionName(prefix: string): RegExpExecArray | null {
  const segments = prefix.split('/').filter((s) => s !== '');
  for (let i = segments.length - 1; i >= 0; i--) {
    const m = NAME_RE.exec(segments[i] ?? '');
    if (m !== null) {
      return m;
    }
  }
  return null;
}

/**
 * Decides whether the given paths (folder relPaths and/or archive member paths) contain a UAC collection: at least
 * two different markers (`[root]`, `live_response`, `bodyfile`, `hash_executables`, `uac.log`) under one prefix,
 * or one marker under a prefix named like a UAC collection. The prefix with the most markers wins (ties: shortest).
 */
export function detectUacLayout(paths: readonly string[]): UacLayout {
  const byPrefix = new Map<string, Set<UacArea>>();
  for (const path of paths) {
    const hint = classifyUacPath(path);
    if (hint.collectionPrefix === null) {
      continue;
    }
    const area: UacArea = hint.area === 'var_log' ? 'root_fs' : hint.area;
    let set = byPrefix.get(hint.collectionPrefix);
    if (set === undefined) {
      set = new Set();
      byPrefix.set(hint.collectionPrefix, set);
    }
    set.add(area);
  }
  let best: { prefix: string; markers: Set<UacArea> } | null = null;
  for (const [prefix, markers] of byPrefix) {
    if (
      best === null ||
      markers.size > best.markers.size ||
      (markers.size === best.markers.size && prefix.length < best.prefix.length)
    ) {
      best = { prefix, markers };
    }
  }
  if (best === null) {
    return { isUac: false, rootPrefix: null, markers: [], hostname: null, os: null, collectedAt: null };
  }
  const m = parseCollectionName(best.prefix);
  const isUac = best.markers.size >= 2 || m !== null;
  if (!isUac) {
    return { isUac: false, rootPrefix: null, markers: [...best.markers].sort(), hostname: null, os: null, collectedAt: null };
  }
  return {
    isUac: true,
    rootPrefix: best.prefix,
    markers: [...best.markers].sort(),
    hostname: m?.[1] ?? null,
    os: m?.[2] ?? null,
    collectedAt: m?.[3] ?? null,
  };
}
