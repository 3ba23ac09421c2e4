import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as echarts from 'echarts';

export interface MixPoint {
  target: 'service' | 'floor';
  rate: number;
  p95: number;
  p99: number;
  dropped: number;
  requests: number;
  cpu_ms_per_request: number;
  net_cpu_ms_per_request: number;
  [more: string]: unknown;
}

/**
 * p95 and p99 against the offered rate, service and floor, as SVG (ECharts,
 * server-side) and PNG (resvg), for BENCHMARKS.md. The latency axis is
 * logarithmic: a saturated target's seconds and a healthy one's
 * milliseconds stay readable on one chart.
 */
export async function writeMixPlot(points: MixPoint[], dir: string): Promise<void> {
  const rates = [...new Set(points.map((p) => p.rate))].sort((a, b) => a - b);
  const line = (target: MixPoint['target'], q: 'p95' | 'p99') => ({
    name: `${target} ${q}`,
    type: 'line' as const,
    symbolSize: 7,
    lineStyle: { type: q === 'p99' ? ('dashed' as const) : ('solid' as const), width: 2 },
    itemStyle: { color: target === 'service' ? '#c0392b' : '#2471a3' },
    data: rates.map((r) => {
      const p = points.find((x) => x.rate === r && x.target === target);
      return p ? [r, Math.max(0.1, p[q])] : [r, null];
    }),
  });
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 900, height: 520 });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: 'DejaVu Sans, sans-serif' },
      title: { text: 'Open-model mix: latency vs offered rate (service and bare floor, same run)', left: 'center', top: 6, textStyle: { fontSize: 15 } },
      legend: { top: 34, itemGap: 24 },
      grid: { left: 80, right: 40, top: 75, bottom: 60 },
      xAxis: { type: 'value', name: 'offered rate, requests/s', nameLocation: 'middle', nameGap: 32, min: 'dataMin', max: 'dataMax' },
      yAxis: { type: 'log', name: 'ms', logBase: 10 },
      series: [line('service', 'p95'), line('service', 'p99'), line('floor', 'p95'), line('floor', 'p99')],
    });
    const svg = chart.renderToSVGString();
    writeFileSync(path.join(dir, 'mix.svg'), svg);
    const { Resvg } = await import('@resvg/resvg-js');
    const png = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
    writeFileSync(path.join(dir, 'mix.png'), png);
  } finally {
    chart.dispose();
  }
}
