// Benchmark data sets: .bench/data/<size>/<kind>/<kind>.log, generated once and reused while the
// manifest (.bench/data/<size>/manifest.json) matches the generator version, line count and file sizes.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATOR_VERSION, generate } from './generate.mjs';

export const KINDS = ['access', 'error', 'auth'];

/** '100k' -> 100000, '1m' -> 1000000, '2.5m' -> 2500000, '12345' -> 12345. */
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/iu.exec(text.trim());
  if (m === null) {
    throw new Error(`bad size "${text}" (use e.g. 100k, 1m, 5m)`);
  }
  const mult = m[2].toLowerCase() === 'm' ? 1_000_000 : m[2].toLowerCase() === 'k' ? 1000 : 1;
  return Math.round(Number(m[1]) * mult);
}

export function kindFolder(dataRoot, size, kind) {
  return join(dataRoot, size, kind);
}

/** Makes sure the files exist; returns the manifest entries for the kinds asked for. */
export function ensureData(dataRoot, size, kinds, log = console.error) {
  const lines = parseSize(size);
  const dir = join(dataRoot, size);
  const manifestPath = join(dir, 'manifest.json');
  let manifest = { generatorVersion: GENERATOR_VERSION, lines, files: {} };
  if (existsSync(manifestPath)) {
    try {
      const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
      if (m.generatorVersion === GENERATOR_VERSION && m.lines === lines) {
        manifest = m;
      }
    } catch {
      // regenerate
    }
  }
  const result = {};
  for (const kind of kinds) {
    const file = join(kindFolder(dataRoot, size, kind), `${kind}.log`);
    const entry = manifest.files[kind];
    const ok = entry !== undefined && existsSync(file) && statSync(file).size === entry.bytes;
    if (ok) {
      result[kind] = { ...entry, file, reused: true };
      continue;
    }
    mkdirSync(join(dir, kind), { recursive: true });
    log(`generating ${lines.toLocaleString('en')} ${kind} lines -> ${file}`);
    const r = generate(kind, lines, file);
    manifest.files[kind] = { lines: r.lines, bytes: r.bytes, firstMs: r.firstMs, lastMs: r.lastMs, genMs: r.ms };
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    log(`  ${(r.bytes / 1048576).toFixed(0)} MB in ${(r.ms / 1000).toFixed(1)} s (${Math.round((r.lines * 1000) / r.ms).toLocaleString('en')} lines/s)`);
    result[kind] = { ...manifest.files[kind], file, reused: false };
  }
  return result;
}
