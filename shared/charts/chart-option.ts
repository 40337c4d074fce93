/**
 * The chart builders of shared/charts return plain ECharts option objects (no echarts import here:
 * shared/ stays pure; the renderer hands them to `useEChart`, the report to the SVG renderer).
 */
export type ChartOption = Record<string, unknown>;

/** What an interactive chart adds: tooltips built by the caller (DOM in the renderer). */
export type ChartUi = Readonly<{ tip: (lines: ReadonlyArray<string>) => unknown }>;
