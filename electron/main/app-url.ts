/**
 * The one origin Dossier's UI lives at: `app://dossier/`, a privileged custom scheme served from the
 * built renderer (see protocol.ts). Every trust decision in the main process (navigation, requests,
 * IPC senders) compares against these constants, never against a string prefix.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'dossier';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** Parses a URL without throwing. */
export function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for `app://dossier/...`: no credentials, no port, exact host. */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
