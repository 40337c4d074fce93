/**
 * The tooltips of the Apache workers charts (shared/charts/worker-charts.ts): DOM built from text
 * nodes, never HTML strings (PIDs and commands come from hostile logs).
 */
import type { ChartUi } from '../../../shared/charts/chart-option';

function tip(lines: ReadonlyArray<string>): HTMLElement {
  const root = document.createElement('div');
  root.className = 'dossier-proc-tip';
  lines.forEach((text, i) => {
    const d = document.createElement('div');
    d.textContent = text;
    if (i === 0) {
      d.style.fontWeight = '600';
    }
    root.append(d);
  });
  return root;
}

export const PANEL_CHART_UI: ChartUi = { tip };
