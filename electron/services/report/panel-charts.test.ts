import { describe, expect, it } from 'vitest';
import type { RestartsData, WorkersData } from '../../../shared/domain/process';
import { processCharts, type ProcessSource } from './panel-charts';

const ctx = () => ({ caseInfo: { name: 'c', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', createdUtc: '', modifiedUtc: '', path: '/x', eventCount: 0 }, zone: 'UTC' });
const noWorkers: WorkersData = { available: false, decodedRequests: 0, evidence: [], bucketMs: 60_000, range: null, points: [], lifetimes: [], gaps: [], elapsedMs: 0 };
const noRestarts: RestartsData = { hasUniqueIds: false, estimates: [], authCommands: [], clockOffset: null, elapsedMs: 0 };

describe('panel charts in the report', () => {
  it('draw nothing without UNIQUE_IDs, restarts or auth.log commands', async () => {
    const charts = processCharts({ workers: () => noWorkers, restarts: () => noRestarts });
    for (const c of charts) {
      expect(await c.render(ctx())).toBeNull();
    }
  });

  it('read each service once per report, never across reports, and draw static options in the report font', async () => {
    let reads = 0;
    const source: ProcessSource = {
      workers: () => noWorkers,
      restarts: () => {
        reads += 1;
        return { ...noRestarts, authCommands: [{ eventId: 1, evidenceId: 1, time: Date.UTC(2024, 2, 16, 10), user: 'root', command: 'systemctl restart apache2', action: 'restart', tty: null, runAs: 'root', via: 'sudo', session: null, matchedEstimateId: null }] };
      },
    };
    const charts = processCharts(source);
    const one = ctx();
    const specs = await Promise.all(charts.map((c) => c.render(one)));
    expect(reads).toBe(1);
    await charts[2]?.render(ctx());
    expect(reads).toBe(2);
    const vsAuth = specs[2];
    expect(vsAuth?.kind).toBe('echarts');
    if (vsAuth?.kind === 'echarts') {
      expect(vsAuth.option['textStyle']).toEqual({ fontFamily: 'DossierSans' });
      expect(vsAuth.option['tooltip']).toBeUndefined();
      expect(vsAuth.option['brush']).toBeUndefined();
      expect(vsAuth.caption).toMatch(/1 Apache commands from auth.log/u);
    }
  });
});
