/**
 * A small dashboard-as-code kit: panels declare title, unit and queries;
 * the kit lays them out on Grafana's 24-column grid, numbers them and
 * fills in the JSON Grafana expects (schema of Grafana 11/12).
 */

/** Datasource uids fixed by grafana/provisioning/datasources/datasources.yml. */
const DS = {
  prometheus: { type: 'prometheus', uid: 'prometheus' },
  postgres: { type: 'grafana-postgresql-datasource', uid: 'repair-bot-postgres' },
} as const;

interface PromQuery {
  expr: string;
  legend?: string;
  /** One value per series (stat, table, bar gauge) instead of a range. */
  instant?: boolean;
  /** Ask for exemplars (trace_id links to Tempo); only raw histograms carry them. */
  exemplar?: boolean;
}

interface SqlQuery {
  sql: string;
  format: 'time_series' | 'table';
}

export interface PanelSpec {
  title: string;
  description?: string;
  type: 'timeseries' | 'stat' | 'table' | 'bargauge';
  /** A Grafana unit id (s, reqps, percentunit, short, ...). Every panel states one. */
  unit: string;
  queries?: PromQuery[];
  sql?: SqlQuery[];
  w?: number;
  h?: number;
  /** Draws a dashed threshold line at this value (the 100 ms SLO). */
  sloLine?: number;
  /** Colour steps: [value, colour] after a base colour. */
  steps?: Array<[number, string]>;
  baseColor?: string;
  stack?: boolean;
  min?: number;
  max?: number;
  decimals?: number;
  mappings?: unknown[];
}

interface VariableSpec {
  name: string;
  label: string;
  /** label_values(metric, label) */
  metric: string;
  labelName: string;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  time?: string;
  variables?: VariableSpec[];
  panels: PanelSpec[];
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function refId(i: number): string {
  return REF_IDS[i] ?? `Q${i}`;
}

function promTarget(q: PromQuery, i: number, table: boolean): Record<string, unknown> {
  return {
    refId: refId(i),
    datasource: DS.prometheus,
    expr: q.expr,
    legendFormat: q.legend ?? '__auto',
    range: !q.instant,
    instant: Boolean(q.instant),
    // Stat and bar gauge panels want one series per value; only tables want rows.
    format: table ? 'table' : 'time_series',
    exemplar: Boolean(q.exemplar),
    editorMode: 'code',
  };
}

function sqlTarget(q: SqlQuery, i: number): Record<string, unknown> {
  return { refId: refId(i), datasource: DS.postgres, rawSql: q.sql, format: q.format, rawQuery: true, editorMode: 'code' };
}

function thresholds(p: PanelSpec): Record<string, unknown> {
  const base = { color: p.baseColor ?? 'green', value: null };
  const steps = p.sloLine !== undefined ? [[p.sloLine, 'red'] as [number, string]] : (p.steps ?? []);
  return { mode: 'absolute', steps: [base, ...steps.map(([value, color]) => ({ color, value }))] };
}

function fieldConfig(p: PanelSpec): Record<string, unknown> {
  const custom: Record<string, unknown> =
    p.type === 'timeseries'
      ? {
          drawStyle: 'line',
          lineWidth: 1,
          fillOpacity: p.stack ? 30 : 10,
          showPoints: 'never',
          spanNulls: false,
          stacking: { mode: p.stack ? 'normal' : 'none', group: 'A' },
          thresholdsStyle: { mode: p.sloLine !== undefined ? 'dashed' : 'off' },
        }
      : {};
  return {
    defaults: {
      unit: p.unit,
      ...(p.min !== undefined ? { min: p.min } : {}),
      ...(p.max !== undefined ? { max: p.max } : {}),
      ...(p.decimals !== undefined ? { decimals: p.decimals } : {}),
      color: { mode: p.type === 'stat' || p.type === 'bargauge' ? 'thresholds' : 'palette-classic' },
      thresholds: thresholds(p),
      mappings: p.mappings ?? [],
      custom,
    },
    overrides: [],
  };
}

function options(p: PanelSpec): Record<string, unknown> {
  switch (p.type) {
    case 'timeseries':
      return {
        legend: { displayMode: 'table', placement: 'right', calcs: ['mean', 'max', 'lastNotNull'], showLegend: true },
        tooltip: { mode: 'multi', sort: 'desc' },
      };
    case 'stat':
      return {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'area',
        textMode: 'auto',
        justifyMode: 'auto',
        orientation: 'auto',
      };
    case 'bargauge':
      return { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, orientation: 'horizontal', displayMode: 'gradient', showUnfilled: true };
    case 'table':
      return { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], fields: '' } };
  }
}

function defaultSize(p: PanelSpec): { w: number; h: number } {
  if (p.type === 'stat') return { w: p.w ?? 6, h: p.h ?? 4 };
  return { w: p.w ?? 12, h: p.h ?? 8 };
}

/** Builds the dashboard JSON: panels placed left to right, wrapping at 24 columns. */
export function dashboard(spec: DashboardSpec): Record<string, unknown> {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const panels = spec.panels.map((p, index) => {
    const { w, h } = defaultSize(p);
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    const usesSql = Boolean(p.sql?.length);
    const targets = usesSql ? (p.sql ?? []).map(sqlTarget) : (p.queries ?? []).map((q, i) => promTarget(q, i, p.type === 'table'));
    return {
      id: index + 1,
      type: p.type,
      title: p.title,
      ...(p.description ? { description: p.description } : {}),
      datasource: usesSql ? DS.postgres : DS.prometheus,
      gridPos,
      targets,
      fieldConfig: fieldConfig(p),
      options: options(p),
      ...(p.type === 'table'
        ? {
            transformations: [
              { id: 'merge', options: {} },
              { id: 'organize', options: { excludeByName: { Time: true } } },
            ],
          }
        : {}),
    };
  });
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    editable: false,
    graphTooltip: 1,
    schemaVersion: 41,
    version: 1,
    timezone: 'browser',
    refresh: '30s',
    time: { from: spec.time ?? 'now-1h', to: 'now' },
    links: [{ title: 'Repair Bot', type: 'dashboards', tags: ['repair-bot'], asDropdown: true, includeVars: false, keepTime: true }],
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    templating: {
      list: (spec.variables ?? []).map((v) => ({
        name: v.name,
        label: v.label,
        type: 'query',
        datasource: DS.prometheus,
        definition: `label_values(${v.metric}, ${v.labelName})`,
        query: { qryType: 1, query: `label_values(${v.metric}, ${v.labelName})`, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
        refresh: 2,
        sort: 1,
        multi: true,
        includeAll: true,
        allValue: '.*',
        current: { selected: true, text: ['All'], value: ['$__all'] },
        options: [],
        hide: 0,
      })),
    },
    panels,
  };
}

/** histogram_quantile over a recorded or raw bucket rate, grouped by `by`. */
export function quantile(q: number, buckets: string, by: string[] = []): string {
  return `histogram_quantile(${q}, sum by (${[...by, 'le'].join(', ')}) (${buckets}))`;
}
