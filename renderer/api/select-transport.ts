import { takeSessionToken } from './session-token';
import type { Transport } from './transport';
import { createHttpTransport } from './transports/http';
import { createIpcTransport, findBridge } from './transports/ipc';

export type TransportChoice = Readonly<{ ok: true; transport: Transport }> | Readonly<{ ok: false; reason: string }>;

/** Chosen once at start-up: the Electron preload bridge when present, else loopback HTTP with the page's token. */
export function selectTransport(): TransportChoice {
  const bridge = findBridge(window);
  if (bridge !== null) {
    return { ok: true, transport: createIpcTransport(bridge) };
  }
  const token = takeSessionToken({
    href: window.location.href,
    storage: window.sessionStorage,
    replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
  });
  if (token === null) {
    return { ok: false, reason: 'This page was opened without its session token. Open the full address Dossier printed when it started (it ends in ?token=…).' };
  }
  return { ok: true, transport: createHttpTransport({ baseUrl: '', token }) };
}
