import { Button, Dialog, DialogBody, DialogFooter, FormGroup, HTMLSelect, InputGroup } from '@blueprintjs/core';
import { useState, type FormEvent } from 'react';
import { dossierLink, type LinkKind } from '../../app/navigation';
import { useHypotheses, useNotes, useCasePath } from '../hypotheses/use-hypotheses';
import { useViews } from '../timeline/use-timeline-data';

const KINDS: ReadonlyArray<Readonly<{ kind: LinkKind; label: string }>> = [
  { kind: 'event', label: 'Event (by id)' },
  { kind: 'view', label: 'Saved view' },
  { kind: 'hypothesis', label: 'Hypothesis' },
  { kind: 'finding', label: 'Finding (by id)' },
  { kind: 'note', label: 'Note' },
];

/** Brackets and backslashes in a label would end the Markdown link text early. */
function linkText(text: string): string {
  const one = text.replace(/\s+/gu, ' ').trim();
  return (one.length > 80 ? `${one.slice(0, 79)}…` : one).replace(/[[\]\\]/gu, (c) => `\\${c}`);
}

/** Markdown for an in-app link: `[label](dossier:kind/id)`. */
export function markdownLink(kind: LinkKind, id: number, label: string): string {
  return `[${linkText(label)}](${dossierLink({ kind, id })})`;
}

/**
 * "Insert link": an event or a finding by id, or a saved view, hypothesis or note from its list;
 * inserts `[label](dossier:<kind>/<id>)` at the cursor.
 */
export function LinkPicker({ isOpen, onClose, onInsert, excludeNote }: Readonly<{ isOpen: boolean; onClose: () => void; onInsert: (markdown: string) => void; excludeNote?: number }>) {
  const casePath = useCasePath();
  const views = useViews(casePath);
  const hypotheses = useHypotheses();
  const notes = useNotes();
  const [kind, setKind] = useState<LinkKind>('event');
  const [typedId, setTypedId] = useState('');
  const [picked, setPicked] = useState('');

  const options: ReadonlyArray<Readonly<{ id: number; label: string }>> =
    kind === 'view'
      ? (views.data ?? []).map((v) => ({ id: v.id, label: v.name }))
      : kind === 'hypothesis'
        ? (hypotheses.data ?? []).map((h) => ({ id: h.id, label: h.statement }))
        : kind === 'note'
          ? (notes.data ?? []).filter((n) => n.id !== excludeNote).map((n) => ({ id: n.id, label: n.title }))
          : [];
  const byId = kind === 'event' || kind === 'finding';
  const typed = /^[1-9]\d{0,14}$/u.test(typedId.trim().replace(/^#/u, '')) ? Number(typedId.trim().replace(/^#/u, '')) : null;
  const chosen = byId ? null : (options.find((o) => String(o.id) === picked) ?? options[0] ?? null);
  const canInsert = byId ? typed !== null : chosen !== null;

  function submit(e: FormEvent): void {
    e.preventDefault();
    if (byId && typed !== null) {
      onInsert(markdownLink(kind, typed, `${kind} #${typed}`));
    } else if (chosen !== null) {
      onInsert(markdownLink(kind, chosen.id, chosen.label));
    } else {
      return;
    }
    setTypedId('');
    onClose();
  }

  return (
    <Dialog isOpen={isOpen} onClose={onClose} title="Insert link" icon="link">
      <form onSubmit={submit} data-testid="link-picker">
        <DialogBody>
          <FormGroup label="Link to" labelFor="link-kind">
            <HTMLSelect
              id="link-kind"
              fill
              value={kind}
              onChange={(e) => {
                setKind(e.currentTarget.value as LinkKind);
                setPicked('');
              }}
            >
              {KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </HTMLSelect>
          </FormGroup>
          {byId ? (
            <FormGroup label={kind === 'event' ? 'Event id' : 'Finding id'} labelFor="link-id" helperText={kind === 'event' ? 'The # number shown in the event detail.' : undefined}>
              <InputGroup id="link-id" value={typedId} onChange={(e) => setTypedId(e.currentTarget.value)} placeholder="123" autoFocus />
            </FormGroup>
          ) : (
            <FormGroup label="Item" labelFor="link-item">
              <HTMLSelect id="link-item" fill value={chosen === null ? '' : String(chosen.id)} onChange={(e) => setPicked(e.currentTarget.value)} disabled={options.length === 0}>
                {options.length === 0 ? <option value="">Nothing to link yet</option> : null}
                {options.map((o) => (
                  <option key={o.id} value={String(o.id)}>
                    #{o.id} {o.label.length > 90 ? `${o.label.slice(0, 89)}…` : o.label}
                  </option>
                ))}
              </HTMLSelect>
            </FormGroup>
          )}
        </DialogBody>
        <DialogFooter
          actions={
            <>
              <Button text="Cancel" onClick={onClose} />
              <Button type="submit" intent="primary" icon="link" text="Insert" disabled={!canInsert} data-testid="link-insert" />
            </>
          }
        />
      </form>
    </Dialog>
  );
}
