import { Alignment, Button, Menu, MenuDivider, MenuItem, Navbar, NavbarDivider, NavbarGroup, NavbarHeading, PopoverNext, Tooltip } from '@blueprintjs/core';
import type { AppInfo } from '../../shared/api/contract';
import type { CaseSummary } from '../../shared/domain/case';
import { CaseHeader } from '../features/workspace/case-header';
import { useCommands } from './commands';
import { COMMAND_LABELS, type CommandId } from './shortcuts';
import { useTheme } from './theme';

function CommandItem({ command, icon }: Readonly<{ command: CommandId; icon: Parameters<typeof MenuItem>[0]['icon'] }>) {
  const { run, shortcutText, isEnabled } = useCommands();
  return <MenuItem icon={icon} text={COMMAND_LABELS[command]} label={shortcutText(command)} disabled={!isEnabled(command)} onClick={() => run(command)} />;
}

function CaseMenu({ sampleAvailable }: Readonly<{ sampleAvailable: boolean }>) {
  return (
    <PopoverNext
      placement="bottom-end"
      arrow={false}
      animation="minimal"
      content={
        <Menu aria-label="Case menu">
          <CommandItem command="case.new" icon="add" />
          <CommandItem command="case.open" icon="folder-open" />
          {sampleAvailable ? <CommandItem command="case.openSample" icon="lab-test" /> : null}
          <MenuDivider />
          <CommandItem command="case.saveAs" icon="floppy-disk" />
          <CommandItem command="case.close" icon="cross-circle" />
        </Menu>
      }
    >
      <Button variant="minimal" icon="briefcase" endIcon="caret-down" text="Case" />
    </PopoverNext>
  );
}

function TipButton(props: Readonly<{ command: CommandId; icon: Parameters<typeof Button>[0]['icon']; text?: string; label: string }>) {
  const { run, shortcutText } = useCommands();
  const shortcut = shortcutText(props.command);
  return (
    <Tooltip content={shortcut === '' ? props.label : `${props.label} (${shortcut})`} placement="bottom">
      <Button variant="minimal" icon={props.icon} text={props.text} aria-label={props.text === undefined ? props.label : undefined} onClick={() => run(props.command)} />
    </Tooltip>
  );
}

/** The title bar: the app, the open case, and the case and view actions (with their shortcuts). */
export function AppNavbar(props: Readonly<{ info: AppInfo; summary: CaseSummary | null }>) {
  const { theme } = useTheme();
  return (
    <Navbar className="dossier-navbar">
      <NavbarGroup align={Alignment.START} className="dossier-navbar-start">
        <NavbarHeading className="dossier-brand">Dossier</NavbarHeading>
        {props.summary !== null ? (
          <>
            <NavbarDivider />
            <CaseHeader summary={props.summary} />
          </>
        ) : null}
      </NavbarGroup>
      <NavbarGroup align={Alignment.END}>
        {props.summary !== null ? (
          <>
            <TipButton command="case.saveAs" icon="floppy-disk" text="Save As…" label="Save a copy of the case and continue in it" />
            <TipButton command="case.close" icon="cross-circle" text="Close" label="Close the case" />
          </>
        ) : null}
        <CaseMenu sampleAvailable={props.info.sampleCaseAvailable} />
        <NavbarDivider />
        <TipButton command="view.toggleTheme" icon={theme === 'dark' ? 'flash' : 'moon'} label={theme === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme'} />
        <TipButton command="help.shortcuts" icon="key-command" label="Keyboard shortcuts" />
      </NavbarGroup>
    </Navbar>
  );
}
