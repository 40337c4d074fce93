import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hypothesis, HypothesisComparison, HypothesisHistoryEntry, Note } from '../../shared/domain/hypotheses';
import type { SavedView } from '../../shared/domain/timeline';
import { evaluateExpectation, filterOfViewState, parseExpectation } from '../db/queries/hypotheses';
import { makeTempDir, type TempDir } from '../db/testing/test-db';
import { inProcessIngestPort } from '../workers/ingest/ingest-port';
import { listHypotheses, listNotes } from './hypotheses-service';
import { createBackend, type Backend } from './registry/create-handlers';
import { createDispatcher, type Dispatch } from './registry/dispatch';

const SAMPLE = resolve(__dirname, '../../resources/sample-case');

async function ok<T>(call: Dispatch, method: string, input: unknown): Promise<T> {
  const r = await call(method, input);
  if (!r.ok) {
    throw new Error(`${method}: ${r.error.message}`);
  }
  return r.value as T;
}

/** A saved view's state as the timeline stores it (renderer/features/timeline/view-state.ts). */
function viewState(filter: Record<string, unknown>): string {
  return JSON.stringify({ v: 1, filter, zone: 'case', groupBy: 'sourceKind' });
}

describe('expectations (pure)', () => {
  it('evaluates at least one, none and between, and unknown without a count', () => {
    expect(evaluateExpectation({ kind: 'at_least_one' }, 0)).toBe('not_met');
    expect(evaluateExpectation({ kind: 'at_least_one' }, 3)).toBe('met');
    expect(evaluateExpectation({ kind: 'none' }, 0)).toBe('met');
    expect(evaluateExpectation({ kind: 'none' }, 1)).toBe('not_met');
    expect(evaluateExpectation({ kind: 'between', min: 2, max: 4 }, 1)).toBe('not_met');
    expect(evaluateExpectation({ kind: 'between', min: 2, max: 4 }, 2)).toBe('met');
    expect(evaluateExpectation({ kind: 'between', min: 2, max: 4 }, 4)).toBe('met');
    expect(evaluateExpectation({ kind: 'between', min: 2, max: 4 }, 5)).toBe('not_met');
    expect(evaluateExpectation({ kind: 'none' }, null)).toBe('unknown');
  });

  it('reads the filter of a stored view state and refuses anything else', () => {
    expect(filterOfViewState(viewState({ srcIps: ['10.0.0.0/8'], text: 'GET' }))).toEqual({ srcIps: ['10.0.0.0/8'], text: 'GET' });
    expect(filterOfViewState('not json')).toBeNull();
    expect(filterOfViewState(JSON.stringify({ v: 2, filter: {} }))).toBeNull();
    expect(filterOfViewState(JSON.stringify({ v: 1, filter: { bogus: 1 } }))).toBeNull();
    expect(parseExpectation('{"kind":"between","min":1,"max":2}')).toEqual({ kind: 'between', min: 1, max: 2 });
    expect(parseExpectation('garbage')).toEqual({ kind: 'at_least_one' });
  });
});

describe('notes and hypotheses through the contract, on the sample case', () => {
  let tmp: TempDir;
  let backend: Backend;
  let call: Dispatch;
  let views: SavedView[];
  const viewId = (name: string): number => views.find((v) => v.name === name)?.id ?? -1;

  beforeAll(async () => {
    tmp = makeTempDir();
    backend = createBackend({
      appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir, sampleEvidenceDir: SAMPLE,
      osUser: 'tester', emit: () => undefined, now: () => new Date(), ingest: inProcessIngestPort(),
    });
    call = createDispatcher(backend.handlers);
    await ok(call, 'cases.openSample', {});
    await ok(call, 'cases.updateMeta', { examiner: 'A. Analyst' });
    await ok(call, 'views.save', { name: 'Brute force source', state: viewState({ srcIps: ['203.0.113.45'], sourceKinds: ['auth'] }) });
    await ok(call, 'views.save', { name: 'Logins as nobody', state: viewState({ users: ['no-such-user-anywhere'] }) });
    views = await ok<SavedView[]>(call, 'views.save', { name: '5xx answers', state: viewState({ statuses: ['5xx'] }) });
  });
  afterAll(async () => {
    await backend.dispose();
    tmp.cleanup();
  });

  it('creates, updates (autosave) and deletes notes, audited, with the examiner as author', async () => {
    const n = await ok<Note>(call, 'notes.create', { title: 'Restarts', body: 'First *draft*', folder: ' apache / restarts ' });
    expect(n).toMatchObject({ title: 'Restarts', body: 'First *draft*', folder: 'apache/restarts', author: 'A. Analyst' });
    const updated = await ok<Note>(call, 'notes.update', { id: n.id, body: 'Second draft' });
    expect(updated.body).toBe('Second draft');
    expect(updated.title).toBe('Restarts');
    await ok<Note>(call, 'notes.update', { id: n.id, body: 'Second draft' }); // unchanged: no entry
    const other = await ok<Note>(call, 'notes.create', { title: 'Another' });
    expect((await ok<Note[]>(call, 'notes.list', {})).map((x) => x.title)).toEqual(['Another', 'Restarts']);
    expect(await ok(call, 'notes.delete', { id: other.id })).toEqual({ deleted: true });
    expect(await ok(call, 'notes.delete', { id: other.id })).toEqual({ deleted: false });
    expect(await call('notes.get', { id: other.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const audit = await ok<{ entries: Array<{ action: string; target: string }> }>(call, 'audit.list', { limit: 50 });
    const mine = audit.entries.filter((e) => e.target === `note:${n.id}`).map((e) => e.action);
    expect(mine.sort()).toEqual(['note.create', 'note.update']);
    expect(audit.entries.some((e) => e.action === 'note.delete' && e.target === `note:${other.id}`)).toBe(true);
    expect(await call('notes.create', { title: '   ' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('counts predictions live from their saved views and evaluates them', async () => {
    const h = await ok<Hypothesis>(call, 'hypotheses.create', { statement: 'The attacker brute-forced SSH from 203.0.113.45', rationale: 'fail2ban bans it' });
    expect(h).toMatchObject({ status: 'open', confidence: 50, author: 'A. Analyst', predictions: [], evidence: [] });
    await ok(call, 'hypotheses.addPrediction', { hypothesisId: h.id, statement: 'auth.log shows its attempts', viewId: viewId('Brute force source'), expectation: { kind: 'at_least_one' } });
    await ok(call, 'hypotheses.addPrediction', { hypothesisId: h.id, statement: 'someone logged in as nobody', viewId: viewId('Logins as nobody'), expectation: { kind: 'at_least_one' } });
    const withThree = await ok<Hypothesis>(call, 'hypotheses.addPrediction', { hypothesisId: h.id, statement: 'no server errors', viewId: viewId('5xx answers'), expectation: { kind: 'none' } });
    const [met, notMet, errors] = withThree.predictions;
    // the live count is the timeline's own count for the same filter
    const page = await ok<{ rows: unknown[] }>(call, 'timeline.page', { filter: { srcIps: ['203.0.113.45'], sourceKinds: ['auth'] }, limit: 1000 });
    expect(met).toMatchObject({ viewName: 'Brute force source', count: page.rows.length, result: 'met' });
    expect(page.rows.length).toBeGreaterThan(0);
    expect(notMet).toMatchObject({ count: 0, result: 'not_met' });
    const fiveXX = await ok<{ total: number }>(call, 'timeline.histogram', { filter: { statuses: ['5xx'] }, buckets: 100 });
    expect(errors?.count).toBe(fiveXX.total);
    expect(errors?.result).toBe(fiveXX.total === 0 ? 'met' : 'not_met');

    // a changed expectation re-evaluates; an empty range is refused
    const between = await ok<Hypothesis>(call, 'hypotheses.updatePrediction', { id: met?.id, expectation: { kind: 'between', min: 1, max: 2 } });
    expect(between.predictions[0]?.result).toBe(page.rows.length <= 2 ? 'met' : 'not_met');
    expect(await call('hypotheses.updatePrediction', { id: met?.id, expectation: { kind: 'between', min: 5, max: 2 } })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await call('hypotheses.addPrediction', { hypothesisId: h.id, statement: 'x', viewId: 99_999, expectation: { kind: 'none' } })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // the view changes: the count follows; the view is deleted: unknown
    await ok(call, 'views.save', { name: 'Logins as nobody', state: viewState({ sourceKinds: ['auth'] }) });
    const after = await ok<Hypothesis>(call, 'hypotheses.get', { id: h.id });
    expect(after.predictions[1]).toMatchObject({ result: 'met' });
    expect(after.predictions[1]?.count).toBeGreaterThan(0);
    await ok(call, 'views.delete', { id: viewId('5xx answers') });
    const gone = await ok<Hypothesis>(call, 'hypotheses.get', { id: h.id });
    expect(gone.predictions[2]).toMatchObject({ viewId: null, viewName: null, count: null, result: 'unknown' });
    const removed = await ok<Hypothesis>(call, 'hypotheses.removePrediction', { id: gone.predictions[2]?.id });
    expect(removed.predictions).toHaveLength(2);
  });

  it('links evidence with a stance, relinks, updates and unlinks, and keeps the history', async () => {
    const page = await ok<{ rows: Array<{ id: number; message: string }> }>(call, 'timeline.page', { filter: { sourceKinds: ['auth'] }, limit: 3 });
    const [a, b, c] = page.rows;
    const h = await ok<Hypothesis>(call, 'hypotheses.create', { statement: 'Apache restarts were operator-driven', confidence: 40 });
    await ok(call, 'hypotheses.link', { hypothesisId: h.id, targetKind: 'event', targetId: String(a?.id), label: a?.message, stance: 'supports' });
    await ok(call, 'hypotheses.link', { hypothesisId: h.id, targetKind: 'event', targetId: String(b?.id), stance: 'supports', comment: 'sudo by the admin' });
    let now = await ok<Hypothesis>(call, 'hypotheses.link', { hypothesisId: h.id, targetKind: 'event', targetId: String(c?.id), stance: 'refutes' });
    expect(now.evidence.map((l) => l.stance)).toEqual(['supports', 'supports', 'refutes']);
    expect(now.evidence[0]).toMatchObject({ label: a?.message, author: 'A. Analyst', targetKind: 'event' });
    // linking the same target again changes its stance, not the count
    now = await ok<Hypothesis>(call, 'hypotheses.link', { hypothesisId: h.id, targetKind: 'event', targetId: String(c?.id), stance: 'context' });
    expect(now.evidence).toHaveLength(3);
    now = await ok<Hypothesis>(call, 'hypotheses.updateLink', { id: now.evidence[2]?.id, stance: 'refutes', comment: 'a cron job, not a person' });
    expect(now.evidence[2]).toMatchObject({ stance: 'refutes', comment: 'a cron job, not a person' });
    const other = await ok<Hypothesis>(call, 'hypotheses.create', { statement: 'The attacker restarted Apache' });
    await ok(call, 'hypotheses.link', { hypothesisId: other.id, targetKind: 'event', targetId: String(c?.id), stance: 'supports' });
    await ok(call, 'hypotheses.link', { hypothesisId: other.id, targetKind: 'hypothesis', targetId: String(h.id), stance: 'refutes' });
    expect(await call('hypotheses.link', { hypothesisId: h.id, targetKind: 'event', targetId: '999999999', stance: 'supports' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('hypotheses.link', { hypothesisId: h.id, targetKind: 'hypothesis', targetId: String(h.id), stance: 'supports' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await call('hypotheses.link', { hypothesisId: h.id, targetKind: 'event', targetId: '1', stance: 'maybe' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });

    await ok(call, 'hypotheses.update', { id: h.id, status: 'supported', confidence: 80 });
    await ok(call, 'hypotheses.update', { id: h.id, status: 'supported' }); // no change, no entry
    const unlinked = await ok<Hypothesis>(call, 'hypotheses.unlink', { id: now.evidence[0]?.id });
    expect(unlinked.evidence).toHaveLength(2);

    const history = await ok<HypothesisHistoryEntry[]>(call, 'hypotheses.history', { id: h.id });
    expect(history.map((e) => e.action)).toEqual(['hypothesis.create', 'evidence.link', 'evidence.link', 'evidence.link', 'evidence.relink', 'evidence.update', 'hypothesis.update', 'evidence.unlink']);
    const statusChange = history.find((e) => e.action === 'hypothesis.update');
    expect(statusChange).toMatchObject({ actor: 'A. Analyst' });
    expect(statusChange?.detail).toContain('status: open → supported');
    expect(statusChange?.detail).toContain('confidence: 40 → 80');

    const cmp = await ok<HypothesisComparison>(call, 'hypotheses.compare', { ids: [h.id, other.id] });
    expect(cmp.hypotheses.map((x) => x.id)).toEqual([h.id, other.id]);
    const shared = cmp.rows.find((r) => r.targetId === String(c?.id));
    expect(shared?.stances).toEqual(['refutes', 'supports']);
    expect(cmp.rows.find((r) => r.targetKind === 'hypothesis')?.stances).toEqual([null, 'refutes']);
    expect(await call('hypotheses.compare', { ids: [h.id] })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('keeps hypotheses, predictions, links and notes across save-as and reopen', async () => {
    const before = await ok<Hypothesis[]>(call, 'hypotheses.list', {});
    const notes = await ok<Note[]>(call, 'notes.list', {});
    expect(before.length).toBeGreaterThanOrEqual(3);
    const copy = tmp.file('copy.dossier');
    await ok(call, 'cases.saveAs', { path: copy });
    await ok(call, 'cases.close', {});
    await ok(call, 'cases.open', { path: copy });
    const after = await ok<Hypothesis[]>(call, 'hypotheses.list', {});
    expect(after).toEqual(before);
    expect(after.flatMap((h) => h.predictions).length).toBeGreaterThan(0);
    expect(after.flatMap((h) => h.evidence).length).toBeGreaterThan(0);
    expect(await ok<Note[]>(call, 'notes.list', {})).toEqual(notes);
    const history = await ok<HypothesisHistoryEntry[]>(call, 'hypotheses.history', { id: before[1]?.id });
    expect(history.some((e) => e.action === 'hypothesis.update')).toBe(true);
    // the exported readers the report uses
    const db = backend.session.requireOpen().db;
    expect(listHypotheses(db)).toEqual(after);
    expect(listHypotheses(db, () => 7).flatMap((h) => h.predictions).filter((p) => p.viewId !== null).every((p) => p.count === 7)).toBe(true);
    expect(listNotes(db)).toEqual(notes);
  });

  it('deletes a hypothesis with its predictions and links, audited', async () => {
    const h = await ok<Hypothesis>(call, 'hypotheses.create', { statement: 'Temporary' });
    await ok(call, 'hypotheses.addPrediction', { hypothesisId: h.id, statement: 'p', viewId: null, expectation: { kind: 'none' } });
    expect(await ok(call, 'hypotheses.delete', { id: h.id })).toEqual({ deleted: true });
    expect(await call('hypotheses.get', { id: h.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const db = backend.session.requireOpen().db;
    expect((db.prepare('SELECT count(*) AS n FROM predictions WHERE hypothesis_id = ?').get(h.id) as { n: number }).n).toBe(0);
    const history = await ok<HypothesisHistoryEntry[]>(call, 'hypotheses.history', { id: h.id });
    expect(history.map((e) => e.action)).toEqual(['hypothesis.create', 'prediction.add', 'hypothesis.delete']);
  });
});
