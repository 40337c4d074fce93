import { describe, expect, it } from 'vitest';
import { mixKeys, stateMixOption, type MixRow } from './state-mix';

describe('state mix chart', () => {
  it('orders scoreboard modes as mod_status does and leaves out empty and skipped ones', () => {
    const rows: MixRow[] = [{ label: 'a', counts: { '.': 90, W: 40, _: 3, K: 0 } }, { label: 'b', counts: { R: 2, W: 1 } }];
    expect(mixKeys(rows, 'scoreboard')).toEqual(['_', 'R', 'W', '.']);
    expect(mixKeys(rows, 'scoreboard', ['.'])).toEqual(['_', 'R', 'W']);
    const option = stateMixOption(rows, 'scoreboard', ['.']) as { series: Array<{ id: string; data: number[] }>; yAxis: { data: string[] } };
    expect(option.yAxis.data).toEqual(['a', 'b']);
    expect(option.series.find((s) => s.id === 'W')?.data).toEqual([40, 1]);
  });

  it('orders TCP states by count', () => {
    expect(mixKeys([{ label: 'x', counts: { ESTABLISHED: 3, SYN_RECV: 40, TIME_WAIT: 25 } }], 'tcp')).toEqual(['SYN_RECV', 'TIME_WAIT', 'ESTABLISHED']);
  });
});
