import { Button, FormGroup, InputGroup, TextArea } from '@blueprintjs/core';
import { useId, useState, type FormEvent } from 'react';
import type { AppInfo } from '../../../shared/api/contract';
import { useApi } from '../../app/api-context';
import { ErrorCallout } from '../../components/error-callout';
import { TimeZonePicker } from '../../components/time-zone-picker';
import { CASE_EXTENSION, slugify, suggestedCasePath } from './case-path';
import { useCreateCase, useTimeZones } from './use-cases';

type Props = Readonly<{
  info: AppInfo;
  /** Called after the case was created (the workspace opens by itself). */
  onCreated?: () => void;
  autoFocus?: boolean;
}>;

/** The "New case" form: metadata plus where the case file goes. */
export function NewCaseForm({ info, onCreated, autoFocus = false }: Props) {
  const id = useId();
  const api = useApi();
  const zones = useTimeZones();
  const create = useCreateCase();
  const [name, setName] = useState('');
  const [number, setNumber] = useState('');
  const [examiner, setExaminer] = useState('');
  const [description, setDescription] = useState('');
  const [timeZone, setTimeZone] = useState('UTC');
  const [classification, setClassification] = useState('');
  const [path, setPath] = useState('');
  const [pathTouched, setPathTouched] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [chooseError, setChooseError] = useState<unknown>(null);

  const shownPath = pathTouched ? path : suggestedCasePath(info.defaultCaseDir, name);
  const nameMissing = name.trim() === '';
  const pathMissing = shownPath.trim() === '';

  async function choosePath(): Promise<void> {
    setChooseError(null);
    try {
      const result = await api['dialog.saveCase']({ suggestedName: `${slugify(name)}${CASE_EXTENSION}` });
      if (result.path !== null) {
        setPath(result.path);
        setPathTouched(true);
      }
    } catch (error) {
      setChooseError(error);
    }
  }

  function submit(e: FormEvent): void {
    e.preventDefault();
    setSubmitted(true);
    if (nameMissing || pathMissing || create.isPending) {
      return;
    }
    create.mutate(
      { name: name.trim(), number, examiner, description, timeZone, classification, path: shownPath.trim() },
      { onSuccess: () => onCreated?.() },
    );
  }

  return (
    <form onSubmit={submit} aria-label="New case" className="dossier-form" noValidate>
      <FormGroup
        label="Case name"
        labelFor={`${id}-name`}
        labelInfo="(required)"
        intent={submitted && nameMissing ? 'danger' : 'none'}
        helperText={submitted && nameMissing ? 'A case needs a name.' : undefined}
      >
        <InputGroup
          id={`${id}-name`}
          data-focus-target="new-case"
          value={name}
          autoFocus={autoFocus}
          maxLength={200}
          intent={submitted && nameMissing ? 'danger' : 'none'}
          onChange={(e) => setName(e.target.value)}
        />
      </FormGroup>
      <div className="dossier-form-row">
        <FormGroup label="Case number" labelFor={`${id}-number`}>
          <InputGroup id={`${id}-number`} value={number} maxLength={100} onChange={(e) => setNumber(e.target.value)} />
        </FormGroup>
        <FormGroup label="Examiner" labelFor={`${id}-examiner`}>
          <InputGroup id={`${id}-examiner`} value={examiner} maxLength={200} onChange={(e) => setExaminer(e.target.value)} />
        </FormGroup>
      </div>
      <FormGroup label="Description" labelFor={`${id}-description`}>
        <TextArea id={`${id}-description`} value={description} fill rows={3} onChange={(e) => setDescription(e.target.value)} />
      </FormGroup>
      <div className="dossier-form-row">
        <FormGroup label="Default time zone" labelFor={`${id}-zone`} helperText="How times are shown. Stored times stay UTC.">
          <TimeZonePicker id={`${id}-zone`} value={timeZone} zones={zones.data ?? ['UTC']} onChange={setTimeZone} disabled={zones.isPending} />
        </FormGroup>
        <FormGroup label="Classification" labelFor={`${id}-classification`} helperText="A marking such as TLP:AMBER.">
          <InputGroup id={`${id}-classification`} value={classification} maxLength={100} onChange={(e) => setClassification(e.target.value)} />
        </FormGroup>
      </div>
      <FormGroup
        label="Case file"
        labelFor={`${id}-path`}
        intent={submitted && pathMissing ? 'danger' : 'none'}
        helperText={submitted && pathMissing ? 'Choose where the case file goes.' : 'A new file; Dossier never overwrites one.'}
      >
        <InputGroup
          id={`${id}-path`}
          value={shownPath}
          spellCheck={false}
          className="dossier-mono"
          onChange={(e) => {
            setPath(e.target.value);
            setPathTouched(true);
          }}
          rightElement={info.nativeDialogs ? <Button variant="minimal" text="Choose…" onClick={() => void choosePath()} /> : undefined}
        />
      </FormGroup>
      <ErrorCallout error={chooseError ?? create.error} title="The case was not created" />
      <div className="dossier-form-actions">
        <Button type="submit" intent="primary" icon="add" text="Create case" loading={create.isPending} />
      </div>
    </form>
  );
}
