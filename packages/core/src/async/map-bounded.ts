/** Maps over items with at most `limit` calls in flight: fan-out that stays polite to shared hosts. */

/**
 * `fn` over every item, at most `limit` at once, results in item order. The first rejection
 * rejects the whole; calls already started run on (give them a signal to stop them).
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T, index);
    }
  };
  const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker);
  await Promise.all(workers);
  return results;
}
