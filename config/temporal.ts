import type { TLSConfig } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { flag } from './env';

/** The task queue every entry workflow and its activities run on. */
export const TASK_QUEUE = 'uep-entries';
export const DEFAULT_NAMESPACE = 'default';
/**
 * The reconciler's Temporal Schedule (worker/reconcile-schedule.ts): its id in the Temporal UI
 * (Schedules) and the CLI (`temporal schedule describe --schedule-id uep-record-reconciler`).
 */
export const RECONCILE_SCHEDULE_ID = 'uep-record-reconciler';

const optionalPath = z.string().min(1).optional();

/** Connection settings shared by the worker, the API and the scripts. */
export const temporalEnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  /** TLS to the Temporal frontend; implied by any setting below. */
  TEMPORAL_TLS: flag(false),
  /** PEM file of the CA that signed the server's certificate (default: the system's roots). */
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: optionalPath,
  /** The name the server's certificate must carry, when it differs from the address's host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** mTLS: this client's certificate and key (PEM files), both or neither. */
  TEMPORAL_TLS_CLIENT_CERT_PATH: optionalPath,
  TEMPORAL_TLS_CLIENT_KEY_PATH: optionalPath,
  /** An API key (e.g. Temporal Cloud), sent as a bearer token; implies TLS. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default(DEFAULT_NAMESPACE),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(TASK_QUEUE),
  /** Base URL of the Temporal Web UI, used in links from the API and in notifications. */
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
});
export type TemporalEnv = z.infer<typeof temporalEnvSchema>;

/** The Web UI page of one workflow execution. */
export function temporalUiLink(env: Pick<TemporalEnv, 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE'>, workflowId: string): string {
  const base = env.TEMPORAL_UI_URL.replace(/\/$/, '');
  return `${base}/namespaces/${encodeURIComponent(env.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** What Connection.connect (the API) and NativeConnection.connect (the worker) both take. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

function pem(name: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`Invalid configuration:\n  ${name}: cannot read ${file}: ${(err as Error).message}`);
  }
}

/** The connection options of the settings above; the one place TLS and the API key are read. */
export function temporalConnectionOptions(env: TemporalEnv): TemporalConnectionOptions {
  const cert = env.TEMPORAL_TLS_CLIENT_CERT_PATH;
  const key = env.TEMPORAL_TLS_CLIENT_KEY_PATH;
  if ((cert === undefined) !== (key === undefined)) {
    throw new Error('Invalid configuration:\n  TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH: set both (mTLS) or neither');
  }
  const tls: TLSConfig = {
    ...(env.TEMPORAL_TLS_SERVER_CA_CERT_PATH ? { serverRootCACertificate: pem('TEMPORAL_TLS_SERVER_CA_CERT_PATH', env.TEMPORAL_TLS_SERVER_CA_CERT_PATH) } : {}),
    ...(env.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME } : {}),
    ...(cert && key ? { clientCertPair: { crt: pem('TEMPORAL_TLS_CLIENT_CERT_PATH', cert), key: pem('TEMPORAL_TLS_CLIENT_KEY_PATH', key) } } : {}),
  };
  const useTls = env.TEMPORAL_TLS || env.TEMPORAL_API_KEY !== undefined || Object.keys(tls).length > 0;
  return {
    address: env.TEMPORAL_ADDRESS,
    ...(useTls ? { tls: Object.keys(tls).length > 0 ? tls : true } : {}),
    ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
  };
}
