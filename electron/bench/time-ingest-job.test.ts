import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeCaseFile, createCaseFile, openCaseFile } from '../db/case-file';
import { makeTempDir } from '../db/testing/test-db';
import { POST_INGEST_PHASES, jobPhaseNames, runIngestJob } from '../workers/ingest/run-ingest-job';
import { timeIngestJob } from './time-ingest-job';
import { garbageCollections } from '../workers/ingest/release-memory';
import { DETECTOR_STEPS } from '../services/findings-service';
import { jobFigures, phaseTable } from '../../scripts/bench/phases.mjs';

const SAMPLE = resolve(__dirname, '../../resources/sample-case');
const meta = { name: 'T', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };

/** What the phases leave behind, to compare a benchmarked job with an app job. */
function outcome(path: string): Record<string, unknown> {
  const open = openCaseFile(path);
  try {
    const one = (sql: string): unknown => Object.values(open.db.prepare(sql).get() as Record<string, unknown>)[0];
    return {
      events: one('SELECT count(*) FROM events'),
      indexes: (open.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'events_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name),
      analyzed: one("SELECT count(*) > 0 FROM sqlite_master WHERE name = 'sqlite_stat1'"),
      uidEvidence: one('SELECT count(*) FROM uid_evidence'),
      findingRuns: one('SELECT count(*) FROM finding_runs'),
      findings: open.db.prepare('SELECT rule, count FROM findings ORDER BY key').all(),
      ftsUpTo: one("SELECT value FROM kv WHERE key = 'fts_indexed_upto'"),
    };
  } finally {
    closeCaseFile(open);
  }
}

describe('the benchmark runs the ingest job the app runs', () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());

  it('times every phase of runIngestJob, in its order, and leaves the same case behind', async () => {
    const folder = join(tmp.dir, 'evidence');
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(SAMPLE, 'var/log/apache2/access.log'), join(folder, 'access.log'));
    const appCase = tmp.file('app.dossier');
    const benchCase = tmp.file('bench.dossier');
    closeCaseFile(createCaseFile({ ...meta, path: appCase }));
    closeCaseFile(createCaseFile({ ...meta, path: benchCase }));

    const seen: string[] = [];
    const collections = garbageCollections();
    const app = await runIngestJob({ dbPath: appCase, options: { root: folder, timeZone: 'UTC' } }, { onPhase: (name, ms) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      seen.push(name);
    } });
    expect(app.status).toBe('complete');
    expect(seen).toEqual(jobPhaseNames());
    // one full collection after each phase (release-memory.ts), and two after each detector step
    // (releaseGarbage; the sample case has access logs: every step runs)
    expect(garbageCollections() - collections).toBe(seen.length + 2 * DETECTOR_STEPS.length);
    expect(seen).toEqual(['ingest', ...POST_INGEST_PHASES.map((p) => p.name)]);
    expect(seen).toEqual(expect.arrayContaining(['uniqueIds', 'findings', 'fts', 'analyze']));

    const after: string[] = [];
    const timed = await timeIngestJob({ dbPath: benchCase, options: { root: folder, timeZone: 'UTC' } }, { afterPhase: (name) => after.push(name) });
    expect(after).toEqual(jobPhaseNames());
    expect(Object.keys(timed.phases)).toEqual(jobPhaseNames().map((n) => `${n}Ms`));
    expect(Object.keys(timed.phasesCpu)).toEqual(Object.keys(timed.phases));
    const app2 = outcome(appCase);
    expect(app2['uidEvidence']).toBe(1);
    expect(app2['findingRuns']).toBe(1);
    expect(outcome(benchCase)).toEqual(app2);
  });

  it('skips only the full-text phases with skipFullText', async () => {
    const folder = join(tmp.dir, 'evidence2');
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(SAMPLE, 'var/log/apache2/access.log'), join(folder, 'access.log'));
    const path = tmp.file('skip.dossier');
    closeCaseFile(createCaseFile({ ...meta, path }));
    const seen: string[] = [];
    await runIngestJob({ dbPath: path, options: { root: folder, timeZone: 'UTC', skipFullText: true } }, { onPhase: (name) => seen.push(name) });
    expect(seen).toEqual(jobPhaseNames(true));
    expect(seen).not.toContain('fts');
    expect(seen).toContain('findings');
  });

  it('sums the whole job without the full-text build, and tables every phase', () => {
    const r = {
      phaseOrder: ['ingest', 'index_events_ts', 'uniqueIds', 'findings', 'fts', 'checkpoint'],
      phases: { ingestMs: 1000, index_events_tsMs: 200, uniqueIdsMs: 300, findingsMs: 400, ftsMs: 5000, checkpointMs: 50 },
      phasesCpu: { ingestMs: 900, index_events_tsMs: 150, uniqueIdsMs: 250, findingsMs: 400, ftsMs: 4000, checkpointMs: 10 },
      phasesPeakRssMb: { ingestMb: 180, index_events_tsMb: 90, uniqueIdsMb: 120, findingsMb: 150, ftsMb: 400, checkpointMb: null },
    };
    expect(jobFigures(r)).toEqual({ exclFtsMs: 1900, exclFtsCpuMs: 1700 });
    const table = phaseTable([{ size: '1m', kind: 'access', ingest: { ...r, jobExclFtsMs: 1900, jobExclFtsCpuMs: 1700 } }]);
    for (const name of r.phaseOrder) {
      expect(table).toContain(`| ${name} |`);
    }
    expect(table).toContain('| uniqueIds | 0.3 | 0.3 | 120 |');
    expect(table).toContain('| checkpoint | 0.1 | 0.0 | – |');
    // the job's peak leaves out the full-text build, like its times
    expect(table).toContain('**1.9** | **1.7** | **180**');
  });
});
