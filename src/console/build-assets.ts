import path from 'node:path';
import { writeConsoleFiles } from './assets.ts';

/**
 * Writes the console's built front end to a directory (default
 * ./.build/console) for an image without dev dependencies: run the
 * service there with CONSOLE_ASSETS_DIR pointing at it. Elsewhere the
 * service builds it in memory at start and needs none of this.
 */
const out = path.resolve(process.argv[2] ?? '.build/console');
const files = await writeConsoleFiles(out);
process.stdout.write(`console front end written to ${out}: ${files.join(', ')}\n`);
