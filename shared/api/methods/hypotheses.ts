/**
 * Contract methods of one area: Case notes and hypotheses (notes.*, hypotheses.*).
 * Spread into `contract` (shared/api/contract.ts); handlers in electron/services/registry/handlers/hypotheses.ts;
 * preload allowlist in electron/preload/channels/hypotheses.ts.
 */
import { z } from 'zod';
import { Hypothesis, HypothesisComparison, HypothesisHistoryEntry, HypothesisStatus, LinkTargetKind, Note, PredictionExpectation, Stance } from '../../domain/hypotheses';
import { method, type MethodSpec } from '../method';

const Id = z.number().int().positive();
const ById = z.object({ id: Id }).strict();
const Deleted = z.object({ deleted: z.boolean() });

const Title = z.string().trim().min(1).max(300);
const NoteBody = z.string().max(500_000);
/** A slash-separated folder path ('' = top level). */
const Folder = z
  .string()
  .trim()
  .max(200)
  .transform((f) => f.split('/').map((p) => p.trim()).filter((p) => p !== '').join('/'));

const Statement = z.string().trim().min(1).max(2000);
const Rationale = z.string().max(20_000);
const Confidence = z.number().int().min(0).max(100);
const Comment = z.string().max(5000);
const Label = z.string().max(500);
const TargetId = z.string().trim().min(1).max(200);

const Expectation = PredictionExpectation.refine((e) => e.kind !== 'between' || (e.min <= e.max && e.max <= 1_000_000_000), {
  message: 'between: min must not exceed max',
});

export const hypothesesMethods = {
  'notes.list': method(z.object({}).strict(), z.array(Note)),
  'notes.get': method(ById, Note),
  'notes.create': method(z.object({ title: Title, body: NoteBody.default(''), folder: Folder.default('') }).strict(), Note),
  /** Autosave calls this with the changed fields; unchanged fields leave no audit entry. */
  'notes.update': method(z.object({ id: Id, title: Title.optional(), body: NoteBody.optional(), folder: Folder.optional() }).strict(), Note),
  'notes.delete': method(ById, Deleted),

  'hypotheses.list': method(z.object({}).strict(), z.array(Hypothesis)),
  'hypotheses.get': method(ById, Hypothesis),
  'hypotheses.create': method(
    z.object({ statement: Statement, rationale: Rationale.default(''), status: HypothesisStatus.default('open'), confidence: Confidence.default(50) }).strict(),
    Hypothesis,
  ),
  'hypotheses.update': method(
    z.object({ id: Id, statement: Statement.optional(), rationale: Rationale.optional(), status: HypothesisStatus.optional(), confidence: Confidence.optional() }).strict(),
    Hypothesis,
  ),
  'hypotheses.delete': method(ById, Deleted),
  'hypotheses.addPrediction': method(
    z.object({ hypothesisId: Id, statement: Statement, viewId: Id.nullable(), expectation: Expectation }).strict(),
    Hypothesis,
  ),
  'hypotheses.updatePrediction': method(
    z.object({ id: Id, statement: Statement.optional(), viewId: Id.nullable().optional(), expectation: Expectation.optional() }).strict(),
    Hypothesis,
  ),
  'hypotheses.removePrediction': method(ById, Hypothesis),
  /** Links evidence to a hypothesis; the same target again replaces its stance, label and comment. */
  'hypotheses.link': method(
    z.object({ hypothesisId: Id, targetKind: LinkTargetKind, targetId: TargetId, label: Label.default(''), stance: Stance, comment: Comment.default('') }).strict(),
    Hypothesis,
  ),
  'hypotheses.updateLink': method(z.object({ id: Id, stance: Stance.optional(), comment: Comment.optional(), label: Label.optional() }).strict(), Hypothesis),
  'hypotheses.unlink': method(ById, Hypothesis),
  'hypotheses.history': method(ById, z.array(HypothesisHistoryEntry)),
  'hypotheses.compare': method(z.object({ ids: z.array(Id).min(2).max(10) }).strict(), HypothesisComparison),
} as const satisfies Record<string, MethodSpec>;
