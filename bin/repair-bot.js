#!/usr/bin/env node
// The CLI is TypeScript run by Node 24's type stripping. When this shim is
// started by an older Node (the system one), re-run it on the Node 24 binary
// that the `node` devDependency installs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);
let node = process.execPath;
if (major < 24) {
  node = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(node)) {
    process.stderr.write(`repair-bot needs Node.js 24 (found ${process.version}); run npm install in ${root}\n`);
    process.exit(1);
  }
}
const result = spawnSync(node, ['--disable-warning=ExperimentalWarning', entry, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
