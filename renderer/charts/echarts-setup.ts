import { BarChart, CustomChart, ScatterChart } from 'echarts/charts';
import { BrushComponent, DataZoomComponent, GridComponent, LegendComponent, MarkAreaComponent, TooltipComponent } from 'echarts/components';
import { init, use as registerModules } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

/**
 * The only place ECharts is imported for drawing: the modules the app's charts use, registered
 * once (tree-shaken; the canvas renderer on screen). Import this module lazily (with the chart).
 */
registerModules([BarChart, CustomChart, ScatterChart, GridComponent, TooltipComponent, BrushComponent, DataZoomComponent, LegendComponent, MarkAreaComponent, CanvasRenderer]);

export { init as initChart };
export type { ECharts as EChartsInstance, EChartsCoreOption } from 'echarts/core';
