/**
 * The state-mix chart of the host-state panels (scoreboard modes, TCP states), pure so the report
 * draws the same chart on the server.
 */
import type { ChartOption } from './chart-option';

/** Scoreboard modes in mod_status's order, with the words of its key. */
export const SCOREBOARD_MODES: ReadonlyArray<readonly [string, string]> = [
  ['_', 'Waiting'], ['S', 'Starting'], ['R', 'Reading request'], ['W', 'Sending reply'], ['K', 'Keepalive'], ['D', 'DNS lookup'],
  ['C', 'Closing'], ['L', 'Logging'], ['G', 'Gracefully finishing'], ['I', 'Idle cleanup'], ['.', 'Open slot'],
];

const MODE_COLORS: Readonly<Record<string, string>> = {
  _: '#8abbff', S: '#d1980b', R: '#e76a6e', W: '#cd4246', K: '#72ca9b', D: '#a7b6c2', C: '#c87619', L: '#9d3f9d', G: '#634dbf', I: '#5f6b7c', '.': '#d3d8de',
};
const STATE_COLORS: Readonly<Record<string, string>> = {
  ESTABLISHED: '#238551', TIME_WAIT: '#8abbff', SYN_RECV: '#cd4246', LISTEN: '#5f6b7c', CLOSE_WAIT: '#d1980b', FIN_WAIT1: '#c87619', FIN_WAIT2: '#e1a83f',
  SYN_SENT: '#e76a6e', LAST_ACK: '#9d3f9d', CLOSING: '#634dbf',
};

export type MixRow = Readonly<{ label: string; counts: Readonly<Record<string, number>> }>;
export type MixKind = 'scoreboard' | 'tcp';

/** The keys of a mix in display order (scoreboard order, or by total for TCP states), empty ones left out. */
export function mixKeys(rows: ReadonlyArray<MixRow>, kind: MixKind, skip: ReadonlyArray<string> = []): string[] {
  const totals = new Map<string, number>();
  for (const r of rows) {
    for (const [k, v] of Object.entries(r.counts)) {
      totals.set(k, (totals.get(k) ?? 0) + v);
    }
  }
  const present = [...totals].filter(([k, v]) => v > 0 && !skip.includes(k));
  if (kind === 'scoreboard') {
    const order = SCOREBOARD_MODES.map(([m]) => m);
    return present.map(([k]) => k).sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  }
  return present.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
}

export function modeLabel(mode: string): string {
  return SCOREBOARD_MODES.find(([m]) => m === mode)?.[1] ?? mode;
}

/** A stacked horizontal bar per capture (one when only one): the state mix. */
export function stateMixOption(rows: ReadonlyArray<MixRow>, kind: MixKind, skip: ReadonlyArray<string> = []): ChartOption {
  const keys = mixKeys(rows, kind, skip);
  const colors = kind === 'scoreboard' ? MODE_COLORS : STATE_COLORS;
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 8, bottom: 24, containLabel: true },
    tooltip: { trigger: 'item', confine: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => r.label), inverse: true },
    series: keys.map((k) => ({
      type: 'bar',
      stack: 'mix',
      name: kind === 'scoreboard' ? `${k} ${modeLabel(k)}` : k,
      id: k,
      itemStyle: { color: colors[k] ?? '#738091' },
      data: rows.map((r) => r.counts[k] ?? 0),
      barMaxWidth: 28,
    })),
  };
}
