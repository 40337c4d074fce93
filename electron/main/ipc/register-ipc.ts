/**
 * The Electron IPC transport: one `ipcMain.handle` per contract method (channel = method name).
 * Each call: trusted-sender check → zod input validation → the back-end worker (or the host's own
 * handlers for `dialog.*`) → always the `{ ok, value }` / `{ ok: false, error }` envelope. Nothing
 * is ever thrown across IPC (Electron would forward only `message`, and stacks must not leak).
 *
 * Written against structural types (IpcMainLike, IpcInvokeEventLike) so it runs in Vitest with fakes.
 */
import {
  METHOD_NAMES,
  contract,
  isEventName,
  isMethodName,
  type MethodName,
  type MethodOutput,
  type MethodParsedInput,
} from '../../../shared/api/contract';
import type { ApiError, Envelope } from '../../../shared/api/errors';
import type { HostMethod } from '../../services/registry/create-handlers';
import { toApiError, validateInput, type Dispatch } from '../../services/registry/dispatch';
import { isAppUrl } from '../app-url';

export type SenderFrameLike = Readonly<{ url: string; parent?: unknown }>;

/** The parts of Electron's IpcMainInvokeEvent this module reads. */
export type IpcInvokeEventLike = Readonly<{
  sender: Readonly<{ id: number }>;
  senderFrame: SenderFrameLike | null;
}>;

export type IpcInvokeHandler = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>;

/** The parts of Electron's ipcMain this module uses. */
export type IpcMainLike = Readonly<{
  handle: (channel: string, listener: IpcInvokeHandler) => void;
  removeHandler: (channel: string) => void;
}>;

export type CallContext = Readonly<{ senderId: number }>;

/** Calls the host serves itself (they need the window system), with the calling window's id. */
export type HostHandlers = {
  readonly [M in HostMethod]: (input: MethodParsedInput<M>, context: CallContext) => Promise<MethodOutput<M>>;
};

export function isHostMethod(method: MethodName): method is HostMethod {
  return method.startsWith('dialog.');
}

/**
 * A sender is trusted when it is one of our windows (by webContents id), the calling frame is
 * still alive, is a top-level frame, and shows app://dossier/. Anything else (a navigated-away
 * frame, an iframe, a foreign origin, a webContents we did not create) is refused.
 */
export function isTrustedSender(event: IpcInvokeEventLike, isOurWebContents: (id: number) => boolean): boolean {
  const frame = event.senderFrame;
  if (frame === null || frame === undefined) {
    return false;
  }
  if (frame.parent !== null && frame.parent !== undefined) {
    return false;
  }
  return isAppUrl(frame.url) && isOurWebContents(event.sender.id);
}

export type IpcOptions = Readonly<{
  /** The back-end worker's dispatcher: it validates again and runs the call. */
  backend: Dispatch;
  host: HostHandlers;
  isOurWebContents: (id: number) => boolean;
  log?: (message: string) => void;
}>;

export type IpcCall = (method: string, event: IpcInvokeEventLike, rawInput: unknown) => Promise<Envelope<unknown>>;

function failure(error: ApiError): Envelope<unknown> {
  return { ok: false, error };
}

/** The body of every IPC handler. Never throws. */
export function createIpcCall(options: IpcOptions): IpcCall {
  const log = options.log ?? ((message: string) => console.error(message));
  return async (method, event, rawInput) => {
    try {
      if (!isMethodName(method)) {
        return failure({ code: 'not_found', message: `Unknown call "${String(method).slice(0, 80)}".` });
      }
      if (!isTrustedSender(event, options.isOurWebContents)) {
        log(`[dossier] refused "${method}" from an untrusted sender (${String(event.senderFrame?.url ?? 'no frame').slice(0, 120)})`);
        return failure({ code: 'unsupported', message: 'This page is not allowed to call Dossier.' });
      }
      const input = validateInput(method, rawInput);
      if (isHostMethod(method)) {
        const handler = options.host[method] as (input: unknown, context: CallContext) => Promise<unknown>;
        const answer = contract[method].output.safeParse(await handler(input, { senderId: event.sender.id }));
        if (!answer.success) {
          log(`[dossier] "${method}" answered outside the contract`);
          return failure({ code: 'internal', message: `Something went wrong: "${method}" gave an unexpected answer.` });
        }
        return { ok: true, value: answer.data };
      }
      // The worker re-validates the raw input: it is the authority, exactly as over HTTP.
      return await options.backend(method, rawInput ?? {});
    } catch (error) {
      return failure(toApiError(error, log));
    }
  };
}

/** Registers one handler per contract method; returns a function that removes them. */
export function registerIpc(ipcMain: IpcMainLike, options: IpcOptions): () => void {
  const call = createIpcCall(options);
  for (const method of METHOD_NAMES) {
    ipcMain.handle(method, (event, ...args) => call(method, event, args[0]));
  }
  return () => {
    for (const method of METHOD_NAMES) {
      ipcMain.removeHandler(method);
    }
  };
}

/** The parts of a WebContents the event forwarder uses. */
export type EventTargetLike = Readonly<{
  id: number;
  isDestroyed: () => boolean;
  getURL: () => string;
  send: (channel: string, ...args: unknown[]) => void;
}>;

/**
 * Pushes contract events (from the back-end worker, or the menu) to our windows with
 * `webContents.send(eventName, payload)`. Names outside the contract and windows not showing
 * app://dossier/ get nothing.
 */
export function createEventForwarder(
  targets: () => Iterable<EventTargetLike>,
  log: (message: string) => void = (message) => console.error(message),
): (name: string, payload: unknown) => void {
  return (name, payload) => {
    if (!isEventName(name)) {
      log(`[dossier] dropped undeclared event "${name.slice(0, 80)}"`);
      return;
    }
    for (const target of targets()) {
      if (target.isDestroyed() || !isAppUrl(target.getURL())) {
        continue;
      }
      try {
        target.send(name, payload);
      } catch (error) {
        log(`[dossier] could not deliver "${name}": ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
}
