import { Button, Dialog, DialogBody, DialogFooter, FormGroup, InputGroup, Menu, MenuItem, PopoverNext, Radio, RadioGroup } from '@blueprintjs/core';
import { useState, type FormEvent } from 'react';
import type { AppInfo } from '../../../shared/api/contract';
import type { TimelineFilter } from '../../../shared/domain/timeline';
import { useApi } from '../../app/api-context';
import { toastError, toastSuccess } from '../../app/toaster';
import { ErrorCallout } from '../../components/error-callout';
import { useExportView } from './use-timeline-data';

type Format = 'csv' | 'jsonl';

function stamp(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}

function suggestedName(format: Format): string {
  return `timeline-${stamp(new Date())}.${format}`;
}

function joinPath(dir: string, name: string, platform: string): string {
  const sep = platform === 'win32' ? '\\' : '/';
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}

function withExtension(path: string, format: Format): string {
  return path.replace(/\.(csv|jsonl)$/iu, '') + `.${format}`;
}

/** Exports the rows of the current view (all of them, not just those loaded) as CSV or JSONL; never overwrites. */
export function ExportButton({ filter, info }: Readonly<{ filter: TimelineFilter; info: AppInfo | undefined }>) {
  const api = useApi();
  const exporter = useExportView();
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<Format>('csv');
  const [path, setPath] = useState('');

  async function run(fmt: Format, target: string): Promise<boolean> {
    try {
      const result = await exporter.mutateAsync({ filter, format: fmt, path: target });
      await toastSuccess(`Exported ${result.rows.toLocaleString('en-US')} rows to ${result.path}`);
      return true;
    } catch (error) {
      if (!open) {
        await toastError(error, 'The export failed');
      }
      return false;
    }
  }

  async function nativeExport(fmt: Format): Promise<void> {
    try {
      const picked = await api['dialog.saveExport']({ suggestedName: suggestedName(fmt), format: fmt });
      if (picked.path !== null) {
        await run(fmt, picked.path);
      }
    } catch (error) {
      await toastError(error, 'The export failed');
    }
  }

  function openDialog(): void {
    exporter.reset();
    setFormat('csv');
    setPath(info === undefined ? suggestedName('csv') : joinPath(info.defaultCaseDir, suggestedName('csv'), info.platform));
    setOpen(true);
  }

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (path.trim() !== '' && (await run(format, path.trim()))) {
      setOpen(false);
    }
  }

  if (info?.nativeDialogs === true) {
    return (
      <PopoverNext
        placement="bottom-end"
        arrow={false}
        animation="minimal"
        content={
          <Menu size="small" aria-label="Export">
            <MenuItem icon="th" text="CSV…" onClick={() => void nativeExport('csv')} />
            <MenuItem icon="code" text="JSON Lines…" onClick={() => void nativeExport('jsonl')} />
          </Menu>
        }
      >
        <Button size="small" icon="export" text="Export" endIcon="caret-down" loading={exporter.isPending} />
      </PopoverNext>
    );
  }
  return (
    <>
      <Button size="small" icon="export" text="Export…" onClick={openDialog} data-testid="export-button" />
      <Dialog isOpen={open} title="Export the current view" icon="export" onClose={() => setOpen(false)}>
        <form onSubmit={(e) => void submit(e)} aria-label="Export">
          <DialogBody>
            <RadioGroup
              inline
              label="Format"
              selectedValue={format}
              onChange={(e) => {
                const next = e.currentTarget.value === 'jsonl' ? 'jsonl' : 'csv';
                setFormat(next);
                setPath((p) => withExtension(p, next));
              }}
            >
              <Radio label="CSV" value="csv" />
              <Radio label="JSON Lines" value="jsonl" />
            </RadioGroup>
            <FormGroup label="Export file" labelFor="timeline-export-path" helperText="A new file: Dossier never overwrites one. Every row of the view is written, with provenance.">
              <InputGroup id="timeline-export-path" className="dossier-mono" value={path} onChange={(e) => setPath(e.target.value)} />
            </FormGroup>
            <ErrorCallout error={exporter.error} title="The export failed" />
          </DialogBody>
          <DialogFooter
            actions={
              <>
                <Button text="Cancel" onClick={() => setOpen(false)} />
                <Button type="submit" intent="primary" icon="export" text="Export" loading={exporter.isPending} disabled={path.trim() === ''} />
              </>
            }
          />
        </form>
      </Dialog>
    </>
  );
}
