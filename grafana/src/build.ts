// Writes the dashboards as JSON for Grafana's file provisioning:
//   node grafana/src/build.ts
// test/stack/dashboards.test.ts fails when the committed JSON differs from this output.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { botDashboard } from './dashboards/bot.ts';
import { businessDashboard } from './dashboards/business.ts';
import { databaseDashboard } from './dashboards/database.ts';
import { serviceDashboard } from './dashboards/service.ts';

export const dashboards: Record<string, Record<string, unknown>> = {
  'service.json': serviceDashboard,
  'database.json': databaseDashboard,
  'bot.json': botDashboard,
  'business.json': businessDashboard,
};

export const DASHBOARD_DIR = fileURLToPath(new URL('../dashboards/', import.meta.url));

export function render(json: Record<string, unknown>): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [file, json] of Object.entries(dashboards)) {
    await writeFile(new URL(`../dashboards/${file}`, import.meta.url), render(json));
  }
  process.stdout.write(`wrote ${Object.keys(dashboards).length} dashboards to ${DASHBOARD_DIR}\n`);
}
