import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../db/testing/test-db';
import { FONTS_LOADED } from '../services/report/pdf-printer';
import { isAllowedReportRequest, printReportPdf, printToPdfOptions, REPORT_PRINT_PARTITION, reportWindowOptions, waitForFonts } from './report-pdf';

describe('report PDF in Electron', () => {
  it('prints in a hidden, sandboxed window with JavaScript off, in its own session', () => {
    const o = reportWindowOptions();
    expect(o.show).toBe(false);
    expect(o.webPreferences).toMatchObject({
      javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, webSecurity: true, devTools: false,
      partition: REPORT_PRINT_PARTITION, plugins: false, webviewTag: false,
    });
    expect(o.webPreferences?.preload).toBeUndefined();
  });

  it('lets the document decide page size, margins, header and footer', () => {
    expect(printToPdfOptions({ paper: 'a4' })).toMatchObject({ pageSize: 'A4', preferCSSPageSize: true, displayHeaderFooter: false, printBackground: true });
    expect(printToPdfOptions({ paper: 'letter' }).pageSize).toBe('Letter');
  });

  it('allows only the report file (and inline data) to load', () => {
    const report = 'file:///tmp/dossier-report-1.html';
    expect(isAllowedReportRequest(report, report)).toBe(true);
    expect(isAllowedReportRequest('data:font/ttf;base64,AAAA', report)).toBe(true);
    expect(isAllowedReportRequest('file:///etc/passwd', report)).toBe(false);
    expect(isAllowedReportRequest('file:///app/resources/fonts/DejaVuSans.ttf', report, ['file:///app/resources/fonts/DejaVuSans.ttf'])).toBe(true);
    expect(isAllowedReportRequest('file:///app/resources/fonts/other.ttf', report, ['file:///app/resources/fonts/DejaVuSans.ttf'])).toBe(false);
    expect(isAllowedReportRequest('https://evil.example/x.png', report)).toBe(false);
  });

  it('loads the HTML from a private temporary file, prints, then destroys the window and the file', async () => {
    const tmp = makeTempDir();
    const calls: string[] = [];
    let allow: ((u: string) => boolean) | null = null;
    const pdf = await printReportPdf(
      {
        tempDir: tmp.dir,
        guardSession: (a) => {
          allow = a;
        },
        createWindow: (opts) => {
          calls.push(`create javascript=${String(opts.webPreferences?.javascript)}`);
          return {
            loadFile: async (path) => {
              calls.push(`load ${existsSync(path)}`);
              expect(allow?.(pathToFileURL(path).href)).toBe(true);
            },
            fontsLoaded: async () => {
              calls.push('fonts');
            },
            printToPDF: async (o) => {
              calls.push(`print ${o.pageSize}`);
              return new Uint8Array([37, 80, 68, 70]);
            },
            destroy: () => calls.push('destroy'),
          };
        },
      },
      { html: '<!DOCTYPE html><p>x</p>', paper: 'letter', files: [] },
    );
    expect([...pdf]).toEqual([37, 80, 68, 70]);
    // the fonts are waited for between the load and the print
    expect(calls).toEqual(['create javascript=false', 'load true', 'fonts', 'print Letter', 'destroy']);
    expect(readdirSync(tmp.dir)).toEqual([]);
    tmp.cleanup();
  });

  it('prints a second time in the same window when the job asks (contents with page numbers), then removes both files', async () => {
    const tmp = makeTempDir();
    const calls: string[] = [];
    let allow: ((u: string) => boolean) | null = null;
    const loaded: string[] = [];
    const pdf = await printReportPdf(
      {
        tempDir: tmp.dir,
        guardSession: (a) => {
          allow = a;
        },
        createWindow: () => ({
          loadFile: async (path) => {
            loaded.push(readFileSync(path, 'utf8'));
            expect(allow?.(pathToFileURL(path).href)).toBe(true);
            calls.push('load');
          },
          fontsLoaded: async () => {
            calls.push('fonts');
          },
          printToPDF: async (o) => {
            calls.push(o.generateTaggedPDF && o.generateDocumentOutline ? 'print tagged' : 'print');
            return new Uint8Array([calls.length]);
          },
          destroy: () => calls.push('destroy'),
        }),
      },
      { html: '<p>first</p>', paper: 'a4', files: [], reprint: (first) => `<p>second after ${first[0]}</p>` },
    );
    // the first print is read for its page numbers only; the one kept is tagged and has the outline
    expect(calls).toEqual(['load', 'fonts', 'print', 'load', 'fonts', 'print tagged', 'destroy']);
    expect(loaded).toEqual(['<p>first</p>', '<p>second after 3</p>']);
    expect([...pdf]).toEqual([6]);
    expect((allow as ((u: string) => boolean) | null)?.('file:///etc/passwd')).toBe(false);
    expect(readdirSync(tmp.dir)).toEqual([]);
    tmp.cleanup();
  });

  it('waits for the fonts through Runtime.evaluate, and prints anyway when the protocol refuses or never answers', async () => {
    const sent: Array<[string, Record<string, unknown>]> = [];
    await waitForFonts(async (method, params) => {
      sent.push([method, params]);
      return { result: { value: 'loaded' } };
    });
    expect(sent).toEqual([['Runtime.evaluate', { expression: FONTS_LOADED, awaitPromise: true, returnByValue: true }]]);
    await expect(waitForFonts(() => Promise.reject(new Error('Debugger is already attached')))).resolves.toBeUndefined();
    const t0 = performance.now();
    await expect(waitForFonts(() => new Promise(() => undefined), 50)).resolves.toBeUndefined();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
  });
});
