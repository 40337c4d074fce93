/**
 * Apache worker analysis over the open case: worker PID charts from the decoded UNIQUE_ID cache,
 * restart estimates (worker turnover + error-log notices), and their correlation with auth.log
 * commands (with a clock offset suggestion). Reads aggregates only; never parses `extra` per request.
 */
import { correlateRestarts, extractAuthCommands, type AuthEventInput } from '../core/analysis/auth-restarts';
import { counterGaps, estimateRestarts, mergeTenures, noticeKindOf, parseRestartTime, type LifecycleNotice, type RestartEstimate, type StatusRestart, type WorkerPiece } from '../core/analysis/restarts';
import type { ReadableDb, WritableDb } from '../db/connection/sql';
import { fullTextComplete } from '../db/queries/full-text';
import { UID_BUCKET_MS, syncUniqueIds, uidEvidenceSummaries, uniqueIdWork, workerPieces } from '../db/queries/unique-ids';
import type { AuthCommandRow, ClockOffsetRow, RestartRow, RestartsData, WorkerLifetime, WorkerPoint, WorkersData } from '../../shared/domain/process';
import type { CaseSession } from './case-session';

const ERROR_KINDS = ['apache_stop', 'apache_restart', 'apache_graceful_restart', 'apache_start', 'apache_child_crash'];
const AUTH_KINDS = ['sudo_command', 'cron_command', 'ssh_accepted'];

type EvidenceRange = { id: number; rel_path: string; first_event_id: number | null; last_event_id: number | null; clock_offset_ms: number };

function evidenceOf(db: ReadableDb, kinds: readonly string[]): EvidenceRange[] {
  return db
    .prepare(
      `SELECT id, rel_path, first_event_id, last_event_id, clock_offset_ms FROM evidence
       WHERE source_kind IN (${kinds.map(() => '?').join(',')}) AND events > 0 AND status IN ('complete', 'partial')`,
    )
    .all(...kinds) as EvidenceRange[];
}

function kindIds(db: ReadableDb, kinds: readonly string[]): number[] {
  return (db.prepare(`SELECT id FROM strings WHERE value IN (${kinds.map(() => '?').join(',')})`).all(...kinds) as Array<{ id: number }>).map((r) => r.id);
}

function extraOf(text: string | null): Record<string, unknown> {
  if (text === null) {
    return {};
  }
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export type RestartOptionsInput = Readonly<{ maxSkewS?: number; toleranceS?: number }>;

export class ProcessService {
  readonly #session: CaseSession;

  constructor(session: CaseSession) {
    this.#session = session;
  }

  /** An ingest writing this case now (its worker fills the cache itself). Cheap: no counting. */
  #ingestRunning(db: ReadableDb): boolean {
    return db.prepare("SELECT 1 FROM ingests WHERE status = 'running' LIMIT 1").get() !== undefined;
  }

  #db(): WritableDb {
    const db = this.#session.requireOpen().db;
    // Cases ingested before the cache existed, or re-timed since: bring it up to date (not while an
    // ingest writes it itself).
    if (!this.#ingestRunning(db)) {
      const work = uniqueIdWork(db);
      if (work.decode.length > 0 || work.refresh.length > 0) {
        syncUniqueIds(db);
      }
    }
    return db;
  }

  #cache: { key: string; pieces: WorkerPiece[]; yOf: Map<string, number> } | null = null;

  /** The per-slot/child/bucket aggregates, shared by the charts and the estimate until the cache changes. */
  #pieces(db: ReadableDb): WorkerPiece[] {
    const key = JSON.stringify([
      this.#session.requireOpen().path,
      db.prepare('SELECT count(*) AS n, max(rowid) AS m FROM uid_pieces').get(),
      db.prepare('SELECT evidence_id, clock_offset_ms, time_zone, year_base FROM uid_evidence ORDER BY evidence_id').raw().all(),
    ]);
    if (this.#cache?.key !== key) {
      const pieces = workerPieces(db, UID_BUCKET_MS);
      // The y of a child: its PID, or (2.4 root layouts) its order of appearance.
      const yOf = new Map<string, number>();
      for (const p of pieces.slice().sort((a, b) => a.first - b.first)) {
        if (!yOf.has(p.child)) {
          yOf.set(p.child, p.pid ?? yOf.size + 1);
        }
      }
      this.#cache = { key, pieces, yOf };
    }
    return this.#cache.pieces;
  }

  workers(input: Readonly<{ from?: number; to?: number; maxPoints?: number }>): WorkersData {
    const started = performance.now();
    const db = this.#db();
    const evidence = uidEvidenceSummaries(db);
    const all = this.#pieces(db);
    const yOf = this.#cache?.yOf ?? new Map<string, number>();
    const range = input.from !== undefined || input.to !== undefined ? { from: input.from ?? -Infinity, to: input.to ?? Infinity } : null;
    const pieces = range === null ? all : all.filter((p) => p.last >= range.from && p.first <= range.to);
    const decodedRequests = evidence.reduce((s, e) => s + e.decoded, 0);
    // Down-sample: merge each child's buckets (2, 4, 8 … at a time) until the points fit.
    const maxPoints = input.maxPoints ?? 6000;
    const childIndex = new Map<string, number>();
    const idx = pieces.map((p) => {
      // one index per (slot, child): a child holds several slots under threaded MPMs
      const ck = `${p.slot ?? ''}|${p.child}`;
      let i = childIndex.get(ck);
      if (i === undefined) {
        i = childIndex.size;
        childIndex.set(ck, i);
      }
      return i;
    });
    const keyOf = (i: number, factor: number): number => {
      const p = pieces[i];
      return p === undefined ? -1 : (idx[i] ?? 0) * 2_097_152 + (Math.floor(p.first / (UID_BUCKET_MS * factor)) % 2_097_152);
    };
    let factor = 1;
    const distinct = (f: number): number => {
      const seen = new Set<number>();
      for (let i = 0; i < pieces.length; i++) {
        seen.add(keyOf(i, f));
      }
      return seen.size;
    };
    while (factor < 1 << 20 && distinct(factor) > maxPoints) {
      factor *= 2;
    }
    const pts = new Map<number, { -readonly [K in keyof WorkerPoint]: WorkerPoint[K] }>();
    pieces.forEach((p, i) => {
      const k = keyOf(i, factor);
      const cur = pts.get(k);
      if (cur === undefined) {
        pts.set(k, { t: p.first, slot: p.slot, y: yOf.get(p.child) ?? 0, pid: p.pid, child: p.child, n: p.n });
      } else {
        cur.t = Math.min(cur.t, p.first);
        cur.n += p.n;
      }
    });
    const tenures = mergeTenures(pieces);
    const lifetimes: WorkerLifetime[] = tenures.map((t) => ({ ...t, y: yOf.get(t.child) ?? 0 }));
    const gaps = counterGaps(tenures)
      .filter((g) => g.missing > 0)
      .sort((a, b) => b.missing - a.missing)
      .slice(0, 500);
    const first = pieces.reduce((m, p) => Math.min(m, p.first), Infinity);
    const last = pieces.reduce((m, p) => Math.max(m, p.last), -Infinity);
    return {
      available: decodedRequests > 0,
      decodedRequests,
      evidence,
      bucketMs: UID_BUCKET_MS * factor,
      range: pieces.length === 0 ? null : { from: first, to: last },
      points: [...pts.values()].sort((a, b) => a.t - b.t),
      lifetimes,
      gaps,
      elapsedMs: Math.round(performance.now() - started),
    };
  }

  #notices(db: ReadableDb): LifecycleNotice[] {
    const ids = kindIds(db, ERROR_KINDS);
    if (ids.length === 0) {
      return [];
    }
    const out: LifecycleNotice[] = [];
    const kindName = new Map((db.prepare(`SELECT id, value FROM strings WHERE id IN (${ids.join(',')})`).all() as Array<{ id: number; value: string }>).map((r) => [r.id, r.value]));
    const stmt = db.prepare(
      `SELECT id, ts, kind, pid, message, extra FROM events WHERE id >= ? AND id <= ? AND evidence_id = ? AND ts IS NOT NULL AND kind IN (${ids.join(',')})`,
    );
    for (const ev of evidenceOf(db, ['apache_error', 'syslog'])) {
      const rows = stmt.all(ev.first_event_id ?? 0, ev.last_event_id ?? -1, ev.id) as Array<{ id: number; ts: number; kind: number; pid: number | null; message: string; extra: string | null }>;
      for (const r of rows) {
        const k = noticeKindOf(kindName.get(r.kind) ?? '');
        if (k === null) {
          continue;
        }
        const child = extraOf(r.extra)['child_pid'];
        out.push({ eventId: r.id, ts: r.ts, kind: k, pid: r.pid, childPid: typeof child === 'number' ? child : null, message: r.message });
      }
    }
    return out;
  }

  #authEvents(db: ReadableDb): { events: AuthEventInput[]; evidence: Map<number, EvidenceRange> } {
    const ids = kindIds(db, AUTH_KINDS);
    const evidence = new Map<number, EvidenceRange>();
    if (ids.length === 0) {
      return { events: [], evidence };
    }
    const kindName = new Map((db.prepare(`SELECT id, value FROM strings WHERE id IN (${ids.join(',')})`).all() as Array<{ id: number; value: string }>).map((r) => [r.id, r.value]));
    const stmt = db.prepare(
      `SELECT e.id, e.ts, e.kind, su.value AS user, ip.text AS src, e.extra FROM events e
       LEFT JOIN strings su ON su.id = e.user LEFT JOIN ips ip ON ip.id = e.src_ip
       WHERE e.id >= ? AND e.id <= ? AND e.evidence_id = ? AND e.ts IS NOT NULL AND e.kind IN (${ids.join(',')})`,
    );
    const events: AuthEventInput[] = [];
    for (const ev of evidenceOf(db, ['auth', 'syslog'])) {
      evidence.set(ev.id, ev);
      const rows = stmt.all(ev.first_event_id ?? 0, ev.last_event_id ?? -1, ev.id) as Array<{ id: number; ts: number; kind: number; user: string | null; src: string | null; extra: string | null }>;
      for (const r of rows) {
        const x = extraOf(r.extra);
        events.push({
          eventId: r.id, evidenceId: ev.id, ts: r.ts, kind: kindName.get(r.kind) ?? '', user: r.user, srcIp: r.src,
          command: str(x['command']), tty: str(x['tty']), runAs: str(x['run_as']), apacheAction: str(x['apache_action']),
        });
      }
    }
    return { events, evidence };
  }

  /** server-status pages or monitoring lines naming "Restart Time" (through the full-text index once it is built). */
  #statusRestarts(db: ReadableDb): StatusRestart[] {
    if (!fullTextComplete(db)) {
      return [];
    }
    const rows = db
      .prepare(`SELECT e.id, e.ts, e.message FROM events_fts f JOIN events e ON e.id = f.rowid WHERE events_fts MATCH '"Restart Time"' AND e.ts IS NOT NULL LIMIT 5000`)
      .all() as Array<{ id: number; ts: number; message: string }>;
    return rows.flatMap((r) => {
      const t = parseRestartTime(r.message);
      return t === null ? [] : [{ eventId: r.id, ts: r.ts, restartTime: t }];
    });
  }

  restarts(input: RestartOptionsInput = {}): RestartsData {
    const started = performance.now();
    const db = this.#db();
    const pieces = this.#pieces(db);
    const { estimates } = estimateRestarts(pieces, this.#notices(db), this.#statusRestarts(db));
    const auth = this.#authEvents(db);
    const commands = extractAuthCommands(auth.events);
    const corr = correlateRestarts(estimates, commands, {
      maxSkewMs: (input.maxSkewS ?? 1800) * 1000,
      toleranceMs: (input.toleranceS ?? 5) * 1000,
    });
    const byEvent = new Map(commands.map((c) => [c.eventId, c]));
    const matchOf = new Map(corr.matches.map((m) => [m.estimateId, m]));
    const rows: RestartRow[] = estimates.map((e: RestartEstimate) => {
      const m = matchOf.get(e.id);
      const c = m === undefined ? undefined : byEvent.get(m.commandEventId);
      return {
        id: e.id, kind: e.kind, source: e.source, start: e.start, end: e.end, point: e.point, slots: [...e.slots], oldPids: [...e.oldPids], newPids: [...e.newPids],
        evidence: e.evidence.map((v) => ({ ...v })), confidence: e.confidence, cause: e.cause,
        authMatch:
          c === undefined || m === undefined
            ? null
            : { eventId: c.eventId, evidenceId: c.evidenceId, time: c.ts, user: c.user, command: c.command, deltaS: Math.round(m.deltaMs / 100) / 10, from: c.session?.from ?? null, tty: c.tty },
      };
    });
    const authCommands: AuthCommandRow[] = commands.map((c) => ({
      eventId: c.eventId, evidenceId: c.evidenceId, time: c.ts, user: c.user, command: c.command, action: c.action, tty: c.tty, runAs: c.runAs, via: c.via,
      session: c.session === null ? null : { ...c.session }, matchedEstimateId: corr.commandMatch.get(c.eventId) ?? null,
    }));
    const off = corr.offset;
    const clockOffset: ClockOffsetRow | null =
      off === null
        ? null
        : {
            medianS: Math.round(off.medianMs / 100) / 10,
            spreadS: Math.round(off.spreadMs / 100) / 10,
            pairs: off.pairs,
            evidence: off.evidenceIds.flatMap((id) => {
              const ev = auth.evidence.get(id);
              return ev === undefined ? [] : [{ evidenceId: id, path: ev.rel_path, currentOffsetMs: ev.clock_offset_ms, suggestedOffsetMs: ev.clock_offset_ms + Math.round(off.medianMs) }];
            }),
          };
    return { hasUniqueIds: pieces.length > 0, estimates: rows, authCommands, clockOffset, elapsedMs: Math.round(performance.now() - started) };
  }
}
