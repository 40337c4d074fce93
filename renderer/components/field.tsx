import { Classes } from '@blueprintjs/core';
import type { ReactNode } from 'react';

/** One label/value pair of a definition list (`<dl>`), used by every detail view. */
export function Field(props: Readonly<{ label: string; children: ReactNode; testId?: string }>) {
  return (
    <>
      <dt className={Classes.TEXT_MUTED}>{props.label}</dt>
      <dd data-testid={props.testId}>{props.children}</dd>
    </>
  );
}
