/**
 * Hash manifests compared: baseline vs now (changed, appeared, disappeared), and a manifest vs a
 * bodyfile (modified after the manifest was taken, MD5 differs, missing). Pure: the service reads the
 * entries from the case and passes them in.
 */
import { alignRoots, relativeTo, type RootAlignment } from './paths';

export type ManifestEntry = Readonly<{
  path: string;
  hash: string;
  algorithm: string;
  eventId: number;
  lineNo: number;
}>;

export type ManifestChange = Readonly<{
  status: 'changed' | 'appeared' | 'disappeared';
  /** Path relative to the aligned root (the same tree in both listings). */
  relPath: string;
  baselinePath: string | null;
  currentPath: string | null;
  baselineHash: string | null;
  currentHash: string | null;
  algorithm: string;
  /** The manifest lines (events) this change rests on. */
  eventIds: ReadonlyArray<number>;
}>;

export type ManifestDiff = Readonly<{
  alignment: RootAlignment;
  changes: ReadonlyArray<ManifestChange>;
  unchanged: number;
  /** Paths in both listings hashed with different algorithms: not comparable. */
  incomparable: number;
  counts: Readonly<{ changed: number; appeared: number; disappeared: number }>;
}>;

type Indexed = Map<string, ManifestEntry[]>;

function index(entries: ReadonlyArray<ManifestEntry>, prefix: string): Indexed {
  const m: Indexed = new Map();
  for (const e of entries) {
    const rel = relativeTo(e.path, prefix);
    const list = m.get(rel) ?? [];
    list.push(e);
    m.set(rel, list);
  }
  return m;
}

const ORDER = { changed: 0, appeared: 1, disappeared: 2 } as const;

/** Baseline vs current listing of the same tree; paths matched relative to the best root alignment. */
export function diffManifests(baseline: ReadonlyArray<ManifestEntry>, current: ReadonlyArray<ManifestEntry>): ManifestDiff {
  const alignment = alignRoots(
    baseline.map((e) => e.path),
    current.map((e) => e.path),
  );
  const a = index(baseline, alignment.prefixA);
  const b = index(current, alignment.prefixB);
  const changes: ManifestChange[] = [];
  let unchanged = 0;
  let incomparable = 0;
  for (const [rel, olds] of a) {
    const news = b.get(rel);
    const old = olds[0];
    if (old === undefined) {
      continue;
    }
    if (news === undefined) {
      changes.push({ status: 'disappeared', relPath: rel, baselinePath: old.path, currentPath: null, baselineHash: old.hash, currentHash: null, algorithm: old.algorithm, eventIds: olds.map((e) => e.eventId) });
      continue;
    }
    const same = news.find((n) => n.algorithm === old.algorithm);
    if (same === undefined) {
      incomparable += 1;
      continue;
    }
    if (same.hash === old.hash) {
      unchanged += 1;
    } else {
      changes.push({ status: 'changed', relPath: rel, baselinePath: old.path, currentPath: same.path, baselineHash: old.hash, currentHash: same.hash, algorithm: old.algorithm, eventIds: [old.eventId, same.eventId] });
    }
  }
  for (const [rel, news] of b) {
    const n = news[0];
    if (n !== undefined && !a.has(rel)) {
      changes.push({ status: 'appeared', relPath: rel, baselinePath: null, currentPath: n.path, baselineHash: null, currentHash: n.hash, algorithm: n.algorithm, eventIds: news.map((e) => e.eventId) });
    }
  }
  changes.sort((x, y) => ORDER[x.status] - ORDER[y.status] || (x.relPath < y.relPath ? -1 : x.relPath > y.relPath ? 1 : 0));
  const count = (s: ManifestChange['status']) => changes.filter((c) => c.status === s).length;
  return { alignment, changes, unchanged, incomparable, counts: { changed: count('changed'), appeared: count('appeared'), disappeared: count('disappeared') } };
}

export type ManifestSummary = Readonly<{ evidenceId: number; path: string; capturedMs: number | null; entries: number; paths: ReadonlyArray<string> }>;

const BASELINE_NAME = /baseline|before|orig|known[-_ ]?good|golden|\bold\b/iu;

/**
 * Orders two manifests as (baseline, current): a name saying "baseline"/"before"/"orig" first, else
 * the earlier capture time (file mtime), else the path that sorts first (dated folders sort by date).
 */
export function orderPair<T extends Pick<ManifestSummary, 'path' | 'capturedMs'>>(x: T, y: T): [T, T] {
  const bx = BASELINE_NAME.test(x.path);
  const by = BASELINE_NAME.test(y.path);
  if (bx !== by) {
    return bx ? [x, y] : [y, x];
  }
  if (x.capturedMs !== null && y.capturedMs !== null && x.capturedMs !== y.capturedMs) {
    return x.capturedMs < y.capturedMs ? [x, y] : [y, x];
  }
  return x.path <= y.path ? [x, y] : [y, x];
}

/**
 * The two manifests most likely to list the same tree: the pair whose paths coincide most under the
 * best root alignment (at least two paths, or one when both list a single file), ordered baseline first.
 */
export function pickPair<T extends ManifestSummary>(manifests: ReadonlyArray<T>): [T, T] | null {
  let best: { pair: [T, T]; votes: number } | null = null;
  for (let i = 0; i < manifests.length; i += 1) {
    for (let j = i + 1; j < manifests.length; j += 1) {
      const x = manifests[i];
      const y = manifests[j];
      if (x === undefined || y === undefined) {
        continue;
      }
      const votes = alignRoots(x.paths, y.paths).votes;
      if (votes > 0 && (best === null || votes > best.votes)) {
        best = { pair: orderPair(x, y), votes };
      }
    }
  }
  return best === null ? null : best.pair;
}

export type BodyfileFileState = Readonly<{
  name: string;
  md5: string | null;
  size: number | null;
  mtimeMs: number | null;
  ctimeMs: number | null;
  eventIds: ReadonlyArray<number>;
}>;

export type BodyfileFinding = Readonly<{
  status: 'md5_differs' | 'modified_after' | 'missing_in_bodyfile';
  relPath: string;
  manifestPath: string;
  bodyfilePath: string | null;
  /** The bodyfile's modification (or change) time after the manifest's capture time. */
  atMs: number | null;
  detail: string;
  eventIds: ReadonlyArray<number>;
}>;

/**
 * A manifest against a bodyfile of the same tree: MD5s that differ (when the bodyfile carries them and
 * the manifest is MD5), files modified or changed after the manifest's capture time, and files the
 * manifest lists but the bodyfile does not.
 */
export function manifestVsBodyfile(manifest: ReadonlyArray<ManifestEntry>, capturedMs: number | null, files: ReadonlyArray<BodyfileFileState>): ReadonlyArray<BodyfileFinding> {
  const alignment = alignRoots(
    manifest.map((e) => e.path),
    files.map((f) => f.name),
  );
  const byRel = new Map<string, BodyfileFileState>();
  for (const f of files) {
    byRel.set(relativeTo(f.name, alignment.prefixB), f);
  }
  const out: BodyfileFinding[] = [];
  for (const e of manifest) {
    const rel = relativeTo(e.path, alignment.prefixA);
    const f = byRel.get(rel);
    if (f === undefined) {
      out.push({ status: 'missing_in_bodyfile', relPath: rel, manifestPath: e.path, bodyfilePath: null, atMs: null, detail: 'listed in the manifest, absent from the bodyfile', eventIds: [e.eventId] });
      continue;
    }
    if (f.md5 !== null && e.algorithm === 'md5' && f.md5 !== e.hash) {
      out.push({ status: 'md5_differs', relPath: rel, manifestPath: e.path, bodyfilePath: f.name, atMs: f.mtimeMs, detail: `manifest ${e.hash}, bodyfile ${f.md5}`, eventIds: [e.eventId, ...f.eventIds] });
      continue;
    }
    const latest = Math.max(f.mtimeMs ?? -Infinity, f.ctimeMs ?? -Infinity);
    if (capturedMs !== null && Number.isFinite(latest) && latest > capturedMs) {
      const which = (f.mtimeMs ?? -Infinity) >= (f.ctimeMs ?? -Infinity) ? 'modified' : 'changed (metadata)';
      out.push({ status: 'modified_after', relPath: rel, manifestPath: e.path, bodyfilePath: f.name, atMs: latest, detail: `${which} after the manifest was taken${f.size === null ? '' : `; size now ${f.size} bytes`}`, eventIds: [e.eventId, ...f.eventIds] });
    }
  }
  return out.sort((x, y) => (x.atMs ?? Infinity) - (y.atMs ?? Infinity) || (x.relPath < y.relPath ? -1 : 1));
}
