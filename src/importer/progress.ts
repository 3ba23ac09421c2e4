/**
 * A one-line progress bar for a person watching the import on a terminal
 * (stderr, so --json output stays clean); redrawn at most ten times a second.
 */
export function progressBar(out: NodeJS.WriteStream): { update: (table: string, done: number, total: number) => void; done: () => void } {
  let last = 0;
  let drawn = false;
  const width = 30;
  return {
    update(table, done, total) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const share = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(share * width);
      out.write(`\r${table.padEnd(20)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} (${Math.round(share * 100)}%)\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) out.write('\r\x1b[K');
    },
  };
}
