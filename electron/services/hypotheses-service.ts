import { DossierError } from '../../shared/api/errors';
import type {
  Hypothesis,
  HypothesisComparison,
  HypothesisHistoryEntry,
  HypothesisStatus,
  LinkTargetKind,
  Note,
  PredictionExpectation,
  Stance,
} from '../../shared/domain/hypotheses';
import type { ReadableDb } from '../db/connection/sql';
import {
  deleteHypothesis,
  deleteLink,
  deleteNote,
  deletePrediction,
  getHypothesis,
  getLink,
  getNote,
  hypothesisHistory,
  hypothesisTarget,
  insertHypothesis,
  insertNote,
  insertPrediction,
  listHypotheses,
  listNotes,
  predictionOwner,
  touchHypothesis,
  updateHypothesis,
  updateLink,
  updateNote,
  updatePrediction,
  upsertLink,
  viewExists,
  type HypothesisPatch,
  type NotePatch,
  type ViewCounter,
} from '../db/queries/hypotheses';
import type { CaseSession } from './case-session';

export { listHypotheses, listNotes, type ViewCounter };

function noteTarget(id: number): string {
  return `note:${id}`;
}

function checkExpectation(e: PredictionExpectation): void {
  if (e.kind === 'between' && e.min > e.max) {
    throw new DossierError('bad_input', `The range ${e.min}–${e.max} is empty: the minimum must not exceed the maximum.`);
  }
}

/**
 * Case notes and hypotheses (predictions with live counts, evidence links, history). Every change
 * is written with its audit entry in one transaction; a hypothesis's changes (its predictions and
 * links included) are audited under `hypothesis:<id>`, which is its history.
 */
export class HypothesesService {
  readonly #session: CaseSession;
  readonly #now: () => Date;

  constructor(session: CaseSession, now: () => Date) {
    this.#session = session;
    this.#now = now;
  }

  #db(): ReadableDb {
    return this.#session.requireOpen().db;
  }

  #stamp(): string {
    return this.#now().toISOString();
  }

  // ------------------------------------------------------------ notes

  notes(): Note[] {
    return listNotes(this.#db());
  }

  note(id: number): Note {
    const n = getNote(this.#db(), id);
    if (n === null) {
      throw new DossierError('not_found', `No note #${id} in this case.`);
    }
    return n;
  }

  createNote(input: Readonly<{ title: string; body: string; folder: string }>): Note {
    const now = this.#stamp();
    const id = this.#session.write((open) => {
      const nid = insertNote(open.db, { ...input, author: this.#session.actor() }, now);
      this.#session.audit('note.create', noteTarget(nid), { title: input.title, folder: input.folder, bodyChars: input.body.length });
      return nid;
    });
    return this.note(id);
  }

  updateNote(id: number, patch: NotePatch): Note {
    const now = this.#stamp();
    this.#session.write((open) => {
      const before = getNote(open.db, id);
      if (before === null) {
        throw new DossierError('not_found', `No note #${id} in this case.`);
      }
      const changed = (['title', 'body', 'folder'] as const).filter((k) => patch[k] !== undefined && patch[k] !== before[k]);
      if (changed.length === 0) {
        return;
      }
      updateNote(open.db, id, patch, now);
      this.#session.audit('note.update', noteTarget(id), {
        fields: changed,
        ...(changed.includes('title') ? { title: patch.title } : {}),
        ...(changed.includes('folder') ? { folder: patch.folder } : {}),
        ...(changed.includes('body') ? { bodyChars: patch.body?.length } : {}),
      });
    });
    return this.note(id);
  }

  deleteNote(id: number): boolean {
    return this.#session.write((open) => {
      const before = getNote(open.db, id);
      if (before === null || deleteNote(open.db, id) === 0) {
        return false;
      }
      this.#session.audit('note.delete', noteTarget(id), { title: before.title, folder: before.folder, body: before.body });
      return true;
    });
  }

  // ------------------------------------------------------------ hypotheses

  hypotheses(): Hypothesis[] {
    return listHypotheses(this.#db());
  }

  hypothesis(id: number): Hypothesis {
    const h = getHypothesis(this.#db(), id);
    if (h === null) {
      throw new DossierError('not_found', `No hypothesis #${id} in this case.`);
    }
    return h;
  }

  #requireHypothesis(db: ReadableDb, id: number): void {
    if (db.prepare('SELECT 1 FROM hypotheses WHERE id = ?').get(id) === undefined) {
      throw new DossierError('not_found', `No hypothesis #${id} in this case.`);
    }
  }

  createHypothesis(input: Readonly<{ statement: string; rationale: string; status: HypothesisStatus; confidence: number }>): Hypothesis {
    const now = this.#stamp();
    const id = this.#session.write((open) => {
      const hid = insertHypothesis(open.db, { ...input, author: this.#session.actor() }, now);
      this.#session.audit('hypothesis.create', hypothesisTarget(hid), { statement: input.statement, status: input.status, confidence: input.confidence });
      return hid;
    });
    return this.hypothesis(id);
  }

  updateHypothesis(id: number, patch: HypothesisPatch): Hypothesis {
    const now = this.#stamp();
    this.#session.write((open) => {
      const changes = updateHypothesis(open.db, id, patch, now);
      if (changes === null) {
        throw new DossierError('not_found', `No hypothesis #${id} in this case.`);
      }
      if (Object.keys(changes).length > 0) {
        this.#session.audit('hypothesis.update', hypothesisTarget(id), changes);
      }
    });
    return this.hypothesis(id);
  }

  deleteHypothesis(id: number): boolean {
    return this.#session.write((open) => {
      const before = getHypothesis(open.db, id, () => null);
      if (before === null || deleteHypothesis(open.db, id) === 0) {
        return false;
      }
      this.#session.audit('hypothesis.delete', hypothesisTarget(id), {
        statement: before.statement,
        status: before.status,
        predictions: before.predictions.length,
        evidence: before.evidence.length,
      });
      return true;
    });
  }

  addPrediction(hypothesisId: number, input: Readonly<{ statement: string; viewId: number | null; expectation: PredictionExpectation }>): Hypothesis {
    checkExpectation(input.expectation);
    const now = this.#stamp();
    this.#session.write((open) => {
      this.#requireHypothesis(open.db, hypothesisId);
      if (input.viewId !== null && !viewExists(open.db, input.viewId)) {
        throw new DossierError('not_found', `No saved view #${input.viewId} in this case.`);
      }
      const pid = insertPrediction(open.db, { hypothesisId, ...input }, now);
      touchHypothesis(open.db, hypothesisId, now);
      this.#session.audit('prediction.add', hypothesisTarget(hypothesisId), { prediction: pid, statement: input.statement, view: input.viewId, expectation: input.expectation });
    });
    return this.hypothesis(hypothesisId);
  }

  updatePrediction(id: number, patch: Readonly<{ statement?: string; viewId?: number | null; expectation?: PredictionExpectation }>): Hypothesis {
    if (patch.expectation !== undefined) {
      checkExpectation(patch.expectation);
    }
    const now = this.#stamp();
    const owner = this.#session.write((open) => {
      const h = predictionOwner(open.db, id);
      if (h === null) {
        throw new DossierError('not_found', `No prediction #${id} in this case.`);
      }
      if (patch.viewId !== undefined && patch.viewId !== null && !viewExists(open.db, patch.viewId)) {
        throw new DossierError('not_found', `No saved view #${patch.viewId} in this case.`);
      }
      updatePrediction(open.db, id, patch, now);
      touchHypothesis(open.db, h, now);
      this.#session.audit('prediction.update', hypothesisTarget(h), { prediction: id, ...patch });
      return h;
    });
    return this.hypothesis(owner);
  }

  removePrediction(id: number): Hypothesis {
    const now = this.#stamp();
    const owner = this.#session.write((open) => {
      const h = predictionOwner(open.db, id);
      if (h === null) {
        throw new DossierError('not_found', `No prediction #${id} in this case.`);
      }
      const statement = (open.db.prepare('SELECT statement FROM predictions WHERE id = ?').get(id) as { statement: string }).statement;
      deletePrediction(open.db, id);
      touchHypothesis(open.db, h, now);
      this.#session.audit('prediction.remove', hypothesisTarget(h), { prediction: id, statement });
      return h;
    });
    return this.hypothesis(owner);
  }

  #checkTarget(db: ReadableDb, kind: LinkTargetKind, targetId: string): void {
    const numeric = /^[1-9]\d{0,15}$/u.test(targetId) ? Number(targetId) : null;
    const table: Partial<Record<LinkTargetKind, string>> = { event: 'events', view: 'saved_views', hypothesis: 'hypotheses', note: 'notes' };
    const name = table[kind];
    if (name === undefined) {
      return; // findings, restarts and panels belong to other areas; the label keeps them readable
    }
    if (numeric === null || db.prepare(`SELECT 1 FROM ${name} WHERE id = ?`).get(numeric) === undefined) {
      throw new DossierError('not_found', `No ${kind} #${targetId} in this case.`);
    }
  }

  link(input: Readonly<{ hypothesisId: number; targetKind: LinkTargetKind; targetId: string; label: string; stance: Stance; comment: string }>): Hypothesis {
    const now = this.#stamp();
    this.#session.write((open) => {
      this.#requireHypothesis(open.db, input.hypothesisId);
      if (input.targetKind === 'hypothesis' && input.targetId === String(input.hypothesisId)) {
        throw new DossierError('bad_input', 'A hypothesis cannot be evidence for itself.');
      }
      this.#checkTarget(open.db, input.targetKind, input.targetId);
      const r = upsertLink(open.db, { ...input, author: this.#session.actor() }, now);
      touchHypothesis(open.db, input.hypothesisId, now);
      this.#session.audit(r.created ? 'evidence.link' : 'evidence.relink', hypothesisTarget(input.hypothesisId), {
        link: r.id,
        target: `${input.targetKind}:${input.targetId}`,
        label: input.label,
        stance: input.stance,
        comment: input.comment,
      });
    });
    return this.hypothesis(input.hypothesisId);
  }

  updateLink(id: number, patch: Readonly<{ stance?: Stance; comment?: string; label?: string }>): Hypothesis {
    const now = this.#stamp();
    const owner = this.#session.write((open) => {
      const before = getLink(open.db, id);
      if (before === null) {
        throw new DossierError('not_found', `No evidence link #${id} in this case.`);
      }
      updateLink(open.db, id, patch);
      touchHypothesis(open.db, before.hypothesisId, now);
      const changes: Record<string, { from: string; to: string }> = {};
      for (const k of ['stance', 'comment', 'label'] as const) {
        const to = patch[k];
        if (to !== undefined && to !== before[k]) {
          changes[k] = { from: before[k], to };
        }
      }
      if (Object.keys(changes).length > 0) {
        this.#session.audit('evidence.update', hypothesisTarget(before.hypothesisId), { link: id, target: `${before.targetKind}:${before.targetId}`, ...changes });
      }
      return before.hypothesisId;
    });
    return this.hypothesis(owner);
  }

  unlink(id: number): Hypothesis {
    const now = this.#stamp();
    const owner = this.#session.write((open) => {
      const before = getLink(open.db, id);
      if (before === null) {
        throw new DossierError('not_found', `No evidence link #${id} in this case.`);
      }
      deleteLink(open.db, id);
      touchHypothesis(open.db, before.hypothesisId, now);
      this.#session.audit('evidence.unlink', hypothesisTarget(before.hypothesisId), {
        link: id, target: `${before.targetKind}:${before.targetId}`, label: before.label, stance: before.stance,
      });
      return before.hypothesisId;
    });
    return this.hypothesis(owner);
  }

  history(id: number): HypothesisHistoryEntry[] {
    const db = this.#db();
    const history = hypothesisHistory(db, id);
    if (history.length === 0) {
      this.#requireHypothesis(db, id);
    }
    return history;
  }

  /** Hypotheses side by side, with every target any of them links and each one's stance on it. */
  compare(ids: ReadonlyArray<number>): HypothesisComparison {
    const db = this.#db();
    const all = listHypotheses(db);
    const hypotheses = ids.map((id) => {
      const h = all.find((x) => x.id === id);
      if (h === undefined) {
        throw new DossierError('not_found', `No hypothesis #${id} in this case.`);
      }
      return h;
    });
    const rows = new Map<string, { targetKind: LinkTargetKind; targetId: string; label: string; stances: Array<Stance | null> }>();
    hypotheses.forEach((h, i) => {
      for (const l of h.evidence) {
        const key = `${l.targetKind}:${l.targetId}`;
        let row = rows.get(key);
        if (row === undefined) {
          row = { targetKind: l.targetKind, targetId: l.targetId, label: l.label, stances: hypotheses.map(() => null) };
          rows.set(key, row);
        }
        row.stances[i] = l.stance;
      }
    });
    return { hypotheses, rows: [...rows.values()] };
  }
}
