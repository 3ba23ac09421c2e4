import { readdirSync } from 'node:fs';
import { readYaml } from './files.ts';

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: Rule[];
}

export const RULE_FILES = readdirSync(new URL('../../../prometheus/rules/', import.meta.url))
  .filter((f) => f.endsWith('.yml'))
  .sort()
  .map((f) => `prometheus/rules/${f}`);

export function ruleGroups(): RuleGroup[] {
  return RULE_FILES.flatMap((f) => readYaml<{ groups: RuleGroup[] }>(f).groups);
}

export function alertRules(): Rule[] {
  return ruleGroups().flatMap((g) => g.rules.filter((r) => r.alert));
}

export function recordingRules(): Rule[] {
  return ruleGroups().flatMap((g) => g.rules.filter((r) => r.record));
}
