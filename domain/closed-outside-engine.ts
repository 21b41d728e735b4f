/**
 * The one definition of what an entry shows once Temporal closed its run outside the engine
 * (terminated, failed, timed out): whatever its last state said, nothing is forecast, due,
 * awaited or open, and it is never at risk or in breach. Every read applies it through here.
 */
import { ENTRY_STATUS } from './vocabulary';

export const isClosedOutsideEngine = (status: string): boolean => status === ENTRY_STATUS.CLOSED_OUTSIDE_ENGINE;

/** Each field an entry's views may have, as a run closed outside the engine shows it. */
const SHOWN: Readonly<Record<string, () => unknown>> = {
  status: () => ENTRY_STATUS.CLOSED_OUTSIDE_ENGINE,
  forecast: () => null,
  forecastCompletion: () => null,
  nextDeadline: () => null,
  atRisk: () => false,
  inBreach: () => false,
  awaitedBodies: () => [],
  openStages: () => [],
};

/** A view of the entry (its summary, a list row, its standing) as a run closed outside the engine shows it: the fields it has, replaced. */
export function closedOutsideEngineView<T extends object>(view: T): T {
  const shown = { ...view } as Record<string, unknown>;
  for (const field of Object.keys(shown)) {
    const value = SHOWN[field];
    if (value) shown[field] = value();
  }
  return shown as T;
}
