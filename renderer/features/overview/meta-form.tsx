import { Button, FormGroup, InputGroup, TextArea } from '@blueprintjs/core';
import { useId, useState, type FormEvent } from 'react';
import type { CaseSummary } from '../../../shared/domain/case';
import { ErrorCallout } from '../../components/error-callout';
import { TimeZonePicker } from '../../components/time-zone-picker';
import { useTimeZones, useUpdateCaseMeta } from '../cases/use-cases';
import { changedFields, draftOf, type Draft } from './meta-draft';

/** The case metadata, edited in place. Save sends only what changed. */
export function MetaForm(props: Readonly<{ summary: CaseSummary; onDone: () => void }>) {
  const id = useId();
  const zones = useTimeZones();
  const update = useUpdateCaseMeta();
  const [draft, setDraft] = useState<Draft>(() => draftOf(props.summary));
  const nameMissing = draft.name.trim() === '';
  const patch = changedFields(draftOf(props.summary), draft);
  const dirty = Object.keys(patch).length > 0;

  function set<K extends keyof Draft>(key: K, value: string): void {
    setDraft((d) => ({ ...d, [key]: value }));
  }

  function submit(e: FormEvent): void {
    e.preventDefault();
    if (nameMissing || update.isPending) {
      return;
    }
    if (!dirty) {
      props.onDone();
      return;
    }
    // only the changed fields: `cases.updateMeta` leaves the others as they are
    update.mutate(patch, { onSuccess: () => props.onDone() });
  }

  return (
    <form onSubmit={submit} aria-label="Edit case details" className="dossier-form" noValidate>
      <FormGroup label="Case name" labelFor={`${id}-name`} intent={nameMissing ? 'danger' : 'none'} helperText={nameMissing ? 'A case needs a name.' : undefined}>
        <InputGroup id={`${id}-name`} value={draft.name} maxLength={200} autoFocus intent={nameMissing ? 'danger' : 'none'} onChange={(e) => set('name', e.target.value)} />
      </FormGroup>
      <div className="dossier-form-row">
        <FormGroup label="Case number" labelFor={`${id}-number`}>
          <InputGroup id={`${id}-number`} value={draft.number} maxLength={100} onChange={(e) => set('number', e.target.value)} />
        </FormGroup>
        <FormGroup label="Examiner" labelFor={`${id}-examiner`}>
          <InputGroup id={`${id}-examiner`} value={draft.examiner} maxLength={200} onChange={(e) => set('examiner', e.target.value)} />
        </FormGroup>
      </div>
      <FormGroup label="Description" labelFor={`${id}-description`}>
        <TextArea id={`${id}-description`} value={draft.description} fill rows={4} onChange={(e) => set('description', e.target.value)} />
      </FormGroup>
      <div className="dossier-form-row">
        <FormGroup label="Time zone" labelFor={`${id}-zone`}>
          <TimeZonePicker id={`${id}-zone`} value={draft.timeZone} zones={zones.data ?? [draft.timeZone]} onChange={(z) => set('timeZone', z)} disabled={zones.isPending} />
        </FormGroup>
        <FormGroup label="Classification" labelFor={`${id}-classification`}>
          <InputGroup id={`${id}-classification`} value={draft.classification} maxLength={100} onChange={(e) => set('classification', e.target.value)} />
        </FormGroup>
      </div>
      <ErrorCallout error={update.error} title="The changes were not saved" />
      <div className="dossier-form-actions">
        <Button text="Cancel" onClick={props.onDone} disabled={update.isPending} />
        <Button type="submit" intent="primary" icon="floppy-disk" text="Save" loading={update.isPending} disabled={nameMissing} />
      </div>
    </form>
  );
}
