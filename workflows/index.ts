/** The one workflowsPath the worker bundles. */
export { entryWorkflow } from './entry-workflow';
