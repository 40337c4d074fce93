import type { EventPayload } from '../../shared/api/contract';
import { assertNever } from '../../shared/util/assert-never';
import type { TransportKind } from '../api/transport';

export type MenuCommandName = EventPayload<'menu.onCommand'>['command'];

export const COMMAND_IDS = ['case.new', 'case.open', 'case.openSample', 'case.saveAs', 'case.close', 'view.toggleTheme', 'help.shortcuts'] as const;
export type CommandId = (typeof COMMAND_IDS)[number];

export const COMMAND_LABELS: Readonly<Record<CommandId, string>> = {
  'case.new': 'New case…',
  'case.open': 'Open case…',
  'case.openSample': 'Open the sample case',
  'case.saveAs': 'Save case as…',
  'case.close': 'Close case',
  'view.toggleTheme': 'Toggle light/dark theme',
  'help.shortcuts': 'Keyboard shortcuts',
};

/**
 * Key combos per command, in Blueprint's syntax (`mod` is Ctrl, or Cmd on macOS). The first is
 * the one menus and tooltips show. Browsers keep Ctrl+N and Ctrl+W for themselves, so browser
 * mode leads with Alt+Shift+… (which Electron accepts too).
 */
export function shortcutsFor(command: CommandId, transport: TransportKind): ReadonlyArray<string> {
  const native = transport === 'ipc';
  switch (command) {
    case 'case.new':
      return native ? ['mod+n', 'alt+shift+n'] : ['alt+shift+n'];
    case 'case.open':
      return ['mod+o', 'alt+shift+o'];
    case 'case.saveAs':
      return ['mod+shift+s', 'alt+shift+s'];
    case 'case.close':
      return native ? ['mod+w', 'alt+shift+w'] : ['alt+shift+w'];
    case 'view.toggleTheme':
      return ['alt+shift+t'];
    case 'help.shortcuts':
      return ['?'];
    case 'case.openSample':
      return [];
  }
}

const KEY_NAMES: Readonly<Record<string, string>> = { mod: 'Ctrl', ctrl: 'Ctrl', alt: 'Alt', shift: 'Shift', meta: 'Meta' };
const MAC_KEY_NAMES: Readonly<Record<string, string>> = { mod: '⌘', ctrl: '⌃', alt: '⌥', shift: '⇧', meta: '⌘' };

/** "mod+shift+s" → "Ctrl+Shift+S" (or "⌘⇧S" on macOS). */
export function formatCombo(combo: string, mac: boolean): string {
  const names = mac ? MAC_KEY_NAMES : KEY_NAMES;
  const keys = combo.split('+').map((k) => names[k] ?? (k.length === 1 ? k.toUpperCase() : k[0]?.toUpperCase() + k.slice(1)));
  return keys.join(mac ? '' : '+');
}

/** The native menu's commands (`menu.onCommand`) as the app's own; 'open-recent' carries a path instead. */
export function commandForMenu(command: Exclude<MenuCommandName, 'open-recent'>): CommandId {
  switch (command) {
    case 'new-case':
      return 'case.new';
    case 'open-case':
      return 'case.open';
    case 'save-as':
      return 'case.saveAs';
    case 'close-case':
      return 'case.close';
    default:
      return assertNever(command, 'unknown menu command');
  }
}
