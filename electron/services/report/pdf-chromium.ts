/**
 * The PDF printer of the CLI, the loopback server and the tests: Debian's Chromium driven by
 * playwright-core, offline, JavaScript disabled in the page, no network of any kind.
 */
import type { Browser } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FONTS_LOADED, type PdfJob, type PdfPrinter } from './pdf-printer';

export const CHROMIUM_PATH = process.env['DOSSIER_CHROMIUM'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

/** Tests only: holds an allowed request back before it continues (a slow disk, a busy machine). */
export type PrinterTestHooks = Readonly<{ delayRequest?: (url: string) => Promise<void> }>;

/** Prints with one browser per call (a report is rare; nothing lingers). */
export function chromiumPdfPrinter(executablePath: string = CHROMIUM_PATH, testHooks: PrinterTestHooks = {}): PdfPrinter {
  return async (job: PdfJob) => {
    const { chromium } = await import('playwright-core');
    // The document is loaded from a private temporary file so that it may read the bundled font files.
    const dir = mkdtempSync(join(tmpdir(), 'dossier-report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, job.html, { mode: 0o600 });
    const url = pathToFileURL(file).href;
    const second = join(dir, 'report-2.html');
    const allowed = new Set([url, pathToFileURL(second).href, ...job.files]);
    const browser: Browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], headless: true });
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true, serviceWorkers: 'block' });
      // Nothing else may be fetched: the report file, its fonts, inline data.
      await context.route('**/*', async (route) => {
        const requested = route.request().url();
        if (!(allowed.has(requested) || requested.startsWith('data:'))) {
          await route.abort();
          return;
        }
        await testHooks.delayRequest?.(requested);
        await route.continue();
      });
      const page = await context.newPage();
      // A first print that is only read for its page numbers skips the tagging and the outline.
      const print = async (target: string, final = true): Promise<Uint8Array> => {
        await page.goto(target, { waitUntil: 'load' });
        await page.emulateMedia({ media: 'print' });
        await page.evaluate(FONTS_LOADED);
        const pdf = await page.pdf({
          format: job.paper === 'a4' ? 'A4' : 'Letter',
          // Size, margins, header and footer are the document's @page rule and margin boxes.
          preferCSSPageSize: true,
          displayHeaderFooter: false,
          printBackground: true,
          tagged: final,
          outline: final,
        });
        return new Uint8Array(pdf);
      };
      const first = await print(url, job.reprint === undefined);
      const again = job.reprint?.(first) ?? null;
      if (again === null) {
        return first;
      }
      writeFileSync(second, again, { mode: 0o600 });
      return await print(pathToFileURL(second).href);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
