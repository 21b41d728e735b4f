/**
 * One error shape for everything: `{ error: { code, message, details: [{ path, message }], requestId } }`.
 * Every failure the API can meet is mapped here: its own errors, zod issues, body parser errors
 * and the workflow's refusals (one table). Temporal's client errors never get this far: the
 * gateway turns them into ApiErrors (api/temporal/errors.ts). A stack trace never leaves the process.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { RefusalCode } from '../domain/types';
import { API_ERROR, type ApiErrorCode, type ErrorResponse } from './schemas';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Every refusal of the workflow validator, with the HTTP status it gets. */
export const REFUSAL_STATUS: Readonly<Record<RefusalCode, number>> = {
  UNKNOWN_STAGE: 422,
  STAGE_NOT_APPLICABLE: 422,
  ROLE_REQUIRED: 422,
  UNKNOWN_OUTCOME: 422,
  INVALID_DEADLINE: 422,
  INVALID_INPUT: 422,
  REASON_REQUIRED: 422,
  WRONG_BODY: 403,
  NOT_OWN_PARTY: 403,
  NOT_AWAITING: 409,
  CLAIMED_BY_OTHER: 409,
  ENTRY_CLOSED: 409,
  ROLE_ALREADY_SOUGHT: 409,
  ID_REUSED: 409,
};

/** The status of every code the API answers with (refusals included), for the OpenAPI document. */
export const API_ERROR_STATUS: Readonly<Record<(typeof API_ERROR)[keyof typeof API_ERROR], number>> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ENTRY_ALREADY_STARTED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TEMPORAL_UNAVAILABLE: 503,
  ENTRY_NOT_READY: 503,
  NO_WORKER: 503,
  INVITATIONS_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function refusalError(code: RefusalCode, message: string): ApiError {
  return new ApiError(REFUSAL_STATUS[code], code, message);
}

export function validationError(error: z.ZodError, where: string): ApiError {
  const details = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return new ApiError(400, API_ERROR.VALIDATION_FAILED, `Invalid ${where}`, details);
}

export const notFound = (what: string) => new ApiError(404, API_ERROR.NOT_FOUND, what);
export const forbidden = (why: string) => new ApiError(403, API_ERROR.FORBIDDEN, why);
export const unauthenticated = (why: string) => new ApiError(401, API_ERROR.UNAUTHENTICATED, why);
export const temporalUnavailable = (why: string) => new ApiError(503, API_ERROR.TEMPORAL_UNAVAILABLE, why);
export const entryNotReady = (why: string) => new ApiError(503, API_ERROR.ENTRY_NOT_READY, why);
export const invitationsUnavailable = (why: string) => new ApiError(503, API_ERROR.INVITATIONS_UNAVAILABLE, why);
export const noWorker = (why: string) => new ApiError(503, API_ERROR.NO_WORKER, why);

/** Turns anything thrown while handling a request into an ApiError. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof z.ZodError) return validationError(err, 'request');
  const bodyParserType = (err as { type?: unknown } | null)?.type;
  if (typeof bodyParserType === 'string') {
    if (bodyParserType === 'entity.parse.failed') return new ApiError(400, API_ERROR.MALFORMED_JSON, 'The request body is not valid JSON');
    if (bodyParserType === 'entity.too.large') return new ApiError(413, API_ERROR.PAYLOAD_TOO_LARGE, 'The request body is too large');
    if (bodyParserType === 'encoding.unsupported' || bodyParserType === 'charset.unsupported')
      return new ApiError(415, API_ERROR.UNSUPPORTED_MEDIA_TYPE, 'Unsupported body encoding or charset');
    if (bodyParserType === 'request.aborted') return new ApiError(400, API_ERROR.VALIDATION_FAILED, 'The request was aborted');
  }
  return new ApiError(500, API_ERROR.INTERNAL, 'Internal error');
}

export function errorBody(error: ApiError, requestId?: string): ErrorResponse {
  return {
    error: {
      code: error.code,
      message: error.message,
      details: error.details,
      ...(requestId ? { requestId } : {}),
    },
  };
}

/** The last middleware: maps, logs (a 5xx with its cause), answers. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const apiError = toApiError(err);
    const log = (req as { log?: Logger }).log ?? logger;
    if (apiError.status >= 500) log.error({ err, code: apiError.code }, 'request failed');
    else log.debug({ code: apiError.code, message: apiError.message }, 'request refused');
    if (apiError.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="uep"');
    res.status(apiError.status).json(errorBody(apiError, typeof req.id === 'string' ? req.id : undefined));
  };
}

/** Unknown route (or method): a 404 in the one shape. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(notFound(`No route ${req.method} ${req.path}`));
};
