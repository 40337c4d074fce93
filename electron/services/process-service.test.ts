import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestartsData, WorkersData } from '../../shared/domain/process';
import { makeSyntheticApacheCase } from '../core/analysis/testing/synthetic-apache';
import { makeTempDir, type TempDir } from '../db/testing/test-db';
import { inProcessIngestPort } from '../workers/ingest/ingest-port';
import { createBackend, type Backend } from './registry/create-handlers';
import { createDispatcher, type Dispatch } from './registry/dispatch';

async function ok<T>(call: Dispatch, method: string, input: unknown): Promise<T> {
  const r = await call(method, input);
  if (!r.ok) {
    throw new Error(`${method}: ${r.error.message}`);
  }
  return r.value as T;
}

describe('process service on a synthetic case, through the real ingest', () => {
  const { files, truth } = makeSyntheticApacheCase();
  let tmp: TempDir;
  let backend: Backend;
  let call: Dispatch;
  beforeAll(async () => {
    tmp = makeTempDir();
    for (const [rel, text] of Object.entries(files)) {
      const p = tmp.file(`case/${rel}`);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
    }
    backend = createBackend({
      appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir, sampleEvidenceDir: null,
      osUser: 'tester', emit: () => undefined, now: () => new Date(), ingest: inProcessIngestPort(),
    });
    call = createDispatcher(backend.handlers);
    await ok(call, 'cases.create', { path: tmp.file('s.dossier'), name: 'S', timeZone: 'UTC' });
    const summary = await backend.ingest.runAndWait(tmp.file('case'), 'UTC', { 'var/log/auth.log': { year: 2010 }, 'var/log/apache2/error.log': {} });
    expect(summary.status).toBe('complete');
  });
  afterAll(async () => {
    await backend.dispose();
    tmp.cleanup();
  });

  it('decodes every UNIQUE_ID after ingest and charts the workers', async () => {
    const w = await ok<WorkersData>(call, 'process.workers', {});
    const logged = truth.requests.filter((r) => !r.deleted).length;
    expect(w.decodedRequests).toBe(logged);
    expect(w.evidence[0]).toMatchObject({ malformed: 0, layouts: ['classic'], diffMedianMs: 0, diffSpreadMs: 0 });
    const pids = new Set(truth.requests.map((r) => r.pid));
    expect(new Set(w.points.map((p) => p.pid))).toEqual(pids);
    expect(w.lifetimes.length).toBe(pids.size);
    expect(w.gaps.map((g) => [g.pid, g.missing])).toEqual(truth.deletedLines.map((d) => [d.pid, d.count]));
  });

  it('estimates the planted restarts, matches the auth.log commands and recovers the offset', async () => {
    const r = await ok<RestartsData>(call, 'process.restarts', {});
    expect(r.hasUniqueIds).toBe(true);
    const full = r.estimates.filter((e) => e.kind === 'full');
    expect(full).toHaveLength(truth.fullRestarts.length);
    for (const t of truth.fullRestarts) {
      const e = full.find((x) => x.start <= t.time && t.time <= x.end);
      expect(e?.authMatch).toMatchObject({ user: t.user, command: t.command });
    }
    for (const rc of truth.recycles) {
      expect(full.some((x) => x.start <= rc.time && rc.time <= x.end)).toBe(false);
      expect(r.estimates.some((x) => x.kind === 'slot' && x.oldPids.includes(rc.oldPid) && x.start <= rc.time && rc.time <= x.end)).toBe(true);
    }
    expect(r.estimates.find((x) => x.oldPids.includes(truth.crash.pid))).toMatchObject({ kind: 'slot', cause: 'crash' });
    const planted = r.authCommands.filter((c) => c.command !== truth.noEffectCommand.command || c.matchedEstimateId !== null);
    expect(planted.every((c) => c.matchedEstimateId !== null)).toBe(true);
    expect(r.authCommands.filter((c) => c.matchedEstimateId === null)).toHaveLength(1);
    expect(r.clockOffset).not.toBeNull();
    expect(Math.abs((r.clockOffset?.medianS ?? 0) * 1000 - truth.authOffsetMs)).toBeLessThanOrEqual(2000);

    // One click: apply the suggested offset to auth.log; the pairs then line up within the tolerance.
    const ev = r.clockOffset?.evidence[0];
    await ok(call, 'evidence.update', { id: ev?.evidenceId, clockOffsetMs: ev?.suggestedOffsetMs });
    const after = await ok<RestartsData>(call, 'process.restarts', {});
    expect(Math.abs(after.clockOffset?.medianS ?? 99)).toBeLessThanOrEqual(2);
    expect(after.estimates.filter((e) => e.authMatch !== null)).toHaveLength(truth.fullRestarts.length);
  });

  it('follows a re-timed access log (the cache re-reads ts), and the UNIQUE_ID clock evidence shows the shift', async () => {
    const before = await ok<WorkersData>(call, 'process.workers', {});
    const access = before.evidence[0];
    await ok(call, 'evidence.update', { id: access?.evidenceId, clockOffsetMs: 60_000 });
    const after = await ok<WorkersData>(call, 'process.workers', {});
    expect(after.range?.from).toBe((before.range?.from ?? 0) + 60_000);
    expect(after.evidence[0]).toMatchObject({ diffMedianMs: 60_000, diffSpreadMs: 0 });
    const r = await ok<RestartsData>(call, 'process.restarts', {});
    for (const t of truth.fullRestarts) {
      expect(r.estimates.some((e) => e.kind === 'full' && e.start <= t.time + 60_000 && t.time + 60_000 <= e.end)).toBe(true);
    }
    await ok(call, 'evidence.update', { id: access?.evidenceId, clockOffsetMs: 0 });
    expect((await ok<WorkersData>(call, 'process.workers', {})).range).toEqual(before.range);
  });

  it('shows the decoded UNIQUE_ID in the event detail', async () => {
    const w = await ok<WorkersData>(call, 'process.workers', {});
    const p = w.points[0];
    const page = await ok<{ rows: Array<{ id: number }> }>(call, 'timeline.page', { filter: { sourceKinds: ['apache_access'], from: p?.t, to: (p?.t ?? 0) + 1 }, limit: 1 });
    const d = await ok<{ fields: Record<string, unknown> }>(call, 'events.detail', { id: page.rows[0]?.id });
    expect(d.fields).toMatchObject({ uid_layout: 'classic', uid_ip: '10.0.0.5', uid_pid: p?.pid, uid_thread: p?.slot, uid_time_diff_s: 0 });
    expect(d.fields['uid_time']).toBe(new Date(p?.t ?? 0).toISOString());
  });
});
