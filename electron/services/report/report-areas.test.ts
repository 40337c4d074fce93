/**
 * The report over a real case with every area plugged in (reportOverrides): the bundled sample case
 * ingested through the real engine, a note, a hypothesis with a prediction and linked evidence made
 * through the handlers, the detectors run and one finding confirmed. The HTML and the PDF (read back
 * with pdftotext) show them; the panels' charts are drawn as SVG; confirmed findings by default,
 * all of them when the analyst chooses.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportOptions } from '../../../shared/api/methods/reports';
import type { Hypothesis, Note } from '../../../shared/domain/hypotheses';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { inProcessIngestPort } from '../../workers/ingest/ingest-port';
import { createBackend, type Backend } from '../registry/create-handlers';
import { createReportService } from '../registry/handlers/reports';
import { chromiumPdfPrinter } from './pdf-chromium';
import type { ReportService } from './report-service';

const SAMPLE = resolve(__dirname, '../../../resources/sample-case');

const oneLine = (s: string): string => s.replace(/\s+/gu, ' ');
/** The text of one report section of the HTML (up to the next section). */
function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`<section id="sec-${id}"`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = html.indexOf('<section id="sec-', start + 10);
  return html.slice(start, end < 0 ? undefined : end);
}

describe('report with the merged areas on the sample case', () => {
  let tmp: TempDir;
  let backend: Backend;
  let reports: ReportService;
  let note: Note;
  let hyp: Hypothesis;
  let confirmedTitle: string;
  let otherTitles: string[];

  beforeAll(async () => {
    tmp = makeTempDir();
    const ports = {
      appVersion: '9.9.9-test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir, sampleEvidenceDir: SAMPLE,
      osUser: 'tester', emit: () => undefined, now: () => new Date(), ingest: inProcessIngestPort(), printPdf: chromiumPdfPrinter(),
    } as const;
    backend = createBackend(ports);
    backend.session.create({ path: tmp.file('s.dossier'), name: 'Sample areas', number: 'SA-1', examiner: 'Ada', description: '', timeZone: 'UTC', classification: 'TLP:GREEN' });
    const summary = await backend.ingest.runAndWait(SAMPLE, 'UTC', {});
    expect(summary.status).toBe('complete');
    const h = backend.handlers;
    note = await h['notes.create']({ title: 'Initial triage note', body: 'The **web shell** upload came first.', folder: 'triage' });
    const views = await h['views.save']({ name: 'Auth events', state: JSON.stringify({ v: 1, filter: { sourceKinds: ['auth'] }, zone: 'case', groupBy: 'sourceKind' }) });
    const view = views.find((v) => v.name === 'Auth events');
    hyp = await h['hypotheses.create']({ statement: 'The attacker came in through SSH brute force', rationale: 'Many failed logins before one accepted.', status: 'supported', confidence: 70 });
    hyp = await h['hypotheses.addPrediction']({ hypothesisId: hyp.id, statement: 'auth.log has events', viewId: view?.id ?? null, expectation: { kind: 'at_least_one' } });
    hyp = await h['hypotheses.link']({ hypothesisId: hyp.id, targetKind: 'note', targetId: String(note.id), label: 'triage note', stance: 'supports', comment: 'written at triage' });
    await h['findings.run']({});
    const listed = (await h['findings.list']({})).findings;
    expect(listed.length).toBeGreaterThanOrEqual(2);
    const first = listed[0];
    if (first === undefined) {
      throw new Error('no findings on the sample case');
    }
    await h['findings.review']({ id: first.id, review: 'confirmed', comment: 'checked by hand' });
    confirmedTitle = first.title;
    otherTitles = listed.filter((f) => f.id !== first.id && f.title !== first.title).map((f) => f.title);
    reports = createReportService(backend.session, ports);
  }, 180_000);

  afterAll(async () => {
    await backend.dispose();
    tmp.cleanup();
  });

  it('offers the panel charts the sample case can draw', async () => {
    const ids = (await reports.charts()).map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['histogram', 'workers-pid', 'restarts-vs-auth', 'tcp-state-mix', 'scoreboard-mix']));
  });

  it('the HTML shows the note, the hypothesis with its live prediction, the confirmed finding only, and the charts as SVG', async () => {
    const { html } = await reports.preview(ReportOptions.parse({ summaryNoteId: note.id }));
    const notes = oneLine(sectionOf(html, 'notes'));
    expect(notes).toContain('Initial triage note');
    expect(notes).toContain('<strong>web shell</strong>');
    const hyps = oneLine(sectionOf(html, 'hypotheses'));
    expect(hyps).toContain(`H${hyp.id}. The attacker came in through SSH brute force`);
    expect(hyps).toContain('Status: supported');
    expect(hyps).toContain('auth.log has events');
    expect(hyps).toMatch(/<td>met<\/td>/u);
    expect(hyps).toContain('written at triage');
    const findings = oneLine(sectionOf(html, 'findings'));
    expect(findings).toContain(confirmedTitle);
    expect(findings).toContain('checked by hand');
    for (const t of otherTitles) {
      expect(findings).not.toContain(t);
    }
    const charts = sectionOf(html, 'charts');
    for (const title of ['Apache worker PIDs over time', 'Apache restarts against auth.log commands', 'TCP state mix', 'Apache scoreboard state mix']) {
      const at = charts.indexOf(`<h3>${title}</h3>`);
      expect(at, title).toBeGreaterThan(0);
      const next = charts.indexOf('<svg', at);
      expect(next, title).toBeGreaterThan(at);
      // the drawing comes before the next chart's title
      expect(charts.slice(at + 4, next)).not.toMatch(/<h3/u);
    }
    expect(charts).not.toContain('Nothing to draw');
  }, 120_000);

  it('all findings when the analyst chooses', async () => {
    const model = await reports.model(ReportOptions.parse({ sections: ['findings'], findings: 'all' }));
    expect(model.findings.length).toBe((await backend.handlers['findings.list']({})).findings.length);
    expect(model.findings.map((f) => f.title)).toEqual(expect.arrayContaining([confirmedTitle, ...otherTitles]));
    const confirmed = await reports.model(ReportOptions.parse({ sections: ['findings'] }));
    expect(confirmed.findings.every((f) => f.review === 'confirmed')).toBe(true);
    expect(confirmed.findings.map((f) => f.title)).toContain(confirmedTitle);
  });

  it('the PDF shows the hypothesis, the note and the confirmed finding', async () => {
    const saved = await reports.save(ReportOptions.parse({ summaryNoteId: note.id }), 'pdf', tmp.file('areas.pdf'));
    const text = oneLine(execFileSync('pdftotext', ['-enc', 'UTF-8', saved.path, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    expect(text).toContain(`H${hyp.id}. The attacker came in through SSH brute force`);
    expect(text).toContain('Status: supported');
    expect(text).toContain('Initial triage note');
    expect(text).toContain(confirmedTitle);
    expect(text).toContain('Apache worker PIDs over time');
    expect(text).toContain('Apache restarts against auth.log commands');
  }, 120_000);

  it('a case without the panels\' data offers no panel chart, and the report reads the case open now', async () => {
    backend.session.create({ path: tmp.file('empty.dossier'), name: 'Empty', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '' });
    expect(await reports.charts()).toEqual([]);
    const model = await reports.model(ReportOptions.parse({}));
    expect(model.charts).toEqual([]);
    expect(model.notes).toEqual([]);
    expect(model.hypotheses).toEqual([]);
    expect(model.caseInfo.name).toBe('Empty');
  });
});
