/**
 * The report as data: everything the chosen sections show, read once through the `ReportInputs`
 * port. The HTML renderer is a pure function of this model, so tests can build it from fakes.
 */
import type { ReportOptions, ReportSectionId } from '../../../shared/api/methods/reports';
import type { EvidenceItem } from '../../../shared/domain/evidence';
import type { Finding } from '../../../shared/domain/findings';
import type { Hypothesis, Note } from '../../../shared/domain/hypotheses';
import { renderCharts, type RenderedChart } from './charts';
import type { KeyEvent, ReportCaseInfo, ReportInputs } from './report-inputs';

export type ReportModel = Readonly<{
  sections: ReadonlyArray<ReportSectionId>;
  paper: ReportOptions['paper'];
  classification: string;
  caseInfo: ReportCaseInfo;
  generatedUtc: string;
  appVersion: string;
  generatedBy: string;
  summaryNote: Note | null;
  evidence: ReadonlyArray<EvidenceItem>;
  findings: ReadonlyArray<Finding>;
  findingsScope: ReportOptions['findings'];
  hypotheses: ReadonlyArray<Hypothesis>;
  keyEvents: Readonly<{ rows: ReadonlyArray<KeyEvent>; total: number }>;
  charts: ReadonlyArray<RenderedChart>;
  notes: ReadonlyArray<Note>;
  audit: Readonly<{ length: number; headHash: string; ok: boolean; reason: string | null }>;
}>;

export type ReportMeta = Readonly<{ appVersion: string; generatedBy: string; now: Date }>;

function wants(options: ReportOptions, ...ids: ReportSectionId[]): boolean {
  return ids.some((id) => options.sections.includes(id));
}

function findingInScope(f: Finding, scope: ReportOptions['findings']): boolean {
  switch (scope) {
    case 'confirmed':
      return f.review === 'confirmed';
    case 'not_false_positive':
      return f.review !== 'false_positive';
    case 'all':
      return true;
  }
}

/** Reads what the chosen sections need (and only that: a report without charts draws none). */
export async function loadReportModel(inputs: ReportInputs, options: ReportOptions, meta: ReportMeta): Promise<ReportModel> {
  const caseInfo = await inputs.caseInfo();
  const needNotes = wants(options, 'notes', 'summary');
  const notes = needNotes ? await inputs.notes() : [];
  const audit = await inputs.audit();
  const findings = wants(options, 'findings') ? (await inputs.findings()).filter((f) => findingInScope(f, options.findings)) : [];
  return {
    sections: options.sections,
    paper: options.paper,
    classification: options.classification ?? caseInfo.classification,
    caseInfo,
    generatedUtc: meta.now.toISOString(),
    appVersion: meta.appVersion,
    generatedBy: meta.generatedBy,
    summaryNote: options.summaryNoteId === null ? null : (notes.find((n) => n.id === options.summaryNoteId) ?? null),
    evidence: wants(options, 'evidence', 'cover') ? await inputs.evidence() : [],
    findings,
    findingsScope: options.findings,
    hypotheses: wants(options, 'hypotheses') ? await inputs.hypotheses() : [],
    keyEvents: wants(options, 'key_events') ? await inputs.keyEvents(options.keyEventLimit) : { rows: [], total: 0 },
    charts: wants(options, 'charts') ? await renderCharts(inputs.charts, options.charts, { caseInfo, zone: caseInfo.timeZone }) : [],
    notes: wants(options, 'notes') ? notes : [],
    audit: { length: audit.length, headHash: audit.headHash, ok: audit.ok, reason: audit.reason },
  };
}
