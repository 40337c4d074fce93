/**
 * Files and processes over the open case: hash manifests compared (baseline vs now, and against a
 * bodyfile), bodyfile activity around a time, strace per PID linked to the error log. Reads only;
 * the analysis is pure (electron/core/analysis/files), the reads are in electron/db/queries/files.ts.
 */
import { DossierError } from '../../shared/api/errors';
import type { FileActivity, FileChange, FileChanges, ManifestInfo, StraceSummary } from '../../shared/domain/files';
import type { TimelineFilter } from '../../shared/domain/timeline';
import { summariseActivity } from '../core/analysis/files/bodyfile-activity';
import { diffManifests, manifestVsBodyfile, pickPair, type BodyfileFileState, type ManifestEntry } from '../core/analysis/files/manifest-diff';
import { alignRoots, relativeTo } from '../core/analysis/files/paths';
import { summariseStrace } from '../core/analysis/files/strace-summary';
import {
  activityAnchors, activityRows, bodyfileEventCount, bodyfileStates, childExitLines, evidenceOfKind, manifestEntries, straceRows,
} from '../db/queries/files';
import type { CaseSession } from './case-session';

const MAX_CHANGES = 5000;
const MAX_STRACE_ROWS = 1_000_000;
const MAX_ERROR_LINES = 500_000;

/** An FTS5 phrase: the words of `text` in order (quotes doubled). */
export function ftsPhrase(text: string): string {
  return `"${text.replace(/"/gu, '""')}"`;
}

/**
 * Full-text query for manifest lines: each line by its hash and its path (`hash AND "path"`), whatever
 * the style (`hash  path` or `MD5 (path) = hash`), so another file with the same name does not match.
 */
export function manifestLineQuery(lines: ReadonlyArray<readonly [string | null, string | null]>): string {
  return lines
    .filter((l): l is readonly [string, string] => l[0] !== null && l[1] !== null)
    .map(([hash, path]) => `(${ftsPhrase(hash)} AND ${ftsPhrase(path)})`)
    .join(' OR ');
}

export type ChangesInput = Readonly<{ baselineId?: number | undefined; currentId?: number | undefined; bodyfileId?: number | undefined; baselineTimeMs?: number | undefined }>;
export type ActivityInput = Readonly<{ at?: number | undefined; windowMs: number; pathContains?: string | undefined; buckets: number; limit: number }>;

export class FilesService {
  readonly #session: CaseSession;

  constructor(session: CaseSession) {
    this.#session = session;
  }

  #db() {
    return this.#session.requireOpen().db;
  }

  changes(input: ChangesInput): FileChanges {
    const db = this.#db();
    const refs = evidenceOfKind(db, 'hash_manifest');
    const entries = new Map<number, ManifestEntry[]>(refs.map((r) => [r.id, manifestEntries(db, r.id)]));
    const manifests: ManifestInfo[] = refs.map((r) => {
      const e = entries.get(r.id) ?? [];
      return { evidenceId: r.id, path: r.path, capturedMs: r.mtimeMs, capturedFrom: 'file_mtime', entries: e.length, algorithms: [...new Set(e.map((x) => x.algorithm))].sort() };
    });
    for (const id of [input.baselineId, input.currentId]) {
      if (id !== undefined && !entries.has(id)) {
        throw new DossierError('bad_input', `Evidence #${id} is not a hash manifest of this case.`);
      }
    }
    let baseline: ManifestInfo | null = null;
    let current: ManifestInfo | null = null;
    if (input.baselineId !== undefined && input.currentId !== undefined) {
      baseline = manifests.find((m) => m.evidenceId === input.baselineId) ?? null;
      current = manifests.find((m) => m.evidenceId === input.currentId) ?? null;
    } else {
      const pair = pickPair(manifests.map((m) => ({ ...m, paths: (entries.get(m.evidenceId) ?? []).map((e) => e.path) })));
      if (pair !== null) {
        baseline = manifests.find((m) => m.evidenceId === pair[0].evidenceId) ?? null;
        current = manifests.find((m) => m.evidenceId === pair[1].evidenceId) ?? null;
      } else if (manifests.length === 1) {
        baseline = manifests[0] ?? null;
      }
    }
    if (baseline !== null && input.baselineTimeMs !== undefined) {
      const at = input.baselineTimeMs;
      baseline = { ...baseline, capturedMs: at, capturedFrom: 'analyst' };
      const id = baseline.evidenceId;
      manifests.splice(manifests.findIndex((m) => m.evidenceId === id), 1, baseline);
    }

    const bodyfiles = evidenceOfKind(db, 'bodyfile');
    if (input.bodyfileId !== undefined && !bodyfiles.some((b) => b.id === input.bodyfileId)) {
      throw new DossierError('bad_input', `Evidence #${input.bodyfileId} is not a bodyfile of this case.`);
    }
    const bodyfileRef = input.bodyfileId !== undefined ? bodyfiles.find((b) => b.id === input.bodyfileId) : [...bodyfiles].sort((a, b) => b.events - a.events)[0];
    const states: BodyfileFileState[] = bodyfileRef === undefined ? [] : bodyfileStates(db, bodyfileRef.id);

    let diff: FileChanges['diff'] = null;
    if (baseline !== null && current !== null) {
      const base = baseline;
      const cur = current;
      const d = diffManifests(entries.get(base.evidenceId) ?? [], entries.get(cur.evidenceId) ?? []);
      // when a bodyfile lists the tree too, a change is placed at the file's modification time
      const curEntries = entries.get(cur.evidenceId) ?? [];
      const toBody = alignRoots(curEntries.map((e) => e.path), states.map((s) => s.name));
      const stateByRel = new Map<string, BodyfileFileState>();
      for (const s of states) {
        stateByRel.set(relativeTo(s.name, toBody.prefixB), s);
      }
      const curPrefixToBody = toBody.prefixA;
      const changes: FileChange[] = d.changes.slice(0, MAX_CHANGES).map((c) => {
        const state = c.currentPath !== null ? stateByRel.get(relativeTo(c.currentPath, curPrefixToBody)) : undefined;
        const atMs = state?.mtimeMs ?? (c.status === 'disappeared' ? null : cur.capturedMs);
        return {
          ...c,
          eventIds: [...c.eventIds],
          atMs,
          atFrom: state?.mtimeMs !== undefined && state.mtimeMs !== null ? 'bodyfile_mtime' : atMs !== null ? 'manifest_captured' : 'none',
          filter: { evidenceIds: [base.evidenceId, cur.evidenceId], includeUntimed: true, text: manifestLineQuery([[c.baselineHash, c.baselinePath], [c.currentHash, c.currentPath]]) },
          bodyfileFilter:
            bodyfileRef === undefined ? null : ({ evidenceIds: [bodyfileRef.id], text: ftsPhrase(state?.name ?? c.relPath), includeUntimed: true } satisfies TimelineFilter),
        };
      });
      diff = {
        prefixBaseline: d.alignment.prefixA, prefixCurrent: d.alignment.prefixB, unchanged: d.unchanged, incomparable: d.incomparable,
        counts: d.counts, changes, truncated: d.changes.length > MAX_CHANGES,
      };
    }

    const checksAgainst = baseline;
    const hashOf = new Map((checksAgainst === null ? [] : (entries.get(checksAgainst.evidenceId) ?? [])).map((e) => [e.path, e.hash]));
    const bodyfileChecks =
      checksAgainst === null || bodyfileRef === undefined
        ? []
        : manifestVsBodyfile(entries.get(checksAgainst.evidenceId) ?? [], checksAgainst.capturedMs, states)
            .slice(0, MAX_CHANGES)
            .map((f) => ({
              ...f,
              eventIds: [...f.eventIds],
              filter: {
                evidenceIds: [checksAgainst.evidenceId, bodyfileRef.id],
                includeUntimed: true,
                text: `${manifestLineQuery([[hashOf.get(f.manifestPath) ?? null, f.manifestPath]])}${f.bodyfilePath === null ? '' : ` OR ${ftsPhrase(f.bodyfilePath)}`}`,
              },
            }));
    return {
      manifests,
      bodyfiles: bodyfiles.map((b) => ({ evidenceId: b.id, path: b.path, entries: b.events })),
      baselineId: baseline?.evidenceId ?? null,
      currentId: current?.evidenceId ?? null,
      diff,
      bodyfileId: bodyfileRef?.id ?? null,
      bodyfileChecks,
    };
  }

  activity(input: ActivityInput): FileActivity {
    const db = this.#db();
    const anchors = activityAnchors(db, 200);
    const stats = bodyfileEventCount(db);
    const pathContains = input.pathContains === undefined || input.pathContains.trim() === '' ? null : input.pathContains.trim();
    const w = input.windowMs;
    let at = input.at ?? null;
    if (at === null && stats.events > 0) {
      // the latest restart (or kill) with file activity around it, else the latest file time
      const withActivity = [...anchors].reverse().find((a) => activityRows(db, a.ts - w, a.ts + w, pathContains, 1).length > 0);
      at = withActivity?.ts ?? stats.max;
    }
    if (at === null) {
      return { at: null, from: null, to: null, bucketMs: 0, histogram: [], counts: { m: 0, a: 0, c: 0, b: 0, events: 0, files: 0 }, rows: [], truncated: false, anchors, bodyfileEvents: stats.events, filter: { sourceKinds: ['bodyfile'] } };
    }
    const rows = activityRows(db, at - w, at + w, pathContains, input.limit + 1);
    const truncated = rows.length > input.limit;
    const a = summariseActivity(truncated ? rows.slice(0, input.limit) : rows, at, w, input.buckets);
    const filter: TimelineFilter = { sourceKinds: ['bodyfile'], from: a.from, to: a.to, ...(pathContains === null ? {} : { text: ftsPhrase(pathContains) }) };
    return { at, from: a.from, to: a.to, bucketMs: a.bucketMs, histogram: [...a.histogram], counts: a.counts, rows: [...a.rows], truncated, anchors, bodyfileEvents: stats.events, filter };
  }

  strace(limit: number): StraceSummary {
    const db = this.#db();
    const pids = summariseStrace(straceRows(db, MAX_STRACE_ROWS), childExitLines(db, MAX_ERROR_LINES));
    return {
      truncated: pids.length > limit,
      pids: pids.slice(0, limit).map((p) => ({
        ...p,
        evidencePaths: [...p.evidencePaths],
        topSyscalls: [...p.topSyscalls],
        signals: [...p.signals],
        kills: [...p.kills],
        errorLog: [...p.errorLog],
        filter: { sourceKinds: ['strace'], pids: [p.pid], includeUntimed: true },
        errorLogFilter: p.errorLog.length === 0 ? null : { sourceKinds: ['apache_error'], text: ftsPhrase(`child pid ${p.pid} exit`) },
      })),
    };
  }
}
