/**
 * Report PDF in the app: the report's HTML printed by a hidden, sandboxed window with JavaScript
 * off, in its own session that fetches nothing (the document is self-contained). Kept thin: the
 * options are plain objects (tested in report-pdf.test.ts), the window is a structural port.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FONTS_LOADED, type PdfJob } from '../services/report/pdf-printer';

export const REPORT_PRINT_PARTITION = 'dossier-report-print';

export function reportWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 900,
    height: 1200,
    webPreferences: {
      partition: REPORT_PRINT_PARTITION,
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      plugins: false,
      spellcheck: false,
      devTools: false,
      enableWebSQL: false,
      navigateOnDragDrop: false,
    },
  };
}

/** Electron's `printToPDF` options: the document's @page rule and margin boxes decide size, margins, header and footer. */
export function printToPdfOptions(job: Pick<PdfJob, 'paper'>, final = true) {
  return {
    pageSize: job.paper === 'a4' ? ('A4' as const) : ('Letter' as const),
    preferCSSPageSize: true,
    displayHeaderFooter: false,
    printBackground: true,
    // A first print read only for its page numbers skips the tagging and the outline.
    generateTaggedPDF: final,
    generateDocumentOutline: final,
  };
}

/** Only the report file itself and its bundled fonts may load: no network, no other file. */
export function isAllowedReportRequest(url: string, reportUrl: string, files: ReadonlyArray<string> = []): boolean {
  return url === reportUrl || url.startsWith('data:') || files.includes(url);
}

/** One Chrome DevTools Protocol command (Electron: `webContents.debugger.sendCommand`). */
export type CdpSend = (method: string, params: Record<string, unknown>) => Promise<unknown>;

/**
 * Waits for the print window's fonts through the DevTools Protocol: the window's own JavaScript is off,
 * and `Runtime.evaluate` runs outside the document's scripts. Best effort: after `timeoutMs`, or if the
 * protocol refuses, the print goes ahead as it did before this wait existed.
 */
export async function waitForFonts(send: CdpSend, timeoutMs = 15_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      send('Runtime.evaluate', { expression: FONTS_LOADED, awaitPromise: true, returnByValue: true }),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
  } catch {
    // the print goes ahead
  } finally {
    clearTimeout(timer);
  }
}

export type PrintWindow = Readonly<{
  loadFile: (path: string) => Promise<void>;
  /** Waits until every font face of the loaded document has loaded (FONTS_LOADED, pdf-printer.ts). */
  fontsLoaded: () => Promise<void>;
  printToPDF: (options: ReturnType<typeof printToPdfOptions>) => Promise<Uint8Array>;
  destroy: () => void;
}>;

export type ReportPrintDeps = Readonly<{
  createWindow: (options: BrowserWindowConstructorOptions) => PrintWindow;
  /** Installs the request filter on the print session (cancel anything not allowed). */
  guardSession: (allow: (url: string) => boolean) => void;
  tempDir?: string;
}>;

export async function printReportPdf(deps: ReportPrintDeps, job: PdfJob): Promise<Uint8Array> {
  const file = join(deps.tempDir ?? tmpdir(), `dossier-report-${randomBytes(8).toString('hex')}.html`);
  writeFileSync(file, job.html, { flag: 'wx', mode: 0o600 });
  const url = pathToFileURL(file).href;
  // The second print (table of contents with page numbers) is its own file, allowed by name too.
  const second = join(deps.tempDir ?? tmpdir(), `dossier-report-${randomBytes(8).toString('hex')}.html`);
  const secondUrl = pathToFileURL(second).href;
  deps.guardSession((u) => isAllowedReportRequest(u, url, job.files) || isAllowedReportRequest(u, secondUrl, job.files));
  const win = deps.createWindow(reportWindowOptions());
  try {
    await win.loadFile(file);
    await win.fontsLoaded();
    const first = await win.printToPDF(printToPdfOptions(job, job.reprint === undefined));
    const again = job.reprint?.(first) ?? null;
    if (again === null) {
      return first;
    }
    writeFileSync(second, again, { flag: 'wx', mode: 0o600 });
    await win.loadFile(second);
    await win.fontsLoaded();
    return await win.printToPDF(printToPdfOptions(job));
  } finally {
    win.destroy();
    rmSync(file, { force: true });
    rmSync(second, { force: true });
  }
}
