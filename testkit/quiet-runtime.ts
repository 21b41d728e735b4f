/** Keeps the Temporal SDK's own logging to warnings and errors in tests. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed for this process
}
