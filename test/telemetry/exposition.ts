/**
 * A strict parser for the two exposition formats a scraper may get from
 * /metrics: Prometheus text 0.0.4 and OpenMetrics 1.0. It rejects what
 * Prometheus itself would (bad names, bad label syntax, samples outside
 * their family, duplicate series, histograms whose buckets are not
 * cumulative or disagree with _count, a missing or early # EOF), so a
 * passing parse means a real scraper reads the output the same way.
 */
interface Exemplar {
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  exemplar?: Exemplar;
}

export interface Family {
  name: string;
  type: string;
  help?: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped', 'unknown', 'info', 'stateset', 'gaugehistogram']);

function parseNumber(text: string, line: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad number "${text}" in: ${line}`);
  return Number(text);
}

/** Parses `{a="x",b="y"}` starting at `pos`; returns the labels and the index after `}`. */
function parseLabels(line: string, pos: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = pos + 1;
  while (line[i] !== '}') {
    const eq = line.indexOf('=', i);
    if (eq < 0) throw new Error(`bad labels in: ${line}`);
    const name = line.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`bad label name "${name}" in: ${line}`);
    if (name in labels) throw new Error(`duplicate label "${name}" in: ${line}`);
    if (line[eq + 1] !== '"') throw new Error(`unquoted label value in: ${line}`);
    let value = '';
    let j = eq + 2;
    for (; j < line.length && line[j] !== '"'; j++) {
      if (line[j] === '\\') {
        const next = line[++j];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`bad escape in: ${line}`);
      } else value += line[j];
    }
    if (j >= line.length) throw new Error(`unterminated label value in: ${line}`);
    labels[name] = value;
    i = j + 1;
    if (line[i] === ',') i++;
    else if (line[i] !== '}') throw new Error(`expected , or } in: ${line}`);
  }
  return [labels, i + 1];
}

function parseSample(line: string, openMetrics: boolean): Sample {
  const nameEnd = line.search(/[{ ]/);
  if (nameEnd < 0) throw new Error(`bad sample: ${line}`);
  const name = line.slice(0, nameEnd);
  if (!NAME.test(name)) throw new Error(`bad metric name "${name}"`);
  let labels: Record<string, string> = {};
  let rest = nameEnd;
  if (line[nameEnd] === '{') [labels, rest] = parseLabels(line, nameEnd);
  if (line[rest] !== ' ') throw new Error(`expected a space before the value: ${line}`);
  const [sampleText, exemplarText] = line.slice(rest + 1).split(' # ');
  const parts = sampleText!.split(' ');
  if (parts.length < 1 || parts.length > 2 || parts.some((p) => p === '')) throw new Error(`bad value/timestamp: ${line}`);
  const sample: Sample = { name, labels, value: parseNumber(parts[0]!, line) };
  if (parts[1] !== undefined) parseNumber(parts[1], line);
  if (exemplarText !== undefined) {
    if (!openMetrics) throw new Error(`exemplar in Prometheus text: ${line}`);
    if (exemplarText[0] !== '{') throw new Error(`bad exemplar: ${line}`);
    const [exLabels, after] = parseLabels(exemplarText, 0);
    const ex = exemplarText.slice(after).trim().split(' ');
    if (ex.length < 1 || ex.length > 2) throw new Error(`bad exemplar value: ${line}`);
    const size = Object.entries(exLabels).reduce((n, [k, v]) => n + k.length + v.length, 0);
    if (size > 128) throw new Error(`exemplar labels over 128 characters: ${line}`);
    sample.exemplar = { labels: exLabels, value: parseNumber(ex[0]!, line), ...(ex[1] ? { timestamp: parseNumber(ex[1], line) } : {}) };
  }
  return sample;
}

/** Sample names a family may hold, by format and type. */
function allowedNames(family: Family, openMetrics: boolean): string[] {
  const n = family.name;
  switch (family.type) {
    case 'counter':
      return openMetrics ? [`${n}_total`, `${n}_created`] : [n];
    case 'histogram':
      return [`${n}_bucket`, `${n}_sum`, `${n}_count`, ...(openMetrics ? [`${n}_created`] : [])];
    case 'summary':
      return [n, `${n}_sum`, `${n}_count`, ...(openMetrics ? [`${n}_created`] : [])];
    case 'info':
      return [`${n}_info`];
    default:
      return [n];
  }
}

function seriesKey(s: Sample): string {
  return `${s.name}{${Object.entries(s.labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
}

function checkHistogram(f: Family): void {
  const groups = new Map<string, { buckets: Array<[number, number]>; count?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = seriesKey({ ...s, name: '', labels: rest });
    const g = groups.get(key) ?? { buckets: [] };
    groups.set(key, g);
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${f.name}: bucket without le`);
      g.buckets.push([parseNumber(le, s.name), s.value]);
    } else if (s.name.endsWith('_count')) g.count = s.value;
  }
  for (const [key, g] of groups) {
    for (let i = 1; i < g.buckets.length; i++) {
      if (!(g.buckets[i]![0] > g.buckets[i - 1]![0])) throw new Error(`${f.name}${key}: le not increasing`);
      if (g.buckets[i]![1] < g.buckets[i - 1]![1]) throw new Error(`${f.name}${key}: buckets not cumulative`);
    }
    const last = g.buckets.at(-1);
    if (!last || last[0] !== Infinity) throw new Error(`${f.name}${key}: no +Inf bucket`);
    if (g.count !== last[1]) throw new Error(`${f.name}${key}: +Inf bucket ${last[1]} != _count ${g.count}`);
  }
}

export function parseExposition(text: string, format: 'prometheus' | 'openmetrics'): Map<string, Family> {
  const openMetrics = format === 'openmetrics';
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  let current: Family | undefined;
  const lines = text.split('\n');
  if (openMetrics) {
    if (lines.at(-1) !== '') throw new Error('OpenMetrics output must end with a newline');
    lines.pop();
    if (lines.at(-1) !== '# EOF') throw new Error('OpenMetrics output must end with # EOF');
    lines.pop();
  }
  const family = (name: string): Family => {
    if (current?.name === name) return current;
    if (families.has(name)) throw new Error(`family ${name} is not contiguous`);
    current = { name, type: openMetrics ? 'unknown' : 'untyped', samples: [] };
    families.set(name, current);
    return current;
  };
  for (const line of lines) {
    if (line === '') {
      if (openMetrics) throw new Error('blank line in OpenMetrics output');
      continue;
    }
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE|UNIT|EOF) ?(\S*) ?(.*)$/.exec(line);
      if (!m) {
        if (openMetrics) throw new Error(`bad comment line: ${line}`);
        continue;
      }
      if (m[1] === 'EOF') throw new Error('# EOF before the end');
      if (!NAME.test(m[2]!)) throw new Error(`bad metric name in: ${line}`);
      const f = family(m[2]!);
      if (f.samples.length > 0) throw new Error(`${line}: descriptor after samples`);
      if (m[1] === 'TYPE') {
        if (!TYPES.has(m[3]!)) throw new Error(`bad type in: ${line}`);
        f.type = m[3]!;
      } else if (m[1] === 'HELP') f.help = m[3];
      continue;
    }
    const s = parseSample(line, openMetrics);
    const f = current && allowedNames(current, openMetrics).includes(s.name) ? current : undefined;
    if (!f) throw new Error(`sample ${s.name} outside its family (current: ${current?.name} ${current?.type})`);
    const key = seriesKey(s);
    if (seen.has(key)) throw new Error(`duplicate series ${key}`);
    seen.add(key);
    if (s.exemplar && !(f.type === 'histogram' && s.name.endsWith('_bucket')) && !(f.type === 'counter' && s.name.endsWith('_total'))) {
      throw new Error(`exemplar on ${s.name}, which may not carry one`);
    }
    f.samples.push(s);
  }
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

/** Distinct label sets of a family's series, without le, as sorted JSON. */
export function seriesOf(f: Family): Array<Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const s of f.samples) {
    const { le: _le, ...rest } = s.labels;
    out.set(JSON.stringify(Object.entries(rest).sort()), rest);
  }
  return [...out.values()];
}
