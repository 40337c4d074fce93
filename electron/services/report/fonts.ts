/**
 * The report's bundled fonts (resources/fonts): DejaVu Sans for Latin, Greek and Cyrillic, and
 * Droid Sans Fallback for CJK. They are embedded as data URLs, so the PDF never depends on the
 * fonts of the machine that printed it, and the HTML file is self-contained.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appRoot } from '../app-paths';
import type { FontFace } from './render-html';

export const REPORT_FONT_FILES = [
  { family: 'DossierSans', file: 'DejaVuSans.ttf' },
  { family: 'DossierCJK', file: 'DroidSansFallbackFull.ttf' },
] as const;

let cached: { dir: string; faces: FontFace[] } | null = null;

export function fontsDir(root: string = appRoot()): string {
  return join(root, 'resources', 'fonts');
}

/** The font faces as file URLs, for printing (Chromium reads them itself, fast); a missing file is left out. */
export function reportFontFiles(dir: string = fontsDir()): ReadonlyArray<FontFace> {
  return REPORT_FONT_FILES.filter((f) => existsSync(join(dir, f.file))).map((f) => ({ family: f.family, url: pathToFileURL(join(dir, f.file)).href }));
}

/** The font faces as data URLs, for the self-contained HTML file (read once per folder); a missing file is left out. */
export function reportFonts(dir: string = fontsDir()): ReadonlyArray<FontFace> {
  if (cached !== null && cached.dir === dir) {
    return cached.faces;
  }
  const faces = REPORT_FONT_FILES.filter((f) => existsSync(join(dir, f.file))).map((f) => ({
    family: f.family,
    url: `data:font/ttf;base64,${readFileSync(join(dir, f.file)).toString('base64')}`,
  }));
  cached = { dir, faces };
  return faces;
}
