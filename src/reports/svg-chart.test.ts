/**
 * The SVG line chart: parse the output (a small regex parser: the renderer
 * emits flat attribute lists) and check each polyline's points invert back
 * to the data through the documented linear mapping.
 */
import { describe, expect, it } from 'vitest';
import { plotArea, renderLineChart } from './svg-chart';

function polylines(svg: string): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const m of svg.matchAll(/<polyline data-series="([^"]*)"[^>]*points="([^"]*)"/g)) {
    const pts =
      m[2].trim() === ''
        ? []
        : m[2]
            .trim()
            .split(/\s+/)
            .map((p) => p.split(',').map(Number) as [number, number]);
    out.set(m[1], pts);
  }
  return out;
}

describe('renderLineChart', () => {
  it('is well-formed SVG with one polyline per series', () => {
    const svg = renderLineChart(
      [
        { name: 'a', values: [1, 2, 3] },
        { name: 'b <&>', values: [3, 2, 1] },
      ],
      { title: 'T & U', labels: ['d0', 'd1', 'd2'] },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('T &amp; U');
    expect([...polylines(svg).keys()]).toEqual(['a', 'b &lt;&amp;&gt;']);
    // every opened element is self-closed or closed
    expect((svg.match(/<text/g) ?? []).length).toBe((svg.match(/<\/text>/g) ?? []).length);
  });

  it('maps every point linearly: x by index, y by value within [min, max]', () => {
    const a = [100, 105, 98, 120, 110];
    const b = [100, 101, 102, 103, 104];
    const svg = renderLineChart(
      [
        { name: 'a', values: a },
        { name: 'b', values: b },
      ],
      { width: 500, height: 300 },
    );
    const area = plotArea(
      [
        { name: 'a', values: a },
        { name: 'b', values: b },
      ],
      { width: 500, height: 300 },
    );
    expect(area).toMatchObject({ yMin: 98, yMax: 120, points: 5 });
    for (const [name, data] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const pts = polylines(svg).get(name)!;
      expect(pts).toHaveLength(data.length);
      pts.forEach(([px, py], i) => {
        expect(px).toBeCloseTo(area.left + (i * area.width) / 4, 1);
        // invert y: v = yMin + (top + h - py) / h * (yMax - yMin)
        const v = area.yMin + ((area.top + area.height - py) / area.height) * (area.yMax - area.yMin);
        expect(v).toBeCloseTo(data[i], 1);
      });
    }
    // the max sits on the top edge, the min on the bottom edge
    expect(polylines(svg).get('a')![3][1]).toBeCloseTo(area.top, 2);
    expect(polylines(svg).get('a')![2][1]).toBeCloseTo(area.top + area.height, 2);
  });

  it('skips NaN, draws a flat series mid-height, and survives empty input', () => {
    const svg = renderLineChart([{ name: 'x', values: [5, NaN, 5] }]);
    const pts = polylines(svg).get('x')!;
    expect(pts).toHaveLength(2);
    const area = plotArea([{ name: 'x', values: [5, NaN, 5] }]);
    expect(pts[0][1]).toBeCloseTo(area.top + area.height / 2, 2);
    expect(polylines(renderLineChart([{ name: 'e', values: [] }])).get('e')).toEqual([]);
    expect(renderLineChart([])).toContain('</svg>');
  });
});
