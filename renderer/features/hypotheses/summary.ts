import type { EvidenceLink, Hypothesis, PredictionExpectation, Stance } from '../../../shared/domain/hypotheses';

export type HypothesisTally = Readonly<{
  met: number;
  notMet: number;
  unknown: number;
  predictions: number;
  evidence: Readonly<Record<Stance, number>>;
}>;

/** Prediction results and evidence counts of a hypothesis (overview rows, list, comparison). */
export function tally(h: Hypothesis): HypothesisTally {
  const evidence: Record<Stance, number> = { supports: 0, refutes: 0, context: 0 };
  for (const l of h.evidence) {
    evidence[l.stance] += 1;
  }
  return {
    met: h.predictions.filter((p) => p.result === 'met').length,
    notMet: h.predictions.filter((p) => p.result === 'not_met').length,
    unknown: h.predictions.filter((p) => p.result === 'unknown').length,
    predictions: h.predictions.length,
    evidence,
  };
}

export function describeExpectation(e: PredictionExpectation): string {
  switch (e.kind) {
    case 'at_least_one':
      return 'at least one event';
    case 'none':
      return 'no events';
    case 'between':
      return e.min === e.max ? `exactly ${e.min} events` : `between ${e.min} and ${e.max} events`;
  }
}

/** Evidence links grouped by stance, supports first. */
export function byStance(links: ReadonlyArray<EvidenceLink>): Array<{ stance: Stance; links: EvidenceLink[] }> {
  const order: Stance[] = ['supports', 'refutes', 'context'];
  return order.map((stance) => ({ stance, links: links.filter((l) => l.stance === stance) })).filter((g) => g.links.length > 0);
}
