/**
 * The only SDK internals the project's code uses, behind one adapter so that an SDK upgrade that
 * moves them breaks here, in one place (the API tests then fail on the list endpoint). They are
 * needed because the list reads one page at a time through the raw ListWorkflowExecutions call
 * (the SDK's `client.workflow.list()` pages by itself and hands out no page token), whose answer
 * carries encoded search attributes and protobuf timestamps (as does the task queue's poller list
 * that readiness and the worker's health check read); `npm start` and `npm run cluster` set a
 * namespace's retention, a protobuf Duration; and the API asks whether its connection to Temporal
 * is up (gRPC's channel state) when a call found no answer in time.
 */
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { msToTs, optionalTsToMs } from '@temporalio/common/lib/time';
import type { TypedSearchAttributes } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type RawExecution = temporal.api.workflow.v1.IWorkflowExecutionInfo;

/** The typed search attributes of one execution of a visibility answer. */
export function typedSearchAttributesOf(raw: RawExecution): TypedSearchAttributes {
  return decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields);
}

type Timestamp = Parameters<typeof optionalTsToMs>[0];

/** A protobuf timestamp in epoch ms, or undefined when absent. */
export function msOf(ts: Timestamp): number | undefined {
  return optionalTsToMs(ts);
}

/** A protobuf timestamp as an ISO instant, or null when absent. */
export function instantOf(ts: Timestamp): string | null {
  const ms = msOf(ts);
  return ms === undefined ? null : new Date(ms).toISOString();
}

/** A duration (ms, or a string such as '30 days') as a protobuf Duration, for raw service calls. */
export function durationOf(duration: Parameters<typeof msToTs>[0]): ReturnType<typeof msToTs> {
  return msToTs(duration);
}

/** gRPC's connectivity state READY (@grpc/grpc-js ConnectivityState). */
const GRPC_READY = 2;

/** Whether a client connection's gRPC channel is connected now (false when it cannot tell). */
export function isChannelReady(connection: unknown): boolean {
  const grpcClient = (connection as { client?: { getChannel?: () => { getConnectivityState(tryToConnect: boolean): number } } } | null)?.client;
  return grpcClient?.getChannel?.().getConnectivityState(false) === GRPC_READY;
}
