import { Callout } from '@blueprintjs/core';
import { errorMessage } from '../api/api-error';

/** A failed call, as the analyst should read it: the message, never a stack. */
export function ErrorCallout(props: Readonly<{ error: unknown; title?: string }>) {
  if (props.error === null || props.error === undefined) {
    return null;
  }
  return (
    <Callout intent="danger" icon="error" title={props.title} role="alert" data-testid="error-callout" compact className="dossier-error-callout">
      {errorMessage(props.error)}
    </Callout>
  );
}
