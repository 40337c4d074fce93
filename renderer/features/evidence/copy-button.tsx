import { Button } from '@blueprintjs/core';
import type { MouseEvent } from 'react';
import { toastError, toastSuccess } from '../../app/toaster';

async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    await toastSuccess(`${what} copied`);
  } catch (error) {
    await toastError(error, `${what} was not copied`);
  }
}

/** A small button that copies `text` to the clipboard (and does not select the row it sits in). */
export function CopyButton(props: Readonly<{ text: string; what: string }>) {
  function onClick(e: MouseEvent): void {
    e.stopPropagation();
    void copy(props.text, props.what);
  }
  return <Button size="small" variant="minimal" icon="duplicate" aria-label={`Copy ${props.what}`} title={`Copy ${props.what}`} onClick={onClick} className="dossier-copy-button" />;
}
