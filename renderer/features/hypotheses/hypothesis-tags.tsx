import { Classes, Icon, Tag } from '@blueprintjs/core';
import type { Hypothesis, Prediction } from '../../../shared/domain/hypotheses';
import { STATUS_INTENT } from './labels';
import { tally } from './summary';

export function ResultTag({ result }: Readonly<{ result: Prediction['result'] }>) {
  return result === 'met' ? (
    <Tag intent="success" icon="tick-circle" data-testid="prediction-result" data-result="met">Met</Tag>
  ) : result === 'not_met' ? (
    <Tag intent="danger" icon="cross-circle" data-testid="prediction-result" data-result="not_met">Not met</Tag>
  ) : (
    <Tag minimal icon="help" data-testid="prediction-result" data-result="unknown">Unknown</Tag>
  );
}

export function StatusTag({ status }: Readonly<{ status: Hypothesis['status'] }>) {
  return (
    <Tag intent={STATUS_INTENT[status]} minimal={status === 'open'} data-testid="hypothesis-status">
      {status}
    </Tag>
  );
}

/** Met / not met of the predictions and the evidence counts, in one line (list, overview). */
export function HypothesisCounts({ h }: Readonly<{ h: Hypothesis }>) {
  const t = tally(h);
  return (
    <span className={`dossier-h-counts ${Classes.TEXT_SMALL}`} data-testid="hypothesis-counts">
      <span title="Predictions met / not met" data-testid="counts-predictions">
        <Icon icon="tick-circle" size={12} intent={t.met > 0 ? 'success' : 'none'} /> {t.met}/{t.predictions} met
        {t.notMet > 0 ? <span className={Classes.INTENT_DANGER}> · {t.notMet} not met</span> : null}
      </span>
      <span title="Evidence: supporting / refuting / context" data-testid="counts-evidence">
        <Icon icon="thumbs-up" size={12} intent="success" /> {t.evidence.supports} <Icon icon="thumbs-down" size={12} intent="danger" /> {t.evidence.refutes}{' '}
        <Icon icon="info-sign" size={12} /> {t.evidence.context}
      </span>
    </span>
  );
}

