import { describe, expect, it } from 'vitest';
import { dashboards, render } from '../../grafana/src/build.ts';
import { compose, readYaml } from './support/files.ts';
import { loadDashboards, provisionedDatasources } from './support/dashboards.ts';

const loaded = loadDashboards();

describe('Grafana dashboards', () => {
  it('are the committed output of grafana/src (node grafana/src/build.ts)', () => {
    expect(loaded.map((d) => d.file)).toEqual(Object.keys(dashboards).sort());
    for (const { file, text } of loaded) expect(text, `${file} is stale: run node grafana/src/build.ts`).toBe(render(dashboards[file] ?? {}));
  });

  it('cover service RED, database, bot and business, with unique uids', () => {
    const uids = loaded.map((d) => d.json.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids.sort()).toEqual(['repair-bot-business', 'repair-bot-database', 'repair-bot-service', 'repair-bot-telegram']);
  });

  it('number their panels uniquely and give every panel a unit', () => {
    for (const { file, json } of loaded) {
      const ids = json.panels.map((p) => p.id);
      expect(new Set(ids).size, `${file} panel ids`).toBe(ids.length);
      for (const panel of json.panels) {
        expect(panel.fieldConfig?.defaults?.unit, `${file} "${panel.title}" unit`).toMatch(/\S/);
        expect(panel.targets?.length, `${file} "${panel.title}" queries`).toBeGreaterThan(0);
      }
    }
  });

  it('use only datasource uids that provisioning defines, with the matching type', () => {
    // Setup
    const known = new Map(provisionedDatasources().map((d) => [d.uid, d.type]));
    const used: Array<{ where: string; uid: string; type: string }> = [];
    for (const { file, json } of loaded) {
      for (const panel of json.panels) {
        const all = [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)];
        for (const ds of all) if (ds) used.push({ where: `${file} "${panel.title}"`, ...ds });
      }
      for (const v of json.templating.list) if (v.datasource) used.push({ where: `${file} $${v.name}`, uid: v.datasource.uid, type: 'prometheus' });
    }

    // Assertions
    expect(used.length).toBeGreaterThan(40);
    for (const u of used) expect(known.get(u.uid), `${u.where} uses ${u.uid}`).toBe(u.type);
  });

  it('link Prometheus exemplars to the trace store by trace_id', () => {
    const sources = provisionedDatasources();
    const prometheus = sources.find((d) => d.type === 'prometheus');
    const link = prometheus?.jsonData?.exemplarTraceIdDestinations?.[0];
    expect(link?.name).toBe('trace_id');
    expect(sources.find((d) => d.uid === link?.datasourceUid)?.type).toBe('tempo');
    const withExemplars = loaded.flatMap((d) => d.json.panels.filter((p) => p.targets?.some((t) => t.exemplar)));
    expect(withExemplars.length).toBeGreaterThanOrEqual(2);
  });

  it('draw the 100 ms SLO line on every latency-by-route panel of the service dashboard', () => {
    const service = loaded.find((d) => d.json.uid === 'repair-bot-service')?.json;
    const latency = (service?.panels ?? []).filter((p) => /^p(50|95|99) latency by route$/.test(p.title));
    expect(latency).toHaveLength(3);
    for (const p of latency) {
      const defaults = p.fieldConfig?.defaults as {
        unit: string;
        thresholds: { steps: Array<{ value: number | null }> };
        custom: { thresholdsStyle: { mode: string } };
      };
      expect(defaults.unit).toBe('s');
      expect(defaults.thresholds.steps.map((s) => s.value)).toContain(0.1);
      expect(defaults.custom.thresholdsStyle.mode).toBe('dashed');
    }
  });

  it('are provisioned from the folder that compose mounts into Grafana', () => {
    const provider = readYaml<{ providers: Array<{ options: { path: string } }> }>('grafana/provisioning/dashboards/dashboards.yml').providers[0];
    const mounts = (compose().services.grafana?.volumes ?? []) as string[];
    expect(mounts).toContain(`./grafana/dashboards:${provider?.options.path}:ro`);
    expect(mounts).toContain('./grafana/provisioning:/etc/grafana/provisioning:ro');
  });
});
