/**
 * The native menu, built by a pure template function. Menu items never act on their own: they
 * send a `menu.onCommand` event to the focused window and the renderer runs the same flow as its
 * own buttons (dialogs, validation, errors). Edit/View use Electron roles.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { EventPayload } from '../../shared/api/contract';
import type { RecentCase } from '../../shared/domain/case';

export type MenuCommand = EventPayload<'menu.onCommand'>;

export type MenuState = Readonly<{
  recent: ReadonlyArray<RecentCase>;
  caseOpen: boolean;
}>;

export type MenuTemplateOptions = Readonly<{
  platform: NodeJS.Platform;
  appName: string;
  devTools: boolean;
  send: (command: MenuCommand) => void;
}>;

export const MAX_RECENT_ITEMS = 10;

/** On Windows and Linux `&` marks a mnemonic in a menu label: show a literal one. */
export function menuLabel(text: string, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? text : text.replace(/&/gu, '&&');
}

function middleEllipsis(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const half = Math.floor((max - 1) / 2);
  return `${text.slice(0, half)}…${text.slice(text.length - half)}`;
}

export function recentSubmenu(options: MenuTemplateOptions, recent: ReadonlyArray<RecentCase>): MenuItemConstructorOptions[] {
  const items = recent.slice(0, MAX_RECENT_ITEMS).map(
    (entry): MenuItemConstructorOptions => ({
      label: menuLabel(`${middleEllipsis(entry.name, 60)}  (${middleEllipsis(entry.path, 80)})`, options.platform),
      enabled: entry.exists,
      click: () => options.send({ command: 'open-recent', path: entry.path }),
    }),
  );
  return items.length > 0 ? items : [{ label: 'No Recent Cases', enabled: false }];
}

export function menuTemplate(options: MenuTemplateOptions, state: MenuState): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const send = options.send;

  const file: MenuItemConstructorOptions = {
    label: mac ? 'File' : '&File',
    submenu: [
      { label: 'New Case…', accelerator: 'CmdOrCtrl+N', click: () => send({ command: 'new-case' }) },
      { label: 'Open Case…', accelerator: 'CmdOrCtrl+O', click: () => send({ command: 'open-case' }) },
      { label: 'Open Recent', submenu: recentSubmenu(options, state.recent) },
      { type: 'separator' },
      { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', enabled: state.caseOpen, click: () => send({ command: 'save-as' }) },
      { label: 'Close Case', accelerator: 'CmdOrCtrl+W', enabled: state.caseOpen, click: () => send({ command: 'close-case' }) },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: mac ? 'Edit' : '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: mac ? 'View' : '&View',
    submenu: [
      ...(options.devTools ? [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const help: MenuItemConstructorOptions = {
    label: mac ? 'Help' : '&Help',
    role: 'help',
    submenu: [{ role: 'about', label: `About ${options.appName}` }],
  };

  if (!mac) {
    return [file, edit, view, help];
  }
  // macOS: the app menu, and a Window menu without "Close Window" (Cmd+W closes the case).
  const appMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { role: 'about', label: `About ${options.appName}` },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  const windowMenu: MenuItemConstructorOptions = {
    label: 'Window',
    role: 'window',
    submenu: [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }],
  };
  return [appMenu, file, edit, view, windowMenu, help];
}

export type MenuControllerDeps = Readonly<{
  options: MenuTemplateOptions;
  /** `cases.recent` through the back end; an error leaves the list empty. */
  loadRecent: () => Promise<ReadonlyArray<RecentCase>>;
  /** Builds and installs the menu (Menu.setApplicationMenu(Menu.buildFromTemplate(t))). */
  apply: (template: MenuItemConstructorOptions[]) => void;
}>;

export type MenuController = Readonly<{
  /** Rebuilds the menu; `caseOpen` is updated when given (from `cases.onChanged`). */
  refresh: (caseOpen?: boolean) => Promise<void>;
}>;

export function createMenuController(deps: MenuControllerDeps): MenuController {
  let caseOpen = false;
  return {
    refresh: async (nextCaseOpen) => {
      if (nextCaseOpen !== undefined) {
        caseOpen = nextCaseOpen;
      }
      let recent: ReadonlyArray<RecentCase>;
      try {
        recent = await deps.loadRecent();
      } catch {
        recent = [];
      }
      deps.apply(menuTemplate(deps.options, { recent, caseOpen }));
    },
  };
}
