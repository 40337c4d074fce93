// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and per source file, mapped
// back to the TypeScript sources through the bundle's source map when there is one.
//
//   node scripts/bench/cpuprofile-top.mjs <file.cpuprofile> [--top 30] [--json]
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';

const maps = new Map();
function sourceMapFor(url) {
  if (!url.startsWith('file://')) {
    return null;
  }
  if (maps.has(url)) {
    return maps.get(url);
  }
  let map = null;
  const file = fileURLToPath(url);
  if (existsSync(`${file}.map`)) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
  }
  maps.set(url, map);
  return map;
}

function locate(frame) {
  const map = sourceMapFor(frame.url);
  if (map !== null && frame.lineNumber >= 0) {
    const e = map.findEntry(frame.lineNumber, frame.columnNumber);
    if (e && e.originalSource) {
      const src = e.originalSource.startsWith('file://') ? fileURLToPath(e.originalSource) : e.originalSource;
      const rel = relative(process.cwd(), src.replace(/^.*?(?=(electron|shared|node_modules)\/)/u, `${process.cwd()}/`));
      return { file: rel, line: e.originalLine + 1 };
    }
  }
  if (frame.url === '') {
    return { file: '(native)', line: 0 };
  }
  const u = frame.url.startsWith('file://') ? relative(process.cwd(), fileURLToPath(frame.url)) : frame.url;
  return { file: u, line: frame.lineNumber + 1 };
}

export function summarise(path, top = 30) {
  const p = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfByNode = new Map();
  let total = 0;
  for (let i = 0; i < p.samples.length; i += 1) {
    const dt = p.timeDeltas[i] ?? 0;
    total += dt;
    selfByNode.set(p.samples[i], (selfByNode.get(p.samples[i]) ?? 0) + dt);
  }
  const fns = new Map();
  const files = new Map();
  for (const [id, us] of selfByNode) {
    const n = byId.get(id);
    const f = n.callFrame;
    const loc = locate(f);
    const name = f.functionName === '' ? '(anonymous)' : f.functionName;
    const key = `${name} ${loc.file}:${loc.line}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const fileKey = loc.file.startsWith('node:') ? loc.file : loc.file.replace(/^node_modules\/([^/]+)\/.*$/u, 'node_modules/$1');
    files.set(fileKey, (files.get(fileKey) ?? 0) + us);
  }
  const rows = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ what: k, ms: Math.round(us / 1000), pct: Math.round((us / total) * 1000) / 10 }));
  return { totalMs: Math.round(total / 1000), functions: rows(fns), files: rows(files) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  const ti = args.indexOf('--top');
  const s = summarise(file, ti >= 0 ? Number(args[ti + 1]) : 30);
  if (args.includes('--json')) {
    console.log(JSON.stringify(s, null, 2));
  } else {
    console.log(`total sampled: ${s.totalMs} ms\n\nself time by function:`);
    for (const r of s.functions) {
      console.log(`${String(r.ms).padStart(7)} ms ${String(r.pct).padStart(5)}%  ${r.what}`);
    }
    console.log('\nself time by source file:');
    for (const r of s.files) {
      console.log(`${String(r.ms).padStart(7)} ms ${String(r.pct).padStart(5)}%  ${r.what}`);
    }
  }
}
