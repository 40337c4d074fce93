/**
 * The analysis panels' charts in the report, drawn from the same pure option builders the panels
 * use (shared/charts) over the same services: worker PIDs and worker lifetimes (UNIQUE_ID cache),
 * restarts against auth.log commands, and the TCP and scoreboard state mixes of the host-state
 * captures. Static drawings (no tooltip, no brush), light colours, the report's bundled font, UTC
 * axes. Each provider returns null when the case has nothing for it, so only drawable charts are offered.
 */
import type { ChartOption } from '../../../shared/charts/chart-option';
import { stateMixOption, type MixKind, type MixRow } from '../../../shared/charts/state-mix';
import { lifetimeOption, restartsVsAuthOption, scatterOption } from '../../../shared/charts/worker-charts';
import type { RestartsData, WorkersData } from '../../../shared/domain/process';
import type { ReadableDb } from '../../db/connection/sql';
import { listSnapshots } from '../hoststate-service';
import type { ChartContext, ChartProvider, ChartSpec } from './report-inputs';

/** What the process charts read (ProcessService in the app; fakes in tests). */
export type ProcessSource = Readonly<{ workers: () => WorkersData; restarts: () => RestartsData }>;

const WIDTH = 720;
/** Axis labels in UTC, month-day hour:minute (the captions say UTC). */
const utcLabel = (ms: number): string => new Date(ms).toISOString().slice(5, 16).replace('T', ' ');
const utcTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/**
 * The report's look on a panel option: its bundled font, no animation, fewer and smaller time-axis
 * labels (the server measures text only roughly, so labels get room to spare).
 */
function forPrint(option: ChartOption): ChartOption {
  const xAxis = option['xAxis'] as Record<string, unknown> | undefined;
  const timeAxis =
    xAxis?.['type'] === 'time'
      ? { xAxis: { ...xAxis, splitNumber: 5, axisLabel: { ...(xAxis['axisLabel'] as Record<string, unknown> | undefined), fontSize: 10, hideOverlap: true } } }
      : {};
  const legend = option['legend'] as Record<string, unknown> | undefined;
  const roomyLegend = legend === undefined ? {} : { legend: { itemGap: 20, ...legend, type: 'plain' } };
  return { ...option, ...timeAxis, ...roomyLegend, animation: false, textStyle: { fontFamily: 'DossierSans' } };
}

function spec(option: ChartOption, height: number, caption: string): ChartSpec {
  return { kind: 'echarts', option: forPrint(option), width: WIDTH, height, caption };
}

/**
 * Reads a service once per report (several charts share the workers and restarts data): the chart
 * context is one object per report, so it keys the memo and the data is never stale across reports.
 */
function perReport<T>(read: () => T): (ctx: ChartContext) => T {
  const memo = new WeakMap<ChartContext, { v: T }>();
  return (ctx) => {
    let hit = memo.get(ctx);
    if (hit === undefined) {
      hit = { v: read() };
      memo.set(ctx, hit);
    }
    return hit.v;
  };
}

/**
 * Restarts as shaded bands, widened to at least ~0.6% of the shown range: a restart lasts seconds,
 * which on paper over days would be thinner than a hairline.
 */
function bandsOf(restarts: RestartsData, range: Readonly<{ from: number; to: number }> | null): Array<{ start: number; end: number; kind: 'full' | 'slot' }> {
  const pad = range === null ? 0 : (range.to - range.from) * 0.003;
  return restarts.estimates.map((r) => ({ start: r.start - pad, end: r.end + pad, kind: r.kind }));
}

/** Worker PIDs over time, worker lifetimes per slot, restarts vs auth.log. */
export function processCharts(source: ProcessSource): ChartProvider[] {
  const workers = perReport(source.workers);
  const restarts = perReport(source.restarts);
  const hasWorkers = (w: WorkersData): boolean => w.available && w.points.length > 0;
  return [
    {
      id: 'workers-pid',
      title: 'Apache worker PIDs over time',
      render: (ctx) => {
        const w = workers(ctx);
        if (!hasWorkers(w)) {
          return null;
        }
        const r = restarts(ctx);
        const layouts = [...new Set(w.evidence.flatMap((e) => e.layouts))].join(', ');
        const option = scatterOption(w.points, bandsOf(r, w.range), utcLabel, false, w.range);
        // On paper the legend wraps (no scrolling): right of the axis name, a row per ten slots.
        const legendRows = Math.ceil(new Set(w.points.map((p) => p.slot)).size / 10);
        return spec(
          { ...option, legend: { ...(option['legend'] as Record<string, unknown>), left: 96, right: 16 }, grid: { ...(option['grid'] as Record<string, unknown>), top: 10 + 24 * legendRows } },
          280 + 24 * legendRows,
          `${w.decodedRequests.toLocaleString('en')} requests with a UNIQUE_ID (${layouts} layout), one colour per scoreboard slot; ` +
            `shaded: estimated restarts (red: full, orange: slot recycles). UTC axis.`,
        );
      },
    },
    {
      id: 'worker-lifetimes',
      title: 'Apache worker lifetimes by scoreboard slot',
      render: (ctx) => {
        const w = workers(ctx);
        if (!hasWorkers(w) || w.lifetimes.length === 0) {
          return null;
        }
        const slots = new Set(w.lifetimes.map((l) => l.slot)).size;
        return spec(
          lifetimeOption(w.lifetimes, bandsOf(restarts(ctx), w.range), utcLabel, false, w.range),
          Math.min(640, 60 + 18 * slots),
          `${w.lifetimes.length.toLocaleString('en')} worker children from their first to their last logged request, one row per slot. UTC axis.`,
        );
      },
    },
    {
      id: 'restarts-vs-auth',
      title: 'Apache restarts against auth.log commands',
      render: (ctx) => {
        const r = restarts(ctx);
        if (r.estimates.length === 0 && r.authCommands.length === 0) {
          return null;
        }
        // The workers' range when there is one, so this chart lines up with the worker charts above it.
        const w = workers(ctx);
        const times = [...r.estimates.flatMap((e) => [e.start, e.end]), ...r.authCommands.map((c) => c.time), ...(w.range === null ? [] : [w.range.from, w.range.to])];
        const from = Math.min(...times);
        const to = Math.max(...times);
        const pad = Math.max(60_000, (to - from) * 0.01);
        const matched = r.authCommands.filter((c) => c.matchedEstimateId !== null).length;
        const offset = r.clockOffset === null ? 'no matched pairs to suggest a clock offset' : `suggested auth.log clock offset ${r.clockOffset.medianS} s (spread ${r.clockOffset.spreadS} s, ${r.clockOffset.pairs} pairs)`;
        return spec(
          { ...restartsVsAuthOption(r.estimates, r.authCommands, 0, utcLabel, false, { from: from - pad, to: to + pad }), grid: { left: 28, right: 16, top: 8, bottom: 28, containLabel: true } },
          160,
          `${r.estimates.length} restart estimates (bars over their bounds) and ${r.authCommands.length} Apache commands from auth.log (triangles; green: ${matched} explain a restart); ` +
            `${offset}. UTC axis, times as recorded.`,
        );
      },
    },
  ];
}

function mixChart(db: () => ReadableDb, id: string, title: string, kind: MixKind): ChartProvider {
  return {
    id,
    title,
    render: () => {
      const captures = listSnapshots(db(), kind === 'tcp' ? 'netstat' : 'server_status');
      const rows: MixRow[] = captures.map((c) => ({
        label: c.captureTs === null ? c.evidencePath.slice(-24) : utcLabel(c.captureTs),
        counts: c.summary.kind === 'netstat' ? c.summary.states : c.summary.kind === 'server_status' ? c.summary.scoreboardCounts : {},
      }));
      const skip = kind === 'scoreboard' ? ['.'] : [];
      if (rows.every((r) => Object.entries(r.counts).every(([k, v]) => v === 0 || skip.includes(k)))) {
        return null;
      }
      const option = stateMixOption(rows, kind, skip);
      const list = captures.map((c) => `${c.evidencePath} (${c.captureTs === null ? 'time unknown' : utcTime(c.captureTs)})`).join('; ');
      return spec(
        { ...option, tooltip: undefined, legend: { bottom: 0, itemGap: 28, type: 'plain', textStyle: { fontSize: 10 } }, grid: { left: 8, right: 16, top: 8, bottom: 36, containLabel: true } },
        Math.min(480, 90 + 32 * rows.length),
        `${kind === 'tcp' ? 'TCP connection states' : 'Scoreboard modes (open slots left out)'} per capture: ${list}.`,
      );
    },
  };
}

/** The TCP state mix (netstat/ss captures) and the scoreboard mix (server-status captures). */
export function hostStateCharts(db: () => ReadableDb): ChartProvider[] {
  return [mixChart(db, 'tcp-state-mix', 'TCP state mix', 'tcp'), mixChart(db, 'scoreboard-mix', 'Apache scoreboard state mix', 'scoreboard')];
}
