/**
 * Case notes and hypotheses (issue 5), as both sides see them. The report (issue 9) reads these
 * same shapes, so fields may be added but never renamed or removed.
 */
import { z } from 'zod';

/** What a note, a hypothesis or a report can point at. `view` is a saved view, `finding` a detector finding. */
export const LinkTargetKind = z.enum(['event', 'view', 'hypothesis', 'finding', 'note', 'restart', 'panel']);
export type LinkTargetKind = z.infer<typeof LinkTargetKind>;

export const Note = z.object({
  id: z.number().int(),
  title: z.string(),
  /** Markdown; rendered only through the sanitising renderer, never as HTML. */
  body: z.string(),
  /** A slash-separated folder path ('' = top level). */
  folder: z.string(),
  author: z.string(),
  createdUtc: z.string(),
  updatedUtc: z.string(),
});
export type Note = z.infer<typeof Note>;

export const HypothesisStatus = z.enum(['open', 'supported', 'refuted', 'inconclusive']);
export type HypothesisStatus = z.infer<typeof HypothesisStatus>;

export const Stance = z.enum(['supports', 'refutes', 'context']);
export type Stance = z.infer<typeof Stance>;

/** "If the hypothesis holds we expect to see X": a saved view (or a filter) and an expected count. */
export const PredictionExpectation = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('at_least_one') }),
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('between'), min: z.number().int().min(0), max: z.number().int().min(0) }),
]);
export type PredictionExpectation = z.infer<typeof PredictionExpectation>;

export const Prediction = z.object({
  id: z.number().int(),
  hypothesisId: z.number().int(),
  statement: z.string(),
  /** The saved view whose live count decides the prediction (null when the view was deleted). */
  viewId: z.number().int().nullable(),
  viewName: z.string().nullable(),
  expectation: PredictionExpectation,
  /** Live count of the view's events now; null when it cannot be counted (view gone). */
  count: z.number().int().nullable(),
  /** met / not_met from the live count; unknown when there is no count. */
  result: z.enum(['met', 'not_met', 'unknown']),
});
export type Prediction = z.infer<typeof Prediction>;

export const EvidenceLink = z.object({
  id: z.number().int(),
  hypothesisId: z.number().int(),
  targetKind: LinkTargetKind,
  /** The target's id as text (event id, view id, finding id, note id, or an analysis key such as a restart's). */
  targetId: z.string(),
  /** A short human label captured when linking (e.g. the event's time and message), shown if the target is gone. */
  label: z.string(),
  stance: Stance,
  comment: z.string(),
  createdUtc: z.string(),
  author: z.string(),
});
export type EvidenceLink = z.infer<typeof EvidenceLink>;

export const HypothesisHistoryEntry = z.object({
  atUtc: z.string(),
  actor: z.string(),
  action: z.string(),
  detail: z.string(),
});
export type HypothesisHistoryEntry = z.infer<typeof HypothesisHistoryEntry>;

export const Hypothesis = z.object({
  id: z.number().int(),
  statement: z.string(),
  rationale: z.string(),
  status: HypothesisStatus,
  /** 0..100 */
  confidence: z.number().int().min(0).max(100),
  author: z.string(),
  createdUtc: z.string(),
  updatedUtc: z.string(),
  predictions: z.array(Prediction),
  evidence: z.array(EvidenceLink),
});
export type Hypothesis = z.infer<typeof Hypothesis>;

/** Competing hypotheses side by side: each one, and every linked target with each hypothesis's stance on it. */
export const HypothesisComparison = z.object({
  hypotheses: z.array(Hypothesis),
  rows: z.array(
    z.object({
      targetKind: LinkTargetKind,
      targetId: z.string(),
      label: z.string(),
      /** One entry per hypothesis, in the order of `hypotheses`: its stance, or null when it does not link the target. */
      stances: z.array(Stance.nullable()),
    }),
  ),
});
export type HypothesisComparison = z.infer<typeof HypothesisComparison>;
