/**
 * Printing the report's HTML to PDF is the host's job (a port): Electron prints a hidden sandboxed
 * window (electron/main/report-pdf.ts), the CLI, the loopback server and the tests use Chromium
 * through playwright-core (pdf-chromium.ts). Both print with the same settings: the page size,
 * margins, header and footer (case name, marking, page numbers) come from the document's own
 * `@page` rule and its margin boxes, which use the report's bundled fonts. (Chromium's separate
 * header/footer templates cannot see those fonts, so a CJK case name would print as boxes.)
 */
import type { PaperSize } from '../../../shared/api/methods/reports';

export type PdfJob = Readonly<{
  html: string;
  paper: PaperSize;
  /** The only file URLs the document may load besides itself: the bundled fonts. */
  files: ReadonlyArray<string>;
  /**
   * Given the first print, the document to print once more in the same browser (the table of
   * contents with the page numbers the first print gave), or null to keep the first print.
   */
  reprint?: (first: Uint8Array) => string | null;
}>;

export type PdfPrinter = (job: PdfJob) => Promise<Uint8Array>;

/**
 * Loads every font face of the document and waits for them. The load event does not wait for fonts
 * (a face is fetched when layout first needs it), and the report's faces are `font-display: block`:
 * text in a face still loading is invisible, and a PDF printed then lacks it (a CI run under load
 * printed a report without its case name and file names). Evaluated through the browser's automation
 * (Playwright's `page.evaluate`, the Chrome DevTools Protocol in Electron), not by the document, whose
 * scripts stay disabled. Resolves to `document.fonts.status`.
 */
export const FONTS_LOADED =
  'Promise.all(Array.from(document.fonts, (f) => f.load().catch(() => null))).then(() => document.fonts.ready).then(() => document.fonts.status)';
