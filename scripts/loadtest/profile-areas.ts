// Where a service's CPU went, by area, from a node --cpu-prof profile:
//   npm run profile-areas -- FILE.cpuprofile [REQUESTS]
// With REQUESTS (served while profiling), each area's CPU per request too.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** First match wins: a frame's area by its file; order matters (the logger lives in src/telemetry). */
const AREAS: Array<[string, RegExp]> = [
  ['logging', /node_modules\/(pino|sonic-boom|thread-stream|pino-std-serializers|fast-redact)\/|src\/telemetry\/(logger|redact)\.ts/],
  ['telemetry', /node_modules\/(@opentelemetry|prom-client|tdigest|bintrees)\/|src\/telemetry\//],
  ['auth', /src\/http\/auth\.ts|src\/users\/|src\/console\/session-cookie\.ts/],
  ['rate limit', /node_modules\/express-rate-limit\/|src\/http\/rate-limit\.ts/],
  ['validation', /node_modules\/zod\/|src\/http\/(validate|schemas)\.ts|src\/input\.ts/],
  ['SQL (client side)', /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+|pg-cloudflare)\/|src\/db\//],
  [
    'express',
    /node_modules\/(express|router|body-parser|raw-body|helmet|on-finished|finalhandler|send|qs|content-type|type-is|mime-types|iconv-lite|path-to-regexp|depd|statuses|vary|accepts|negotiator|cookie)\//,
  ],
  ['problem/JSON shaping', /src\/http\/(problem|route-kit|etag|request-id)\.ts|src\/orders\/order-api\.ts/],
  ['node http/net', /^node:(_http_|http|net|internal\/(http|stream|streams|net|dns)|stream)/],
  // The floor's own code (scripts/loadtest/floor/) is its app.
  ['app (services, routes, SQL texts)', /\/src\/|\/scripts\/loadtest\/floor\//],
];
const NATIVE_JSON = /^(stringify|parse|JSONSerialize|JsonStringifier|JSON\.)/;

const file = process.argv[2];
if (!file) throw new Error('usage: npm run profile-areas -- FILE.cpuprofile [REQUESTS]');
const requests = Number(process.argv[3] ?? 0);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

function areaOf(id: number): string {
  const leaf = byId.get(id)!.callFrame;
  if (leaf.functionName === '(garbage collector)') return 'GC';
  if (leaf.functionName === '(idle)') return 'idle';
  if (leaf.functionName === '(program)') return 'V8/native (program)';
  if (!leaf.url && NATIVE_JSON.test(leaf.functionName)) return 'JSON';
  // Natives and node's own helpers count for the code that called them.
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const url = byId.get(at)!.callFrame.url;
    const area = AREAS.find(([, re]) => re.test(url));
    if (area) return area[0];
  }
  return 'other (node internals, timers)';
}

/** True for a sample taken while node's HTTP server handled a request (its parser's callback on the stack). */
function inRequest(id: number): boolean {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (byId.get(at)!.callFrame.functionName === 'parserOnIncoming') return true;
  return false;
}

// Everything before the first request is the start (module loading, migrations check, warm-up): kept apart,
// so the areas are the requests' (and the idle timers') and a slower start does not read as a costlier request.
const totals = new Map<string, number>();
let all = 0;
let started = false;
for (const [i, id] of profile.samples.entries()) {
  const us = profile.timeDeltas[i] ?? 0;
  started ||= inRequest(id);
  const area = started ? areaOf(id) : 'start (before the first request)';
  totals.set(area, (totals.get(area) ?? 0) + us);
  all += us;
}
const start = totals.get('start (before the first request)') ?? 0;
const busy = all - (totals.get('idle') ?? 0) - start;
const rows = [...totals.entries()].filter(([a]) => a !== 'idle' && a !== 'start (before the first request)').sort((a, b) => b[1] - a[1]);
console.log(`| area | CPU ms | share of busy |${requests ? ' µs per request |' : ''}`);
console.log(`|---|---:|---:|${requests ? '---:|' : ''}`);
for (const [area, us] of rows)
  console.log(`| ${area} | ${(us / 1000).toFixed(0)} | ${((us / busy) * 100).toFixed(1)}% |${requests ? ` ${(us / requests).toFixed(1)} |` : ''}`);
console.log(`| **busy** | ${(busy / 1000).toFixed(0)} | 100% |${requests ? ` ${(busy / requests).toFixed(1)} |` : ''}`);
console.log(`\nBefore the first request (not in the table): ${(start / 1000).toFixed(0)} ms.`);
