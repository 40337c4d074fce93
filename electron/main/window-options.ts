import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** DevTools exist only when the analyst (or a developer) starts Dossier with DOSSIER_DEVTOOLS=1. */
export function devToolsEnabled(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env['DOSSIER_DEVTOOLS'] === '1';
}

export const DARK_BACKGROUND = '#1c2127';
export const LIGHT_BACKGROUND = '#f6f7f9';

export type MainWindowChoices = Readonly<{
  devTools?: boolean;
  dark?: boolean;
}>;

/**
 * The renderer's web preferences: the Electron security checklist as data. The renderer shows
 * hostile evidence (log lines written by an attacker), so it gets no Node, no Electron, a sandbox,
 * an isolated preload world and no way to load anything but app://dossier/.
 */
export function secureWebPreferences(preloadPath: string, devTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    enableWebSQL: false,
    safeDialogs: true,
    plugins: false,
    autoplayPolicy: 'document-user-activation-required',
    devTools,
  };
}

/** The main window. It stays hidden until `ready-to-show` so no blank flash appears. */
export function mainWindowOptions(preloadPath: string, choices: MainWindowChoices = {}): BrowserWindowConstructorOptions {
  const dark = choices.dark ?? false;
  return {
    title: 'Dossier',
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: dark ? DARK_BACKGROUND : LIGHT_BACKGROUND,
    webPreferences: secureWebPreferences(preloadPath, choices.devTools ?? devToolsEnabled()),
  };
}
