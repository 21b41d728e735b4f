import { z } from 'zod';

/** Where the record (PostgreSQL) is: a real server, or the embedded one `npm start` runs. */
export const recordEnvSchema = z.object({
  RECORD_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://uep@127.0.0.1:5432/uep')
    .meta({ description: 'postgres://user:password@host:port/database of the record' }),
  /** Connections each process keeps to the record. */
  RECORD_POOL_SIZE: z.coerce.number().int().positive().default(8),
});
export type RecordEnv = z.infer<typeof recordEnvSchema>;
