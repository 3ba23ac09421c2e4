/**
 * Thrown by a probe when waiting longer cannot help (the process it waits on
 * has exited): `eventually` rethrows it at once instead of retrying.
 */
export class StopWaiting extends Error {}

/**
 * Retries `probe` until it returns without throwing, and returns its value;
 * after `timeout` ms rethrows the probe's last error, named by `what`.
 * The one way tests wait for something: no fixed sleeps.
 */
export async function eventually<T>(probe: () => T | Promise<T>, opts: { timeout?: number; interval?: number; what?: string } = {}): Promise<T> {
  const timeout = opts.timeout ?? 10_000;
  const interval = opts.interval ?? 25;
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await probe();
    } catch (err) {
      if (err instanceof StopWaiting) throw err;
      if (Date.now() >= deadline) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new Error(`timed out after ${timeout} ms waiting for ${opts.what ?? 'a condition'}: ${reason}`, { cause: err });
      }
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
