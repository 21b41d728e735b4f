/**
 * Mounts a handler for an endpoint of the contract (api/endpoints.ts): the auth middleware for its
 * action, a JSON content-type check for bodies, and zod parsing of params, query and body. The
 * handler gets the parsed, typed input; anything it throws reaches the error middleware.
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { z } from 'zod';
import { API_ERROR } from './schemas';
import { ApiError, validationError } from './errors';
import { CONTENT_TYPE, type Endpoint } from './endpoints';
import type { AppContext } from './context';

export interface Input<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
}

export function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (!req.is(CONTENT_TYPE.JSON)) {
    throw new ApiError(415, API_ERROR.UNSUPPORTED_MEDIA_TYPE, `Send the body as ${CONTENT_TYPE.JSON}`);
  }
  next();
};

export function mount<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  router: Router,
  ctx: AppContext,
  endpoint: Endpoint<P, Q, B>,
  handler: (input: Input<P, Q, B>, req: Request, res: Response) => Promise<void>,
): void {
  const chain: RequestHandler[] = [];
  if (endpoint.action) chain.push(ctx.can(endpoint.action));
  // Bodies are parsed after auth: a caller without a token learns nothing about body handling.
  if (endpoint.body) chain.push(requireJsonBody, express.json({ limit: ctx.config.API_BODY_LIMIT, strict: true }));
  chain.push(async (req, res) => {
    const input = {
      params: endpoint.params ? parse(endpoint.params, req.params, 'params') : {},
      query: endpoint.query ? parse(endpoint.query, req.query, 'query') : {},
      body: endpoint.body ? parse(endpoint.body, req.body, 'body') : undefined,
    } as Input<P, Q, B>;
    await handler(input, req, res);
  });
  router[endpoint.method](endpoint.path, ...chain);
}
