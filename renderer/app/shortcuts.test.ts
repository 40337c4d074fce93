import { describe, expect, it } from 'vitest';
import { commandForMenu, formatCombo, shortcutsFor } from './shortcuts';

describe('shortcuts', () => {
  it('leads with Alt+Shift in the browser where Ctrl+N/W are taken', () => {
    expect(shortcutsFor('case.new', 'http')).toEqual(['alt+shift+n']);
    expect(shortcutsFor('case.new', 'ipc')[0]).toBe('mod+n');
    expect(shortcutsFor('case.close', 'http')).toEqual(['alt+shift+w']);
    expect(shortcutsFor('case.saveAs', 'http')[0]).toBe('mod+shift+s');
  });
  it('formats combos', () => {
    expect(formatCombo('mod+shift+s', false)).toBe('Ctrl+Shift+S');
    expect(formatCombo('alt+shift+n', false)).toBe('Alt+Shift+N');
    expect(formatCombo('mod+o', true)).toBe('⌘O');
    expect(formatCombo('?', false)).toBe('?');
  });
  it('maps native menu commands', () => {
    expect(commandForMenu('new-case')).toBe('case.new');
    expect(commandForMenu('open-case')).toBe('case.open');
    expect(commandForMenu('save-as')).toBe('case.saveAs');
    expect(commandForMenu('close-case')).toBe('case.close');
  });
});
