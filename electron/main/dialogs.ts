/**
 * Native open/save/folder dialogs serving `dialog.openCase`, `dialog.saveCase` and
 * `dialog.pickFolder`. The option builders are pure; the handlers take a structural
 * NativeDialogs port (main.ts adapts Electron's `dialog`) and the calling window.
 */
import type { BaseWindow, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { join } from 'node:path';
import type { HostHandlers } from './ipc/register-ipc';

export const CASE_EXTENSION = 'dossier';
export const CASE_FILTERS = [{ name: 'Dossier case', extensions: [CASE_EXTENSION] }] as const;

export type OpenResult = Readonly<{ canceled: boolean; filePaths: ReadonlyArray<string> }>;
export type SaveResult = Readonly<{ canceled: boolean; filePath?: string }>;

/** Electron's `dialog`, narrowed: `parent` null means an app-modal dialog. */
export type NativeDialogs = Readonly<{
  showOpen: (parent: BaseWindow | null, options: OpenDialogOptions) => Promise<OpenResult>;
  showSave: (parent: BaseWindow | null, options: SaveDialogOptions) => Promise<SaveResult>;
}>;

/** A file name the OS will accept: no separators, reserved or control characters. */
export function safeFileName(name: string | undefined, fallback = 'Untitled case'): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = (name ?? '').replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/gu, '_').replace(/\s+/gu, ' ').trim().replace(/^\.+/u, '');
  const base = cleaned.replace(/\.dossier$/iu, '').slice(0, 120).trim();
  return base === '' ? fallback : base;
}

/** GTK does not add the filter's extension: make sure a saved case ends in .dossier. */
export function withCaseExtension(path: string): string {
  return path.toLowerCase().endsWith(`.${CASE_EXTENSION}`) ? path : `${path}.${CASE_EXTENSION}`;
}

// `dontAddToRecent`: a forensic tool does not leave case or evidence paths in the OS "recent" lists.
export function openCaseDialogOptions(defaultDir: string): OpenDialogOptions {
  return {
    title: 'Open Case',
    buttonLabel: 'Open Case',
    defaultPath: defaultDir,
    filters: CASE_FILTERS.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
    properties: ['openFile', 'dontAddToRecent'],
  };
}

/**
 * The back end never overwrites an existing file (it answers `case_exists`), so the dialog says
 * so up front, and the Linux "Replace?" prompt is off: replacing is not something Dossier does.
 * macOS and Windows always ask "Replace?" themselves; the back end's refusal then explains.
 */
export function saveCaseDialogOptions(defaultDir: string, suggestedName: string | undefined): SaveDialogOptions {
  return {
    title: 'Save Case As (choose a new file name: existing files are never replaced)',
    message: 'Choose a new file name. Dossier never replaces an existing file.',
    nameFieldLabel: 'Case file:',
    buttonLabel: 'Save Case',
    defaultPath: join(defaultDir, `${safeFileName(suggestedName)}.${CASE_EXTENSION}`),
    filters: CASE_FILTERS.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
    properties: ['createDirectory', 'dontAddToRecent'],
  };
}

export function pickFolderDialogOptions(defaultDir: string): OpenDialogOptions {
  return {
    title: 'Choose Folder',
    buttonLabel: 'Choose Folder',
    defaultPath: defaultDir,
    properties: ['openDirectory', 'dontAddToRecent'],
  };
}

/** Exports and reports: a new file of the given format (the back end refuses existing files). */
export function saveExportDialogOptions(defaultDir: string, suggestedName: string, format: string): SaveDialogOptions {
  const ext = format.toLowerCase();
  return {
    title: `Export as ${ext.toUpperCase()} (choose a new file name)`,
    buttonLabel: 'Export',
    defaultPath: join(defaultDir, `${safeFileName(suggestedName, 'export').replace(new RegExp(`\\.${ext}$`, 'iu'), '')}.${ext}`),
    filters: [{ name: ext.toUpperCase(), extensions: [ext] }],
    properties: ['createDirectory', 'dontAddToRecent'],
  };
}

export type DialogHandlerDeps = Readonly<{
  dialogs: NativeDialogs;
  /** The window that made the call, so the dialog is modal to it. */
  windowFor: (senderId: number) => BaseWindow | null;
  defaultCaseDir: () => string;
}>;

/** The `dialog.*` handlers of the IPC transport. Cancel answers `{ path: null }`. */
export function createDialogHandlers(deps: DialogHandlerDeps): HostHandlers {
  return {
    'dialog.openCase': async (_input, context) => {
      const result = await deps.dialogs.showOpen(deps.windowFor(context.senderId), openCaseDialogOptions(deps.defaultCaseDir()));
      const path = result.canceled ? undefined : result.filePaths[0];
      return { path: path ?? null };
    },
    'dialog.saveCase': async (input, context) => {
      const options = saveCaseDialogOptions(deps.defaultCaseDir(), input.suggestedName);
      const result = await deps.dialogs.showSave(deps.windowFor(context.senderId), options);
      const path = result.canceled || result.filePath === undefined || result.filePath === '' ? null : withCaseExtension(result.filePath);
      return { path };
    },
    'dialog.saveExport': async (input, context) => {
      const result = await deps.dialogs.showSave(deps.windowFor(context.senderId), saveExportDialogOptions(deps.defaultCaseDir(), input.suggestedName, input.format));
      const path = result.canceled || result.filePath === undefined || result.filePath === '' ? null : result.filePath;
      return { path: path === null || path.toLowerCase().endsWith(`.${input.format}`) ? path : `${path}.${input.format}` };
    },
    'dialog.pickFolder': async (_input, context) => {
      const result = await deps.dialogs.showOpen(deps.windowFor(context.senderId), pickFolderDialogOptions(deps.defaultCaseDir()));
      const path = result.canceled ? undefined : result.filePaths[0];
      return { path: path ?? null };
    },
  };
}
