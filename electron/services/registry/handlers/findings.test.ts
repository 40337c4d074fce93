import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../../db/testing/test-db';
import { inProcessIngestPort } from '../../../workers/ingest/ingest-port';
import { createBackend, type Backend } from '../create-handlers';
import { createDispatcher, type Dispatch } from '../dispatch';

const SAMPLE = resolve(__dirname, '../../../../resources/sample-case');

async function ok<T>(call: Dispatch, method: string, input: unknown): Promise<T> {
  const r = await call(method, input);
  if (!r.ok) {
    throw new Error(`${method}: ${r.error.message}`);
  }
  return r.value as T;
}

type Item = { id: number; rule: string; severity: string; category: string; review: string; reviewComment: string; count: number; srcIps: string[] };

describe('findings.* on the sample case (detectors ran after the ingest)', () => {
  let tmp: TempDir;
  let backend: Backend;
  let call: Dispatch;
  beforeAll(async () => {
    tmp = makeTempDir();
    backend = createBackend({
      appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir, sampleEvidenceDir: SAMPLE,
      osUser: 'tester', emit: () => undefined, now: () => new Date(), ingest: inProcessIngestPort(),
    });
    call = createDispatcher(backend.handlers);
    await ok(call, 'cases.openSample', {});
  });
  afterAll(async () => {
    await backend.dispose();
    tmp.cleanup();
  });

  it('lists, filters and opens findings with a page of their events', async () => {
    const all = await ok<{ findings: Item[]; run: unknown }>(call, 'findings.list', {});
    expect(all.run).not.toBeNull();
    expect(all.findings.length).toBeGreaterThan(5);
    const critical = await ok<{ findings: Item[] }>(call, 'findings.list', { severities: ['critical'] });
    expect(critical.findings.length).toBeGreaterThan(0);
    expect(critical.findings.every((f) => f.severity === 'critical')).toBe(true);
    const first = critical.findings[0] as Item;
    const one = await ok<{ total: number; events: Array<{ id: number; evidencePath: string; lineNo: number }> }>(call, 'findings.get', { id: first.id, limit: 10 });
    expect(one.total).toBe(first.count);
    expect(one.events).toHaveLength(Math.min(10, first.count));
    expect((await call('findings.get', { id: 999_999 })).ok).toBe(false);
  });

  it('records a review with its audit entry, keeps it across a re-run, and re-runs with parameters', async () => {
    const { findings } = await ok<{ findings: Item[] }>(call, 'findings.list', { categories: ['brute_force'] });
    const target = findings.find((f) => f.rule === 'ssh.bruteforce_success') as Item;
    const reviewed = await ok<Item>(call, 'findings.review', { id: target.id, review: 'confirmed', comment: 'admin compromised' });
    expect(reviewed).toMatchObject({ review: 'confirmed', reviewComment: 'admin compromised' });
    const audit = await ok<{ entries: Array<{ action: string; target: string }> }>(call, 'audit.list', { limit: 5 });
    expect(audit.entries.some((e) => e.action === 'finding.review')).toBe(true);
    const rerun = await ok<{ findings: number }>(call, 'findings.run', { params: { sshSuccessAfterFailures: 100_000 } });
    expect(rerun.findings).toBeGreaterThan(0);
    expect((await ok<{ findings: Item[] }>(call, 'findings.list', {})).findings.some((f) => f.rule === 'ssh.bruteforce_success')).toBe(false);
    await ok(call, 'findings.run', {});
    const back = (await ok<{ findings: Item[] }>(call, 'findings.list', {})).findings.find((f) => f.rule === 'ssh.bruteforce_success');
    expect(back).toMatchObject({ review: 'confirmed', reviewComment: 'admin compromised' });
    const rules = await ok<{ rules: Array<{ id: string }>; params: { sshSuccessAfterFailures: number } }>(call, 'findings.rules', {});
    expect(rules.rules.length).toBeGreaterThan(10);
    expect(rules.params.sshSuccessAfterFailures).toBe(5);
    expect((await call('findings.run', { params: { sshWindowMinutes: -1 } })).ok).toBe(false);
  });
});
