import { Button, Classes, Dialog, DialogBody, DialogFooter, FormGroup, HTMLSelect, InputGroup, Radio, RadioGroup, TextArea, type ButtonProps } from '@blueprintjs/core';
import { useState, type FormEvent } from 'react';
import type { LinkTargetKind, Stance } from '../../../shared/domain/hypotheses';
import { toastSuccess } from '../../app/toaster';
import { ErrorCallout } from '../../components/error-callout';
import { useHypotheses, useHypothesisMutation } from './use-hypotheses';

/** Something that can become evidence for a hypothesis: an event, a saved view, a finding, a note… */
export type EvidenceTarget = Readonly<{
  targetKind: LinkTargetKind;
  /** The target's id as text (event id, view id, finding id, or an analysis key). */
  targetId: string;
  /** A short human label kept with the link (shown even if the target is gone). */
  label: string;
}>;

const NEW = 'new';

const KIND_NOUN: Readonly<Record<LinkTargetKind, string>> = {
  event: 'event',
  view: 'saved view',
  hypothesis: 'hypothesis',
  finding: 'finding',
  note: 'note',
  restart: 'restart',
  panel: 'panel',
};

function describeTargets(targets: ReadonlyArray<EvidenceTarget>): string {
  const first = targets[0];
  if (first === undefined) {
    return 'nothing';
  }
  const noun = KIND_NOUN[first.targetKind];
  return targets.length === 1 ? `1 ${noun}` : `${targets.length} ${targets.every((t) => t.targetKind === first.targetKind) ? `${noun}s` : 'items'}`;
}

/**
 * "Add as evidence to hypothesis…": pick a hypothesis (or state a new one), a stance and a comment;
 * every target is linked with that stance. Reused by the timeline (selection, context menu), the
 * event detail, findings and charts.
 */
export function AddToHypothesisDialog({ targets, isOpen, onClose }: Readonly<{ targets: ReadonlyArray<EvidenceTarget>; isOpen: boolean; onClose: () => void }>) {
  const hypotheses = useHypotheses();
  const create = useHypothesisMutation('hypotheses.create');
  const link = useHypothesisMutation('hypotheses.link');
  const list = hypotheses.data ?? [];
  const [choice, setChoice] = useState<string>('');
  const [statement, setStatement] = useState('');
  const [stance, setStance] = useState<Stance>('supports');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const selected = choice !== '' ? choice : list.length > 0 ? String(list[list.length - 1]?.id) : NEW;
  const canSubmit = targets.length > 0 && !busy && (selected !== NEW || statement.trim() !== '');

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (!canSubmit) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const hypothesisId = selected === NEW ? (await create.mutateAsync({ statement: statement.trim(), rationale: '', status: 'open', confidence: 50 })).id : Number(selected);
      let last = null;
      for (const t of targets) {
        last = await link.mutateAsync({ hypothesisId, targetKind: t.targetKind, targetId: t.targetId, label: t.label, stance, comment });
      }
      const title = last?.statement ?? statement;
      void toastSuccess(`${describeTargets(targets)} linked to “${title.length > 60 ? `${title.slice(0, 59)}…` : title}” (${stance})`);
      setComment('');
      setStatement('');
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog isOpen={isOpen} onClose={onClose} title="Add as evidence to hypothesis" icon="lab-test" className="dossier-add-hypothesis">
      <form onSubmit={(e) => void submit(e)} data-testid="add-to-hypothesis">
        <DialogBody>
          <p className={Classes.TEXT_MUTED} data-testid="evidence-targets">
            {describeTargets(targets)}
            {targets.length === 1 && targets[0] !== undefined ? `: ${targets[0].label}` : ''}
          </p>
          <FormGroup label="Hypothesis" labelFor="add-h-select">
            <HTMLSelect id="add-h-select" fill value={selected} onChange={(e) => setChoice(e.currentTarget.value)} data-testid="add-h-select">
              {list.map((h) => (
                <option key={h.id} value={String(h.id)}>
                  #{h.id} {h.statement.length > 90 ? `${h.statement.slice(0, 89)}…` : h.statement}
                </option>
              ))}
              <option value={NEW}>New hypothesis…</option>
            </HTMLSelect>
          </FormGroup>
          {selected === NEW ? (
            <FormGroup label="Statement" labelFor="add-h-statement" helperText="What you suggest is true, e.g. “The attacker brute-forced SSH from 203.0.113.45”.">
              <InputGroup id="add-h-statement" value={statement} onChange={(e) => setStatement(e.currentTarget.value)} maxLength={2000} autoFocus />
            </FormGroup>
          ) : null}
          <RadioGroup label="Stance" inline selectedValue={stance} onChange={(e) => setStance(e.currentTarget.value as Stance)}>
            <Radio label="Supports" value="supports" />
            <Radio label="Refutes" value="refutes" />
            <Radio label="Context" value="context" />
          </RadioGroup>
          <FormGroup label="Comment" labelFor="add-h-comment" helperText="Why this matters for the hypothesis (optional).">
            <TextArea id="add-h-comment" fill value={comment} onChange={(e) => setComment(e.currentTarget.value)} maxLength={5000} rows={2} />
          </FormGroup>
          {error !== null ? <ErrorCallout error={error} title="Not linked" /> : null}
        </DialogBody>
        <DialogFooter
          actions={
            <>
              <Button text="Cancel" onClick={onClose} />
              <Button type="submit" intent="primary" icon="link" text="Add evidence" loading={busy} disabled={!canSubmit} data-testid="add-h-submit" />
            </>
          }
        />
      </form>
    </Dialog>
  );
}

/**
 * A button that adds one target as evidence (props: targetKind, targetId, label; any Button props
 * such as `size` or `variant` pass through).
 */
export function AddToHypothesis({ targetKind, targetId, label, ...buttonProps }: EvidenceTarget & Omit<ButtonProps, 'onClick'>) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon="lab-test" text="Add to hypothesis…" {...buttonProps} onClick={() => setOpen(true)} data-testid="add-to-hypothesis-button" />
      {open ? <AddToHypothesisDialog targets={[{ targetKind, targetId, label }]} isOpen onClose={() => setOpen(false)} /> : null}
    </>
  );
}
