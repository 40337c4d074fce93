import { describe, expect, it } from 'vitest';
import { drawableCharts, echartsToSvg, renderCharts, safeSvg } from './charts';

const ctx = { caseInfo: { name: 'c', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', createdUtc: '', modifiedUtc: '', path: '/x', eventCount: 0 }, zone: 'UTC' };

describe('report charts', () => {
  it('draws an ECharts option as SVG on the server, escaping series names', () => {
    const svg = echartsToSvg({ xAxis: { type: 'time' }, yAxis: { type: 'value' }, legend: {}, series: [{ name: '<script>x</script>', type: 'bar', data: [[0, 1], [60_000, 2]] }] }, 400, 200);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('&lt;script&gt;');
    const safe = safeSvg(svg) ?? '';
    expect(safe).not.toMatch(/\sstyle=/u);
    expect(safe).toMatch(/<text[^>]* font-size="12px"/u);
  });

  it('refuses SVG with anything active or fetching', () => {
    for (const bad of [
      '<svg><script>1</script></svg>',
      '<svg><rect onload="x"/></svg>',
      '<svg><foreignObject><div/></foreignObject></svg>',
      '<svg><image href="http://x/y.png"/></svg>',
      '<svg><a xlink:href="javascript:1"><rect/></a></svg>',
      '<svg><rect style="fill:url(http://x)"/></svg>',
      '<div>not svg</div>',
    ]) {
      expect(safeSvg(bad)).toBeNull();
    }
    expect(safeSvg('<svg><rect clip-path="url(#c)" fill="#fff"/></svg>')).not.toBeNull();
  });

  it('keeps the chosen order, and a failing provider becomes a note', async () => {
    const out = await renderCharts(
      [
        { id: 'a', title: 'A', render: () => ({ kind: 'svg', svg: '<svg><rect/></svg>' }) },
        { id: 'b', title: 'B', render: () => { throw new Error('boom'); } },
        { id: 'c', title: 'C', render: () => null },
      ],
      ['c', 'b', 'a', 'missing'],
      ctx,
    );
    expect(out.map((c) => c.id)).toEqual(['c', 'b', 'a']);
    expect(out[1]?.problem).toMatch(/boom/u);
    expect(out[0]?.problem).toMatch(/Nothing to draw/u);
    expect(out[2]?.svg).toBe('<svg><rect/></svg>');
  });

  it('without an explicit choice, charts with nothing to draw are left out, and only drawable ones are offered', async () => {
    const providers = [
      { id: 'a', title: 'A', render: () => ({ kind: 'svg', svg: '<svg><rect/></svg>' }) as const },
      { id: 'c', title: 'C', render: () => null },
      { id: 'b', title: 'B', render: () => { throw new Error('boom'); } },
    ];
    expect((await renderCharts(providers, undefined, ctx)).map((c) => c.id)).toEqual(['a', 'b']);
    expect(await drawableCharts(providers, ctx)).toEqual([{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }]);
  });
});
