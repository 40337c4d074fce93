// `npm run bench:floor`: the arithmetic. The parts of an ingest that no engine storing every line can skip
// (electron/bench/floor.ts measures each alone, on one thread) give a lower bound on the wall time of the
// ingest and its indexes: SQLite has one writer, so the rows and then their indexes go through it one after
// the other (`serialMs`), and all the parts together need `cpuMs` of CPU spread over the machine's cores.
// The bound is the larger of the two. Two bounds: SQLite alone (rows copied by SQLite, no JavaScript) and
// this stack (the event rows bound from JavaScript as the writer does, the raw blocks as SQLite copies them).
// Issue 11's target is half lnav's lines/s, i.e. twice lnav's time.

const READ_PARTS = ['hash', 'parse', 'compress'];
const FLOORS = {
  sqlite: { writer: ['copy'], label: 'SQLite alone (rows copied, no JavaScript)' },
  stack: { writer: ['bind', 'copyBlocks'], label: 'this stack (rows bound from JavaScript)' },
};

/**
 * { lines, cores, engineMs, engineLinesPerSec, lnav: null | { ms, linesPerSec, targetMs, engineRatio },
 *   floors: { sqlite, stack }: { cpuMs, serialMs, floorMs, linesPerSec, lnavRatio | null, targetBelowFloor | null } }
 * `engineMs` = the real engine's ingest (engineIngest) + the indexes' build.
 */
export function floorSummary({ lines, cores, stages }, lnavMs = null) {
  for (const k of [...READ_PARTS, 'copy', 'copyBlocks', 'bind', 'indexes', 'engineIngest']) {
    const s = stages[k];
    if (s === undefined || !Number.isFinite(s.wallMs) || !Number.isFinite(s.cpuMs)) {
      throw new Error(`floor: stage ${k} missing or incomplete`);
    }
  }
  if (!(lines > 0) || !(cores > 0)) {
    throw new Error('floor: lines and cores must be positive');
  }
  const perSec = (ms) => Math.round((lines * 1000) / ms);
  const ratio = (a, b) => Number((a / b).toPrecision(2));
  const hasLnav = lnavMs !== null && lnavMs > 0;
  const floors = {};
  for (const [name, f] of Object.entries(FLOORS)) {
    const writer = [...f.writer, 'indexes'];
    const cpuMs = [...READ_PARTS, ...writer].reduce((sum, k) => sum + stages[k].cpuMs, 0);
    const serialMs = writer.reduce((sum, k) => sum + stages[k].wallMs, 0);
    const floorMs = Math.max(serialMs, Math.ceil(cpuMs / cores));
    floors[name] = {
      label: f.label, parts: [...READ_PARTS, ...writer], cpuMs, serialMs, floorMs, linesPerSec: perSec(floorMs),
      lnavRatio: hasLnav ? ratio(lnavMs, floorMs) : null, targetBelowFloor: hasLnav ? 2 * lnavMs < floorMs : null,
    };
  }
  const engineMs = stages.engineIngest.wallMs + stages.indexes.wallMs;
  return {
    lines, cores, engineMs, engineLinesPerSec: perSec(engineMs), floors,
    lnav: hasLnav ? { ms: lnavMs, linesPerSec: perSec(lnavMs), targetMs: 2 * lnavMs, engineRatio: ratio(lnavMs, engineMs) } : null,
  };
}

/** A Markdown table of the stages and the two bounds. */
export function floorTable(result, summary) {
  const s = (ms) => (ms / 1000).toFixed(2);
  const st = result.stages;
  const rows = [
    '| part (each alone, one thread) | wall s | CPU s |',
    '|---|--:|--:|',
    ...[...READ_PARTS, 'copyRows', 'copyBlocks', 'bind', 'indexes'].filter((k) => st[k] !== undefined).map((k) => `| ${k} | ${s(st[k].wallMs)} | ${s(st[k].cpuMs)} |`),
    `| the engine's ingest (reference) | ${s(st.engineIngest.wallMs)} | ${s(st.engineIngest.cpuMs)} |`,
    '',
    `| lower bound, ${summary.cores} cores | one writer s | CPU s | **bound s** | lines/s | x lnav |`,
    '|---|--:|--:|--:|--:|--:|',
    ...Object.values(summary.floors).map((f) => `| ${f.label} | ${s(f.serialMs)} | ${s(f.cpuMs)} | **${s(f.floorMs)}** | ${f.linesPerSec.toLocaleString('en')} | ${f.lnavRatio ?? '–'} |`),
    `| the engine: ingest + indexes | | | **${s(summary.engineMs)}** | ${summary.engineLinesPerSec.toLocaleString('en')} | ${summary.lnav?.engineRatio ?? '–'} |`,
  ];
  if (summary.lnav !== null) {
    const l = summary.lnav;
    const below = Object.values(summary.floors).filter((f) => f.targetBelowFloor).map((f) => f.label);
    rows.push('', `lnav ${s(l.ms)} s = ${l.linesPerSec.toLocaleString('en')} lines/s: 0.5x lnav needs <= ${s(l.targetMs)} s; ${below.length === 0 ? 'the target is above both bounds' : `the target is **below** the bound of ${below.join(' and of ')}`}`);
  }
  return `${rows.join('\n')}\n`;
}
