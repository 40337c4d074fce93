import { OverlayToaster, type Toaster } from '@blueprintjs/core';
import { errorMessage } from '../api/api-error';

let toaster: Promise<Toaster> | null = null;

function getToaster(): Promise<Toaster> {
  toaster ??= OverlayToaster.create({ position: 'top', maxToasts: 4 });
  return toaster;
}

/** Shows what went wrong as a toast: the message only, never a stack. */
export async function toastError(error: unknown, prefix?: string): Promise<void> {
  const message = errorMessage(error);
  (await getToaster()).show({ intent: 'danger', icon: 'error', message: prefix === undefined ? message : `${prefix}: ${message}`, timeout: 8000 });
}

export async function toastSuccess(message: string): Promise<void> {
  (await getToaster()).show({ intent: 'success', icon: 'tick', message, timeout: 3000 });
}
