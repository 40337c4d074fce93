import { z } from 'zod';
import {
  PredictionExpectation,
  type EvidenceLink,
  type Hypothesis,
  type HypothesisHistoryEntry,
  type HypothesisStatus,
  type LinkTargetKind,
  type Note,
  type Prediction,
  type Stance,
} from '../../../shared/domain/hypotheses';
import { TimelineFilter } from '../../../shared/domain/timeline';
import type { ReadableDb, WritableDb } from '../connection/sql';
import { buildFilter } from './timeline';

// ---------------------------------------------------------------- notes

const NOTE_COLUMNS = 'id, title, body, folder, author, created_utc AS createdUtc, updated_utc AS updatedUtc';

/** Every note, by folder then title (bodies included: notes are small and the report reads them all). */
export function listNotes(db: ReadableDb): Note[] {
  return db.prepare(`SELECT ${NOTE_COLUMNS} FROM notes ORDER BY folder COLLATE NOCASE, title COLLATE NOCASE, id`).all() as Note[];
}

export function getNote(db: ReadableDb, id: number): Note | null {
  return (db.prepare(`SELECT ${NOTE_COLUMNS} FROM notes WHERE id = ?`).get(id) as Note | undefined) ?? null;
}

export function insertNote(db: WritableDb, n: Readonly<{ title: string; body: string; folder: string; author: string }>, nowUtc: string): number {
  return Number(
    db.prepare('INSERT INTO notes (title, body, folder, author, created_utc, updated_utc) VALUES (?, ?, ?, ?, ?, ?)').run(n.title, n.body, n.folder, n.author, nowUtc, nowUtc)
      .lastInsertRowid,
  );
}

export type NotePatch = Readonly<{ title?: string; body?: string; folder?: string }>;

export function updateNote(db: WritableDb, id: number, patch: NotePatch, nowUtc: string): number {
  const before = getNote(db, id);
  if (before === null) {
    return 0;
  }
  return db
    .prepare('UPDATE notes SET title = ?, body = ?, folder = ?, updated_utc = ? WHERE id = ?')
    .run(patch.title ?? before.title, patch.body ?? before.body, patch.folder ?? before.folder, nowUtc, id).changes;
}

export function deleteNote(db: WritableDb, id: number): number {
  return db.prepare('DELETE FROM notes WHERE id = ?').run(id).changes;
}

// ---------------------------------------------------------------- counting a saved view

/** The part of a saved view's state (renderer/features/timeline/view-state.ts, `{ v: 1, filter, … }`) that decides its events. */
const StoredViewState = z.object({ v: z.literal(1), filter: TimelineFilter });

/** The filter of a stored view state, or null when the state is not one Dossier can read. */
export function filterOfViewState(state: string): TimelineFilter | null {
  let raw: unknown;
  try {
    raw = JSON.parse(state);
  } catch {
    return null;
  }
  const parsed = StoredViewState.safeParse(raw);
  return parsed.success ? parsed.data.filter : null;
}

/** How many events a filter matches (the timeline's own WHERE clause); null when it cannot be counted (e.g. a bad search). */
export function countFilter(db: ReadableDb, filter: TimelineFilter): number | null {
  try {
    const built = buildFilter(db, filter);
    return (db.prepare(`SELECT count(*) AS n FROM events e WHERE ${built.where.text}`).get(...built.where.params) as { n: number }).n;
  } catch {
    return null;
  }
}

/** Counts a saved view's events now; null when the view is gone or its state is unreadable. */
export type ViewCounter = (viewId: number) => number | null;

/** A counter that reads each view once per call site (several predictions often share a view). */
export function createViewCounter(db: ReadableDb): ViewCounter {
  const cache = new Map<number, number | null>();
  const stmt = db.prepare('SELECT state FROM saved_views WHERE id = ?');
  return (viewId) => {
    if (cache.has(viewId)) {
      return cache.get(viewId) ?? null;
    }
    const row = stmt.get(viewId) as { state: string } | undefined;
    const filter = row === undefined ? null : filterOfViewState(row.state);
    const n = filter === null ? null : countFilter(db, filter);
    cache.set(viewId, n);
    return n;
  };
}

/** Pure: met / not_met for a count against an expectation; unknown without a count. */
export function evaluateExpectation(expectation: PredictionExpectation, count: number | null): Prediction['result'] {
  if (count === null) {
    return 'unknown';
  }
  switch (expectation.kind) {
    case 'at_least_one':
      return count >= 1 ? 'met' : 'not_met';
    case 'none':
      return count === 0 ? 'met' : 'not_met';
    case 'between':
      return count >= expectation.min && count <= expectation.max ? 'met' : 'not_met';
  }
}

/** An expectation stored as JSON; an unreadable one (edited by hand) reads as "at least one". */
export function parseExpectation(json: string): PredictionExpectation {
  try {
    const parsed = PredictionExpectation.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : { kind: 'at_least_one' };
  } catch {
    return { kind: 'at_least_one' };
  }
}

// ---------------------------------------------------------------- hypotheses

type HypothesisRow = Omit<Hypothesis, 'predictions' | 'evidence'>;
type PredictionRow = { id: number; hypothesisId: number; statement: string; viewId: number | null; viewName: string | null; expectation: string };

const HYPOTHESIS_COLUMNS = 'id, statement, rationale, status, confidence, author, created_utc AS createdUtc, updated_utc AS updatedUtc';
const PREDICTION_SELECT = `SELECT p.id, p.hypothesis_id AS hypothesisId, p.statement, p.view_id AS viewId, v.name AS viewName, p.expectation
  FROM predictions p LEFT JOIN saved_views v ON v.id = p.view_id`;
const LINK_SELECT = `SELECT id, hypothesis_id AS hypothesisId, target_kind AS targetKind, target_id AS targetId, label, stance, comment,
  created_utc AS createdUtc, author FROM evidence_links`;

function toPrediction(r: PredictionRow, count: ViewCounter): Prediction {
  const expectation = parseExpectation(r.expectation);
  const n = r.viewId === null ? null : count(r.viewId);
  return { id: r.id, hypothesisId: r.hypothesisId, statement: r.statement, viewId: r.viewId, viewName: r.viewName, expectation, count: n, result: evaluateExpectation(expectation, n) };
}

function assemble(rows: ReadonlyArray<HypothesisRow>, predictions: ReadonlyArray<PredictionRow>, links: ReadonlyArray<EvidenceLink>, count: ViewCounter): Hypothesis[] {
  const byH = new Map<number, { predictions: Prediction[]; evidence: EvidenceLink[] }>(rows.map((h) => [h.id, { predictions: [], evidence: [] }]));
  for (const p of predictions) {
    byH.get(p.hypothesisId)?.predictions.push(toPrediction(p, count));
  }
  for (const l of links) {
    byH.get(l.hypothesisId)?.evidence.push(l);
  }
  return rows.map((h) => ({ ...h, predictions: byH.get(h.id)?.predictions ?? [], evidence: byH.get(h.id)?.evidence ?? [] }));
}

/**
 * Every hypothesis with its predictions (live counts through `count`) and evidence links, oldest
 * first. `count` defaults to counting each saved view over the events now.
 */
export function listHypotheses(db: ReadableDb, count: ViewCounter = createViewCounter(db)): Hypothesis[] {
  const rows = db.prepare(`SELECT ${HYPOTHESIS_COLUMNS} FROM hypotheses ORDER BY id`).all() as HypothesisRow[];
  const predictions = db.prepare(`${PREDICTION_SELECT} ORDER BY p.id`).all() as PredictionRow[];
  const links = db.prepare(`${LINK_SELECT} ORDER BY id`).all() as EvidenceLink[];
  return assemble(rows, predictions, links, count);
}

export function getHypothesis(db: ReadableDb, id: number, count: ViewCounter = createViewCounter(db)): Hypothesis | null {
  const row = db.prepare(`SELECT ${HYPOTHESIS_COLUMNS} FROM hypotheses WHERE id = ?`).get(id) as HypothesisRow | undefined;
  if (row === undefined) {
    return null;
  }
  const predictions = db.prepare(`${PREDICTION_SELECT} WHERE p.hypothesis_id = ? ORDER BY p.id`).all(id) as PredictionRow[];
  const links = db.prepare(`${LINK_SELECT} WHERE hypothesis_id = ? ORDER BY id`).all(id) as EvidenceLink[];
  return assemble([row], predictions, links, count)[0] ?? null;
}

export function insertHypothesis(
  db: WritableDb,
  h: Readonly<{ statement: string; rationale: string; status: HypothesisStatus; confidence: number; author: string }>,
  nowUtc: string,
): number {
  return Number(
    db
      .prepare('INSERT INTO hypotheses (statement, rationale, status, confidence, author, created_utc, updated_utc) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(h.statement, h.rationale, h.status, h.confidence, h.author, nowUtc, nowUtc).lastInsertRowid,
  );
}

export type HypothesisPatch = Readonly<{ statement?: string; rationale?: string; status?: HypothesisStatus; confidence?: number }>;

/** Applies a patch; returns the fields that changed as `{ field: { from, to } }` (empty when nothing did). */
export function updateHypothesis(db: WritableDb, id: number, patch: HypothesisPatch, nowUtc: string): Record<string, { from: unknown; to: unknown }> | null {
  const before = db.prepare('SELECT statement, rationale, status, confidence FROM hypotheses WHERE id = ?').get(id) as Required<HypothesisPatch> | undefined;
  if (before === undefined) {
    return null;
  }
  const after = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Required<HypothesisPatch>;
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of ['statement', 'rationale', 'status', 'confidence'] as const) {
    if (before[key] !== after[key]) {
      changes[key] = { from: before[key], to: after[key] };
    }
  }
  if (Object.keys(changes).length > 0) {
    db.prepare('UPDATE hypotheses SET statement = ?, rationale = ?, status = ?, confidence = ?, updated_utc = ? WHERE id = ?').run(
      after.statement, after.rationale, after.status, after.confidence, nowUtc, id,
    );
  }
  return changes;
}

export function deleteHypothesis(db: WritableDb, id: number): number {
  return db.prepare('DELETE FROM hypotheses WHERE id = ?').run(id).changes;
}

export function touchHypothesis(db: WritableDb, id: number, nowUtc: string): void {
  db.prepare('UPDATE hypotheses SET updated_utc = ? WHERE id = ?').run(nowUtc, id);
}

// ---------------------------------------------------------------- predictions

export function insertPrediction(db: WritableDb, p: Readonly<{ hypothesisId: number; statement: string; viewId: number | null; expectation: PredictionExpectation }>, nowUtc: string): number {
  return Number(
    db
      .prepare('INSERT INTO predictions (hypothesis_id, statement, view_id, expectation, created_utc, updated_utc) VALUES (?, ?, ?, ?, ?, ?)')
      .run(p.hypothesisId, p.statement, p.viewId, JSON.stringify(p.expectation), nowUtc, nowUtc).lastInsertRowid,
  );
}

export function predictionOwner(db: ReadableDb, id: number): number | null {
  return (db.prepare('SELECT hypothesis_id AS h FROM predictions WHERE id = ?').get(id) as { h: number } | undefined)?.h ?? null;
}

export function updatePrediction(
  db: WritableDb,
  id: number,
  patch: Readonly<{ statement?: string; viewId?: number | null; expectation?: PredictionExpectation }>,
  nowUtc: string,
): number {
  const before = db.prepare('SELECT statement, view_id AS viewId, expectation FROM predictions WHERE id = ?').get(id) as { statement: string; viewId: number | null; expectation: string } | undefined;
  if (before === undefined) {
    return 0;
  }
  return db
    .prepare('UPDATE predictions SET statement = ?, view_id = ?, expectation = ?, updated_utc = ? WHERE id = ?')
    .run(
      patch.statement ?? before.statement,
      patch.viewId === undefined ? before.viewId : patch.viewId,
      patch.expectation === undefined ? before.expectation : JSON.stringify(patch.expectation),
      nowUtc,
      id,
    ).changes;
}

export function deletePrediction(db: WritableDb, id: number): number {
  return db.prepare('DELETE FROM predictions WHERE id = ?').run(id).changes;
}

export function viewExists(db: ReadableDb, id: number): boolean {
  return db.prepare('SELECT 1 FROM saved_views WHERE id = ?').get(id) !== undefined;
}

// ---------------------------------------------------------------- evidence links

/** Links a target to a hypothesis; linking it again replaces the stance, label and comment. */
export function upsertLink(
  db: WritableDb,
  l: Readonly<{ hypothesisId: number; targetKind: LinkTargetKind; targetId: string; label: string; stance: Stance; comment: string; author: string }>,
  nowUtc: string,
): { id: number; created: boolean } {
  const existing = db.prepare('SELECT id FROM evidence_links WHERE hypothesis_id = ? AND target_kind = ? AND target_id = ?').get(l.hypothesisId, l.targetKind, l.targetId) as
    | { id: number }
    | undefined;
  if (existing !== undefined) {
    db.prepare('UPDATE evidence_links SET label = ?, stance = ?, comment = ? WHERE id = ?').run(l.label, l.stance, l.comment, existing.id);
    return { id: existing.id, created: false };
  }
  const id = Number(
    db
      .prepare('INSERT INTO evidence_links (hypothesis_id, target_kind, target_id, label, stance, comment, author, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(l.hypothesisId, l.targetKind, l.targetId, l.label, l.stance, l.comment, l.author, nowUtc).lastInsertRowid,
  );
  return { id, created: true };
}

export function getLink(db: ReadableDb, id: number): EvidenceLink | null {
  return (db.prepare(`${LINK_SELECT} WHERE id = ?`).get(id) as EvidenceLink | undefined) ?? null;
}

export function updateLink(db: WritableDb, id: number, patch: Readonly<{ stance?: Stance; comment?: string; label?: string }>): number {
  const before = getLink(db, id);
  if (before === null) {
    return 0;
  }
  return db.prepare('UPDATE evidence_links SET stance = ?, comment = ?, label = ? WHERE id = ?').run(patch.stance ?? before.stance, patch.comment ?? before.comment, patch.label ?? before.label, id).changes;
}

export function deleteLink(db: WritableDb, id: number): number {
  return db.prepare('DELETE FROM evidence_links WHERE id = ?').run(id).changes;
}

// ---------------------------------------------------------------- history

/** The audit target every change to a hypothesis (and its predictions and links) is recorded under. */
export function hypothesisTarget(id: number): string {
  return `hypothesis:${id}`;
}

/** A hypothesis's own history: its audit entries, oldest first. */
export function hypothesisHistory(db: ReadableDb, id: number): HypothesisHistoryEntry[] {
  const rows = db.prepare('SELECT at_utc, actor, action, details FROM audit WHERE target = ? ORDER BY seq').all(hypothesisTarget(id)) as Array<{
    at_utc: string; actor: string; action: string; details: string;
  }>;
  return rows.map((r) => ({ atUtc: r.at_utc, actor: r.actor, action: r.action, detail: describeDetails(r.action, r.details) }));
}

/** One readable line for an audit entry's details (JSON in the log). */
export function describeDetails(action: string, details: string): string {
  let d: unknown;
  try {
    d = JSON.parse(details);
  } catch {
    return details;
  }
  if (d === null || typeof d !== 'object') {
    return details === 'null' ? '' : details;
  }
  const o = d as Record<string, unknown>;
  if (action === 'hypothesis.update') {
    return Object.entries(o)
      .map(([k, v]) => {
        const c = v as { from?: unknown; to?: unknown } | null;
        return c !== null && typeof c === 'object' && 'to' in c ? `${k}: ${short(c.from)} → ${short(c.to)}` : `${k}: ${short(v)}`;
      })
      .join('; ');
  }
  return Object.entries(o)
    .map(([k, v]) => `${k}: ${short(v)}`)
    .join('; ');
}

function short(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
