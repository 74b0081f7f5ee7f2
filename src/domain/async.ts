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

/**
 * Group commit: `submit(item)` resolves with `write`'s answer for that item,
 * and every item submitted while a write runs goes into the next write
 * (at most `maxBatch` per write). One slow round trip then serves a whole
 * burst instead of queueing it. A failed write rejects every item in it.
 * `write` must answer each item, in the order given.
 *
 * @example
 *   const record = groupCommit((rows: Row[]) => repo.insertMany(rows));
 *   const id = await record(row);
 */
export function groupCommit<T, R>(write: (items: T[]) => Promise<R[]>, maxBatch = 500): (item: T) => Promise<R> {
  let queue: { item: T; resolve: (r: R) => void; reject: (err: unknown) => void }[] = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await write(batch.map((b) => b.item));
        if (results.length !== batch.length) throw new Error(`group commit: ${results.length} answers for ${batch.length} items`);
        batch.forEach((b, i) => b.resolve(results[i]));
      } catch (err) {
        batch.forEach((b) => b.reject(err));
      }
    }
    writing = false;
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!writing) void drain();
    });
}

/**
 * A concurrency limit shared by many callers: `run(fn)` starts `fn` when
 * fewer than `limit` runs are in flight, otherwise when one ends (first
 * come, first served).
 *
 * @example
 *   const oneAtATime = limiter(1);
 *   await Promise.all(requests.map((r) => oneAtATime(() => send(r))));
 */
export function limiter(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  const width = Math.max(1, Math.floor(limit) || 1);
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= width) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter (active stays the same), or free it.
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
