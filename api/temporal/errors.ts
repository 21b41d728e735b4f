/**
 * Temporal's client errors as the API's one error shape: the workflow's refusals (an update
 * validator's failure type is the refusal code), an entry already running, no such entry,
 * Temporal unreachable or too slow, an entry whose workflow task is failing, a request Temporal
 * found invalid. Anything else is left as is (the error middleware answers it with a 500).
 */
import { isGrpcServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { REFUSAL, type RefusalCode } from '../../domain/types';
import { ApiError, entryNotReady, notFound, refusalError, temporalUnavailable } from '../errors';
import { API_ERROR } from '../schemas';

/** gRPC status codes (grpc/status.proto); @grpc/grpc-js is not a direct dependency. */
const grpcStatus = { CANCELLED: 1, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, UNAVAILABLE: 14 } as const;

const UNAVAILABLE_GRPC_CODES = new Set<number>([
  grpcStatus.UNAVAILABLE,
  grpcStatus.DEADLINE_EXCEEDED,
  grpcStatus.CANCELLED,
  grpcStatus.RESOURCE_EXHAUSTED,
]);

const isRefusalCode = (type: string | undefined | null): type is RefusalCode => !!type && type in REFUSAL;

function grpcCode(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e)) return e.code;
  }
  return undefined;
}

/** True when the error (or a cause of it) says Temporal could not be reached or answered too late. */
function isUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (e instanceof ApiError) return e.code === API_ERROR.TEMPORAL_UNAVAILABLE;
    if (isGrpcServiceError(e) && UNAVAILABLE_GRPC_CODES.has(e.code)) return true;
  }
  return false;
}

/**
 * True when Temporal refused a query or an update because the entry's workflow task keeps failing
 * (WorkflowNotReady, FAILED_PRECONDITION): the entry is there, but takes nothing until a worker
 * completes its task again (a fixed deployment, a worker no longer overloaded).
 */
function isWorkflowTaskFailing(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e) && (e.code as number) === grpcStatus.FAILED_PRECONDITION) return /workflow task in failed state/i.test(e.details ?? e.message);
  }
  return false;
}

export function fromTemporal(err: unknown): unknown {
  if (err instanceof ApiError) return err;
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && isRefusalCode(err.cause.type)) {
    return refusalError(err.cause.type, err.cause.message);
  }
  if (err instanceof ApplicationFailure && isRefusalCode(err.type)) return refusalError(err.type, err.message);
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return new ApiError(409, API_ERROR.ENTRY_ALREADY_STARTED, 'An entry for this party is already running', [
      { path: 'body.partyId', message: `workflow ${err.workflowId} is running` },
    ]);
  }
  if (err instanceof WorkflowNotFoundError) return notFound('No entry for this party');
  if (isWorkflowTaskFailing(err)) {
    return entryNotReady("The entry cannot take requests right now: its workflow's last task failed and Temporal is retrying it; retry later");
  }
  if (isUnavailable(err)) return temporalUnavailable('Temporal is unavailable or did not answer in time; retry later');
  if (grpcCode(err) === grpcStatus.INVALID_ARGUMENT) {
    return new ApiError(400, API_ERROR.VALIDATION_FAILED, 'Temporal refused the request as invalid (e.g. a stale page token)');
  }
  return err;
}
