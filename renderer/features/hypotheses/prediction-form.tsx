import { Button, ControlGroup, HTMLSelect, InputGroup, NumericInput } from '@blueprintjs/core';
import { useState, type FormEvent } from 'react';
import type { PredictionExpectation } from '../../../shared/domain/hypotheses';
import { toastError } from '../../app/toaster';
import { useViews } from '../timeline/use-timeline-data';
import { useCasePath, useHypothesisMutation } from './use-hypotheses';

type Kind = PredictionExpectation['kind'];

/** "If this is true we expect to see X": a statement, the saved view that counts X, and the expected count. */
export function PredictionForm({ hypothesisId }: Readonly<{ hypothesisId: number }>) {
  const casePath = useCasePath();
  const views = useViews(casePath);
  const add = useHypothesisMutation('hypotheses.addPrediction');
  const [statement, setStatement] = useState('');
  const [viewId, setViewId] = useState('');
  const [kind, setKind] = useState<Kind>('at_least_one');
  const [min, setMin] = useState(1);
  const [max, setMax] = useState(10);
  const list = views.data ?? [];
  const chosenView = viewId !== '' ? viewId : list[0] !== undefined ? String(list[0].id) : '';
  const rangeOk = kind !== 'between' || min <= max;
  const canAdd = statement.trim() !== '' && chosenView !== '' && rangeOk && !add.isPending;

  function submit(e: FormEvent): void {
    e.preventDefault();
    if (!canAdd) {
      return;
    }
    const expectation: PredictionExpectation = kind === 'between' ? { kind, min, max } : { kind };
    add.mutate(
      { hypothesisId, statement: statement.trim(), viewId: Number(chosenView), expectation },
      {
        onSuccess: () => setStatement(''),
        onError: (err) => void toastError(err, 'The prediction was not added'),
      },
    );
  }

  if (list.length === 0) {
    return <p className="bp6-text-muted">Save a view in the timeline (its filter is what a prediction counts), then bind predictions to it here.</p>;
  }
  return (
    <form className="dossier-h-prediction-form" onSubmit={submit} data-testid="prediction-form">
      <InputGroup
        aria-label="Prediction"
        placeholder="If this is true we expect to see…"
        value={statement}
        onChange={(e) => setStatement(e.currentTarget.value)}
        maxLength={2000}
        className="dossier-grow"
        data-testid="prediction-statement"
      />
      <ControlGroup>
        <HTMLSelect aria-label="Saved view" value={chosenView} onChange={(e) => setViewId(e.currentTarget.value)} data-testid="prediction-view">
          {list.map((v) => (
            <option key={v.id} value={String(v.id)}>
              {v.name}
            </option>
          ))}
        </HTMLSelect>
        <HTMLSelect aria-label="Expectation" value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)} data-testid="prediction-expectation">
          <option value="at_least_one">at least one</option>
          <option value="none">none</option>
          <option value="between">between</option>
        </HTMLSelect>
        {kind === 'between' ? (
          <>
            <NumericInput aria-label="Minimum" min={0} value={min} onValueChange={(n) => setMin(Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0)} style={{ width: 64 }} buttonPosition="none" intent={rangeOk ? 'none' : 'danger'} />
            <NumericInput aria-label="Maximum" min={0} value={max} onValueChange={(n) => setMax(Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0)} style={{ width: 64 }} buttonPosition="none" intent={rangeOk ? 'none' : 'danger'} />
          </>
        ) : null}
      </ControlGroup>
      <Button type="submit" icon="add" text="Add prediction" disabled={!canAdd} loading={add.isPending} data-testid="prediction-add" />
    </form>
  );
}
