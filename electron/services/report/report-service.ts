/**
 * Report use cases over the open case: preview (HTML, not audited), save as HTML or PDF (audited,
 * with the audit head hash the report shows and the SHA-256 of the file written).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DossierError } from '../../../shared/api/errors';
import type { ReportOptions, ReportPreview, ReportSaved } from '../../../shared/api/methods/reports';
import type { CaseSession } from '../case-session';
import { drawableCharts } from './charts';
import { reportFontFiles, reportFonts } from './fonts';
import { namedDestinationPages } from './pdf-dests';
import type { PdfPrinter } from './pdf-printer';
import { caseFileInputs, withInputs, type ReportInputOverrides, type ReportInputs } from './report-inputs';
import { loadReportModel, type ReportModel } from './report-model';
import { renderReportHtml, type FontFace } from './render-html';

export type ReportServiceDeps = Readonly<{
  appVersion: string;
  now: () => Date;
  /** null where this host cannot print (the UI then offers HTML only). */
  printer: PdfPrinter | null;
  /** Readers of the other areas (notes, hypotheses, findings, more charts). */
  overrides?: ReportInputOverrides;
  /** The bundled fonts: as data URLs for HTML files, as file URLs for printing. */
  fonts?: (use: 'html' | 'print') => ReadonlyArray<FontFace>;
}>;

/** Writes a new file; never replaces one (the same rule as every Dossier export). */
export function writeNewFile(path: string, data: string | Uint8Array, casePath: string): string {
  const target = resolve(path);
  if (existsSync(target)) {
    throw new DossierError('case_exists', `${target} already exists. Choose another name; Dossier never overwrites a file.`);
  }
  if (target.startsWith(casePath)) {
    throw new DossierError('bad_input', 'Choose a file outside the case file.');
  }
  const fd = openSync(target, 'wx');
  try {
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
  return target;
}

export class ReportService {
  readonly #session: CaseSession;
  readonly #deps: ReportServiceDeps;

  constructor(session: CaseSession, deps: ReportServiceDeps) {
    this.#session = session;
    this.#deps = deps;
  }

  get canPrint(): boolean {
    return this.#deps.printer !== null;
  }

  inputs(): ReportInputs {
    const open = this.#session.requireOpen();
    return withInputs(caseFileInputs(open.db, open.path), this.#deps.overrides ?? {});
  }

  /** The charts this case can draw (a chart whose data the case lacks is not offered). */
  async charts(): Promise<Array<{ id: string; title: string }>> {
    const inputs = this.inputs();
    const caseInfo = await inputs.caseInfo();
    return drawableCharts(inputs.charts, { caseInfo, zone: caseInfo.timeZone });
  }

  async model(options: ReportOptions): Promise<ReportModel> {
    return loadReportModel(this.inputs(), options, { appVersion: this.#deps.appVersion, generatedBy: this.#session.actor(), now: this.#deps.now() });
  }

  /** The HTML for the preview: the same document without the embedded fonts (smaller to ship to the UI). */
  async preview(options: ReportOptions): Promise<ReportPreview> {
    const model = await this.model(options);
    return { html: renderReportHtml(model, [], { preview: true }), auditLength: model.audit.length, auditHeadHash: model.audit.headHash };
  }

  async render(options: ReportOptions, format: 'html' | 'pdf'): Promise<{ model: ReportModel; bytes: Uint8Array }> {
    const model = await this.model(options);
    const fonts = this.#deps.fonts ?? ((use) => (use === 'html' ? reportFonts() : reportFontFiles()));
    if (format === 'html') {
      return { model, bytes: new TextEncoder().encode(renderReportHtml(model, fonts('html'))) };
    }
    const printer = this.#deps.printer;
    if (printer === null) {
      throw new DossierError('unsupported', 'PDF printing is not available here. Save the report as HTML and print it from a browser.');
    }
    const printFonts = fonts('print');
    const html = renderReportHtml(model, printFonts);
    // With a table of contents, the first print tells which page each section starts on, and the
    // document is printed once more with those numbers (in the same browser: no second start-up).
    const reprint = model.sections.includes('toc')
      ? (first: Uint8Array): string | null => {
          const pages = namedDestinationPages(first);
          return pages.size === 0 ? null : renderReportHtml(model, printFonts, { tocPages: pages });
        }
      : undefined;
    const files = printFonts.map((f) => f.url).filter((u) => u.startsWith('file:'));
    return { model, bytes: await printer({ html, paper: model.paper, files, ...(reprint === undefined ? {} : { reprint }) }) };
  }

  async save(options: ReportOptions, format: 'html' | 'pdf', path: string): Promise<ReportSaved> {
    const open = this.#session.requireOpen();
    if (existsSync(resolve(path))) {
      throw new DossierError('case_exists', `${resolve(path)} already exists. Choose another name; Dossier never overwrites a file.`);
    }
    const { model, bytes } = await this.render(options, format);
    const target = writeNewFile(path, bytes, open.path);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.#session.audit('report.generate', target, {
      format, bytes: bytes.length, sha256, sections: model.sections, paper: model.paper, classification: model.classification,
      auditLength: model.audit.length, auditHeadHash: model.audit.headHash,
    });
    return { path: target, bytes: bytes.length, sha256, auditHeadHash: model.audit.headHash };
  }
}
