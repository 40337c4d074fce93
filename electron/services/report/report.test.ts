/**
 * Reports end to end through the service: the sample case plus a hostile log, hostile notes,
 * hypotheses and findings injected through the ReportInputs port, printed by Chromium. The PDF is
 * read back with pdftotext and the HTML loaded in Chromium to prove nothing in it is markup or code.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportOptions } from '../../../shared/api/methods/reports';
import type { EvidenceItem } from '../../../shared/domain/evidence';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { inProcessIngestPort } from '../../workers/ingest/ingest-port';
import { createBackend, type Backend } from '../registry/create-handlers';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumPdfPrinter } from './pdf-chromium';
import { ReportService } from './report-service';
import { ANSI_SHOWN, HOSTILE, HOSTILE_HYPOTHESES, HOSTILE_OVERRIDES } from './testing/hostile-inputs';

const SAMPLE = resolve(__dirname, '../../../resources/sample-case');

function pdfText(path: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
}
const squash = (s: string): string => s.replace(/\s+/gu, '');
const oneLine = (s: string): string => s.replace(/\s+/gu, ' ');

describe('report service', () => {
  let tmp: TempDir;
  let backend: Backend;
  let reports: ReportService;
  let evidence: EvidenceItem[];
  let hostileEventIds: number[];

  beforeAll(async () => {
    tmp = makeTempDir();
    const ports = {
      appVersion: '9.9.9-test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir, sampleEvidenceDir: SAMPLE,
      osUser: 'tester', emit: () => undefined, now: () => new Date(), ingest: inProcessIngestPort(),
    } as const;
    backend = createBackend(ports);
    backend.session.create({ path: tmp.file('r.dossier'), name: 'Report test 案件', number: 'RT-9', examiner: 'Ada', description: `Described ${HOSTILE.script}`, timeZone: 'Europe/Berlin', classification: 'TLP:AMBER' });
    await backend.ingest.runAndWait(SAMPLE, 'Europe/Berlin', {});
    const hostileDir = tmp.file('hostile');
    mkdirSync(hostileDir);
    writeFileSync(
      `${hostileDir}/app.log`,
      [
        `2024-03-16T10:00:00Z upload ${HOSTILE.script}`,
        `2024-03-16T10:00:01Z referer ${HOSTILE.img}`,
        `2024-03-16T10:00:02Z css ${HOSTILE.style}`,
        `2024-03-16T10:00:03Z term ${HOSTILE.ansi}`,
        `2024-03-16T10:00:04Z cjk ${HOSTILE.cjk}`,
        `2024-03-16T10:00:05Z GET ${HOSTILE.url}`,
      ].join('\n') + '\n',
    );
    await backend.ingest.runAndWait(hostileDir, 'UTC', {});
    const db = backend.session.requireOpen().db;
    hostileEventIds = (db.prepare("SELECT e.id FROM events e JOIN evidence v ON v.id = e.evidence_id WHERE v.rel_path = 'app.log' ORDER BY e.id").all() as Array<{ id: number }>).map((r) => r.id);
    backend.handlers['events.tag']({ ids: hostileEventIds, tag: 'hostile', on: true });
    backend.handlers['events.star']({ ids: hostileEventIds.slice(0, 2), on: true });
    backend.handlers['events.comment']({ id: hostileEventIds[0] ?? 0, body: `comment ${HOSTILE.img}` });
    evidence = backend.ingest.listEvidence();
    reports = new ReportService(backend.session, { appVersion: '9.9.9-test', now: () => new Date(), printer: chromiumPdfPrinter(), overrides: HOSTILE_OVERRIDES });
  }, 120_000);

  afterAll(async () => {
    await backend.dispose();
    tmp.cleanup();
  });

  it('the model reads the case, the injected areas, and only confirmed findings by default', async () => {
    const model = await reports.model(ReportOptions.parse({ summaryNoteId: 7 }));
    expect(model.caseInfo.name).toBe('Report test 案件');
    expect(model.evidence.length).toBe(evidence.length);
    expect(model.findings.map((f) => f.id)).toEqual([1]);
    expect(model.hypotheses).toHaveLength(2);
    expect(hostileEventIds).toHaveLength(6);
    expect(model.keyEvents.total).toBe(6);
    expect(model.summaryNote?.id).toBe(7);
    const byId = new Map(model.charts.map((c) => [c.id, c]));
    expect(byId.get('histogram')?.svg).toMatch(/^<svg/u);
    expect(byId.get('hostile-svg')?.svg).toBeNull();
    expect(byId.get('plain-svg')?.svg).toMatch(/#123456/u);
    const all = await reports.model(ReportOptions.parse({ findings: 'all', sections: ['findings'] }));
    expect(all.findings).toHaveLength(2);
    expect(all.charts).toEqual([]);
  });

  it('the PDF shows the case, every evidence hash, each hypothesis with its status, the audit head, and hostile text literally', async () => {
    const before = backend.session.verifyAudit();
    const saved = await reports.save(ReportOptions.parse({ summaryNoteId: 7 }), 'pdf', tmp.file('report.pdf'));
    expect(saved.auditHeadHash).toBe(before.headHash);
    const bytes = readFileSync(saved.path);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(saved.sha256);
    const text = pdfText(saved.path);
    const flat = oneLine(text);
    expect(flat).toContain('Report test 案件');
    expect(flat).toContain('TLP:AMBER');
    expect(text).toContain(before.headHash);
    for (const e of evidence) {
      expect(text).toContain(e.sha256 ?? e.contentSha256 ?? 'missing hash');
    }
    for (const h of HOSTILE_HYPOTHESES) {
      expect(flat).toContain(`H${h.id}. ${h.statement}`);
      expect(flat).toContain(`Status: ${h.status}`);
    }
    for (const literal of [HOSTILE.script, HOSTILE.img, HOSTILE.style, ANSI_SHOWN, HOSTILE.cjk]) {
      expect(flat).toContain(literal);
    }
    expect(squash(text)).toContain(squash(HOSTILE.url).slice(0, 2000));
    expect(flat).toMatch(/Page 1 of \d+/u);
    // The contents give each section's page, and the section starts on that page.
    const pages = text.split('\f');
    const contents = pages.find((p) => p.includes('Contents')) ?? '';
    const listed = [...contents.matchAll(/^\d+\. (Executive summary|Evidence|Findings|Hypotheses|Key events|Charts|Notes|Appendix)\s+(\d+)$/gmu)];
    expect(listed.map((m) => m[1])).toEqual(['Executive summary', 'Evidence', 'Findings', 'Hypotheses', 'Key events', 'Charts', 'Notes', 'Appendix']);
    let previous = 0;
    for (const [, label, page] of listed) {
      const n = Number(page);
      expect(n, label).toBeGreaterThan(previous);
      previous = n;
      expect(pages[n - 1]?.split('\n').some((line) => line.trim() === label), `${label} starts on page ${n}`).toBe(true);
    }
    // Generating it is audited, with the head it shows and the file's hash.
    const last = backend.session.listAudit(1).entries[0];
    expect(last?.action).toBe('report.generate');
    expect(JSON.parse(last?.details ?? '{}')).toMatchObject({ format: 'pdf', sha256: saved.sha256, auditHeadHash: before.headHash });
  }, 120_000);

  it('the HTML holds no script, no handler and no image, and runs nothing in a browser', async () => {
    const saved = await reports.save(ReportOptions.parse({ summaryNoteId: 7 }), 'html', tmp.file('report.html'));
    const html = readFileSync(saved.path, 'utf8');
    expect(html).toContain('Content-Security-Policy');
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
    try {
      // JavaScript on in this context on purpose: the document must run nothing even then.
      const page = await browser.newPage();
      const happened: string[] = [];
      page.on('dialog', (d) => {
        happened.push(`dialog ${d.message()}`);
        void d.dismiss();
      });
      page.on('console', (m) => happened.push(`console ${m.text()}`));
      page.on('pageerror', (e) => happened.push(`error ${e.message}`));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) {
          happened.push(`request ${r.url()}`);
        }
      });
      await page.goto(`file://${saved.path}`);
      // A string, so the Node-typed test needs no DOM types; it runs in the page.
      const dom = (await page.evaluate(`(() => {
        const all = [...document.querySelectorAll('*')];
        return {
          scripts: document.querySelectorAll('script').length,
          images: document.querySelectorAll('img, image, iframe, object, embed').length,
          handlers: all.flatMap((el) => [...el.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => el.tagName + '.' + a.name)),
          hrefs: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
          text: document.body.textContent ?? '',
          styles: document.querySelectorAll('style').length,
          styleAttributes: document.querySelectorAll('[style]').length,
        };
      })()`)) as { scripts: number; images: number; handlers: string[]; hrefs: Array<string | null>; text: string; styles: number; styleAttributes: number };
      expect(dom.scripts).toBe(0);
      expect(dom.images).toBe(0);
      expect(dom.handlers).toEqual([]);
      expect(dom.styles).toBe(2);
      expect(dom.styleAttributes).toBe(0);
      expect(dom.hrefs.every((h) => h !== null && h.startsWith('#sec-'))).toBe(true);
      for (const literal of [HOSTILE.script, HOSTILE.img, HOSTILE.style, ANSI_SHOWN, HOSTILE.cjk, HOSTILE.url]) {
        expect(dom.text).toContain(literal);
      }
      await page.waitForTimeout(300);
      expect(happened).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('never overwrites a file, and refuses PDF where no printer is available', async () => {
    const path = tmp.file('exists.html');
    writeFileSync(path, 'keep');
    await expect(reports.save(ReportOptions.parse({}), 'html', path)).rejects.toThrow(/already exists/u);
    expect(readFileSync(path, 'utf8')).toBe('keep');
    const noPrinter = new ReportService(backend.session, { appVersion: 'x', now: () => new Date(), printer: null });
    await expect(noPrinter.save(ReportOptions.parse({}), 'pdf', tmp.file('none.pdf'))).rejects.toThrow(/not available/u);
  });

  it('letter paper gives letter-sized pages; sections follow the chosen order', async () => {
    const saved = await reports.save(ReportOptions.parse({ paper: 'letter', sections: ['appendix', 'evidence'] }), 'pdf', tmp.file('letter.pdf'));
    const info = execFileSync('pdfinfo', [saved.path], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+612 x 792/u);
    const text = oneLine(pdfText(saved.path));
    expect(text.indexOf('Appendix')).toBeLessThan(text.indexOf('Every file read into the case'));
    expect(text).not.toContain('Key events');
  }, 120_000);
});
