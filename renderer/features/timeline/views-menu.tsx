import { Button, Classes, Dialog, DialogBody, DialogFooter, FormGroup, InputGroup, Menu, MenuDivider, MenuItem, PopoverNext } from '@blueprintjs/core';
import { useState, type FormEvent } from 'react';
import type { SavedView } from '../../../shared/domain/timeline';
import { toastError, toastSuccess } from '../../app/toaster';
import { ErrorCallout } from '../../components/error-callout';
import { useDeleteView, useSaveView, useViews } from './use-timeline-data';
import { parseViewState, serializeViewState, type ViewState } from './view-state';

type Props = Readonly<{ casePath: string; current: ViewState; onOpen: (state: ViewState) => void }>;

/** Saved views: save the current one under a name, open one, delete one. */
export function ViewsMenu({ casePath, current, onOpen }: Props) {
  const views = useViews(casePath);
  const save = useSaveView(casePath);
  const remove = useDeleteView(casePath);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const list = views.data ?? [];
  const exists = list.some((v) => v.name === name.trim());

  function open(view: SavedView): void {
    const state = parseViewState(view.state);
    if (state === null) {
      void toastError(new Error(`The view "${view.name}" could not be read: it was saved by another version.`));
      return;
    }
    onOpen(state);
  }

  function submit(e: FormEvent): void {
    e.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') {
      return;
    }
    save.mutate(
      { name: trimmed, state: serializeViewState(current) },
      {
        onSuccess: () => {
          setNaming(false);
          void toastSuccess(`View "${trimmed}" saved`);
        },
      },
    );
  }

  const content = (
    <Menu size="small" aria-label="Saved views" data-testid="views-menu">
      <MenuItem
        icon="floppy-disk"
        text="Save current view…"
        onClick={() => {
          setName('');
          save.reset();
          setNaming(true);
        }}
      />
      <MenuDivider title="Saved views" />
      {list.length === 0 ? <MenuItem disabled text={views.isPending ? 'Loading…' : 'No saved views yet'} /> : null}
      {list.map((v) => (
        <MenuItem
          key={v.id}
          icon="bookmark"
          text={v.name}
          data-testid="saved-view"
          onClick={() => open(v)}
          labelElement={
            <Button
              size="small"
              variant="minimal"
              icon="trash"
              className={Classes.POPOVER_DISMISS_OVERRIDE}
              aria-label={`Delete view ${v.name}`}
              title="Delete this view"
              onClick={(e) => {
                e.stopPropagation();
                remove.mutate(v.id, { onError: (err) => void toastError(err, 'The view was not deleted') });
              }}
            />
          }
        />
      ))}
    </Menu>
  );

  return (
    <>
      <PopoverNext content={content} placement="bottom-end" arrow={false} animation="minimal">
        <Button size="small" icon="bookmark" text="Views" endIcon="caret-down" data-testid="views-button" />
      </PopoverNext>
      <Dialog isOpen={naming} title="Save view" icon="floppy-disk" onClose={() => setNaming(false)}>
        <form onSubmit={submit} aria-label="Save view">
          <DialogBody>
            <FormGroup
              label="View name"
              labelFor="timeline-view-name"
              helperText={exists ? 'A view with this name exists: saving replaces it.' : 'Saves the filters, the time range, the display zone, the grouping and the columns.'}
            >
              <InputGroup id="timeline-view-name" autoFocus value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
            </FormGroup>
            <ErrorCallout error={save.error} title="The view was not saved" />
          </DialogBody>
          <DialogFooter
            actions={
              <>
                <Button text="Cancel" onClick={() => setNaming(false)} />
                <Button type="submit" intent="primary" icon="floppy-disk" text={exists ? 'Replace' : 'Save'} loading={save.isPending} disabled={name.trim() === ''} />
              </>
            }
          />
        </form>
      </Dialog>
    </>
  );
}
