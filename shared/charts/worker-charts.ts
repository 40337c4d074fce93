/**
 * ECharts options of the Apache workers section (pure: data in, option out), shared by the panel
 * (renderer/features/process) and the report (drawn to SVG on the server). Tooltips come from the
 * caller's `tip` (the renderer builds DOM from text nodes, never HTML strings: PIDs and commands
 * come from hostile logs); without one (`ui` null) the option is a static drawing: no tooltip, no brush.
 */
import type { AuthCommandRow, RestartRow, WorkerLifetime, WorkerPoint, CounterGapRow } from '../domain/process';
import type { ChartOption, ChartUi } from './chart-option';

export const SLOT_COLORS = ['#2d72d2', '#238551', '#cd4246', '#c87619', '#7961db', '#00a396', '#d1980b', '#db2c6f', '#634dbf', '#147eb3', '#29a634', '#696969'];
export const slotColor = (slot: number | null): string => (slot === null ? '#8f99a8' : (SLOT_COLORS[slot % SLOT_COLORS.length] ?? '#8f99a8'));

export type Fmt = (ms: number) => string;

/** The tooltip and brush of an interactive chart; nothing for a static one. */
function interaction(ui: ChartUi | null, formatter: (tip: ChartUi['tip']) => unknown, brush: boolean): ChartOption {
  if (ui === null) {
    return {};
  }
  return {
    ...(brush ? { brush: { xAxisIndex: 0, brushType: 'lineX', brushMode: 'single', throttleType: 'debounce', throttleDelay: 200 } } : {}),
    tooltip: { trigger: 'item', formatter: formatter(ui.tip) },
  };
}

const axisText = (dark: boolean) => (dark ? '#abb3bf' : '#5f6b7c');
const splitLine = (dark: boolean) => ({ lineStyle: { color: dark ? '#383e47' : '#e5e8eb' } });

function timeAxis(fmt: Fmt, dark: boolean, range: Readonly<{ from: number; to: number }> | null) {
  return {
    type: 'time',
    ...(range === null ? {} : { min: range.from, max: range.to }),
    axisLabel: { color: axisText(dark), formatter: (v: number) => fmt(v), hideOverlap: true },
    splitLine: splitLine(dark),
  };
}

type Band = Readonly<{ start: number; end: number; kind: 'full' | 'slot' }>;

function bands(restarts: ReadonlyArray<Band>) {
  return {
    silent: true,
    data: restarts.map((r) => [
      { xAxis: r.start, itemStyle: { color: r.kind === 'full' ? 'rgba(205, 66, 70, 0.18)' : 'rgba(200, 118, 25, 0.12)' } },
      { xAxis: Math.max(r.end, r.start + 1000) },
    ]),
  };
}

/** Time vs worker PID, one series per scoreboard slot; restarts as shaded bands. */
export function scatterOption(
  points: ReadonlyArray<WorkerPoint>,
  restarts: ReadonlyArray<Band>,
  fmt: Fmt,
  dark: boolean,
  range: Readonly<{ from: number; to: number }> | null,
  ui: ChartUi | null = null,
): ChartOption {
  const slots = [...new Set(points.map((p) => p.slot))].sort((a, b) => (a ?? -1) - (b ?? -1));
  const maxN = points.reduce((m, p) => Math.max(m, p.n), 1);
  return {
    animation: false,
    grid: { left: 64, right: 16, top: 32, bottom: 28 },
    legend: { top: 0, type: 'scroll', textStyle: { color: axisText(dark) } },
    ...interaction(
      ui,
      (tip) => (p: { data?: [number, number, number, string]; seriesName?: string }) => {
        const d = p.data;
        return d === undefined ? tip([]) : tip([`PID ${d[1]} · ${p.seriesName ?? ''}`, fmt(d[0]), `${d[2].toLocaleString('en-US')} requests`, d[3]]);
      },
      true,
    ),
    xAxis: timeAxis(fmt, dark, range),
    yAxis: { type: 'value', scale: true, name: 'PID', nameTextStyle: { color: axisText(dark) }, axisLabel: { color: axisText(dark) }, splitLine: splitLine(dark) },
    series: slots.map((slot, i) => ({
      type: 'scatter',
      name: slot === null ? 'no slot' : `slot ${slot}`,
      color: slotColor(slot),
      symbolSize: (v: [number, number, number]) => 4 + 6 * Math.sqrt(v[2] / maxN),
      data: points.filter((p) => p.slot === slot).map((p) => [p.t, p.y, p.n, p.child]),
      ...(i === 0 ? { markArea: bands(restarts) } : {}),
    })),
  };
}

type RectApi = { value: (i: number) => number; coord: (v: [number, number]) => [number, number]; size: (v: [number, number]) => [number, number] };

function rectItem(api: RectApi, color: string, minWidth: number) {
  const a = api.coord([api.value(0), api.value(2)]);
  const b = api.coord([api.value(1), api.value(2)]);
  const h = api.size([0, 1])[1] * 0.6;
  return { type: 'rect', shape: { x: a[0], y: a[1] - h / 2, width: Math.max(minWidth, b[0] - a[0]), height: h }, style: { fill: color } };
}

/** One row per scoreboard slot, one bar per child from its first to its last request seen. */
export function lifetimeOption(
  lifetimes: ReadonlyArray<WorkerLifetime>,
  restarts: ReadonlyArray<Band>,
  fmt: Fmt,
  dark: boolean,
  range: Readonly<{ from: number; to: number }> | null,
  ui: ChartUi | null = null,
): ChartOption {
  const slots = [...new Set(lifetimes.map((l) => l.slot))].sort((a, b) => (a ?? -1) - (b ?? -1));
  const row = new Map(slots.map((s, i) => [s, i]));
  return {
    animation: false,
    grid: { left: 64, right: 16, top: 8, bottom: 28 },
    ...interaction(
      ui,
      (tip) => (p: { dataIndex?: number }) => {
        const l = lifetimes[p.dataIndex ?? -1];
        return l === undefined ? tip([]) : tip([`slot ${l.slot ?? '-'} · PID ${l.pid ?? l.child}`, `${fmt(l.first)} – ${fmt(l.last)}`, `${l.n.toLocaleString('en-US')} requests logged, counter ${l.minCounter}–${l.maxCounter}`]);
      },
      false,
    ),
    xAxis: timeAxis(fmt, dark, range),
    yAxis: { type: 'category', data: slots.map((s) => (s === null ? '-' : `slot ${s}`)), axisLabel: { color: axisText(dark) } },
    series: [
      {
        type: 'custom',
        renderItem: (params: { dataIndex: number }, api: RectApi) => rectItem(api, slotColor(lifetimes[params.dataIndex]?.slot ?? null), 2),
        encode: { x: [0, 1], y: 2 },
        data: lifetimes.map((l) => [l.first, l.last, row.get(l.slot) ?? 0]),
        markArea: bands(restarts),
      },
    ],
  };
}

/** Requests served (counter span) but not logged, per child. */
export function gapsOption(gaps: ReadonlyArray<CounterGapRow>, fmt: Fmt, dark: boolean, ui: ChartUi | null = null): ChartOption {
  const top = gaps.slice(0, 40);
  return {
    animation: false,
    grid: { left: 64, right: 16, top: 8, bottom: 40 },
    ...interaction(
      ui,
      (tip) => (p: { dataIndex?: number }) => {
        const g = top[p.dataIndex ?? -1];
        return g === undefined ? tip([]) : tip([`PID ${g.pid ?? g.child} (slot ${g.slot ?? '-'})`, `${g.missing} requests served but not logged`, `${g.logged} logged of ${g.served} counted`, `${fmt(g.first)} – ${fmt(g.last)}`]);
      },
      false,
    ),
    xAxis: { type: 'category', data: top.map((g) => String(g.pid ?? g.child.slice(0, 10))), axisLabel: { color: axisText(dark), rotate: 30 } },
    yAxis: { type: 'value', name: 'missing', nameTextStyle: { color: axisText(dark) }, axisLabel: { color: axisText(dark) }, splitLine: splitLine(dark) },
    series: [{ type: 'bar', data: top.map((g) => g.missing), itemStyle: { color: '#cd4246' } }],
  };
}

/** Restart estimates (bars over their bounds) against auth.log Apache commands (points), on one time axis. */
export function restartsVsAuthOption(
  restarts: ReadonlyArray<RestartRow>,
  commands: ReadonlyArray<AuthCommandRow>,
  offsetMs: number,
  fmt: Fmt,
  dark: boolean,
  range: Readonly<{ from: number; to: number }> | null,
  ui: ChartUi | null = null,
): ChartOption {
  const rows = ['auth.log commands', 'slot recycles', 'full restarts'];
  return {
    animation: false,
    grid: { left: 120, right: 16, top: 8, bottom: 28 },
    ...interaction(
      ui,
      (tip) => (p: { seriesIndex?: number; dataIndex?: number }) => {
        if (p.seriesIndex === 0) {
          const r = restarts[p.dataIndex ?? -1];
          return r === undefined
            ? tip([])
            : tip([`${r.id}: ${r.kind === 'full' ? 'full restart' : `slot ${r.slots.join(', ')} recycle`} (${r.confidence})`, `${fmt(r.start)} – ${fmt(r.end)}`, r.authMatch === null ? 'no auth.log command' : `${r.authMatch.user ?? '?'}: ${r.authMatch.command}`]);
        }
        const c = commands[p.dataIndex ?? -1];
        return c === undefined ? tip([]) : tip([`${c.user ?? '?'}: ${c.command}`, fmt(c.time), c.matchedEstimateId === null ? 'no effect seen' : `explains ${c.matchedEstimateId}`]);
      },
      true,
    ),
    xAxis: timeAxis(fmt, dark, range),
    yAxis: { type: 'category', data: rows, axisLabel: { color: axisText(dark) } },
    series: [
      {
        type: 'custom',
        renderItem: (params: { dataIndex: number }, api: RectApi) => rectItem(api, restarts[params.dataIndex]?.kind === 'full' ? '#cd4246' : '#c87619', 4),
        encode: { x: [0, 1], y: 2 },
        data: restarts.map((r) => [r.start, r.end, r.kind === 'full' ? 2 : 1]),
      },
      {
        type: 'scatter',
        symbol: 'triangle',
        symbolSize: 12,
        data: commands.map((c) => ({ value: [c.time + offsetMs, 0], itemStyle: { color: c.matchedEstimateId === null ? '#8f99a8' : '#238551' } })),
      },
    ],
  };
}
