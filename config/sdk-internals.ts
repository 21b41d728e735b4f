/**
 * The only SDK internals the project's code uses, behind one adapter so that an SDK upgrade that
 * moves them breaks here, in one place. They are needed because the task queue's poller list that
 * readiness and the worker's health check read carries protobuf timestamps; `npm start` and
 * `npm run cluster` set a namespace's retention, a protobuf Duration; and the API asks whether its
 * connection to Temporal is up (gRPC's channel state) when a call found no answer in time.
 */
import { msToTs, optionalTsToMs } from '@temporalio/common/lib/time';

type Timestamp = Parameters<typeof optionalTsToMs>[0];

/** A protobuf timestamp in epoch ms, or undefined when absent. */
export function msOf(ts: Timestamp): number | undefined {
  return optionalTsToMs(ts);
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
