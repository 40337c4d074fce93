// Renders resources/icons/icon.svg into the PNGs, the .ico and the .icns electron-builder uses.
// Chromium (through playwright-core) draws the SVG at each size, so small sizes are rendered from
// the vector, not scaled down from a bitmap. Run: node scripts/make-icons.mjs [--chromium /path].
// The outputs are committed; scripts/packaging.test.ts checks their sizes.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'resources', 'icons');
export const PNG_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];
export const ICO_SIZES = [16, 32, 48, 64, 128, 256];
// PNG-bearing icns types: ic11 = 16@2x, ic12 = 32@2x, ic07 = 128, ic13 = 128@2x, ic08 = 256, ic14 = 256@2x, ic09 = 512, ic10 = 512@2x.
export const ICNS_TYPES = [['ic11', 32], ['ic12', 64], ['ic07', 128], ['ic13', 256], ['ic08', 256], ['ic14', 512], ['ic09', 512], ['ic10', 1024]];

/** An .ico holding PNG images (Windows Vista and later read PNG entries). */
export function makeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt8(0, 2);
    e.writeUInt8(0, 3);
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    entries.push(e);
    offset += png.length;
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

/** An .icns: 'icns', total length, then (type, length incl. 8-byte header, PNG data) per entry. */
export function makeIcns(entries) {
  const parts = entries.map(({ type, png }) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'latin1');
    h.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([h, png]);
  });
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'latin1');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

async function main() {
  const i = process.argv.indexOf('--chromium');
  const executablePath = i > 0 ? process.argv[i + 1] : (process.env.DOSSIER_CHROMIUM ?? '/usr/bin/chromium');
  const svg = readFileSync(join(dir, 'icon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  const pngs = new Map();
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    for (const size of PNG_SIZES) {
      await page.setViewportSize({ width: size, height: size });
      const sized = svg.replace('width="1024" height="1024"', `width="${size}" height="${size}"`);
      await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`);
      const png = await page.locator('svg').screenshot({ omitBackground: true });
      pngs.set(size, png);
      writeFileSync(join(dir, `${size}x${size}.png`), png);
    }
  } finally {
    await browser.close();
  }
  writeFileSync(join(dir, 'icon.ico'), makeIco(ICO_SIZES.map((size) => ({ size, png: pngs.get(size) }))));
  writeFileSync(join(dir, 'icon.icns'), makeIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: pngs.get(size) }))));
  console.log(`wrote ${PNG_SIZES.length} PNGs, icon.ico (${ICO_SIZES.length} sizes) and icon.icns (${ICNS_TYPES.length} entries) into resources/icons/`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
