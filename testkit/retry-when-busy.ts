/** Attempts at one call before a busy server fails the run. */
const BUSY_ATTEMPTS = 10;

/**
 * Runs `call` again (after 0.5 s, 1 s, ...) while `busy(err)` says the failure is the server's
 * momentary state (a workflow task timed out on a loaded machine, an unanswered call), counting
 * each retry. Only for calls that are safe to repeat (update ids, decision and submission ids).
 */
export async function retryWhenBusy<T>(samples: { retries: number }, busy: (err: unknown) => boolean, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= BUSY_ATTEMPTS || !busy(err)) throw err;
      samples.retries++;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}
