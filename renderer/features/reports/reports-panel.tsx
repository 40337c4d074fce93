import { Button, ButtonGroup, Callout, Checkbox, Dialog, DialogBody, DialogFooter, FormGroup, HTMLSelect, InputGroup, NonIdealState, Radio, RadioGroup, Spinner } from '@blueprintjs/core';
import { useState, type FormEvent } from 'react';
import { REPORT_SECTION_LABELS, type ReportOptionsInput } from '../../../shared/api/methods/reports';
import { useApi } from '../../app/api-context';
import { toastError, toastSuccess } from '../../app/toaster';
import { ErrorCallout } from '../../components/error-callout';
import { useAppInfo } from '../cases/use-cases';
import type { SectionProps } from '../workspace/sections';
import { chartsOption, chosenSections, defaultChoices, isChartChosen, joinPath, moveChoice, reportFileName, toggleChart, toggleChoice, type ChartChoice, type SectionChoice } from './report-sections';
import { useExportPackage, useReportCharts, useReportPreview, useSaveReport, useSummaryNotes } from './use-reports';
import './reports.css';

type SaveKind = 'pdf' | 'html' | 'package';

const SAVE_TITLES: Readonly<Record<SaveKind, string>> = { pdf: 'Save the report as PDF', html: 'Save the report as HTML', package: 'Export a case package' };

function SectionList({ choices, onChange }: Readonly<{ choices: ReadonlyArray<SectionChoice>; onChange: (next: SectionChoice[]) => void }>) {
  return (
    <ol className="dossier-report-sections" aria-label="Report sections">
      {choices.map((c, i) => (
        <li key={c.id} data-testid="report-section-choice" data-section={c.id}>
          <Checkbox className="dossier-report-section-check" checked={c.on} label={REPORT_SECTION_LABELS[c.id]} onChange={(e) => onChange(toggleChoice(choices, c.id, e.currentTarget.checked))} />
          <ButtonGroup variant="minimal" size="small">
            <Button icon="arrow-up" aria-label={`Move ${REPORT_SECTION_LABELS[c.id]} up`} disabled={i === 0} onClick={() => onChange(moveChoice(choices, i, -1))} />
            <Button icon="arrow-down" aria-label={`Move ${REPORT_SECTION_LABELS[c.id]} down`} disabled={i === choices.length - 1} onClick={() => onChange(moveChoice(choices, i, 1))} />
          </ButtonGroup>
        </li>
      ))}
    </ol>
  );
}

function ChartList({ available, choice, onChange }: Readonly<{ available: ReadonlyArray<{ id: string; title: string }>; choice: ChartChoice; onChange: (next: ChartChoice) => void }>) {
  const ids = available.map((c) => c.id);
  return (
    <ul className="dossier-report-charts" aria-label="Report charts">
      {available.map((c) => (
        <li key={c.id} data-testid="report-chart-choice" data-chart={c.id}>
          <Checkbox checked={isChartChosen(choice, c.id)} label={c.title} onChange={(e) => onChange(toggleChart(choice, ids, c.id, e.currentTarget.checked))} />
        </li>
      ))}
    </ul>
  );
}

/** The report builder: sections and their order, paper, marking, summary note; a live preview; save as PDF or HTML; the case package. */
export function ReportsPanel({ summary }: SectionProps) {
  const api = useApi();
  const info = useAppInfo().data;
  const [choices, setChoices] = useState<SectionChoice[]>(defaultChoices);
  const [paper, setPaper] = useState<'a4' | 'letter'>('a4');
  const [classification, setClassification] = useState(summary.classification);
  const [findings, setFindings] = useState<'confirmed' | 'not_false_positive' | 'all'>('confirmed');
  const [summaryNoteId, setSummaryNoteId] = useState<number | null>(null);
  const [saving, setSaving] = useState<SaveKind | null>(null);
  const [path, setPath] = useState('');
  const [chartChoice, setChartChoice] = useState<ChartChoice>(null);
  const charts = useReportCharts(summary.path);

  const options: ReportOptionsInput = { sections: chosenSections(choices), paper, classification, findings, summaryNoteId, ...chartsOption(chartChoice) };
  const chartsOn = choices.some((c) => c.id === 'charts' && c.on);
  const preview = useReportPreview(summary.path, options);
  const notes = useSummaryNotes(summary.path);
  const save = useSaveReport();
  const pack = useExportPackage();

  async function runSave(kind: SaveKind, target: string): Promise<boolean> {
    try {
      if (kind === 'package') {
        const r = await pack.mutateAsync(target);
        await toastSuccess(`Case package written to ${r.folder}`);
      } else {
        const r = await save.mutateAsync({ format: kind, options, path: target });
        await toastSuccess(`Report saved to ${r.path} (SHA-256 ${r.sha256.slice(0, 16)}…)`);
      }
      return true;
    } catch (error) {
      if (saving === null) {
        await toastError(error, 'Saving failed');
      }
      return false;
    }
  }

  async function start(kind: SaveKind): Promise<void> {
    const name = kind === 'package' ? reportFileName(summary.name, 'package').replace(/ report /u, ' package ').replace(/\.package$/u, '') : reportFileName(summary.name, kind);
    if (info?.nativeDialogs === true) {
      try {
        if (kind === 'package') {
          const picked = await api['dialog.pickFolder']({});
          if (picked.path !== null) {
            await runSave(kind, joinPath(picked.path, name, info.platform));
          }
        } else {
          const picked = await api['dialog.saveExport']({ suggestedName: name, format: kind });
          if (picked.path !== null) {
            await runSave(kind, picked.path);
          }
        }
      } catch (error) {
        await toastError(error, 'Saving failed');
      }
      return;
    }
    save.reset();
    pack.reset();
    setPath(info === undefined ? name : joinPath(info.defaultCaseDir, name, info.platform));
    setSaving(kind);
  }

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (saving !== null && path.trim() !== '' && (await runSave(saving, path.trim()))) {
      setSaving(null);
    }
  }

  const busy = save.isPending || pack.isPending;
  return (
    <div className="dossier-report-builder" data-testid="reports-panel">
      <aside className="dossier-report-options" aria-label="Report options">
        <h2 className="dossier-report-heading">Report</h2>
        <FormGroup label="Sections" helperText="Tick the sections to include; the arrows set their order.">
          <SectionList choices={choices} onChange={setChoices} />
        </FormGroup>
        {chartsOn && charts.data !== undefined && (
          <FormGroup label="Charts" helperText={charts.data.length === 0 ? 'This case has nothing to chart yet.' : 'Drawn from the panels as vector graphics.'}>
            <ChartList available={charts.data} choice={chartChoice} onChange={setChartChoice} />
          </FormGroup>
        )}
        <RadioGroup inline label="Paper" selectedValue={paper} onChange={(e) => setPaper(e.currentTarget.value === 'letter' ? 'letter' : 'a4')}>
          <Radio label="A4" value="a4" />
          <Radio label="Letter" value="letter" />
        </RadioGroup>
        <FormGroup label="Classification marking" labelFor="report-classification" helperText="Printed at the top and bottom of every page.">
          <InputGroup id="report-classification" value={classification} maxLength={100} onChange={(e) => setClassification(e.target.value)} />
        </FormGroup>
        <FormGroup label="Findings" labelFor="report-findings">
          <HTMLSelect id="report-findings" value={findings} onChange={(e) => setFindings(e.currentTarget.value as typeof findings)} fill>
            <option value="confirmed">Confirmed findings</option>
            <option value="not_false_positive">All but false positives</option>
            <option value="all">All findings</option>
          </HTMLSelect>
        </FormGroup>
        {notes.data !== undefined && (
          <FormGroup label="Executive summary" labelFor="report-summary-note" helperText="The note shown as the executive summary.">
            <HTMLSelect id="report-summary-note" value={summaryNoteId ?? ''} onChange={(e) => setSummaryNoteId(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))} fill>
              <option value="">No summary note</option>
              {notes.data.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.folder !== '' ? `${n.folder} / ` : ''}
                  {n.title}
                </option>
              ))}
            </HTMLSelect>
          </FormGroup>
        )}
        <div className="dossier-report-actions">
          <Button intent="primary" icon="document" text="Save as PDF…" loading={busy && saving !== 'html'} disabled={options.sections?.length === 0} onClick={() => void start('pdf')} data-testid="report-save-pdf" />
          <Button icon="code" text="Save as HTML…" disabled={options.sections?.length === 0} onClick={() => void start('html')} data-testid="report-save-html" />
          <Button icon="box" text="Export case package…" onClick={() => void start('package')} data-testid="report-export-package" />
        </div>
        <Callout compact icon="info-sign" className="dossier-report-note">
          Saving a report is recorded in the audit log; the report shows the audit head hash at that moment.
        </Callout>
      </aside>
      <section className="dossier-report-preview" aria-label="Report preview">
        {preview.isPending && <Spinner size={24} />}
        <ErrorCallout error={preview.error} title="The preview failed" />
        {options.sections?.length === 0 && <NonIdealState icon="document" title="No section chosen" description="Tick at least one section." />}
        {preview.data !== undefined && options.sections?.length !== 0 && (
          // No scripts, no same origin, no forms, no navigation: sandbox="" with the document inline.
          <iframe className="dossier-report-frame" title="Report preview" sandbox="" srcDoc={preview.data.html} data-testid="report-preview" referrerPolicy="no-referrer" />
        )}
      </section>
      <Dialog isOpen={saving !== null} title={saving === null ? '' : SAVE_TITLES[saving]} icon="floppy-disk" onClose={() => setSaving(null)}>
        <form onSubmit={(e) => void submit(e)} aria-label="Save report">
          <DialogBody>
            <FormGroup label={saving === 'package' ? 'New folder for the package' : 'File'} labelFor="report-save-path" helperText="A new file or folder: Dossier never overwrites one.">
              <InputGroup id="report-save-path" className="dossier-mono" value={path} onChange={(e) => setPath(e.target.value)} />
            </FormGroup>
            <ErrorCallout error={saving === 'package' ? pack.error : save.error} title="Saving failed" />
          </DialogBody>
          <DialogFooter
            actions={
              <>
                <Button text="Cancel" onClick={() => setSaving(null)} />
                <Button type="submit" intent="primary" icon="floppy-disk" text="Save" loading={busy} disabled={path.trim() === ''} data-testid="report-save-submit" />
              </>
            }
          />
        </form>
      </Dialog>
    </div>
  );
}
