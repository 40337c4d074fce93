import './hypotheses.css';
import { Button, Checkbox, Classes, FormGroup, HTMLTable, InputGroup, NonIdealState, Spinner, Tag, TextArea } from '@blueprintjs/core';
import { useMemo, useState, type FormEvent } from 'react';
import type { Hypothesis } from '../../../shared/domain/hypotheses';
import { navigateTo, type LinkKind } from '../../app/navigation';
import { toastError } from '../../app/toaster';
import { useHashNumber } from '../../app/use-hash-param';
import { ErrorCallout } from '../../components/error-callout';
import type { SectionProps } from '../workspace/sections';
import { HypothesisDetail } from './hypothesis-detail';
import { HypothesisCounts, ResultTag, StatusTag } from './hypothesis-tags';
import { STANCE_ICON, STANCE_INTENT } from './labels';
import { useCompare, useHypotheses, useHypothesisMutation } from './use-hypotheses';

function NewHypothesisForm({ onCreated, onCancel }: Readonly<{ onCreated: (h: Hypothesis) => void; onCancel: () => void }>) {
  const create = useHypothesisMutation('hypotheses.create');
  const [statement, setStatement] = useState('');
  const [rationale, setRationale] = useState('');
  function submit(e: FormEvent): void {
    e.preventDefault();
    if (statement.trim() === '') {
      return;
    }
    create.mutate({ statement: statement.trim(), rationale, status: 'open', confidence: 50 }, { onSuccess: onCreated, onError: (err) => void toastError(err, 'Not created') });
  }
  return (
    <form className="dossier-h-new" onSubmit={submit} data-testid="hypothesis-new-form">
      <FormGroup label="Statement" labelFor="h-new-statement" helperText="What you suggest is true: “we suggest that this indicates…”">
        <InputGroup id="h-new-statement" value={statement} onChange={(e) => setStatement(e.currentTarget.value)} maxLength={2000} autoFocus />
      </FormGroup>
      <FormGroup label="Rationale" labelFor="h-new-rationale">
        <TextArea id="h-new-rationale" fill rows={3} value={rationale} onChange={(e) => setRationale(e.currentTarget.value)} maxLength={20_000} placeholder="What you observed that suggests it (Markdown)" />
      </FormGroup>
      <div className="dossier-h-new-actions">
        <Button text="Cancel" onClick={onCancel} />
        <Button type="submit" intent="primary" icon="add" text="Create hypothesis" disabled={statement.trim() === ''} loading={create.isPending} data-testid="hypothesis-create" />
      </div>
    </form>
  );
}

const JUMPABLE: ReadonlyArray<string> = ['event', 'view', 'hypothesis', 'note', 'finding'];

/** Competing hypotheses side by side: status, confidence, predictions, and each one's stance on every linked item. */
function Comparison({ ids, onClose }: Readonly<{ ids: ReadonlyArray<number>; onClose: () => void }>) {
  const cmp = useCompare(ids);
  if (cmp.isPending) {
    return <Spinner />;
  }
  if (cmp.isError) {
    return <ErrorCallout error={cmp.error} />;
  }
  const { hypotheses, rows } = cmp.data;
  return (
    <div className="dossier-h-compare" data-testid="hypothesis-compare">
      <div className="dossier-h-compare-head">
        <h2 className={Classes.HEADING}>Comparing {hypotheses.length} hypotheses</h2>
        <Button icon="cross" text="Close comparison" onClick={onClose} />
      </div>
      <HTMLTable compact bordered className="dossier-h-compare-table">
        <thead>
          <tr>
            <th />
            {hypotheses.map((h) => (
              <th key={h.id} data-testid="compare-column">
                <button type="button" className="dossier-md-link" onClick={() => navigateTo({ kind: 'hypothesis', id: h.id })}>
                  #{h.id}
                </button>{' '}
                {h.statement}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th>Status</th>
            {hypotheses.map((h) => (
              <td key={h.id}>
                <StatusTag status={h.status} />
              </td>
            ))}
          </tr>
          <tr>
            <th>Confidence</th>
            {hypotheses.map((h) => (
              <td key={h.id}>{h.confidence}%</td>
            ))}
          </tr>
          <tr>
            <th>Predictions</th>
            {hypotheses.map((h) => (
              <td key={h.id}>
                <ul className="dossier-h-compare-list">
                  {h.predictions.map((p) => (
                    <li key={p.id}>
                      <ResultTag result={p.result} /> {p.statement}
                    </li>
                  ))}
                </ul>
              </td>
            ))}
          </tr>
          <tr>
            <th>Evidence</th>
            {hypotheses.map((h) => (
              <td key={h.id}>
                <HypothesisCounts h={h} />
              </td>
            ))}
          </tr>
          {rows.map((r) => (
            <tr key={`${r.targetKind}:${r.targetId}`} data-testid="compare-row">
              <th className="dossier-h-compare-target">
                <Tag minimal>{r.targetKind} #{r.targetId}</Tag>{' '}
                {JUMPABLE.includes(r.targetKind) ? (
                  <button type="button" className="dossier-md-link" onClick={() => navigateTo({ kind: r.targetKind as LinkKind, id: Number(r.targetId) })}>
                    {r.label !== '' ? r.label : 'open'}
                  </button>
                ) : (
                  r.label
                )}
              </th>
              {r.stances.map((s, i) => (
                <td key={hypotheses[i]?.id ?? i} className="dossier-h-compare-cell">
                  {s === null ? <span className={Classes.TEXT_DISABLED}>–</span> : <Tag minimal intent={STANCE_INTENT[s]} icon={STANCE_ICON[s]}>{s}</Tag>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </HTMLTable>
    </div>
  );
}

/** Hypotheses: the list (status, prediction results, evidence counts), one in detail, or several compared. */
export function HypothesesPanel({ summary }: SectionProps) {
  const hypotheses = useHypotheses();
  const hashId = useHashNumber('id');
  const [creating, setCreating] = useState(false);
  const [compareIds, setCompareIds] = useState<ReadonlyArray<number>>([]);
  const [comparing, setComparing] = useState(false);
  const list = useMemo(() => hypotheses.data ?? [], [hypotheses.data]);
  const selected = list.find((h) => h.id === hashId) ?? list[0] ?? null;

  if (hypotheses.isPending) {
    return <Spinner className="dossier-section-spinner" />;
  }
  if (hypotheses.isError) {
    return (
      <div className="dossier-panel">
        <ErrorCallout error={hypotheses.error} title="The hypotheses could not be read" />
      </div>
    );
  }

  function toggleCompare(id: number, on: boolean): void {
    setCompareIds((ids) => (on ? [...ids.filter((x) => x !== id), id] : ids.filter((x) => x !== id)));
  }

  let main;
  if (creating) {
    main = (
      <NewHypothesisForm
        onCreated={(h) => {
          setCreating(false);
          setComparing(false);
          navigateTo({ kind: 'hypothesis', id: h.id });
        }}
        onCancel={() => setCreating(false)}
      />
    );
  } else if (comparing && compareIds.length >= 2) {
    main = <Comparison ids={compareIds} onClose={() => setComparing(false)} />;
  } else if (selected === null) {
    main = (
      <NonIdealState
        icon="lab-test"
        title="No hypotheses yet"
        description="State what you suggest happened, say what you would expect to see if it were true (a saved view and a count), and link the events that support or refute it."
        action={<Button icon="add" intent="primary" text="New hypothesis" onClick={() => setCreating(true)} />}
      />
    );
  } else {
    main = <HypothesisDetail key={selected.id} h={selected} zone={summary.timeZone} />;
  }

  return (
    <div className="dossier-h" data-testid="hypotheses">
      <aside className="dossier-h-list" aria-label="Hypotheses">
        <div className="dossier-h-list-head">
          <strong>Hypotheses</strong>
          <Tag minimal round>
            {list.length}
          </Tag>
          <span className="dossier-grow" />
          <Button size="small" icon="add" intent="primary" text="New" onClick={() => setCreating(true)} data-testid="hypothesis-new" />
        </div>
        <ul>
          {list.map((h) => (
            <li key={h.id} className={!comparing && !creating && h.id === selected?.id ? 'dossier-h-item dossier-h-item-active' : 'dossier-h-item'} data-testid="hypothesis-item" data-hypothesis-id={h.id}>
              <Checkbox
                className="dossier-h-item-check"
                checked={compareIds.includes(h.id)}
                onChange={(e) => toggleCompare(h.id, e.currentTarget.checked)}
                aria-label={`Compare #${h.id}`}
              />
              <button
                type="button"
                className="dossier-h-item-main"
                onClick={() => {
                  setCreating(false);
                  setComparing(false);
                  navigateTo({ kind: 'hypothesis', id: h.id });
                }}
              >
                <span className="dossier-h-item-title">
                  <StatusTag status={h.status} /> <span className={Classes.TEXT_MUTED}>#{h.id}</span> {h.statement}
                </span>
                <HypothesisCounts h={h} />
              </button>
            </li>
          ))}
        </ul>
        {list.length >= 2 ? (
          <div className="dossier-h-compare-bar">
            <Button
              icon="comparison"
              text={compareIds.length >= 2 ? `Compare ${compareIds.length}` : 'Tick two or more to compare'}
              disabled={compareIds.length < 2}
              onClick={() => {
                setCreating(false);
                setComparing(true);
              }}
              data-testid="hypothesis-compare"
            />
          </div>
        ) : null}
      </aside>
      <section className="dossier-h-main">{main}</section>
    </div>
  );
}
