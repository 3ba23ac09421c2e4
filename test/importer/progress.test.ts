import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/importer/progress.ts';

/** The bar the CLI draws on a terminal (cli.test.ts checks a pipe gets none: stderr stays empty). */
describe('import progress bar', () => {
  it('draws one line per table in place, ends full, and clears itself', () => {
    // Setup: a terminal that records what it is sent.
    const written: string[] = [];
    const terminal = { write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream;
    const bar = progressBar(terminal);
    // Action
    bar.update('orders', 0, 1000);
    bar.update('orders', 500, 1000);
    bar.update('orders', 1000, 1000);
    bar.done();
    // Assertions: the first draw, the last (a finished table is always drawn), then the line cleared.
    expect(written[0]).toBe(`\rorders               [${'.'.repeat(30)}] 0/1000 (0%)\x1b[K`);
    expect(written.at(-2)).toBe(`\rorders               [${'#'.repeat(30)}] 1000/1000 (100%)\x1b[K`);
    expect(written.at(-1)).toBe('\r\x1b[K');
  });
});
