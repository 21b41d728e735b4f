/**
 * One log format for every process of the engine: pino's JSON lines (level, time, service, msg,
 * fields). The API logs through pino directly; the worker through pinoTemporalLogger, which the
 * Temporal SDK's runtime, workflow and activity loggers all write to.
 */
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import pino, { type Logger } from 'pino';
import { z } from 'zod';

/** LOG_LEVEL, pino's names; upper case is accepted too (INFO), as the Temporal SDK spells them. */
export const logLevelSchema = z
  .string()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']))
  .default('info');
export type LogLevelName = z.infer<typeof logLevelSchema>;

/**
 * Never logged: bearer tokens, and activity task tokens (the SDK puts them in every activity
 * log line; with one, anyone can complete or fail that activity).
 */
const REDACT = ['req.headers.authorization', 'taskToken', 'activity.taskToken'];

/**
 * JSON lines on stdout (`toStderr` for a process's last words before it exits). Written
 * synchronously: a line logged before an act (the worker's "worker started" before it polls) is
 * out before the act, and a crash loses no line.
 */
export function createLogger(service: string, level: LogLevelName, toStderr = false): Logger {
  const options = { level, base: { service, pid: process.pid }, redact: { paths: REDACT, remove: true } };
  return pino(options, pino.destination({ dest: toStderr ? 2 : 1, sync: true }));
}

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** The Temporal SDK's Logger interface on a pino logger (for Runtime.install). */
export function pinoTemporalLogger(logger: Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const { error, ...fields } = meta ?? {};
    // pino serialises an Error under `err` (message, type, stack) and drops symbol keys.
    logger[PINO_LEVEL[level]](error instanceof Error ? { ...fields, err: error } : meta ?? {}, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
