import { Button, Callout, FormGroup, InputGroup } from '@blueprintjs/core';
import { useId, useState, type FormEvent } from 'react';
import type { EvidenceItem, EvidenceUpdate } from '../../../shared/domain/evidence';
import { ErrorCallout } from '../../components/error-callout';
import { TimeZonePicker } from '../../components/time-zone-picker';
import { toastSuccess } from '../../app/toaster';
import { useTimeZones } from '../cases/use-cases';
import { formatClockOffset, parseClockOffset } from './clock-offset';
import { yearReasonLabel } from './evidence-labels';
import { useUpdateEvidence } from './use-evidence';

type Props = Readonly<{ item: EvidenceItem; casePath: string; ingestRunning: boolean }>;

function parseYear(text: string): { ok: true; year: number } | { ok: false; error: string } {
  const t = text.trim();
  if (!/^\d{4}$/u.test(t) || Number(t) < 1970 || Number(t) > 2100) {
    return { ok: false, error: 'A year from 1970 to 2100.' };
  }
  return { ok: true, year: Number(t) };
}

/**
 * Per-evidence timing: the zone of its wall-clock times, a clock offset, and (for year-less formats)
 * the year. Saving re-times the evidence's events without re-ingest; only what changed is sent.
 */
export function RetimeForm({ item, casePath, ingestRunning }: Props) {
  const id = useId();
  const zones = useTimeZones();
  const update = useUpdateEvidence(casePath);
  const [zone, setZone] = useState(item.timeZone);
  const [offsetText, setOffsetText] = useState(formatClockOffset(item.clockOffsetMs));
  const [yearText, setYearText] = useState(item.yearBase === null ? '' : String(item.yearBase));

  const offset = parseClockOffset(offsetText);
  const year = item.yearBase === null ? null : parseYear(yearText);
  const patch: EvidenceUpdate = { id: item.id };
  if (zone !== item.timeZone) {
    patch.timeZone = zone;
  }
  if (offset.ok && offset.ms !== item.clockOffsetMs) {
    patch.clockOffsetMs = offset.ms;
  }
  if (year !== null && year.ok && year.year !== item.yearBase) {
    patch.year = year.year;
  }
  const invalid = !offset.ok || (year !== null && !year.ok);
  const dirty = Object.keys(patch).length > 1;

  function submit(e: FormEvent): void {
    e.preventDefault();
    if (invalid || !dirty || update.isPending) {
      return;
    }
    update.mutate(patch, {
      onSuccess: (after) => {
        setOffsetText(formatClockOffset(after.clockOffsetMs));
        void toastSuccess('Evidence re-timed');
      },
    });
  }

  function reset(): void {
    setZone(item.timeZone);
    setOffsetText(formatClockOffset(item.clockOffsetMs));
    setYearText(item.yearBase === null ? '' : String(item.yearBase));
    update.reset();
  }

  return (
    <form onSubmit={submit} aria-label="Evidence timing" className="dossier-form" noValidate>
      <FormGroup label="Time zone" labelFor={`${id}-zone`} helperText="The zone of the wall-clock times written in this file.">
        <TimeZonePicker id={`${id}-zone`} value={zone} zones={zones.data ?? [zone]} onChange={setZone} disabled={zones.isPending} />
      </FormGroup>
      <FormGroup
        label="Clock offset"
        labelFor={`${id}-offset`}
        intent={offset.ok ? 'none' : 'danger'}
        helperText={offset.ok ? "A correction added to every time in this file (for a clock known to be wrong). ±HH:MM:SS[.mmm] or seconds." : offset.error}
      >
        <InputGroup
          id={`${id}-offset`}
          className="dossier-mono"
          value={offsetText}
          spellCheck={false}
          intent={offset.ok ? 'none' : 'danger'}
          placeholder="+00:00:00"
          onChange={(e) => setOffsetText(e.target.value)}
        />
      </FormGroup>
      {item.yearBase !== null ? (
        <FormGroup
          label="Year"
          labelFor={`${id}-year`}
          intent={year?.ok === false ? 'danger' : 'none'}
          helperText={year?.ok === false ? year.error : `The file's timestamps have no year; now ${yearReasonLabel(item.yearReason)}.`}
        >
          <InputGroup id={`${id}-year`} value={yearText} inputMode="numeric" maxLength={4} intent={year?.ok === false ? 'danger' : 'none'} onChange={(e) => setYearText(e.target.value)} />
        </FormGroup>
      ) : null}
      {ingestRunning ? (
        <Callout compact intent="warning" icon="time">
          An ingest is running: re-timing waits until it ends.
        </Callout>
      ) : null}
      <ErrorCallout error={update.error} title="The evidence was not re-timed" />
      <div className="dossier-form-actions">
        <Button text="Reset" onClick={reset} disabled={update.isPending || (!dirty && offsetText === formatClockOffset(item.clockOffsetMs))} />
        <Button type="submit" intent="primary" icon="time" text="Apply" loading={update.isPending} disabled={invalid || !dirty || ingestRunning} />
      </div>
    </form>
  );
}
