/**
 * A deliberately broken release of the entry workflow: every workflow task fails (a plain Error
 * is a task failure, retried by Temporal, never a workflow failure), as after a bad deployment.
 */
export async function entryWorkflow(): Promise<never> {
  throw new Error('deliberately broken release');
}
