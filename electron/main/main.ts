/**
 * Electron composition root. Every decision lives in a tested module beside this one; this file
 * only wires them to Electron: sandbox everywhere, the app:// scheme, guards on every webContents,
 * the back-end worker behind IPC, the menu, the window, and case files handed over by the OS.
 */
import { BrowserWindow, Menu, app, dialog, ipcMain, nativeTheme, protocol, session } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecentCase } from '../../shared/domain/case';
import { APP_VERSION, appRoot, defaultCaseDir, osUser, sampleEvidenceDir, userDataDir } from '../services/app-paths';
import { startBackendWorker, type BackendClient } from '../workers/backend/backend-host';
import { APP_INDEX_URL, APP_SCHEME } from './app-url';
import { createDialogHandlers, type NativeDialogs } from './dialogs';
import { applySessionGuards, applyWebContentsGuards } from './guards';
import { createEventForwarder, registerIpc } from './ipc/register-ipc';
import { createCaseOpener, findCaseFileArg } from './launch-args';
import { createMenuController, type MenuCommand } from './menu';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol';
import { printReportPdf } from './report-pdf';
import { electronReportPrintDeps } from './report-window';
import { devToolsEnabled, mainWindowOptions } from './window-options';

const log = (message: string): void => console.error(message);
const devTools = devToolsEnabled();
const dataDir = userDataDir();
const root = appRoot();

// Before ready: Chromium's profile beside Dossier's settings (one folder per DOSSIER_USER_DATA),
// the renderer sandbox for every webContents, and the privileged app:// scheme.
app.setPath('userData', join(dataDir, 'electron'));
app.enableSandbox();
protocol.registerSchemesAsPrivileged([...APP_SCHEME_PRIVILEGES]);

const windows = new Map<number, BrowserWindow>();
const opener = createCaseOpener((message) => {
  const parent = [...windows.values()][0];
  void (parent === undefined
    ? dialog.showMessageBox({ type: 'error', title: 'Dossier', message })
    : dialog.showMessageBox(parent, { type: 'error', title: 'Dossier', message }));
});

function mainWindow(): BrowserWindow | null {
  const focused = BrowserWindow.getFocusedWindow();
  if (focused !== null && windows.has(focused.webContents.id)) {
    return focused;
  }
  return [...windows.values()][0] ?? null;
}

function focusMainWindow(): void {
  const win = mainWindow();
  if (win !== null) {
    if (win.isMinimized()) {
      win.restore();
    }
    win.focus();
  }
}

function createMainWindow(): BrowserWindow {
  const preload = fileURLToPath(new URL('./preload.cjs', import.meta.url));
  const win = new BrowserWindow(mainWindowOptions(preload, { devTools, dark: nativeTheme.shouldUseDarkColors }));
  const id = win.webContents.id;
  windows.set(id, win);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => windows.delete(id));
  void win.loadURL(APP_INDEX_URL);
  return win;
}

const nativeDialogs: NativeDialogs = {
  showOpen: (parent, options) => (parent === null ? dialog.showOpenDialog(options) : dialog.showOpenDialog(parent, options)),
  showSave: (parent, options) => (parent === null ? dialog.showSaveDialog(options) : dialog.showSaveDialog(parent, options)),
};

async function start(): Promise<void> {
  app.on('web-contents-created', (_event, contents) => applyWebContentsGuards(contents, log));
  // macOS hands files over with open-file, possibly before ready; Windows/Linux via argv.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    focusMainWindow();
    void opener.open(path);
  });
  app.on('second-instance', (_event, argv, workingDirectory) => {
    focusMainWindow();
    const path = findCaseFileArg(argv, workingDirectory);
    if (path !== null) {
      void opener.open(path);
    }
  });
  const initialCase = findCaseFileArg(process.argv, process.cwd());
  if (initialCase !== null) {
    void opener.open(initialCase);
  }

  await app.whenReady();
  applySessionGuards(session.defaultSession, log);
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: join(root, 'dist', 'renderer') }));
  app.setAboutPanelOptions({ applicationName: 'Dossier', applicationVersion: APP_VERSION, credits: 'Offline investigation workbench for web-server incidents.' });

  mkdirSync(dataDir, { recursive: true });
  const backend: BackendClient = await startBackendWorker(new URL('./backend.worker.js', import.meta.url), {
    appVersion: APP_VERSION,
    transport: 'electron',
    nativeDialogs: true,
    userDataDir: dataDir,
    defaultCaseDir: defaultCaseDir(),
    sampleEvidenceDir: sampleEvidenceDir(root),
    osUser: osUser(),
    pdf: 'host',
  }, (job) => printReportPdf(electronReportPrintDeps(), job));

  registerIpc(ipcMain, {
    backend: backend.dispatch,
    host: createDialogHandlers({ dialogs: nativeDialogs, windowFor: (id) => windows.get(id) ?? null, defaultCaseDir }),
    isOurWebContents: (id) => windows.has(id),
    log,
  });
  const toAllWindows = createEventForwarder(() => [...windows.values()].map((w) => w.webContents), log);
  const sendMenuCommand = (command: MenuCommand): void => {
    const win = mainWindow();
    if (win !== null) {
      createEventForwarder(() => [win.webContents], log)('menu.onCommand', command);
    }
  };
  const menu = createMenuController({
    options: { platform: process.platform, appName: 'Dossier', devTools, send: sendMenuCommand },
    loadRecent: async () => {
      const result = await backend.dispatch('cases.recent', {});
      return result.ok ? (result.value as ReadonlyArray<RecentCase>) : [];
    },
    apply: (template) => Menu.setApplicationMenu(Menu.buildFromTemplate(template)),
  });
  backend.onEvent((name, payload) => {
    toAllWindows(name, payload);
    if (name === 'cases.onChanged') {
      void menu.refresh(payload !== null);
    }
  });
  await menu.refresh();

  createMainWindow();
  await opener.attach(backend.dispatch);

  app.on('activate', () => {
    if (windows.size === 0) {
      createMainWindow();
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') {
      app.quit();
    }
  });
  // Close the case database cleanly (the worker owns it) before the process ends.
  let backendClosed = false;
  app.on('will-quit', (event) => {
    if (backendClosed) {
      return;
    }
    event.preventDefault();
    backendClosed = true;
    void (async () => {
      try {
        await backend.close();
      } finally {
        app.quit();
      }
    })();
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Dossier owns this profile: it received our argv in 'second-instance'.
  app.quit();
} else {
  start().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    log(`[dossier] could not start: ${error instanceof Error ? (error.stack ?? message) : message}`);
    dialog.showErrorBox('Dossier could not start', message);
    app.exit(1);
  });
}
