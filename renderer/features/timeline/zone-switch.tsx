import { Button, Menu, MenuItem, PopoverNext } from '@blueprintjs/core';
import { localZone, type ZoneMode } from './zoned-time';

type Props = Readonly<{ mode: ZoneMode; zone: string; caseZone: string; onChange: (mode: ZoneMode) => void }>;

/** "Times in Europe/Berlin": always visible; switches between the case's zone, UTC and this computer's zone. */
export function ZoneSwitch({ mode, zone, caseZone, onChange }: Props) {
  const here = localZone();
  const content = (
    <Menu size="small" role="listbox" aria-label="Display zone">
      <MenuItem roleStructure="listoption" selected={mode === 'case'} text="Case zone" label={caseZone} onClick={() => onChange('case')} />
      <MenuItem roleStructure="listoption" selected={mode === 'utc'} text="UTC" onClick={() => onChange('utc')} />
      <MenuItem roleStructure="listoption" selected={mode === 'local'} text="This computer" label={here} onClick={() => onChange('local')} />
    </Menu>
  );
  return (
    <PopoverNext content={content} placement="bottom-end" arrow={false} animation="minimal">
      <Button size="small" variant="minimal" icon="time" endIcon="caret-down" data-testid="timeline-zone" data-zone={zone} title="Times in the table, the histogram and the detail follow this zone">
        Times in {zone}
      </Button>
    </PopoverNext>
  );
}
