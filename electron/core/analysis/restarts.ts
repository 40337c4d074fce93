/**
 * Apache restart estimation from worker turnover (mod_unique_id: time, child, scoreboard slot, counter)
 * and from the error log's lifecycle notices. Pure and total.
 *
 * Model (after "Estimating Apache2 Restarts", Bagpuss 2011): each scoreboard slot is held by one child at
 * a time. A **full restart** replaces every child: there is a cut in time before which every child seen
 * is never seen again. Its bounds are the last request of the old children and the first request of
 * the new ones. A **slot recycle** replaces one slot's child (MaxRequestsPerChild, idle kill, crash)
 * while the others live on. Error-log notices (SIGHUP / SIGTERM / SIGUSR1 / resuming normal operations /
 * "child pid N exit signal ...") and server-status "Restart Time" are attached as evidence; without
 * UNIQUE_IDs the notices alone yield the restarts.
 *
 * Works on aggregates (`WorkerPiece`: one row per slot, child and time bucket), never on single requests,
 * so millions of requests cost only the aggregation query.
 */

/** Requests of one child in one slot within one time bucket (aggregated by the caller). */
export type WorkerPiece = Readonly<{
  slot: number | null;
  child: string;
  pid: number | null;
  first: number;
  last: number;
  n: number;
  minCounter: number;
  maxCounter: number;
}>;

/** A child's tenure of a slot: merged consecutive pieces. */
export type Tenure = Readonly<{
  slot: number | null;
  child: string;
  pid: number | null;
  first: number;
  last: number;
  n: number;
  minCounter: number;
  maxCounter: number;
}>;

export type NoticeKind = 'stop' | 'restart' | 'graceful' | 'start' | 'crash';

export type LifecycleNotice = Readonly<{
  eventId: number;
  ts: number;
  kind: NoticeKind;
  /** The pid that wrote the line (the parent for lifecycle notices) when logged. */
  pid: number | null;
  /** "child pid N exit signal ..." */
  childPid: number | null;
  message: string;
}>;

export type StatusRestart = Readonly<{ eventId: number; ts: number; restartTime: number }>;

export type RestartEvidence = Readonly<{
  kind: 'worker_turnover' | 'error_log' | 'child_crash' | 'server_status';
  text: string;
  eventId: number | null;
  ts: number | null;
}>;

export type Confidence = 'high' | 'medium' | 'low';

export type RestartEstimate = Readonly<{
  id: string;
  kind: 'full' | 'slot';
  source: 'unique_id' | 'error_log' | 'both' | 'server_status';
  start: number;
  end: number;
  /** A precise instant when a notice or server-status names it (within the bounds when there are bounds). */
  point: number | null;
  slots: readonly number[];
  oldPids: readonly number[];
  newPids: readonly number[];
  oldChildren: readonly string[];
  newChildren: readonly string[];
  evidence: readonly RestartEvidence[];
  confidence: Confidence;
  cause: 'restart' | 'stop_start' | 'stop' | 'start' | 'crash' | 'recycle' | 'unknown';
}>;

export type RestartOptions = Readonly<{
  /** Old and new children may overlap by this much (graceful restarts, request start times). */
  overlapToleranceMs: number;
  /** Notices this far outside an estimate's bounds still count as its evidence. */
  noticeSlackMs: number;
  /** Notices closer than this form one episode (stop ... start). */
  episodeGapMs: number;
}>;

export const DEFAULT_RESTART_OPTIONS: RestartOptions = { overlapToleranceMs: 2_000, noticeSlackMs: 120_000, episodeGapMs: 600_000 };

/** The notice kind of an error-log event kind (electron/core/parsers/apache/error.ts), or null. */
export function noticeKindOf(eventKind: string): NoticeKind | null {
  switch (eventKind) {
    case 'apache_stop':
      return 'stop';
    case 'apache_restart':
      return 'restart';
    case 'apache_graceful_restart':
      return 'graceful';
    case 'apache_start':
      return 'start';
    case 'apache_child_crash':
      return 'crash';
    default:
      return null;
  }
}

const slotKey = (s: number | null): string => (s === null ? '-' : String(s));

/** Merges a slot's consecutive pieces of the same child into tenures (a child reused later is a new tenure). */
export function mergeTenures(pieces: readonly WorkerPiece[]): Tenure[] {
  const bySlot = new Map<string, WorkerPiece[]>();
  for (const p of pieces) {
    const k = slotKey(p.slot);
    const list = bySlot.get(k);
    if (list === undefined) {
      bySlot.set(k, [p]);
    } else {
      list.push(p);
    }
  }
  const out: Tenure[] = [];
  for (const list of bySlot.values()) {
    list.sort((a, b) => a.first - b.first || a.last - b.last);
    let cur: { -readonly [K in keyof Tenure]: Tenure[K] } | null = null;
    for (const p of list) {
      if (cur !== null && cur.child === p.child) {
        cur.last = Math.max(cur.last, p.last);
        cur.n += p.n;
        cur.minCounter = Math.min(cur.minCounter, p.minCounter);
        cur.maxCounter = Math.max(cur.maxCounter, p.maxCounter);
      } else {
        if (cur !== null) {
          out.push(cur);
        }
        cur = { ...p };
      }
    }
    if (cur !== null) {
      out.push(cur);
    }
  }
  return out.sort((a, b) => a.first - b.first || (a.slot ?? -1) - (b.slot ?? -1));
}

export type CounterGap = Readonly<{
  child: string;
  pid: number | null;
  slot: number | null;
  first: number;
  last: number;
  logged: number;
  served: number;
  missing: number;
}>;

/** Requests a child served (counter span) but that are not in the log: missing or deleted lines. */
export function counterGaps(tenures: readonly Tenure[]): CounterGap[] {
  return tenures
    .filter((t) => t.n >= 2)
    .map((t) => {
      const served = t.maxCounter - t.minCounter + 1;
      return { child: t.child, pid: t.pid, slot: t.slot, first: t.first, last: t.last, logged: t.n, served, missing: Math.max(0, served - t.n) };
    });
}

type Episode = { notices: LifecycleNotice[]; start: number; end: number; used: boolean };

function episodes(notices: readonly LifecycleNotice[], gapMs: number): Episode[] {
  const life = notices.filter((n) => n.kind !== 'crash').slice().sort((a, b) => a.ts - b.ts || a.eventId - b.eventId);
  const out: Episode[] = [];
  let cur: Episode | null = null;
  for (const n of life) {
    // A start closes an episode; further start notices (2.4's "Command line: ...") stay in it.
    const closed = cur === null || n.ts - cur.end > gapMs || (n.kind !== 'start' && cur.notices.some((x) => x.kind === 'start'));
    if (closed) {
      cur = { notices: [n], start: n.ts, end: n.ts, used: false };
      out.push(cur);
    } else if (cur !== null) {
      cur.notices.push(n);
      cur.end = n.ts;
    }
  }
  return out;
}

function episodeCause(e: Episode): RestartEstimate['cause'] {
  const kinds = new Set(e.notices.map((n) => n.kind));
  if (kinds.has('restart') || kinds.has('graceful')) {
    return 'restart';
  }
  if (kinds.has('stop')) {
    return kinds.has('start') ? 'stop_start' : 'stop';
  }
  return 'start';
}

/** The instant a notice episode names: the signal notice (the restart itself), else its first notice. */
function episodePoint(e: Episode): number {
  const sig = e.notices.find((n) => n.kind === 'restart' || n.kind === 'graceful' || n.kind === 'stop');
  return (sig ?? e.notices[0])?.ts ?? e.start;
}

const noticeEvidence = (n: LifecycleNotice): RestartEvidence => ({
  kind: n.kind === 'crash' ? 'child_crash' : 'error_log',
  text: n.message,
  eventId: n.eventId,
  ts: n.ts,
});

const uniqSorted = (xs: readonly (number | null)[]): number[] => [...new Set(xs.filter((x): x is number => x !== null))].sort((a, b) => a - b);

type Cut = { lo: number; hi: number; old: Tenure[]; next: Tenure[] };

/** Cuts in time before which every child seen is never seen again. */
function fullCuts(tenures: readonly Tenure[], tol: number): Cut[] {
  const sorted = tenures.slice().sort((a, b) => a.first - b.first);
  const cuts: Cut[] = [];
  let maxLast = -Infinity;
  const lastBySlot = new Map<string, Tenure>();
  const cutAt: number[] = [];
  const loAt: number[] = [];
  sorted.forEach((t, i) => {
    if (i > 0 && t.first >= maxLast - tol) {
      cutAt.push(i);
      loAt.push(maxLast);
    }
    maxLast = Math.max(maxLast, t.last);
  });
  let from = 0;
  cutAt.forEach((i, k) => {
    for (let j = from; j < i; j++) {
      const t = sorted[j];
      if (t !== undefined) {
        lastBySlot.set(slotKey(t.slot), t);
      }
    }
    from = i;
    const end = cutAt[k + 1] ?? sorted.length;
    const firstBySlot = new Map<string, Tenure>();
    for (let j = i; j < end; j++) {
      const t = sorted[j];
      if (t !== undefined && !firstBySlot.has(slotKey(t.slot))) {
        firstBySlot.set(slotKey(t.slot), t);
      }
    }
    const old = [...lastBySlot.values()];
    const next = [...firstBySlot.values()];
    const first = sorted[i]?.first ?? 0;
    cuts.push({ lo: Math.min(loAt[k] ?? first, first), hi: Math.max(loAt[k] ?? first, first), old, next });
    // After a full turnover the old slots' children are history.
    lastBySlot.clear();
  });
  return cuts;
}

/**
 * Estimates full restarts and slot recycles. `pieces` may be empty (logs without UNIQUE_ID): the
 * notices alone then give the restarts.
 */
export function estimateRestarts(
  pieces: readonly WorkerPiece[],
  notices: readonly LifecycleNotice[],
  statusRestarts: readonly StatusRestart[] = [],
  options: RestartOptions = DEFAULT_RESTART_OPTIONS,
): { estimates: RestartEstimate[]; tenures: Tenure[] } {
  const tenures = mergeTenures(pieces);
  const eps = episodes(notices, options.episodeGapMs);
  const crashes = notices.filter((n) => n.kind === 'crash');
  const slack = options.noticeSlackMs;
  const near = (ts: number, lo: number, hi: number): boolean => ts >= lo - slack && ts <= hi + slack;
  const out: RestartEstimate[] = [];

  // 1. Full turnovers.
  const cuts = fullCuts(tenures, options.overlapToleranceMs);
  const inCut = new Map<Tenure, Tenure>(); // old tenure → its successor across a full turnover
  for (const c of cuts) {
    const oldSlots = new Set(c.old.map((t) => slotKey(t.slot)));
    const nextSlots = new Set(c.next.map((t) => slotKey(t.slot)));
    const replaced = [...oldSlots].filter((s) => nextSlots.has(s));
    const ep = eps.filter((e) => !e.used && e.notices.some((n) => near(n.ts, c.lo, c.hi)));
    const confirmed = ep.length > 0;
    if (replaced.length < 2 && !confirmed) {
      continue;
    }
    for (const t of c.old) {
      const b = c.next.find((x) => x.slot === t.slot);
      if (b !== undefined) {
        inCut.set(t, b);
      }
    }
    for (const e of ep) {
      e.used = true;
    }
    const oldPids = uniqSorted(c.old.map((t) => t.pid));
    const oldKids = new Set(c.old.map((t) => t.child));
    const crashEv = crashes.filter((n) => n.childPid !== null && oldPids.includes(n.childPid) && near(n.ts, c.lo, c.hi));
    const evidence: RestartEvidence[] = [
      {
        kind: 'worker_turnover',
        text: `${replaced.length} of ${oldSlots.size} slots changed child; no earlier child (${oldKids.size}) is seen after ${new Date(c.lo).toISOString()}`,
        eventId: null,
        ts: null,
      },
      ...ep.flatMap((e) => e.notices.map(noticeEvidence)),
      ...crashEv.map(noticeEvidence),
    ];
    const span = c.hi - c.lo;
    const confidence: Confidence = confirmed ? 'high' : span <= 15 * 60_000 ? 'medium' : 'low';
    const points = ep.map(episodePoint).filter((p) => p >= c.lo - options.overlapToleranceMs && p <= c.hi + options.overlapToleranceMs);
    out.push({
      id: '',
      kind: 'full',
      source: confirmed ? 'both' : 'unique_id',
      start: c.lo,
      end: c.hi,
      point: points[0] ?? null,
      slots: uniqSorted([...oldSlots, ...nextSlots].map((s) => (s === '-' ? null : Number(s)))),
      oldPids,
      newPids: uniqSorted(c.next.map((t) => t.pid)),
      oldChildren: c.old.map((t) => t.child),
      newChildren: c.next.map((t) => t.child),
      evidence,
      confidence,
      cause: ep[0] === undefined ? 'unknown' : episodeCause(ep[0]),
    });
  }

  // 2. Slot recycles: a slot's child changes outside a full turnover. Overlapping ones are grouped.
  type Tr = { slot: number | null; a: Tenure; b: Tenure; lo: number; hi: number };
  const trs: Tr[] = [];
  const bySlot = new Map<string, Tenure[]>();
  for (const t of tenures) {
    const k = slotKey(t.slot);
    const l = bySlot.get(k);
    if (l === undefined) {
      bySlot.set(k, [t]);
    } else {
      l.push(t);
    }
  }
  for (const list of bySlot.values()) {
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1];
      const b = list[i];
      if (a === undefined || b === undefined || a.child === b.child || inCut.get(a) === b) {
        continue;
      }
      trs.push({ slot: b.slot, a, b, lo: Math.min(a.last, b.first), hi: Math.max(a.last, b.first) });
    }
  }
  trs.sort((x, y) => x.lo - y.lo);
  const groups: Tr[][] = [];
  for (const t of trs) {
    const g = groups[groups.length - 1];
    const gHi = g === undefined ? -Infinity : Math.min(...g.map((x) => x.hi));
    if (g !== undefined && t.lo <= gHi) {
      g.push(t);
    } else {
      groups.push([t]);
    }
  }
  for (const g of groups) {
    const lo = Math.max(...g.map((t) => t.lo));
    const hi = Math.min(...g.map((t) => t.hi));
    const start = Math.min(lo, hi);
    const end = Math.max(lo, hi);
    const oldPids = uniqSorted(g.map((t) => t.a.pid));
    const crashEv = crashes.filter((n) => n.childPid !== null && oldPids.includes(n.childPid) && near(n.ts, start, end));
    const served = g.map((t) => t.a.maxCounter - t.a.minCounter + 1);
    out.push({
      id: '',
      kind: 'slot',
      source: 'unique_id',
      start,
      end,
      point: crashEv[0]?.ts ?? null,
      slots: uniqSorted(g.map((t) => t.slot)),
      oldPids,
      newPids: uniqSorted(g.map((t) => t.b.pid)),
      oldChildren: g.map((t) => t.a.child),
      newChildren: g.map((t) => t.b.child),
      evidence: [
        {
          kind: 'worker_turnover',
          text: `slot${g.length > 1 ? 's' : ''} ${g.map((t) => slotKey(t.slot)).join(', ')} changed child while other slots kept theirs (old child served ≥ ${served.join(', ')} requests)`,
          eventId: null,
          ts: null,
        },
        ...crashEv.map(noticeEvidence),
      ],
      confidence: crashEv.length > 0 ? 'high' : end - start <= 15 * 60_000 ? 'medium' : 'low',
      cause: crashEv.length > 0 ? 'crash' : 'recycle',
    });
  }

  // 3. Notice episodes no turnover explains: restarts from the error log alone.
  for (const e of eps) {
    if (e.used) {
      continue;
    }
    const pids = uniqSorted(e.notices.map((n) => n.pid));
    const kinds = new Set(e.notices.map((n) => n.kind));
    const complete = (kinds.has('restart') || kinds.has('graceful') || kinds.has('stop')) && kinds.has('start');
    out.push({
      id: '',
      kind: 'full',
      source: 'error_log',
      start: e.start,
      end: e.end,
      point: episodePoint(e),
      slots: [],
      oldPids: pids,
      newPids: [],
      oldChildren: [],
      newChildren: [],
      evidence: e.notices.map(noticeEvidence),
      confidence: complete ? 'high' : 'medium',
      cause: episodeCause(e),
    });
  }

  // 4. server-status "Restart Time".
  for (const s of statusRestarts) {
    const i = out.findIndex((r) => r.kind === 'full' && near(s.restartTime, r.start, r.end));
    const ev: RestartEvidence = { kind: 'server_status', text: `server-status Restart Time ${new Date(s.restartTime).toISOString()}`, eventId: s.eventId, ts: s.ts };
    const hit = out[i];
    if (hit !== undefined) {
      out[i] = { ...hit, evidence: [...hit.evidence, ev], point: hit.point ?? s.restartTime, confidence: 'high' };
    } else if (!out.some((r) => r.source === 'server_status' && r.point === s.restartTime)) {
      out.push({
        id: '', kind: 'full', source: 'server_status', start: s.restartTime, end: s.restartTime, point: s.restartTime, slots: [], oldPids: [], newPids: [],
        oldChildren: [], newChildren: [], evidence: [ev], confidence: 'medium', cause: 'restart',
      });
    }
  }

  out.sort((a, b) => a.start - b.start || (a.kind === b.kind ? 0 : a.kind === 'full' ? -1 : 1));
  return { estimates: out.map((r, i) => ({ ...r, id: `${r.kind === 'full' ? 'R' : 'S'}${i + 1}` })), tenures };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const RESTART_TIME = /Restart Time:\s*(?:<\/?\w+>\s*)*(?:[A-Za-z]+,\s*)?(\d{1,2})-([A-Za-z]{3})-(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s+(UTC|GMT|[+-]\d{4})/u;

/**
 * The server-status "Restart Time" captured in a line (a saved /server-status page or a monitoring log):
 * `Restart Time: Tuesday, 19-Apr-2010 18:59:50 UTC` (UTC, GMT or a numeric offset), as UTC ms; null otherwise.
 */
export function parseRestartTime(text: string): number | null {
  const m = RESTART_TIME.exec(text.length > 4096 ? text.slice(0, 4096) : text);
  if (m === null) {
    return null;
  }
  const [, d, mon, y, hh, mm, ss, zone] = m;
  const month = MONTHS.indexOf((mon ?? '').toLowerCase());
  if (month < 0) {
    return null;
  }
  const wall = Date.UTC(Number(y), month, Number(d), Number(hh), Number(mm), Number(ss));
  if (zone === 'UTC' || zone === 'GMT' || zone === undefined) {
    return wall;
  }
  const sign = zone.startsWith('-') ? -1 : 1;
  const off = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
  return wall - off;
}
