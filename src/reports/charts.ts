import * as echarts from 'echarts';
import { word, type Language } from './workbook-words.ts';

/** What a period chart shows: orders and revenue per local day, and each master's share. */
export interface ChartData {
  /** Every local date of the period (days without orders too), YYYY-MM-DD. */
  days: string[];
  byDay: ReadonlyArray<{ day: string; orders: number; revenue: string }>;
  masters: ReadonlyArray<{ name: string; share: string }>;
}

const WIDTH = 900;
const HEIGHT = 640;

/**
 * The chart as SVG, drawn server-side by Apache ECharts (no browser, no
 * DOM): orders (bars) and revenue (line) by day above, masters' shares
 * (bars) below. Labels in the reader's language.
 */
export function periodChartSvg(data: ChartData, lang: Language): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    const byDay = new Map(data.byDay.map((d) => [d.day, d]));
    const masters = [...data.masters].sort((a, b) => Number(b.share) - Number(a.share));
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: 'DejaVu Sans, sans-serif' },
      title: [
        { text: `${word('orders', lang)} / ${word('revenue', lang)}`, left: 'center', top: 4, textStyle: { fontSize: 15 } },
        { text: word('shares_by_master', lang), left: 'center', top: 340, textStyle: { fontSize: 15 } },
      ],
      legend: { top: 28, data: [word('orders', lang), word('revenue', lang)] },
      grid: [
        { left: 70, right: 80, top: 60, height: 240 },
        { left: 160, right: 80, top: 375, bottom: 30 },
      ],
      xAxis: [
        { type: 'category', gridIndex: 0, data: data.days.map((d) => `${d.slice(8)}.${d.slice(5, 7)}`) },
        { type: 'value', gridIndex: 1 },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0, name: word('orders', lang), minInterval: 1 },
        { type: 'value', gridIndex: 0, name: '₽', position: 'right' },
        { type: 'category', gridIndex: 1, data: masters.map((m) => m.name), inverse: true },
      ],
      series: [
        { name: word('orders', lang), type: 'bar', xAxisIndex: 0, yAxisIndex: 0, data: data.days.map((d) => byDay.get(d)?.orders ?? 0) },
        { name: word('revenue', lang), type: 'line', xAxisIndex: 0, yAxisIndex: 1, data: data.days.map((d) => Number(byDay.get(d)?.revenue ?? 0)) },
        {
          name: word('shares_by_master', lang),
          type: 'bar',
          xAxisIndex: 1,
          yAxisIndex: 2,
          data: masters.map((m) => Number(m.share)),
          label: { show: true, position: 'right' },
        },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * The chart as a PNG (Telegram photos, workbook images), rendered by resvg
 * with the system's fonts. resvg is a native package, loaded on first use:
 * where its binary is missing the service still starts, and reports go out
 * without their picture (null).
 */
export async function periodChartPng(data: ChartData, lang: Language): Promise<Buffer | null> {
  let Resvg: typeof import('@resvg/resvg-js').Resvg;
  try {
    ({ Resvg } = await import('@resvg/resvg-js'));
  } catch {
    return null;
  }
  return Buffer.from(new Resvg(periodChartSvg(data, lang), { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng());
}
