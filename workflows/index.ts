/** The one workflowsPath the worker bundles. */
export { entryWorkflow } from './entry-workflow';
export { reconcileRecordWorkflow, noticeDeliveryWorkflow } from './reconcile-workflow';
export { meetingCalendarPushWorkflow } from './meetings-push-workflow';
export { noticeDigestWorkflow, personDigestWorkflow } from './digest-workflow';
