import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Work the service does for itself rather than for anyone, such as warming
 * its connections at start: its queries are not traffic, so they stay out
 * of the duration histograms, the slow-query counter and the slow-query
 * log. Its first plans are slow by nature, and a line logged for one would
 * take that query's one-a-minute allowance, hiding a real slow query in
 * the service's first minute. The warm-up's requests to itself are no
 * traffic either: no span, no request histogram, no request log line.
 */
const scope = new AsyncLocalStorage<true>();

/** Runs `fn` with every query it makes, and every request it answers, unmeasured. */
export function unmeasured<T>(fn: () => T): T {
  return scope.run(true, fn);
}

export function isUnmeasured(): boolean {
  return scope.getStore() === true;
}
