import type { BaseWindow, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createDialogHandlers,
  openCaseDialogOptions,
  pickFolderDialogOptions,
  safeFileName,
  saveCaseDialogOptions,
  withCaseExtension,
  type NativeDialogs,
  type OpenResult,
  type SaveResult,
} from './dialogs';

const DIR = join('/home', 'analyst', 'Dossier cases');

function fakeDialogs(open: OpenResult, save: SaveResult) {
  const seen: Array<{ kind: string; parent: unknown; options: OpenDialogOptions | SaveDialogOptions }> = [];
  const dialogs: NativeDialogs = {
    showOpen: async (parent, options) => {
      seen.push({ kind: 'open', parent, options });
      return open;
    },
    showSave: async (parent, options) => {
      seen.push({ kind: 'save', parent, options });
      return save;
    },
  };
  return { dialogs, seen };
}

const WINDOW = { id: 'main-window' } as unknown as BaseWindow;

function handlers(open: OpenResult, save: SaveResult) {
  const f = fakeDialogs(open, save);
  const h = createDialogHandlers({ dialogs: f.dialogs, windowFor: (id) => (id === 7 ? WINDOW : null), defaultCaseDir: () => DIR });
  return { ...f, h };
}

describe('dialog options', () => {
  it('open case: one .dossier file, not added to OS recents', () => {
    const o = openCaseDialogOptions(DIR);
    expect(o.filters).toEqual([{ name: 'Dossier case', extensions: ['dossier'] }]);
    expect(o.properties).toEqual(['openFile', 'dontAddToRecent']);
    expect(o.defaultPath).toBe(DIR);
  });

  it('save case: .dossier default name, says files are never replaced, no Linux replace prompt', () => {
    const o = saveCaseDialogOptions(DIR, 'Web shop / 2024: breach?');
    expect(o.defaultPath).toBe(join(DIR, 'Web shop _ 2024_ breach_.dossier'));
    expect(o.filters).toEqual([{ name: 'Dossier case', extensions: ['dossier'] }]);
    expect(o.properties).not.toContain('showOverwriteConfirmation');
    expect(o.properties).toContain('dontAddToRecent');
    expect(`${o.title} ${o.message}`).toMatch(/never replace/u);
  });

  it('pick folder: directories only', () => {
    expect(pickFolderDialogOptions(DIR).properties).toEqual(['openDirectory', 'dontAddToRecent']);
  });

  it('safeFileName removes separators, reserved and control characters', () => {
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('a\\b:c*d?e"f<g>h|i\u0000j')).toBe('a_b_c_d_e_f_g_h_i_j');
    expect(safeFileName('  Case.dossier ')).toBe('Case');
    expect(safeFileName(undefined)).toBe('Untitled case');
    expect(safeFileName('...')).toBe('Untitled case');
    expect(safeFileName('x'.repeat(300))).toHaveLength(120);
  });

  it('withCaseExtension appends .dossier once', () => {
    expect(withCaseExtension('/c/case')).toBe('/c/case.dossier');
    expect(withCaseExtension('/c/case.DOSSIER')).toBe('/c/case.DOSSIER');
    expect(withCaseExtension('/c/case.db')).toBe('/c/case.db.dossier');
  });
});

describe('createDialogHandlers', () => {
  it('dialog.openCase returns the chosen file, modal to the calling window', async () => {
    const t = handlers({ canceled: false, filePaths: ['/c/a.dossier'] }, { canceled: true });
    await expect(t.h['dialog.openCase']({}, { senderId: 7 })).resolves.toEqual({ path: '/c/a.dossier' });
    expect(t.seen[0]?.parent).toBe(WINDOW);
  });

  it('cancel answers { path: null }', async () => {
    const t = handlers({ canceled: true, filePaths: [] }, { canceled: true, filePath: '' });
    await expect(t.h['dialog.openCase']({}, { senderId: 7 })).resolves.toEqual({ path: null });
    await expect(t.h['dialog.saveCase']({}, { senderId: 7 })).resolves.toEqual({ path: null });
    await expect(t.h['dialog.pickFolder']({}, { senderId: 1 })).resolves.toEqual({ path: null });
    expect(t.seen[2]?.parent).toBeNull();
  });

  it('dialog.saveCase adds the extension GTK leaves out', async () => {
    const t = handlers({ canceled: true, filePaths: [] }, { canceled: false, filePath: '/c/new case' });
    await expect(t.h['dialog.saveCase']({ suggestedName: 'New case' }, { senderId: 7 })).resolves.toEqual({ path: '/c/new case.dossier' });
    expect((t.seen[0]?.options as SaveDialogOptions).defaultPath).toBe(join(DIR, 'New case.dossier'));
  });

  it('dialog.pickFolder returns the folder', async () => {
    const t = handlers({ canceled: false, filePaths: ['/evidence/web01'] }, { canceled: true });
    await expect(t.h['dialog.pickFolder']({}, { senderId: 7 })).resolves.toEqual({ path: '/evidence/web01' });
    expect((t.seen[0]?.options as OpenDialogOptions).properties).toContain('openDirectory');
  });
});
