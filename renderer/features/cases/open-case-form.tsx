import { Button, FormGroup, InputGroup } from '@blueprintjs/core';
import { useId, useState, type FormEvent } from 'react';
import { ErrorCallout } from '../../components/error-callout';
import { useOpenCase } from './use-cases';

/** Browser mode's "Open case": a path field (there is no native file dialog). */
export function OpenCaseForm(props: Readonly<{ initialPath?: string; onOpened?: () => void; autoFocus?: boolean }>) {
  const id = useId();
  const open = useOpenCase();
  const [path, setPath] = useState(props.initialPath ?? '');

  function submit(e: FormEvent): void {
    e.preventDefault();
    if (path.trim() === '' || open.isPending) {
      return;
    }
    open.mutate(path.trim(), { onSuccess: () => props.onOpened?.() });
  }

  return (
    <form onSubmit={submit} aria-label="Open case" className="dossier-form" noValidate>
      <FormGroup label="Case file path" labelFor={`${id}-path`} helperText="The full path of a .dossier file on this computer.">
        <InputGroup
          id={`${id}-path`}
          data-focus-target="open-case"
          className="dossier-mono"
          spellCheck={false}
          autoFocus={props.autoFocus}
          value={path}
          placeholder="/path/to/case.dossier"
          onChange={(e) => {
            setPath(e.target.value);
            open.reset();
          }}
          rightElement={<Button type="submit" variant="minimal" intent="primary" text="Open" disabled={path.trim() === ''} loading={open.isPending} />}
        />
      </FormGroup>
      <ErrorCallout error={open.error} title="The case was not opened" />
    </form>
  );
}
