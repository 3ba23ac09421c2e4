import { parseArgs } from 'node:util';
import { checkSource, ImportSourceError, importLegacyFile, sourceFromFile } from '../../importer/run-import.ts';
import { LegacyFile } from '../../importer/legacy-file.ts';
import { progressBar } from '../../importer/progress.ts';
import { renderReport } from '../../importer/report.ts';
import { UsageError, withCliDatabase } from '../context.ts';

export const usage =
  "import-sqlite FILE [--source NAME] [--dry-run] [--json] [--bulk | --no-bulk]   import the legacy bot's SQLite database (NAME: the bot's city, default the file name; --bulk / --no-bulk: force the bulk path for a large first import on or off)";

function parse(args: string[]): { file: string; source: string | undefined; dryRun: boolean; json: boolean; bulk: boolean | undefined } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, source: { type: 'string' }, bulk: { type: 'boolean' } },
      strict: true,
      allowNegative: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.positionals.length !== 1) throw new UsageError(parsed.positionals.length ? 'exactly one FILE, please' : 'FILE is required');
  const source = parsed.values.source;
  try {
    if (source !== undefined) checkSource(source);
  } catch (err) {
    if (err instanceof ImportSourceError) throw new UsageError(err.message);
    throw err;
  }
  return {
    file: parsed.positionals[0]!,
    source,
    dryRun: parsed.values['dry-run'] === true,
    json: parsed.values.json === true,
    bulk: parsed.values.bulk,
  };
}

export async function run(args: string[]): Promise<void> {
  const { file, source, dryRun, json, bulk } = parse(args);
  // The file is checked before any database is touched: a bad file writes nothing anywhere.
  const legacy = LegacyFile.open(file);
  const bar = process.stderr.isTTY ? progressBar(process.stderr) : null;
  try {
    const summary = await withCliDatabase(({ db, config }) =>
      importLegacyFile(db, legacy, { dryRun, bulk, source: source ?? sourceFromFile(file), rules: config.commission, onProgress: bar?.update }),
    );
    bar?.done();
    process.stdout.write(json ? `${JSON.stringify(summary, null, 2)}\n` : renderReport(summary));
  } finally {
    legacy.close();
  }
}
