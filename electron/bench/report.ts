/**
 * Report benchmark (`node scripts/bench-report.mjs --size 5m`): the full report (every section, the
 * histogram chart, 500 key events of 2,000 tagged and starred, 20 hypotheses, 50 findings, 20 notes
 * through the ReportInputs port) of a large case, as HTML and as PDF through Chromium. Prints JSON.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ReportOptions } from '../../shared/api/methods/reports';
import type { Finding } from '../../shared/domain/findings';
import type { Hypothesis, Note } from '../../shared/domain/hypotheses';
import { closeCaseFile, createCaseFile } from '../db/case-file';
import { createBackend } from '../services/registry/create-handlers';
import { chromiumPdfPrinter } from '../services/report/pdf-chromium';
import { ReportService } from '../services/report/report-service';
import { inProcessIngestPort } from '../workers/ingest/ingest-port';
import { runIngestJob } from '../workers/ingest/run-ingest-job';

const [folder, casePath, outDir] = process.argv.slice(2);
if (folder === undefined || casePath === undefined || outDir === undefined) {
  console.error('usage: report.js <log-folder> <case.dossier> <out-dir>');
  process.exit(2);
}

const now = '2024-03-16T12:00:00.000Z';
const notes: Note[] = Array.from({ length: 20 }, (_, i) => ({
  id: i + 1, title: `Note ${i + 1}`, body: `## Observations\n\n- item one\n- item **two**\n\n${'Some analysis text. '.repeat(40)}`, folder: 'bench', author: 'bench', createdUtc: now, updatedUtc: now,
}));
const hypotheses: Hypothesis[] = Array.from({ length: 20 }, (_, i) => ({
  id: i + 1, statement: `Hypothesis ${i + 1}: the attacker did thing ${i}`, rationale: 'Because of the logs.', status: (['open', 'supported', 'refuted', 'inconclusive'] as const)[i % 4] ?? 'open',
  confidence: 50, author: 'bench', createdUtc: now, updatedUtc: now,
  predictions: Array.from({ length: 3 }, (_, j) => ({ id: i * 10 + j, hypothesisId: i + 1, statement: `Prediction ${j}`, viewId: j, viewName: `view ${j}`, expectation: { kind: 'at_least_one' as const }, count: j * 10, result: j === 0 ? ('not_met' as const) : ('met' as const) })),
  evidence: Array.from({ length: 4 }, (_, j) => ({ id: i * 10 + j, hypothesisId: i + 1, targetKind: 'event' as const, targetId: String(j + 1), label: `event ${j}`, stance: j % 2 === 0 ? ('supports' as const) : ('refutes' as const), comment: '', createdUtc: now, author: 'bench' })),
}));
const findings: Finding[] = Array.from({ length: 50 }, (_, i) => ({
  id: i + 1, rule: 'web.scan', title: `Finding ${i + 1}`, description: 'Many requests.', category: 'web_attack', severity: 'medium', first: Date.parse(now), last: Date.parse(now) + 60_000,
  count: 100 + i, srcIps: ['203.0.113.7'], users: [], review: 'confirmed', reviewComment: '', sampleEventIds: [],
}));

async function main(): Promise<void> {
  if (!existsSync(casePath as string)) {
    const open = createCaseFile({ path: casePath as string, name: 'report bench', number: 'BENCH-5M', examiner: 'bench', description: '', timeZone: 'UTC', classification: 'TLP:CLEAR', actor: 'bench', appVersion: 'bench' });
    closeCaseFile(open);
    const t = performance.now();
    const s = await runIngestJob({ dbPath: casePath as string, options: { root: folder as string, timeZone: 'UTC' } });
    console.error(`ingested ${s.lines} lines in ${Math.round(performance.now() - t)} ms`);
  }
  const backend = createBackend({
    appVersion: 'bench', transport: 'http', nativeDialogs: false, userDataDir: join(outDir as string, 'ud'), defaultCaseDir: '/tmp',
    sampleEvidenceDir: null, osUser: 'bench', emit: () => undefined, now: () => new Date(), ingest: inProcessIngestPort(),
  });
  backend.session.open(casePath as string);
  const db = backend.session.requireOpen().db;
  const events = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  const marked = (db.prepare('SELECT count(*) AS n FROM event_stars').get() as { n: number }).n;
  if (marked === 0) {
    const ids = (db.prepare('SELECT id FROM events WHERE id % ? = 0 LIMIT 2000').all(Math.max(1, Math.floor(events / 2000))) as Array<{ id: number }>).map((r) => r.id);
    backend.handlers['events.tag']({ ids, tag: 'bench', on: true });
    backend.handlers['events.star']({ ids: ids.slice(0, 1000), on: true });
  }
  const reports = new ReportService(backend.session, {
    appVersion: 'bench', now: () => new Date(), printer: chromiumPdfPrinter(),
    overrides: { notes: () => notes, hypotheses: () => hypotheses, findings: () => findings },
  });
  const options = ReportOptions.parse({ summaryNoteId: 1 });
  const stamp = Date.now();
  const timed = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
    const t = performance.now();
    const v = await fn();
    return [Math.round(performance.now() - t), v];
  };
  const [modelMs] = await timed(() => reports.model(options));
  const [previewMs, preview] = await timed(() => reports.preview(options));
  const [htmlMs, html] = await timed(() => reports.save(options, 'html', join(outDir as string, `bench-${stamp}.html`)));
  const [pdfMs, pdf] = await timed(() => reports.save(options, 'pdf', join(outDir as string, `bench-${stamp}.pdf`)));
  await backend.dispose();
  console.log(JSON.stringify({
    bench: 'report', events, sections: options.sections, keyEventLimit: options.keyEventLimit,
    modelMs, previewMs, previewBytes: preview.html.length, htmlMs, htmlBytes: html.bytes, pdfMs, pdfBytes: pdf.bytes, targetMs: 10_000, pass: pdfMs < 10_000 && htmlMs < 10_000,
  }, null, 2));
}

void main();
