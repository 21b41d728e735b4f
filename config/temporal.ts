import { z } from 'zod';

/** The task queue every entry workflow and its activities run on. */
export const TASK_QUEUE = 'uep-entries';
export const DEFAULT_NAMESPACE = 'default';

/** Connection settings shared by the worker, the API and the scripts. */
export const temporalEnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
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
