/**
 * Overlaps the import's two halves on two cores: while PostgreSQL writes one
 * batch, Node reads and maps the next. At most one batch is in flight, so
 * memory stays that of two batches, and batches are written in file order
 * (the report and the ids come out as a serial run's would).
 */
export class WriteBehind {
  private inFlight: Promise<void> = Promise.resolve();

  /**
   * Waits for the batch before, then starts this one's writes without
   * waiting for them. Returns once its first statement is on the wire: the
   * write reaches the driver only after a chain of promise turns, and the
   * caller's next synchronous stretch (reading and mapping the next batch)
   * would otherwise hold it back, leaving the server idle meanwhile.
   */
  async push(write: () => Promise<void>): Promise<void> {
    await this.inFlight;
    const next = write();
    // Not lost: the next push or flush awaits it and throws its failure.
    next.catch(() => undefined);
    this.inFlight = next;
    await yieldToIo();
  }

  /** Waits for the last batch's writes. */
  async flush(): Promise<void> {
    await this.inFlight;
  }
}

/**
 * Lets the event loop run (the socket sends the batch in flight, its result
 * arrives) in the middle of a long synchronous mapping loop.
 */
export function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
