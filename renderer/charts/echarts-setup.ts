import { BarChart, ScatterChart } from 'echarts/charts';
import { BrushComponent, GridComponent, TooltipComponent } from 'echarts/components';
import { init, use as registerModules } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

/**
 * The only place ECharts is imported for drawing: the modules the app's charts use, registered
 * once (tree-shaken; the canvas renderer on screen). Import this module lazily (with the chart).
 */
registerModules([BarChart, ScatterChart, GridComponent, TooltipComponent, BrushComponent, CanvasRenderer]);

export { init as initChart };
export type { ECharts as EChartsInstance, EChartsCoreOption } from 'echarts/core';
