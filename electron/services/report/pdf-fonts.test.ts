/**
 * The report's fonts are in the PDF however late they load: a face still loading when Chromium
 * prints leaves its text out (the faces are `font-display: block`, and the load event does not wait
 * for fonts). A CI run under load printed a report without its case name and file names this way.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { reportFontFiles } from './fonts';
import { chromiumPdfPrinter } from './pdf-chromium';

describe('report PDF fonts', () => {
  let tmp: TempDir;
  beforeAll(() => {
    tmp = makeTempDir();
  });
  afterAll(() => tmp.cleanup());

  it('prints the text of a face that loads two seconds after the document', async () => {
    const faces = reportFontFiles();
    const cjk = faces.find((f) => f.family === 'DossierCJK');
    expect(cjk).toBeDefined();
    const css = faces.map((f) => `@font-face{font-family:${f.family};src:url("${f.url}");font-display:block}`).join('\n');
    const html = `<!doctype html><html><head><meta charset="utf-8"><style>${css}\nhtml{font-family:DossierSans,DossierCJK,sans-serif}</style></head>` +
      '<body><h1>Report test 案件</h1><p>plain latin text</p></body></html>';
    let delayed = 0;
    const print = chromiumPdfPrinter(undefined, {
      delayRequest: async (url) => {
        if (url === cjk?.url) {
          delayed += 1;
          await new Promise((resolve) => setTimeout(resolve, 2_000));
        }
      },
    });
    const pdf = await print({ html, paper: 'a4', files: faces.map((f) => f.url) });
    expect(delayed).toBeGreaterThan(0);
    writeFileSync(tmp.file('fonts.pdf'), pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', tmp.file('fonts.pdf'), '-'], { encoding: 'utf8' });
    // pdftotext may put the CJK run on a line of its own
    expect(text).toContain('Report test');
    expect(text).toContain('案件');
    expect(text).toContain('plain latin text');
  }, 60_000);
});
