/**
 * Navigation, window, permission and network guards. The decisions are pure predicates
 * (isAllowedNavigation, isAllowedRequest); the apply* functions only attach them to an Electron
 * WebContents or Session, which they receive as parameters (no runtime import of electron here).
 *
 * Dossier never touches the network: the only URLs a page may load are its own app://dossier/
 * files (plus devtools:// when DevTools are enabled, and in-memory data:/blob: that the CSP allows).
 * There is no `shell.openExternal` anywhere: log content is never handed to the OS to open.
 */
import type { Session, WebContents } from 'electron';
import { isAppUrl, parseUrl } from './app-url';

/** A page may only ever navigate within app://dossier/. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Every request of every page goes through this: app://dossier/ assets, DevTools' own pages, and
 * in-memory data:/blob: URLs (never fetched from anywhere). http(s), ws(s), file, ftp and every
 * other scheme are cancelled, loopback addresses included.
 */
export function isAllowedRequest(url: string): boolean {
  const parsed = parseUrl(url);
  if (parsed === null) {
    return false;
  }
  switch (parsed.protocol) {
    case 'app:':
      return isAppUrl(url);
    case 'devtools:':
    case 'data:':
      return true;
    case 'blob:':
      // blob:app://dossier/<uuid>: only blobs the app's own pages created
      return isAppUrl(parsed.pathname);
    default:
      return false;
  }
}

export type GuardLog = (message: string) => void;

function short(url: string): string {
  return url.length > 120 ? `${url.slice(0, 120)}…` : url;
}

export type GuardableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Applied to every webContents (`app.on('web-contents-created')`). */
export function applyWebContentsGuards(contents: GuardableContents, log: GuardLog = () => undefined): void {
  contents.on('will-navigate', (details) => {
    if (!isAllowedNavigation(details.url)) {
      details.preventDefault();
      log(`[dossier] blocked navigation to ${short(details.url)}`);
    }
  });
  contents.on('will-frame-navigate', (details) => {
    if (!isAllowedNavigation(details.url)) {
      details.preventDefault();
      log(`[dossier] blocked frame navigation to ${short(details.url)}`);
    }
  });
  contents.on('will-redirect', (details) => {
    if (!isAllowedNavigation(details.url)) {
      details.preventDefault();
      log(`[dossier] blocked redirect to ${short(details.url)}`);
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('[dossier] blocked a <webview>');
  });
  contents.setWindowOpenHandler((details) => {
    log(`[dossier] blocked a new window for ${short(details.url)}`);
    return { action: 'deny' };
  });
}

export type GuardableSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'setSpellCheckerEnabled' | 'webRequest'
>;

/** Deny every permission, refuse every non-app request. Applied to the default session at ready. */
export function applySessionGuards(session: GuardableSession, log: GuardLog = () => undefined): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`[dossier] denied permission request: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setSpellCheckerEnabled(false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url);
    if (!allowed) {
      log(`[dossier] blocked request to ${short(details.url)}`);
    }
    callback({ cancel: !allowed });
  });
}
