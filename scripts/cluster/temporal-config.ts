/**
 * The static config of each Temporal service process, modelled on the server module's
 * config/development-postgres12.yaml: PostgreSQL persistence, SQL (advanced) visibility on its
 * own database, loopback only. Every process gets the same file except for its own ports (the
 * two history hosts differ only there); they find each other through the membership table in
 * PostgreSQL. Written as JSON, which YAML reads as is.
 */
import { writeFileSync } from 'node:fs';
import { PG_PASSWORD, PG_USER } from './postgres';

export const SERVICES = ['frontend', 'matching', 'history', 'worker'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface RpcPorts {
  grpcPort: number;
  membershipPort: number;
  /** frontend only: the HTTP API */
  httpPort?: number;
}

/** Shards are the unit a history host owns; 8 spread over two hosts and move when one dies. */
export const HISTORY_SHARDS = 8;

function datastore(databaseName: string, pgPort: number, maxConns: number) {
  const conns = { maxConns, maxIdleConns: maxConns, maxConnLifetime: '1h' };
  return { sql: { pluginName: 'postgres12', databaseName, connectAddr: `127.0.0.1:${pgPort}`, connectProtocol: 'tcp', user: PG_USER, password: PG_PASSWORD, ...conns } };
}

export function serviceConfig(opts: { pgPort: number; ports: Record<ServiceName, RpcPorts>; dynamicConfigFile: string; logLevel: string }) {
  const rpc = (p: RpcPorts) => ({ rpc: { ...p, bindOnLocalHost: true } });
  const frontendAddress = `127.0.0.1:${opts.ports.frontend.grpcPort}`;
  return {
    log: { stdout: true, level: opts.logLevel },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: { 'postgres-default': datastore('temporal', opts.pgPort, 20), 'postgres-visibility': datastore('temporal_visibility', opts.pgPort, 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: Object.fromEntries(SERVICES.map((s) => [s, rpc(opts.ports[s])])),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: frontendAddress } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: opts.dynamicConfigFile, pollInterval: '10s' },
  };
}

/** Dynamic config: the keys the engine relies on (as deploy/temporal/dynamicconfig for compose). */
export const DYNAMIC_CONFIG = {
  'limit.maxIDLength': [{ value: 255, constraints: {} }],
  'frontend.enableUpdateWorkflowExecution': [{ value: true, constraints: {} }],
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted': [{ value: true, constraints: {} }],
};

export function writeJson(file: string, value: unknown): string {
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
  return file;
}
