import { readdirSync, readFileSync } from 'node:fs';
import { readYaml, repoPath } from './files.ts';

export interface Target {
  refId: string;
  datasource?: { type: string; uid: string };
  expr?: string;
  rawSql?: string;
  instant?: boolean;
  exemplar?: boolean;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: Target[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; datasource?: { uid: string }; query: { query: string } | string; allValue?: string }> };
}

const DASHBOARD_FILES = readdirSync(repoPath('grafana/dashboards'))
  .filter((f) => f.endsWith('.json'))
  .sort();

export function loadDashboards(): Array<{ file: string; text: string; json: Dashboard }> {
  return DASHBOARD_FILES.map((file) => {
    const text = readFileSync(repoPath('grafana/dashboards', file), 'utf8');
    return { file, text, json: JSON.parse(text) as Dashboard };
  });
}

export interface ProvisionedDatasource {
  uid: string;
  type: string;
  jsonData?: { exemplarTraceIdDestinations?: Array<{ name: string; datasourceUid: string }> };
}

export function provisionedDatasources(): ProvisionedDatasource[] {
  return readYaml<{ datasources: ProvisionedDatasource[] }>('grafana/provisioning/datasources/datasources.yml').datasources;
}

/**
 * What Grafana substitutes before it sends a panel's query, for a short
 * live run: rate windows long enough for a few 1 s scrapes, and "All" for
 * every template variable (its allValue, a regex).
 */
export function expandForLiveRun(text: string, variables: Dashboard['templating']['list']): string {
  let out = text.replaceAll('$__rate_interval', '30s').replaceAll('$__range', '5m').replaceAll('$__interval', '5s');
  for (const v of variables) out = out.replaceAll(`$${v.name}`, v.allValue ?? '.*');
  return out;
}
