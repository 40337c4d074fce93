import type { MethodName } from '../../../shared/api/contract';
import type { Envelope } from '../../../shared/api/errors';
import type { Transport } from '../transport';

/** What the preload script exposes as `window.dossier` (contextBridge). */
export type DossierBridge = Readonly<{
  invoke: (method: string, input: unknown) => Promise<Envelope<unknown>>;
  on: (eventName: string, listener: (payload: unknown) => void) => () => void;
}>;

export function findBridge(win: unknown): DossierBridge | null {
  const bridge = (win as { dossier?: unknown } | null)?.dossier;
  if (typeof bridge === 'object' && bridge !== null && typeof (bridge as DossierBridge).invoke === 'function' && typeof (bridge as DossierBridge).on === 'function') {
    return bridge as DossierBridge;
  }
  return null;
}

/** Electron: calls go through the preload bridge over IPC. */
export function createIpcTransport(bridge: DossierBridge): Transport {
  return {
    kind: 'ipc',
    invoke: (method: MethodName, input: unknown) => bridge.invoke(method, input),
    subscribe: (eventName, listener) => bridge.on(eventName, listener),
  };
}
