import { Button, InputGroup, Menu, MenuItem, PopoverNext } from '@blueprintjs/core';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { filterZones } from './filter-zones';

const MAX_SHOWN = 150;

type Props = Readonly<{
  /** id of the trigger button, for <label htmlFor>. */
  id: string;
  value: string;
  zones: ReadonlyArray<string>;
  onChange: (zone: string) => void;
  disabled?: boolean;
}>;

/**
 * A searchable time-zone picker (a button that opens a filter box and a list). Built from Blueprint
 * core pieces: type to filter, arrows to move, Enter to pick, Escape to close.
 */
export function TimeZonePicker({ id, value, zones, onChange, disabled = false }: Props) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const matches = useMemo(() => filterZones(zones, query), [zones, query]);
  const shown = matches.slice(0, MAX_SHOWN);

  useEffect(() => {
    listRef.current?.querySelector('[data-active="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active, open]);

  function openWith(): void {
    setQuery('');
    setActive(Math.max(0, zones.indexOf(value)));
    setOpen(true);
  }

  function pick(zone: string): void {
    onChange(zone);
    setOpen(false);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => Math.min(Math.max(a + step, 0), Math.max(shown.length - 1, 0)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const zone = shown[active];
      if (zone !== undefined) {
        pick(zone);
      }
    }
  }

  const content = (
    <div className="dossier-zone-picker">
      <InputGroup
        inputRef={inputRef}
        leftIcon="search"
        size="small"
        placeholder="Search time zones…"
        aria-label="Search time zones"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={shown[active] !== undefined ? `${listId}-${active}` : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <Menu id={listId} role="listbox" aria-label="Time zones" size="small" ulRef={listRef} className="dossier-zone-list">
        {shown.map((zone, i) => (
          <MenuItem
            key={zone}
            id={`${listId}-${i}`}
            roleStructure="listoption"
            text={zone}
            active={i === active}
            selected={zone === value}
            data-active={i === active ? 'true' : undefined}
            onClick={() => pick(zone)}
          />
        ))}
        {shown.length === 0 ? <MenuItem roleStructure="listoption" disabled text="No matching time zone" /> : null}
        {matches.length > shown.length ? (
          <MenuItem roleStructure="listoption" disabled text={`${matches.length - shown.length} more: refine the search`} />
        ) : null}
      </Menu>
    </div>
  );

  return (
    <PopoverNext
      isOpen={open}
      onInteraction={(next) => (next ? openWith() : setOpen(false))}
      content={content}
      placement="bottom-start"
      autoFocus={false}
      enforceFocus={false}
      onOpened={() => inputRef.current?.focus()}
      disabled={disabled}
      arrow={false}
      animation="minimal"
    >
      <Button id={id} endIcon="caret-down" icon="time" text={value} alignText="start" disabled={disabled} aria-haspopup="listbox" className="dossier-zone-button" />
    </PopoverNext>
  );
}
