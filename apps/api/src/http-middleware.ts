import { randomUUID } from 'node:crypto';
import { redactPaths } from '@panel-lab/jobs';
import type { NextFunction, Request, Response } from 'express';
import type { JsonLogger } from './logger.js';
import type { DrainState } from './shutdown.js';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/** First of all: a request id (from X-Request-Id or new, echoed back) and one log line per request. */
export function requestContext(logger: JsonLogger): Middleware {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    (req as Request & { requestId: string }).requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const t0 = performance.now();
    res.on('finish', () =>
      logger.write('info', 'request', {
        requestId,
        tenant: (req as Request & { tenant?: string }).tenant,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Number((performance.now() - t0).toFixed(1)),
      }),
    );
    next();
  };
}

/** While draining, a request on a still-open connection is told to go elsewhere (liveness still answers). */
export function drainGate(state: DrainState): Middleware {
  return (req, res, next) => {
    if (state.draining && req.path !== '/health') {
      res.setHeader('Connection', 'close');
      res.status(503).json({ statusCode: 503, error: 'ServiceUnavailable', message: 'the server is shutting down; retry in a moment', requestId: (req as Request & { requestId?: string }).requestId });
      return;
    }
    next();
  };
}

const BODY_ERRORS: Record<string, string> = {
  'entity.too.large': 'PayloadTooLarge',
  'entity.parse.failed': 'BadRequest',
  'entity.verify.failed': 'BadRequest',
  'request.aborted': 'BadRequest',
  'request.size.invalid': 'BadRequest',
  'encoding.unsupported': 'UnsupportedMediaType',
  'charset.unsupported': 'UnsupportedMediaType',
};

/**
 * The JSON body parser's errors (bad JSON 400, too large 413, bad charset 415) as JSON bodies with
 * the request id, logged like every other rejected request. Registered right after the parser.
 */
export function bodyParserErrors(logger: JsonLogger, limit: string) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    const e = error as { type?: unknown; status?: unknown; message?: unknown } | null;
    if (!e || typeof e.type !== 'string' || !(e.type in BODY_ERRORS) || res.headersSent) return next(error);
    const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 400;
    const message = e.type === 'entity.too.large' ? `the JSON body is over the limit of ${limit}` : `invalid JSON body: ${redactPaths(String(e.message))}`;
    const requestId = (req as Request & { requestId?: string }).requestId;
    logger.write('warn', 'request body rejected', { requestId, method: req.method, path: req.path, status, type: e.type, error: String(e.message) });
    if (status === 413) res.setHeader('Connection', 'close'); // do not read the rest of the body
    res.status(status).json({ statusCode: status, error: BODY_ERRORS[e.type], message, requestId });
  };
}
