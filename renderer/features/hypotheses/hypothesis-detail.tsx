import { Button, Classes, EditableText, HTMLSelect, HTMLTable, Icon, NonIdealState, Section, SectionCard, Slider, Spinner, Tag, TextArea } from '@blueprintjs/core';
import { useState } from 'react';
import { HypothesisStatus, type EvidenceLink, type Hypothesis, type Prediction, type Stance } from '../../../shared/domain/hypotheses';
import { navigateTo, type LinkKind } from '../../app/navigation';
import { toastError } from '../../app/toaster';
import { ErrorCallout } from '../../components/error-callout';
import { formatInZone, formatUtc } from '../../components/format-time';
import { SafeMarkdown } from '../../components/safe-markdown';
import { STANCE_ICON, STANCE_INTENT } from './labels';
import { ResultTag } from './hypothesis-tags';
import { PredictionForm } from './prediction-form';
import { byStance, describeExpectation, tally } from './summary';
import { useDraft } from './use-draft';
import { useDeleteHypothesis, useHypothesisHistory, useHypothesisMutation } from './use-hypotheses';

const JUMPABLE: ReadonlyArray<string> = ['event', 'view', 'hypothesis', 'note', 'finding'];

function PredictionRow({ p }: Readonly<{ p: Prediction }>) {
  const remove = useHypothesisMutation('hypotheses.removePrediction');
  return (
    <tr data-testid="prediction" data-prediction-id={p.id}>
      <td>{p.statement}</td>
      <td>
        {p.viewId === null ? (
          <span className={Classes.TEXT_DISABLED}>view deleted</span>
        ) : (
          <Button size="small" variant="minimal" icon="eye-open" text={p.viewName ?? `view #${p.viewId}`} onClick={() => navigateTo({ kind: 'view', id: p.viewId ?? 0 })} title="Open this view in the timeline" />
        )}
      </td>
      <td>{describeExpectation(p.expectation)}</td>
      <td className="dossier-num" data-testid="prediction-count">{p.count === null ? '–' : p.count.toLocaleString('en-US')}</td>
      <td>
        <ResultTag result={p.result} />
      </td>
      <td>
        <Button size="small" variant="minimal" icon="trash" aria-label="Remove prediction" loading={remove.isPending} onClick={() => remove.mutate({ id: p.id }, { onError: (e) => void toastError(e, 'Not removed') })} />
      </td>
    </tr>
  );
}

function LinkRow({ link, zone }: Readonly<{ link: EvidenceLink; zone: string }>) {
  const update = useHypothesisMutation('hypotheses.updateLink');
  const unlink = useHypothesisMutation('hypotheses.unlink');
  const [comment, setComment] = useDraft(link.comment);
  const jumpable = JUMPABLE.includes(link.targetKind) && /^[1-9]\d*$/u.test(link.targetId);
  const label = link.label !== '' ? link.label : `${link.targetKind} #${link.targetId}`;
  return (
    <li className="dossier-h-link" data-testid="evidence-link" data-stance={link.stance} data-target={`${link.targetKind}/${link.targetId}`}>
      <Icon icon={STANCE_ICON[link.stance]} intent={STANCE_INTENT[link.stance]} />
      <div className="dossier-h-link-main">
        <div>
          <Tag minimal className="dossier-h-kind">{link.targetKind} #{link.targetId}</Tag>{' '}
          {jumpable ? (
            <button type="button" className="dossier-md-link dossier-h-link-label" onClick={() => navigateTo({ kind: link.targetKind as LinkKind, id: Number(link.targetId) })} data-testid="evidence-jump">
              {label}
            </button>
          ) : (
            <span className="dossier-h-link-label">{label}</span>
          )}
        </div>
        <EditableText
          className={Classes.TEXT_SMALL}
          placeholder="Add a comment…"
          value={comment}
          maxLength={5000}
          multiline
          minLines={1}
          onChange={setComment}
          onConfirm={(v) => v !== link.comment && update.mutate({ id: link.id, comment: v }, { onError: (e) => void toastError(e, 'Comment not saved') })}
        />
        <div className={`${Classes.TEXT_SMALL} ${Classes.TEXT_MUTED}`}>
          {link.author} · <span title={`${formatUtc(link.createdUtc)} UTC`}>{formatInZone(link.createdUtc, zone)}</span>
        </div>
      </div>
      <HTMLSelect
        aria-label="Stance"
        value={link.stance}
        onChange={(e) => update.mutate({ id: link.id, stance: e.currentTarget.value as Stance }, { onError: (err) => void toastError(err, 'Stance not changed') })}
      >
        <option value="supports">supports</option>
        <option value="refutes">refutes</option>
        <option value="context">context</option>
      </HTMLSelect>
      <Button variant="minimal" icon="cross" aria-label="Remove evidence" onClick={() => unlink.mutate({ id: link.id }, { onError: (e) => void toastError(e, 'Not removed') })} />
    </li>
  );
}

function History({ id, zone }: Readonly<{ id: number; zone: string }>) {
  const history = useHypothesisHistory(id);
  if (history.isPending) {
    return <Spinner size={16} />;
  }
  if (history.isError) {
    return <ErrorCallout error={history.error} />;
  }
  return (
    <HTMLTable compact striped className="dossier-h-history" data-testid="hypothesis-history">
      <thead>
        <tr>
          <th>When</th>
          <th>Who</th>
          <th>What</th>
          <th>Detail</th>
        </tr>
      </thead>
      <tbody>
        {[...history.data].reverse().map((e, i) => (
          <tr key={`${e.atUtc}-${i}`} data-testid="history-entry" data-action={e.action}>
            <td className="dossier-nowrap" title={`${formatUtc(e.atUtc)} UTC`}>{formatInZone(e.atUtc, zone)}</td>
            <td>{e.actor}</td>
            <td className="dossier-mono">{e.action}</td>
            <td className="dossier-break">{e.detail}</td>
          </tr>
        ))}
      </tbody>
    </HTMLTable>
  );
}

/** One hypothesis: statement, status, confidence, rationale, predictions with live counts, evidence, history. */
export function HypothesisDetail({ h, zone }: Readonly<{ h: Hypothesis; zone: string }>) {
  const update = useHypothesisMutation('hypotheses.update');
  const remove = useDeleteHypothesis();
  const [statement, setStatement] = useDraft(h.statement);
  const [rationale, setRationale] = useDraft(h.rationale);
  const [confidence, setConfidence] = useDraft(h.confidence);
  const [editingRationale, setEditingRationale] = useState(false);
  const t = tally(h);
  const save = (patch: Omit<Parameters<typeof update.mutate>[0], 'id'>) => update.mutate({ id: h.id, ...patch }, { onError: (e) => void toastError(e, 'Not saved') });

  return (
    <div className="dossier-h-detail" data-testid="hypothesis-detail" data-hypothesis-id={h.id}>
      <div className="dossier-h-head">
        <span className={`${Classes.TEXT_MUTED} dossier-h-id`}>#{h.id}</span>
        <h2 className="dossier-h-statement">
          <EditableText
            value={statement}
            maxLength={2000}
            multiline
            minLines={1}
            placeholder="Statement"
            onChange={setStatement}
            onConfirm={(v) => (v.trim() === '' ? setStatement(h.statement) : v.trim() !== h.statement && save({ statement: v.trim() }))}
          />
        </h2>
        <Button variant="minimal" icon="trash" intent="danger" aria-label="Delete hypothesis" onClick={() => window.confirm(`Delete hypothesis #${h.id}?`) && remove.mutate(h.id)} />
      </div>
      <div className="dossier-h-controls">
        <label className="dossier-h-control">
          <span className={Classes.TEXT_MUTED}>Status</span>
          <HTMLSelect value={h.status} onChange={(e) => save({ status: e.currentTarget.value as Hypothesis['status'] })} data-testid="hypothesis-status-select">
            {HypothesisStatus.options.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </HTMLSelect>
        </label>
        <div className="dossier-h-control dossier-h-confidence">
          <span className={Classes.TEXT_MUTED}>Confidence {confidence}%</span>
          <Slider min={0} max={100} stepSize={5} labelStepSize={25} value={confidence} onChange={setConfidence} onRelease={(v) => v !== h.confidence && save({ confidence: v })} />
        </div>
        <div className={`${Classes.TEXT_SMALL} ${Classes.TEXT_MUTED}`}>
          by {h.author} · created {formatInZone(h.createdUtc, zone)} · changed {formatInZone(h.updatedUtc, zone)}
        </div>
      </div>
      <Section
        compact
        title="Rationale"
        icon="manual"
        rightElement={editingRationale ? undefined : <Button size="small" variant="minimal" icon="edit" text="Edit" onClick={() => setEditingRationale(true)} />}
      >
        <SectionCard>
          {editingRationale ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (rationale !== h.rationale) {
                  save({ rationale });
                }
                setEditingRationale(false);
              }}
            >
              <TextArea fill autoFocus rows={4} aria-label="Rationale" value={rationale} maxLength={20_000} onChange={(e) => setRationale(e.currentTarget.value)} placeholder="Why you suggest it: what you observed (Markdown)." />
              <div className="dossier-h-new-actions">
                <Button
                  text="Cancel"
                  onClick={() => {
                    setRationale(h.rationale);
                    setEditingRationale(false);
                  }}
                />
                <Button type="submit" intent="primary" text="Save" />
              </div>
            </form>
          ) : h.rationale.trim() === '' ? (
            <span className={Classes.TEXT_MUTED}>No rationale yet: why do you suggest it? What did you observe?</span>
          ) : (
            <div className="dossier-h-rationale" data-testid="hypothesis-rationale">
              <SafeMarkdown text={h.rationale} />
            </div>
          )}
        </SectionCard>
      </Section>
      <Section
        compact
        title="Predictions"
        icon="predictive-analysis"
        rightElement={
          <span className={Classes.TEXT_SMALL} data-testid="prediction-tally">
            {t.met} met · {t.notMet} not met{t.unknown > 0 ? ` · ${t.unknown} unknown` : ''}
          </span>
        }
      >
        <SectionCard>
          {h.predictions.length > 0 ? (
            <HTMLTable compact className="dossier-h-predictions">
              <thead>
                <tr>
                  <th>If true, we expect</th>
                  <th>Saved view</th>
                  <th>Expectation</th>
                  <th>Live count</th>
                  <th>Result</th>
                  <th aria-label="Actions" />
                </tr>
              </thead>
              <tbody>
                {h.predictions.map((p) => (
                  <PredictionRow key={p.id} p={p} />
                ))}
              </tbody>
            </HTMLTable>
          ) : null}
          <PredictionForm hypothesisId={h.id} />
        </SectionCard>
      </Section>
      <Section
        compact
        title="Evidence"
        icon="link"
        rightElement={
          <span className={Classes.TEXT_SMALL} data-testid="evidence-tally">
            {t.evidence.supports} supporting · {t.evidence.refutes} refuting · {t.evidence.context} context
          </span>
        }
      >
        <SectionCard>
          {h.evidence.length === 0 ? (
            <NonIdealState icon="link" layout="horizontal" description="No evidence yet. In the timeline, select events and choose “Add as evidence to hypothesis…”." />
          ) : (
            byStance(h.evidence).map((g) => (
              <div key={g.stance} className="dossier-h-stance-group">
                <div className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL} dossier-h-stance-title`}>{g.stance}</div>
                <ul className="dossier-h-links">
                  {g.links.map((l) => (
                    <LinkRow key={l.id} link={l} zone={zone} />
                  ))}
                </ul>
              </div>
            ))
          )}
        </SectionCard>
      </Section>
      <Section compact title="History" icon="history" collapsible>
        <SectionCard>
          <History id={h.id} zone={zone} />
        </SectionCard>
      </Section>
    </div>
  );
}
