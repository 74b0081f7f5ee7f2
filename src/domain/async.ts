/**
 * Bounded concurrency for async work: run `fn` over `items` with at most
 * `limit` calls in flight, results in input order. The first rejection
 * rejects the whole call (the calls already started run to their end).
 */

/**
 * @example
 *   const bars = await mapLimit(symbols, 4, (s) => provider.fetch(s));
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  const runners = Array.from({ length: items.length === 0 ? 0 : width }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(runners);
  return out;
}
