/** Test-only fakes of the Electron objects the guards take (structural, no Electron needed). */
import type { GuardableContents, GuardableSession } from '../guards';

export type AnyListener = (...args: unknown[]) => unknown;

export function fakeContents() {
  const listeners = new Map<string, AnyListener>();
  let openHandler: AnyListener | null = null;
  const contents = {
    on: (event: string, listener: AnyListener) => {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler: (handler: AnyListener) => {
      openHandler = handler;
    },
  };
  const navigate = (event: string, url: string): boolean => {
    let prevented = false;
    listeners.get(event)?.({ url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  return {
    contents: contents as unknown as GuardableContents,
    listeners,
    navigate,
    openWindow: (url: string): unknown => openHandler?.({ url, frameName: '', features: '', disposition: 'new-window' }),
  };
}

export function fakeSession() {
  const handlers: Record<string, AnyListener | boolean | null> = {};
  const session = {
    setPermissionRequestHandler: (h: AnyListener) => (handlers['request'] = h),
    setPermissionCheckHandler: (h: AnyListener) => (handlers['check'] = h),
    setDevicePermissionHandler: (h: AnyListener) => (handlers['device'] = h),
    setSpellCheckerEnabled: (on: boolean) => (handlers['spellcheck'] = on),
    webRequest: { onBeforeRequest: (h: AnyListener) => (handlers['beforeRequest'] = h) },
  };
  const request = (url: string): unknown => {
    let answer: unknown;
    (handlers['beforeRequest'] as AnyListener)({ url, method: 'GET', resourceType: 'xhr' }, (r: unknown) => (answer = r));
    return answer;
  };
  const askPermission = (permission: string): unknown => {
    let granted: unknown = 'not answered';
    (handlers['request'] as AnyListener)({}, permission, (g: unknown) => (granted = g), {});
    return granted;
  };
  return { session: session as unknown as GuardableSession, handlers, request, askPermission };
}
