import { Button, Checkbox, Classes, PopoverNext } from '@blueprintjs/core';
import { COLUMN_DEFS, COLUMN_IDS, DEFAULT_COLUMN_PREFS } from './columns';
import type { ColumnPrefs } from './view-state';

/** Which columns the table shows; widths are dragged on the header and kept with the choice (per case). */
export function ColumnChooser({ prefs, onChange }: Readonly<{ prefs: ColumnPrefs; onChange: (prefs: ColumnPrefs) => void }>) {
  const visible = new Set(prefs.visible);
  function toggle(id: string, on: boolean): void {
    const next = COLUMN_IDS.filter((c) => (c === id ? on : visible.has(c)));
    onChange({ ...prefs, visible: next });
  }
  const content = (
    <div className="dossier-tl-columns" data-testid="column-chooser">
      <div className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>Columns (drag a header edge to resize)</div>
      {COLUMN_IDS.map((id) => (
        <Checkbox key={id} label={COLUMN_DEFS[id].label} checked={id === 'time' || visible.has(id)} disabled={id === 'time'} onChange={(e) => toggle(id, e.currentTarget.checked)} />
      ))}
      <Button size="small" icon="reset" text="Default columns" onClick={() => onChange(DEFAULT_COLUMN_PREFS)} />
    </div>
  );
  return (
    <PopoverNext content={content} placement="bottom-end" arrow={false} animation="minimal">
      <Button size="small" variant="minimal" icon="column-layout" aria-label="Columns" title="Choose columns" />
    </PopoverNext>
  );
}
