/**
 * What the preload exposes as `window.dossier`: two functions, nothing else. The factory takes an
 * ipcRenderer-like object so it is tested in Node with a fake; preload.ts passes the real one.
 *
 * - `invoke(method, input)`: only contract method names; the channel is the method name; the
 *   answer is the `{ ok, value }` / `{ ok: false, error }` envelope from the main process.
 * - `on(eventName, listener)`: only contract event names; the listener gets the payload only
 *   (never the IpcRendererEvent, whose `sender` is ipcRenderer itself); returns an unsubscribe.
 * Anything else is refused without touching ipcRenderer.
 */
import type { Envelope } from '../../shared/api/errors';
import { isAllowedEvent, isAllowedMethod } from './channels';

/** The parts of Electron's ipcRenderer the bridge uses. */
export type IpcRendererLike = Readonly<{
  invoke: (channel: string, ...args: unknown[]) => Promise<unknown>;
  on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => unknown;
  removeListener: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => unknown;
}>;

export type DossierBridge = Readonly<{
  invoke: (method: string, input: unknown) => Promise<Envelope<unknown>>;
  on: (eventName: string, listener: (payload: unknown) => void) => () => void;
}>;

function describe(name: unknown): string {
  return typeof name === 'string' ? `"${name.slice(0, 80)}"` : typeof name;
}

export function createBridge(ipc: IpcRendererLike): DossierBridge {
  return Object.freeze({
    invoke: async (method: string, input: unknown): Promise<Envelope<unknown>> => {
      if (!isAllowedMethod(method)) {
        throw new Error(`Unknown call ${describe(method)}.`);
      }
      return (await ipc.invoke(method, input)) as Envelope<unknown>;
    },
    on: (eventName: string, listener: (payload: unknown) => void): (() => void) => {
      if (!isAllowedEvent(eventName)) {
        throw new Error(`Unknown event ${describe(eventName)}.`);
      }
      if (typeof listener !== 'function') {
        throw new TypeError('The event listener must be a function.');
      }
      const wrapped = (_event: unknown, payload: unknown): void => {
        listener(payload);
      };
      ipc.on(eventName, wrapped);
      let subscribed = true;
      return () => {
        if (subscribed) {
          subscribed = false;
          ipc.removeListener(eventName, wrapped);
        }
      };
    },
  });
}
