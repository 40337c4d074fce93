import { Button, FormGroup, InputGroup } from '@blueprintjs/core';
import { useId, useState, type FormEvent } from 'react';
import { ErrorCallout } from '../../components/error-callout';
import { copyPath } from './case-path';
import { useSaveCaseAs } from './use-cases';

/** Browser mode's "Save As": the destination as a path field. */
export function SaveAsForm(props: Readonly<{ currentPath: string; onSaved: () => void; onCancel: () => void }>) {
  const id = useId();
  const saveAs = useSaveCaseAs();
  const [path, setPath] = useState(() => copyPath(props.currentPath));

  function submit(e: FormEvent): void {
    e.preventDefault();
    if (path.trim() === '' || saveAs.isPending) {
      return;
    }
    saveAs.mutate(path.trim(), { onSuccess: () => props.onSaved() });
  }

  return (
    <form onSubmit={submit} aria-label="Save case as" className="dossier-form" noValidate>
      <FormGroup
        label="New case file path"
        labelFor={`${id}-path`}
        helperText="Dossier copies the case there and continues in the copy. The original stays as it is."
      >
        <InputGroup
          id={`${id}-path`}
          className="dossier-mono"
          spellCheck={false}
          autoFocus
          value={path}
          onChange={(e) => {
            setPath(e.target.value);
            saveAs.reset();
          }}
        />
      </FormGroup>
      <ErrorCallout error={saveAs.error} title="The case was not saved" />
      <div className="dossier-form-actions">
        <Button text="Cancel" onClick={props.onCancel} />
        <Button type="submit" intent="primary" icon="floppy-disk" text="Save copy" loading={saveAs.isPending} disabled={path.trim() === ''} />
      </div>
    </form>
  );
}
