import { parseArgs } from 'node:util';
import { importLegacyFile } from '../../importer/run-import.ts';
import { LegacyFile } from '../../importer/legacy-file.ts';
import { renderReport } from '../../importer/report.ts';
import { UsageError, withCliContext } from '../context.ts';

export const usage = "import-sqlite FILE [--dry-run] [--json]   import the legacy bot's SQLite database";

function parse(args: string[]): { file: string; dryRun: boolean; json: boolean } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.positionals.length !== 1) throw new UsageError(parsed.positionals.length ? 'exactly one FILE, please' : 'FILE is required');
  return { file: parsed.positionals[0]!, dryRun: parsed.values['dry-run'] === true, json: parsed.values.json === true };
}

export async function run(args: string[]): Promise<void> {
  const { file, dryRun, json } = parse(args);
  // The file is checked before any database is touched: a bad file writes nothing anywhere.
  const legacy = LegacyFile.open(file);
  try {
    const summary = await withCliContext(({ db, config }) => importLegacyFile(db, legacy, { dryRun, rules: config.commission }));
    process.stdout.write(json ? `${JSON.stringify(summary, null, 2)}\n` : renderReport(summary));
  } finally {
    legacy.close();
  }
}
