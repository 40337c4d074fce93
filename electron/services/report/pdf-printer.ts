/**
 * Printing the report's HTML to PDF is the host's job (a port): Electron prints a hidden sandboxed
 * window (electron/main/report-pdf.ts), the CLI, the loopback server and the tests use Chromium
 * through playwright-core (pdf-chromium.ts). Both get the same options.
 */
import type { PaperSize } from '../../../shared/api/methods/reports';

export type PdfJob = Readonly<{
  html: string;
  paper: PaperSize;
  headerTemplate: string;
  footerTemplate: string;
}>;

export type PdfPrinter = (job: PdfJob) => Promise<Uint8Array>;

/** Page margins in millimetres: room for the header and footer. */
export const PDF_MARGINS_MM = { top: 20, bottom: 18, left: 14, right: 14 } as const;
