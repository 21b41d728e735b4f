/** How one target's delivery failed: permanent (never retried) or transient (retried with backoff). */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const permanentFailure = (message: string, cause?: unknown) => new DeliveryError(message, true, { cause });
export const transientFailure = (message: string, cause?: unknown) => new DeliveryError(message, false, { cause });

/** Anything thrown that is not a DeliveryError is treated as transient: a retry is safer than a lost reminder. */
export function asDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  return transientFailure(err instanceof Error ? err.message : String(err), err);
}
