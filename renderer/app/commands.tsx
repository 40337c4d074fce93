import { Dialog, DialogBody, HotkeysContext, useHotkeys, type HotkeyConfig } from '@blueprintjs/core';
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { copyPath, fileName } from '../features/cases/case-path';
import { NewCaseForm } from '../features/cases/new-case-form';
import { OpenCaseForm } from '../features/cases/open-case-form';
import { SaveAsForm } from '../features/cases/save-as-form';
import { useAppInfo, useCloseCase, useCurrentCase, useOpenCase, useOpenSample, useSaveCaseAs } from '../features/cases/use-cases';
import { useApiServices } from './api-context';
import { COMMAND_IDS, COMMAND_LABELS, commandForMenu, formatCombo, shortcutsFor, type CommandId } from './shortcuts';
import { useTheme } from './theme';
import { toastError } from './toaster';

type CommandsValue = Readonly<{
  run: (command: CommandId) => void;
  /** The shortcut menus and tooltips show, e.g. "Ctrl+Shift+S"; '' when none. */
  shortcutText: (command: CommandId) => string;
  isEnabled: (command: CommandId) => boolean;
}>;

const CommandsContext = createContext<CommandsValue | null>(null);

export function useCommands(): CommandsValue {
  const value = useContext(CommandsContext);
  if (value === null) {
    throw new Error('useCommands() outside <CommandsProvider>');
  }
  return value;
}

type OpenDialog = 'new' | 'open' | 'saveAs' | null;

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/u.test(navigator.userAgent);
const CASE_COMMANDS: ReadonlySet<CommandId> = new Set(['case.saveAs', 'case.close']);

function focusTarget(name: string): boolean {
  const el = document.querySelector<HTMLElement>(`[data-focus-target="${name}"]`);
  el?.focus();
  return el !== null;
}

/**
 * The app's commands (New, Open, Save As, Close, theme, shortcuts): one implementation shared by
 * the hotkeys, the in-window menu and the native menu (`menu.onCommand`). Also owns the dialogs those commands open.
 */
export function CommandsProvider({ children }: Readonly<{ children: ReactNode }>) {
  const { api, events, transport } = useApiServices();
  const info = useAppInfo();
  const current = useCurrentCase();
  const open = useOpenCase();
  const close = useCloseCase();
  const saveAs = useSaveCaseAs();
  const sample = useOpenSample();
  const { toggleTheme } = useTheme();
  const [, hotkeysDispatch] = useContext(HotkeysContext);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const lastRun = useRef<{ command: CommandId; at: number } | null>(null);

  const native = info.data?.nativeDialogs === true;
  const currentCase = current.data ?? null;
  const hasCase = currentCase !== null;

  async function execute(command: CommandId): Promise<void> {
    switch (command) {
      case 'case.new':
        if (hasCase || !focusTarget('new-case')) {
          setDialog('new');
        }
        return;
      case 'case.open':
        if (native) {
          const { path } = await api['dialog.openCase']({});
          if (path !== null) {
            open.mutate(path, { onError: (e) => void toastError(e, 'The case was not opened') });
          }
        } else if (hasCase || !focusTarget('open-case')) {
          setDialog('open');
        }
        return;
      case 'case.openSample':
        sample.mutate(undefined, { onError: (e) => void toastError(e, 'The sample case could not be opened') });
        return;
      case 'case.saveAs':
        if (currentCase === null) {
          return;
        }
        if (native) {
          const { path } = await api['dialog.saveCase']({ suggestedName: fileName(copyPath(currentCase.path)) });
          if (path !== null) {
            saveAs.mutate(path, { onError: (e) => void toastError(e, 'The case was not saved') });
          }
        } else {
          setDialog('saveAs');
        }
        return;
      case 'case.close':
        if (hasCase) {
          setDialog(null);
          close.mutate(undefined, { onError: (e) => void toastError(e, 'The case was not closed') });
        }
        return;
      case 'view.toggleTheme':
        toggleTheme();
        return;
      case 'help.shortcuts':
        hotkeysDispatch({ type: 'OPEN_DIALOG' });
        return;
    }
  }

  function openPath(path: string): void {
    setDialog(null);
    open.mutate(path, { onError: (e) => void toastError(e, 'The case was not opened') });
  }

  // hotkeys and menu events call the latest closures without re-registering on every render
  const latest = useRef({ execute, openPath });
  useLayoutEffect(() => {
    latest.current = { execute, openPath };
  });

  const run = useCallback((command: CommandId) => {
    // a native menu accelerator and the page's own hotkey may both fire for one key press
    const now = Date.now();
    if (lastRun.current !== null && lastRun.current.command === command && now - lastRun.current.at < 300) {
      return;
    }
    lastRun.current = { command, at: now };
    void (async () => {
      try {
        await latest.current.execute(command);
      } catch (error) {
        await toastError(error);
      }
    })();
  }, []);

  // the native menu (Electron) sends its items here; they run the same flows as the buttons
  useEffect(
    () =>
      events.on('menu.onCommand', (payload) => {
        if (payload.command === 'open-recent') {
          if (payload.path !== undefined) {
            latest.current.openPath(payload.path);
          }
        } else {
          run(commandForMenu(payload.command));
        }
      }),
    [events, run],
  );

  const hotkeys = useMemo<HotkeyConfig[]>(
    () =>
      COMMAND_IDS.filter((c) => c !== 'help.shortcuts').flatMap((command) =>
        shortcutsFor(command, transport).map((combo) => ({
          combo,
          global: true,
          allowInInput: true,
          preventDefault: true,
          group: command.startsWith('case.') ? 'Case' : 'View',
          label: COMMAND_LABELS[command],
          disabled: CASE_COMMANDS.has(command) && !hasCase,
          onKeyDown: () => run(command),
        })),
      ),
    [transport, hasCase, run],
  );
  useHotkeys(hotkeys);

  const value = useMemo<CommandsValue>(
    () => ({
      run,
      shortcutText: (command) => {
        const combo = shortcutsFor(command, transport)[0];
        return combo === undefined ? '' : formatCombo(combo, IS_MAC);
      },
      isEnabled: (command) => !CASE_COMMANDS.has(command) || hasCase,
    }),
    [run, transport, hasCase],
  );

  const closeDialog = () => setDialog(null);
  return (
    <CommandsContext.Provider value={value}>
      {children}
      {info.data !== undefined ? (
        <Dialog isOpen={dialog === 'new'} title="New case" icon="add" onClose={closeDialog} className="dossier-dialog-wide">
          <DialogBody>
            <NewCaseForm info={info.data} autoFocus onCreated={closeDialog} />
          </DialogBody>
        </Dialog>
      ) : null}
      <Dialog isOpen={dialog === 'open'} title="Open case" icon="folder-open" onClose={closeDialog} className="dossier-dialog-wide">
        <DialogBody>
          <OpenCaseForm autoFocus onOpened={closeDialog} />
        </DialogBody>
      </Dialog>
      <Dialog isOpen={dialog === 'saveAs' && currentCase !== null} title="Save case as" icon="floppy-disk" onClose={closeDialog} className="dossier-dialog-wide">
        <DialogBody>
          {currentCase !== null ? <SaveAsForm currentPath={currentCase.path} onSaved={closeDialog} onCancel={closeDialog} /> : null}
        </DialogBody>
      </Dialog>
    </CommandsContext.Provider>
  );
}
