import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * The console's front end as the server holds it: built from
 * src/console/web by esbuild (in memory, at start) or read from a directory
 * a build wrote (the Docker image, which has no dev dependencies), each file
 * compressed once with brotli and gzip. Asset names carry their content
 * hash, so they are cached for good; index.html is never cached.
 */
export interface Asset {
  /** URL path under /console/. */
  name: string;
  type: string;
  body: Buffer;
  gzip: Buffer;
  brotli: Buffer;
  etag: string;
  immutable: boolean;
}

export interface ConsoleAssets {
  byName: Map<string, Asset>;
  index: Asset;
  /** Bytes of everything the first page load fetches: the page, its script, its style and its icon. */
  firstLoad: { raw: number; gzip: number; brotli: number };
}

const WEB_DIR = path.resolve(import.meta.dirname, 'web');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
};

function asset(name: string, body: Buffer, immutable: boolean): Asset {
  return {
    name,
    type: TYPES[path.extname(name)] ?? 'application/octet-stream',
    body,
    gzip: gzipSync(body, { level: 9 }),
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    immutable,
  };
}

/** The page: no inline script or style, so the CSP needs no hash or nonce. */
function indexHtml(script: string, style: string, icon: string): string {
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="no-referrer">
<title>Repair Bot · Пульт</title>
<link rel="icon" href="/console/${icon}" type="image/svg+xml">
<link rel="stylesheet" href="/console/${style}">
<script type="module" src="/console/${script}"></script>
</head>
<body><main id="app"></main></body>
</html>
`;
}

function assemble(files: Array<{ name: string; body: Buffer }>): ConsoleAssets {
  const byName = new Map<string, Asset>();
  for (const f of files) byName.set(f.name, asset(f.name, f.body, f.name !== 'index.html'));
  const index = byName.get('index.html');
  if (!index) throw new Error('the console build has no index.html');
  const loaded = [index, ...[...byName.values()].filter((a) => a.name.startsWith('assets/'))];
  const sum = (k: 'body' | 'gzip' | 'brotli') => loaded.reduce((n, a) => n + a[k].length, 0);
  return { byName, index, firstLoad: { raw: sum('body'), gzip: sum('gzip'), brotli: sum('brotli') } };
}

/** Bundles and minifies the front end with esbuild (a dev dependency: loaded only here). */
async function buildConsoleFiles(): Promise<Array<{ name: string; body: Buffer }>> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(WEB_DIR, 'main.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome100', 'safari15', 'firefox100'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    outdir: 'assets',
    entryNames: 'app-[hash]',
    write: false,
    logLevel: 'silent',
  });
  const files = result.outputFiles.map((f) => ({ name: `assets/${path.basename(f.path)}`, body: Buffer.from(f.contents) }));
  const iconBody = await readFile(path.join(WEB_DIR, 'icon.svg'));
  const icon = { name: `assets/icon-${createHash('sha256').update(iconBody).digest('hex').slice(0, 8)}.svg`, body: iconBody };
  const script = files.find((f) => f.name.endsWith('.js'))!.name;
  const style = files.find((f) => f.name.endsWith('.css'))!.name;
  return [...files, icon, { name: 'index.html', body: Buffer.from(indexHtml(script, style, icon.name)) }];
}

async function buildConsoleAssets(): Promise<ConsoleAssets> {
  return assemble(await buildConsoleFiles());
}

/** Writes a build to `dir` (index.html and assets/), for images without dev dependencies. */
export async function writeConsoleFiles(dir: string): Promise<string[]> {
  const files = await buildConsoleFiles();
  await mkdir(path.join(dir, 'assets'), { recursive: true });
  for (const f of files) await writeFile(path.join(dir, f.name), f.body);
  return files.map((f) => f.name);
}

export async function readConsoleAssets(dir: string): Promise<ConsoleAssets> {
  const names = ['index.html', ...(await readdir(path.join(dir, 'assets'))).map((n) => `assets/${n}`)];
  return assemble(await Promise.all(names.map(async (name) => ({ name, body: await readFile(path.join(dir, name)) }))));
}

let shared: Promise<ConsoleAssets> | undefined;

/** The process's console: read from `dir` when given, else built once, on first use. */
export function consoleAssets(dir?: string): Promise<ConsoleAssets> {
  return (shared ??= dir ? readConsoleAssets(dir) : buildConsoleAssets());
}
