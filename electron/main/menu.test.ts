import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { events } from '../../shared/api/contract';
import type { RecentCase } from '../../shared/domain/case';
import { createMenuController, menuLabel, menuTemplate, type MenuCommand, type MenuTemplateOptions } from './menu';

function options(platform: NodeJS.Platform, devTools = false) {
  const sent: MenuCommand[] = [];
  const o: MenuTemplateOptions = { platform, appName: 'Dossier', devTools, send: (c) => sent.push(c) };
  return { o, sent };
}

function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return Array.isArray(item?.submenu) ? item.submenu : [];
}

function byLabel(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions | undefined {
  return items.find((i) => i.label === label);
}

function click(item: MenuItemConstructorOptions | undefined): void {
  (item?.click as (() => void) | undefined)?.();
}

const recent: RecentCase[] = [
  { path: '/c/a.dossier', name: 'Shop & co', openedUtc: '2024-01-01T00:00:00Z', exists: true },
  { path: '/gone/b.dossier', name: 'Old', openedUtc: '2023-01-01T00:00:00Z', exists: false },
];

describe('menuTemplate', () => {
  it('File: the case commands with their accelerators, sent as menu.onCommand payloads', () => {
    const { o, sent } = options('linux');
    const [file] = menuTemplate(o, { recent: [], caseOpen: true });
    const items = submenu(file);
    const expected: Array<[string, string, MenuCommand]> = [
      ['New Case…', 'CmdOrCtrl+N', { command: 'new-case' }],
      ['Open Case…', 'CmdOrCtrl+O', { command: 'open-case' }],
      ['Save As…', 'CmdOrCtrl+Shift+S', { command: 'save-as' }],
      ['Close Case', 'CmdOrCtrl+W', { command: 'close-case' }],
    ];
    for (const [label, accelerator, command] of expected) {
      const item = byLabel(items, label);
      expect(item?.accelerator, label).toBe(accelerator);
      click(item);
      expect(sent.at(-1)).toEqual(command);
      expect(events['menu.onCommand'].safeParse(command).success).toBe(true);
    }
    expect(items.some((i) => i.role === 'quit')).toBe(true);
  });

  it('Save As and Close Case are disabled without an open case', () => {
    const { o } = options('linux');
    const items = submenu(menuTemplate(o, { recent: [], caseOpen: false })[0]);
    expect(byLabel(items, 'Save As…')?.enabled).toBe(false);
    expect(byLabel(items, 'Close Case')?.enabled).toBe(false);
  });

  it('Open Recent lists cases.recent; missing files are disabled; a click sends the path', () => {
    const { o, sent } = options('win32');
    const items = submenu(byLabel(submenu(menuTemplate(o, { recent, caseOpen: false })[0]), 'Open Recent'));
    expect(items).toHaveLength(2);
    expect(items[0]?.label).toBe('Shop && co  (/c/a.dossier)');
    expect(items[0]?.enabled).toBe(true);
    expect(items[1]?.enabled).toBe(false);
    click(items[0]);
    expect(sent).toEqual([{ command: 'open-recent', path: '/c/a.dossier' }]);
    expect(events['menu.onCommand'].safeParse(sent[0]).success).toBe(true);
  });

  it('Open Recent says so when empty, and keeps at most 10', () => {
    const { o } = options('linux');
    const empty = submenu(byLabel(submenu(menuTemplate(o, { recent: [], caseOpen: false })[0]), 'Open Recent'));
    expect(empty).toEqual([{ label: 'No Recent Cases', enabled: false }]);
    const many = Array.from({ length: 15 }, (_, i) => ({ path: `/c/${i}.dossier`, name: `C${i}`, openedUtc: '', exists: true }));
    expect(submenu(byLabel(submenu(menuTemplate(o, { recent: many, caseOpen: false })[0]), 'Open Recent'))).toHaveLength(10);
  });

  it('Edit uses standard roles', () => {
    const { o } = options('linux');
    const roles = submenu(menuTemplate(o, { recent: [], caseOpen: false })[1]).map((i) => i.role ?? i.type);
    expect(roles).toEqual(['undo', 'redo', 'separator', 'cut', 'copy', 'paste', 'delete', 'separator', 'selectAll']);
  });

  it('View: reload and DevTools only with the DevTools flag', () => {
    const roles = (devTools: boolean) => submenu(menuTemplate(options('linux', devTools).o, { recent: [], caseOpen: false })[2]).map((i) => i.role ?? i.type);
    expect(roles(false)).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'separator', 'togglefullscreen']);
    expect(roles(true)).toEqual(['reload', 'forceReload', 'toggleDevTools', 'separator', 'resetZoom', 'zoomIn', 'zoomOut', 'separator', 'togglefullscreen']);
  });

  it('Help: About', () => {
    const { o } = options('linux');
    const help = menuTemplate(o, { recent: [], caseOpen: false })[3];
    expect(submenu(help).map((i) => i.role)).toEqual(['about']);
  });

  it('macOS: app menu first, and no Close Window stealing Cmd+W', () => {
    const { o } = options('darwin');
    const template = menuTemplate(o, { recent, caseOpen: true });
    expect(template.map((m) => m.label)).toEqual(['Dossier', 'File', 'Edit', 'View', 'Window', 'Help']);
    const all = template.flatMap((m) => submenu(m));
    expect(all.some((i) => i.role === 'close')).toBe(false);
    expect(all.filter((i) => i.accelerator === 'CmdOrCtrl+W').map((i) => i.label)).toEqual(['Close Case']);
    expect(submenu(byLabel(submenu(template[1]), 'Open Recent'))[0]?.label).toBe('Shop & co  (/c/a.dossier)');
  });

  it('menuLabel escapes & outside macOS', () => {
    expect(menuLabel('A & B', 'linux')).toBe('A && B');
    expect(menuLabel('A & B', 'darwin')).toBe('A & B');
  });
});

describe('createMenuController', () => {
  it('rebuilds with the recent list and the case state; a failing load gives an empty list', async () => {
    const applied: MenuItemConstructorOptions[][] = [];
    let fail = false;
    const controller = createMenuController({
      options: options('linux').o,
      loadRecent: async () => {
        if (fail) {
          throw new Error('no back end');
        }
        return recent;
      },
      apply: (t) => applied.push(t),
    });
    await controller.refresh();
    expect(byLabel(submenu(applied[0]?.[0]), 'Save As…')?.enabled).toBe(false);
    await controller.refresh(true);
    expect(byLabel(submenu(applied[1]?.[0]), 'Save As…')?.enabled).toBe(true);
    expect(submenu(byLabel(submenu(applied[1]?.[0]), 'Open Recent'))).toHaveLength(2);
    fail = true;
    await controller.refresh();
    expect(byLabel(submenu(applied[2]?.[0]), 'Save As…')?.enabled).toBe(true);
    expect(submenu(byLabel(submenu(applied[2]?.[0]), 'Open Recent'))[0]?.label).toBe('No Recent Cases');
  });
});
