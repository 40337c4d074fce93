import { Button, Classes, HTMLSelect, InputGroup, Tag } from '@blueprintjs/core';
import { useRef } from 'react';
import type { ScannedFile } from '../../../shared/domain/evidence';
import { TimeZonePicker } from '../../components/time-zone-picker';
import { formatLabel, humanize, shortFormatLabel, type FormatOption } from '../evidence/evidence-labels';
import { useVirtualRows } from '../evidence/virtual-rows';
import { formatBytes, formatCount, formatPercent } from './format-progress';
import { CUSTOM_FORMAT, canOverride, withOverride, type Overrides } from './file-overrides';

const ROW_HEIGHT = 40;
const EXAMPLE_LOG_FORMAT = '%h %l %u %t "%r" %>s %b';

/** What kind of entry the scan found: the container for files, else the entry kind. */
function kindLabel(file: ScannedFile): string {
  if (file.kind !== 'file') {
    return humanize(file.kind.replace('_inside', ''));
  }
  return file.format === 'binary' ? 'binary' : file.container;
}

type RowProps = Readonly<{
  file: ScannedFile;
  formats: ReadonlyArray<FormatOption>;
  overrides: Overrides;
  defaultZone: string;
  zones: ReadonlyArray<string>;
  onChange: (next: Overrides) => void;
}>;

function PreviewRow({ file, formats, overrides, defaultZone, zones, onChange }: RowProps) {
  const o = overrides[file.path];
  const editable = canOverride(file);
  const custom = o?.format === CUSTOM_FORMAT;
  const missingLogFormat = custom && (o.logFormat ?? '').trim() === '';
  return (
    <tr data-testid="scan-row" data-path={file.path} data-format={file.format} data-kind={kindLabel(file)}>
      <td className="dossier-evidence-path" title={file.path}>
        {file.path}
        {file.uacArea !== null ? <span className={`${Classes.TEXT_MUTED} dossier-small`}> · UAC {file.uacArea}</span> : null}
      </td>
      <td>
        <Tag minimal className="dossier-small-tag" data-testid="scan-kind">
          {kindLabel(file)}
        </Tag>
      </td>
      <td className="dossier-num" title={`${formatCount(file.size)} bytes`}>
        {file.kind === 'file' ? formatBytes(file.size) : '—'}
      </td>
      <td className="dossier-detected-cell">
        <div className="dossier-ellipsis" title={formatLabel(file.format, formats)}>
          <span data-testid="scan-format">{shortFormatLabel(file.format, formats)}</span>
          {file.kind === 'file' ? <span className={`${Classes.TEXT_MUTED} dossier-small`}> {formatPercent(file.confidence)}</span> : null}
        </div>
        <div className={`${Classes.TEXT_MUTED} dossier-small dossier-ellipsis`} title={file.reason} data-testid="scan-reason">
          {file.reason}
        </div>
      </td>
      <td className="dossier-override-cell">
        {editable ? (
          <div className={custom ? 'dossier-override dossier-override-custom' : 'dossier-override'}>
            <HTMLSelect
              value={o?.format ?? ''}
              aria-label={`Format of ${file.path}`}
              onChange={(e) => onChange(withOverride(overrides, file.path, { format: e.target.value === '' ? undefined : e.target.value }))}
              options={[{ value: '', label: 'As detected' }, ...formats.map((f) => ({ value: f.id, label: f.label }))]}
            />
            {custom ? (
              <InputGroup
                size="small"
                className="dossier-mono dossier-logformat"
                value={o.logFormat ?? ''}
                placeholder={EXAMPLE_LOG_FORMAT}
                aria-label={`LogFormat of ${file.path}`}
                intent={missingLogFormat ? 'danger' : 'none'}
                title="The Apache LogFormat string the server wrote this file with"
                spellCheck={false}
                onChange={(e) => onChange(withOverride(overrides, file.path, { logFormat: e.target.value }))}
              />
            ) : null}
          </div>
        ) : (
          <span className={Classes.TEXT_DISABLED}>—</span>
        )}
      </td>
      <td className="dossier-zone-cell">
        {editable ? (
          <span className={o?.timeZone === undefined ? 'dossier-zone-default' : undefined}>
            <TimeZonePicker
              id={`zone-${file.path}`}
              value={o?.timeZone ?? defaultZone}
              zones={zones}
              onChange={(zone) => onChange(withOverride(overrides, file.path, { timeZone: zone === defaultZone ? undefined : zone }))}
            />
            {o?.timeZone !== undefined ? (
              <Button
                size="small"
                variant="minimal"
                icon="cross"
                aria-label={`Use the default zone for ${file.path}`}
                title="Use the default zone"
                onClick={() => onChange(withOverride(overrides, file.path, { timeZone: undefined }))}
              />
            ) : null}
          </span>
        ) : null}
      </td>
      <td>
        {file.alreadyInCase ? (
          <Tag minimal intent="primary" className="dossier-small-tag" data-testid="scan-already" htmlTitle="The same file (path, size, time) is already in the case: it is skipped">
            in case
          </Tag>
        ) : null}
      </td>
    </tr>
  );
}

type Props = Omit<RowProps, 'file'> & Readonly<{ files: ReadonlyArray<ScannedFile> }>;

/** The scanned folder, one row per entry, with per-file format and zone overrides. */
export function ScanPreview({ files, ...rest }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const windowed = useVirtualRows(files.length, scrollRef, ROW_HEIGHT);
  return (
    <div className="dossier-grid-scroll dossier-preview-scroll" ref={scrollRef}>
      <table className="dossier-grid dossier-preview-table" aria-label="Files found" data-testid="scan-preview">
        <colgroup>
          <col />
          <col style={{ width: 64 }} />
          <col style={{ width: 70 }} />
          <col />
          <col style={{ width: 230 }} />
          <col style={{ width: 190 }} />
          <col style={{ width: 60 }} />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Kind</th>
            <th scope="col" className="dossier-num">
              Size
            </th>
            <th scope="col">Detected format and why</th>
            <th scope="col">Read as</th>
            <th scope="col">Time zone</th>
            <th scope="col">In case</th>
          </tr>
        </thead>
        <tbody>
          {windowed.paddingTop > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={7} style={{ height: windowed.paddingTop, padding: 0, border: 'none' }} />
            </tr>
          ) : null}
          {windowed.indexes.map((i) => {
            const file = files[i];
            return file === undefined ? null : <PreviewRow key={file.path} file={file} {...rest} />;
          })}
          {windowed.paddingBottom > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={7} style={{ height: windowed.paddingBottom, padding: 0, border: 'none' }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
