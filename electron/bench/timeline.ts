/**
 * Timeline query benchmark (`npm run bench:timeline`): the real service path (dispatcher → timeline
 * service → SQL) on a large case. Ingests the generated access log once (kept under .bench/cases),
 * then times histograms over random ranges (rollup and event paths), pages of 200 rows (first,
 * keyset, mid-range, filtered) and full-text first pages. Prints JSON.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { closeCaseFile, createCaseFile } from '../db/case-file';
import { createBackend } from '../services/registry/create-handlers';
import { createDispatcher } from '../services/registry/dispatch';
import { inProcessIngestPort, workerIngestPort } from '../workers/ingest/ingest-port';
import { runIngestJob } from '../workers/ingest/run-ingest-job';

const [folder, casePath] = process.argv.slice(2);
if (folder === undefined || casePath === undefined) {
  console.error('usage: timeline.js <access-log-folder> <case.dossier>');
  process.exit(2);
}

function stats(xs: number[]): { n: number; p50: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => Math.round((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0) * 10) / 10;
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: Math.round((s[s.length - 1] ?? 0) * 10) / 10 };
}

async function main(): Promise<void> {
  if (!existsSync(casePath as string)) {
    const open = createCaseFile({ path: casePath as string, name: 'timeline bench', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 'bench', appVersion: 'bench' });
    closeCaseFile(open);
    const t = performance.now();
    const s = await runIngestJob({ dbPath: casePath as string, options: { root: folder as string, timeZone: 'UTC' } });
    console.error(`ingested ${s.lines} lines in ${Math.round(performance.now() - t)} ms (full text included)`);
  }
  const backend = createBackend({
    appVersion: 'bench', transport: 'http', nativeDialogs: false, userDataDir: join(casePath as string, '..', 'ud'), defaultCaseDir: '/tmp',
    sampleEvidenceDir: null, osUser: 'bench', emit: () => undefined, now: () => new Date(),
    // The app's port: the full integrity check of a large case runs in a worker, as in Dossier itself.
    ingest: { ...inProcessIngestPort(), integrityCheck: workerIngestPort(new URL('../../dist-electron/ingest.worker.js', import.meta.url)).integrityCheck },
  });
  const call = createDispatcher(backend.handlers);
  const t0 = performance.now();
  const opened = await call('cases.open', { path: casePath });
  const openMs = performance.now() - t0;
  if (!opened.ok) {
    throw new Error(opened.error.message);
  }
  const timed = async (method: string, input: unknown): Promise<[number, unknown]> => {
    const t = performance.now();
    const r = await call(method, input);
    const ms = performance.now() - t;
    if (!r.ok) {
      throw new Error(`${method}: ${r.error.message}`);
    }
    return [ms, r.value];
  };
  const [firstHistMs, whole] = (await timed('timeline.histogram', { filter: {}, buckets: 120 })) as [number, { from: number; to: number; total: number }];
  let seed = 42;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const ranges = Array.from({ length: 20 }, () => {
    const a = whole.from + rnd() * (whole.to - whole.from);
    const len = (whole.to - whole.from) * (0.001 + rnd() * 0.5);
    return { from: Math.floor(a / 60_000) * 60_000, to: Math.floor(Math.min(whole.to, a + len) / 60_000) * 60_000 + 60_000 };
  });
  const results: Record<string, unknown> = { events: whole.total, openMs: Math.round(openMs), firstHistogramMs: Math.round(firstHistMs * 10) / 10 };
  const run = async (name: string, inputs: unknown[], method: string): Promise<void> => {
    const times: number[] = [];
    for (const input of inputs) {
      times.push((await timed(method, input))[0]);
    }
    results[name] = stats(times);
  };
  await run('histogram.range.rollup', ranges.map((r) => ({ filter: r, buckets: 120 })), 'timeline.histogram');
  await run('histogram.range.cidr', ranges.map((r) => ({ filter: { ...r, srcIps: ['10.0.0.0/8'] }, buckets: 120 })), 'timeline.histogram');
  await run('histogram.range.status5xx', ranges.map((r) => ({ filter: { ...r, statuses: ['5xx'] }, buckets: 120 })), 'timeline.histogram');
  await run('histogram.range.text', ranges.slice(0, 10).map((r) => ({ filter: { ...r, text: 'login' }, buckets: 120 })), 'timeline.histogram');
  await run('page.first', [{ filter: {}, limit: 200 }, { filter: {}, limit: 200 }, { filter: {}, limit: 200 }], 'timeline.page');
  await run('page.midrange', ranges.map((r) => ({ filter: {}, after: { ts: r.from, id: 0 }, limit: 200 })), 'timeline.page');
  await run('page.cidr', ranges.map((r) => ({ filter: { srcIps: ['10.0.0.0/8'] }, after: { ts: r.from, id: 0 }, limit: 200 })), 'timeline.page');
  await run('page.status5xx', ranges.map((r) => ({ filter: { statuses: ['5xx'] }, after: { ts: r.from, id: 0 }, limit: 200 })), 'timeline.page');
  await run('search.firstPage.common', [{ filter: { text: 'GET' }, limit: 200 }, { filter: { text: 'html' }, limit: 200 }], 'timeline.page');
  await run('search.firstPage.phrase', [{ filter: { text: '"HTTP/1.1"' }, limit: 200 }, { filter: { text: 'login OR admin' }, limit: 200 }], 'timeline.page');
  await run('search.firstPage.rare', [{ filter: { text: 'passwd' }, limit: 200 }, { filter: { text: 'wp*' }, limit: 200 }], 'timeline.page');
  console.log(JSON.stringify(results, null, 2));
  await backend.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
