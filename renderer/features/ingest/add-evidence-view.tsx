import './ingest.css';
import { Button, Callout, Classes, FormGroup, H5, InputGroup, NonIdealState, Spinner } from '@blueprintjs/core';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { CaseSummary } from '../../../shared/domain/case';
import { useApi } from '../../app/api-context';
import { ErrorCallout } from '../../components/error-callout';
import { TimeZonePicker } from '../../components/time-zone-picker';
import { useTimeZones } from '../cases/use-cases';
import { buildFileSettings, type Overrides } from './file-overrides';
import { formatBytes, formatCount } from './format-progress';
import { ScanPreview } from './scan-preview';
import { useIngestFormats, useScanFolder, useStartIngest } from './use-ingest';

type Props = Readonly<{
  summary: CaseSummary;
  nativeDialogs: boolean;
  /** A folder already chosen (native dialog): scanned at once. */
  initialFolder: string | null;
  onCancel: () => void;
  onStarted: () => void;
}>;

/**
 * "Add evidence": choose the case folder, look at what Dossier found in it (read-only scan), adjust
 * formats and zones per file, then start the ingest (which runs in the background).
 */
export function AddEvidenceView({ summary, nativeDialogs, initialFolder, onCancel, onStarted }: Props) {
  const id = useId();
  const api = useApi();
  const zones = useTimeZones();
  const formats = useIngestFormats();
  const scan = useScanFolder();
  const start = useStartIngest(summary.path);
  const [folder, setFolder] = useState(initialFolder ?? '');
  const [defaultZone, setDefaultZone] = useState(summary.timeZone);
  const [overrides, setOverrides] = useState<Overrides>({});
  const [pickError, setPickError] = useState<unknown>(null);
  const [submitted, setSubmitted] = useState(false);
  const autoScanned = useRef(false);

  useEffect(() => {
    if (initialFolder !== null && !autoScanned.current) {
      autoScanned.current = true;
      scan.mutate(initialFolder);
    }
  }, [initialFolder, scan]);

  const result = scan.data;
  const built = buildFileSettings(overrides);
  const readable = result?.files.filter((f) => f.kind === 'file') ?? [];
  const already = readable.filter((f) => f.alreadyInCase).length;

  function runScan(path: string): void {
    setOverrides({});
    setSubmitted(false);
    start.reset();
    scan.mutate(path);
  }

  function submitFolder(e: FormEvent): void {
    e.preventDefault();
    if (folder.trim() !== '' && !scan.isPending) {
      runScan(folder.trim());
    }
  }

  async function choose(): Promise<void> {
    setPickError(null);
    try {
      const picked = await api['dialog.pickFolder']({});
      if (picked.path !== null) {
        setFolder(picked.path);
        runScan(picked.path);
      }
    } catch (error) {
      setPickError(error);
    }
  }

  function startIngest(): void {
    setSubmitted(true);
    if (result === undefined || !built.ok || start.isPending) {
      return;
    }
    start.mutate(
      { folder: result.root, timeZone: defaultZone, ...(Object.keys(built.files).length > 0 ? { files: built.files } : {}) },
      { onSuccess: () => onStarted() },
    );
  }

  return (
    <div className="dossier-add-evidence" data-testid="add-evidence">
      <div className="dossier-toolbar">
        <Button icon="arrow-left" variant="minimal" text="Back to evidence" onClick={onCancel} />
        <H5 className="dossier-toolbar-title">Add evidence</H5>
      </div>
      <form onSubmit={submitFolder} aria-label="Evidence folder" className="dossier-folder-form" noValidate>
        <FormGroup
          label="Case folder"
          labelFor={`${id}-folder`}
          helperText="The folder with the collected logs (or a UAC collection). Dossier reads it and never writes to it."
        >
          <div className="dossier-folder-row">
            <InputGroup
              id={`${id}-folder`}
              className="dossier-mono"
              value={folder}
              placeholder="/evidence/web01"
              spellCheck={false}
              autoFocus={initialFolder === null}
              onChange={(e) => setFolder(e.target.value)}
              rightElement={nativeDialogs ? <Button variant="minimal" text="Choose…" onClick={() => void choose()} /> : undefined}
            />
            <Button type="submit" icon="search-template" text="Scan" loading={scan.isPending} disabled={folder.trim() === ''} />
          </div>
        </FormGroup>
      </form>
      <ErrorCallout error={pickError ?? scan.error} title="The folder could not be scanned" />
      {scan.isPending ? <Spinner size={24} /> : null}
      {result !== undefined && !scan.isPending ? (
        result.files.length === 0 ? (
          <NonIdealState icon="folder-open" title="Nothing to ingest" description="The folder holds no files." />
        ) : (
          <>
            <div className="dossier-preview-head">
              <span data-testid="scan-summary">
                <strong>{formatCount(readable.length)}</strong> files, {formatBytes(result.totalBytes)} in <span className="dossier-mono">{result.root}</span>
                {result.uac ? ' · UAC collection' : ''}
                {already > 0 ? ` · ${formatCount(already)} already in the case (skipped)` : ''}
              </span>
              <FormGroup label="Default zone" labelFor={`${id}-zone`} inline className="dossier-default-zone" helperText="for wall-clock times without an offset">
                <TimeZonePicker id={`${id}-zone`} value={defaultZone} zones={zones.data ?? [defaultZone]} onChange={setDefaultZone} disabled={zones.isPending} />
              </FormGroup>
            </div>
            <ScanPreview
              files={result.files}
              formats={formats.data ?? []}
              overrides={overrides}
              defaultZone={defaultZone}
              zones={zones.data ?? [defaultZone]}
              onChange={setOverrides}
            />
            {submitted && !built.ok ? (
              <Callout compact intent="danger" icon="error" role="alert" title="A LogFormat is missing">
                Enter the Apache LogFormat string for: {built.missingLogFormat.join(', ')}
              </Callout>
            ) : null}
            <ErrorCallout error={formats.error ?? start.error} title="The ingest did not start" />
            <div className="dossier-form-actions">
              <span className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL} dossier-grow`}>
                The scan read at most 64 KiB of each file; the ingest reads everything, hashes every file and can be cancelled.
              </span>
              <Button text="Cancel" onClick={onCancel} disabled={start.isPending} />
              <Button intent="primary" icon="import" text="Start ingest" loading={start.isPending} onClick={startIngest} disabled={readable.length === 0} />
            </div>
          </>
        )
      ) : null}
    </div>
  );
}
