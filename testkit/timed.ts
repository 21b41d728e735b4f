/** Times fn, pushing the elapsed ms into samples. */
export async function timed<T>(samples: number[], fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    samples.push(performance.now() - started);
  }
}
