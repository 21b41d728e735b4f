/**
 * Resolves with the items matching once `count` of them are there. The recorder calls every
 * function in `waiters` whenever it records an item.
 */
export function waitForMatching<T>(
  items: readonly T[],
  waiters: Set<() => unknown>,
  match: (item: T) => boolean,
  { count = 1, timeoutMs = 15_000 }: { count?: number; timeoutMs?: number },
  what: string,
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = items.filter(match);
      if (found.length < count) return false;
      waiters.delete(check);
      clearTimeout(timer);
      resolve(found);
      return true;
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`${what}: ${items.filter(match).length}/${count} matching after ${timeoutMs} ms`));
    }, timeoutMs);
    if (!check()) waiters.add(check);
  });
}
