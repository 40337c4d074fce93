/**
 * Charts for the report as vector graphics: ECharts' server-side SVG renderer
 * (`init(null, null, { renderer: 'svg', ssr: true })` + `renderToSVGString()`), no DOM, no canvas.
 * Every SVG (drawn here or handed over by a provider) passes `safeSvg` before it is inlined: no
 * script, no foreign HTML, no event handlers, no external references.
 */
import * as echarts from 'echarts';
import type { ChartContext, ChartProvider, ChartSpec } from './report-inputs';

export type RenderedChart = Readonly<{ id: string; title: string; svg: string | null; caption: string; problem: string | null }>;

const FORBIDDEN: ReadonlyArray<RegExp> = [
  /<\s*script/iu,
  /<\s*foreignObject/iu,
  /<\s*(?:iframe|object|embed|image|img|use|a|animate|set|style|link|meta)[\s/>]/iu,
  /\son[a-z]+\s*=/iu,
  /(?:xlink:)?href\s*=/iu,
  /url\(\s*['"]?(?!#)/iu,
  /javascript:/iu,
  /\sstyle\s*=/iu,
  /<!ENTITY|<!DOCTYPE/iu,
];

/**
 * ECharts writes text styles as `style="font-size:12px;font-family:X"`; the report uses no style
 * attributes (the preview frame's CSP would drop them), so they become presentation attributes.
 */
export function styleToAttributes(svg: string): string {
  return svg.replace(/\sstyle="([^"]*)"/gu, (_m, style: string) => {
    const attrs: string[] = [];
    for (const decl of style.split(';')) {
      const colon = decl.indexOf(':');
      const prop = decl.slice(0, colon).trim().toLowerCase();
      const value = decl.slice(colon + 1).trim();
      if (colon < 0 || value === '') {
        continue;
      }
      if (prop === 'font') {
        const size = /(\d+(?:\.\d+)?px)\s(.*)$/u.exec(value);
        if (size !== null) {
          attrs.push(`font-size="${size[1] ?? ''}"`, `font-family="${(size[2] ?? '').trim()}"`);
        }
        if (/\bbold\b/u.test(value)) {
          attrs.push('font-weight="bold"');
        }
      } else if (/^(?:font-size|font-family|font-weight|font-style|fill|fill-opacity|stroke|stroke-width|opacity)$/u.test(prop)) {
        attrs.push(`${prop}="${value}"`);
      }
    }
    return attrs.length === 0 ? '' : ` ${attrs.join(' ')}`;
  });
}

/** The SVG when it is a plain drawing; null when it carries anything that could act or fetch. */
export function safeSvg(svgIn: string): string | null {
  const trimmed = styleToAttributes(svgIn.trim());
  if (!/^<svg[\s>]/u.test(trimmed) || !trimmed.endsWith('</svg>')) {
    return null;
  }
  return FORBIDDEN.some((re) => re.test(trimmed)) ? null : trimmed;
}

export function echartsToSvg(option: Record<string, unknown>, width = 720, height = 260): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, useUTC: true, ...option });
    // The SSR output ends with a <style> of hover rules: useless on paper, and styles are not allowed in.
    return chart.renderToSVGString().replace(/<style[^>]*>[\s\S]*?<\/style>/gu, '');
  } finally {
    chart.dispose();
  }
}

/** The providers that have something to draw in this case (what the report builder offers). */
export async function drawableCharts(providers: ReadonlyArray<ChartProvider>, ctx: ChartContext): Promise<Array<{ id: string; title: string }>> {
  const out: Array<{ id: string; title: string }> = [];
  for (const p of providers) {
    try {
      if ((await p.render(ctx)) !== null) {
        out.push({ id: p.id, title: p.title });
      }
    } catch {
      // A provider that fails is offered anyway: the report then says why it could not be drawn.
      out.push({ id: p.id, title: p.title });
    }
  }
  return out;
}

async function specToSvg(spec: ChartSpec): Promise<string> {
  return spec.kind === 'svg' ? spec.svg : echartsToSvg(spec.option, spec.width, spec.height);
}

/**
 * Runs the chosen providers; a failing provider gives a note in the report, never a broken report.
 * With no explicit choice every provider runs and those with nothing to draw are left out silently;
 * a chart the analyst chose that has nothing to draw says so.
 */
export async function renderCharts(providers: ReadonlyArray<ChartProvider>, chosen: ReadonlyArray<string> | undefined, ctx: ChartContext): Promise<RenderedChart[]> {
  const selected = chosen === undefined ? providers : chosen.map((id) => providers.find((p) => p.id === id)).filter((p): p is ChartProvider => p !== undefined);
  const out: RenderedChart[] = [];
  for (const p of selected) {
    try {
      const spec = await p.render(ctx);
      if (spec === null) {
        if (chosen === undefined) {
          continue;
        }
        out.push({ id: p.id, title: p.title, svg: null, caption: '', problem: 'Nothing to draw in this case.' });
        continue;
      }
      const svg = safeSvg(await specToSvg(spec));
      out.push({ id: p.id, title: p.title, svg, caption: spec.caption ?? '', problem: svg === null ? 'The chart was left out: its drawing contained active content.' : null });
    } catch (error) {
      out.push({ id: p.id, title: p.title, svg: null, caption: '', problem: `The chart could not be drawn: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return out;
}
