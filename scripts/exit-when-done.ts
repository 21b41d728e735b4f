/**
 * Runs a script's main, then exits: 0 when it resolved, 1 (with the error printed) when it threw.
 * Exiting rather than waiting for the event loop to drain, because what the scripts open (the
 * embedded record's server and pools, Temporal connections, child processes) keeps it alive.
 */
export function exitWhenDone(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
