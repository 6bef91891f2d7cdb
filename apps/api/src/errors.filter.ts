import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { SpecError } from '@panel-lab/analysis';
import { ConflictError, InputError, LimitError, NotFoundError, QueueUnavailableError, redactPaths, TooLargeError, type JobSystem } from '@panel-lab/jobs';
import { PanelError } from '@panel-lab/panel';
import type { Request, Response } from 'express';
import type { JsonLogger } from './logger.js';
import { JOB_SYSTEM, LOGGER } from './tokens.js';

/** The one place errors become HTTP: a status per error class and a JSON body naming the field at fault. */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly logger: JsonLogger,
    @Inject(JOB_SYSTEM) private readonly system: JobSystem,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request & { requestId?: string; tenant?: string }>();
    const { status, body } = withoutServerPaths(toHttp(error), [this.system.dir.root]);
    // every error is logged with its request id: the full text (paths included) stays in the server log
    const where = { requestId: req.requestId, tenant: req.tenant, method: req.method, path: req.path, status };
    if (status >= 500) this.logger.write('error', 'request failed', { ...where, error: error instanceof Error ? error.stack : String(error) });
    else this.logger.write('warn', 'request rejected', { ...where, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    if (res.headersSent) {
      res.end();
      return;
    }
    // an upload stopped part-way: do not read the rest of the body
    if (status === 413) res.setHeader('Connection', 'close');
    res.status(status).json({ ...body, requestId: req.requestId });
  }
}

/** The body with every server path reduced to a file name (readers and tasks name the files they fail on). */
export function withoutServerPaths(out: { status: number; body: Record<string, unknown> }, roots: readonly string[]): { status: number; body: Record<string, unknown> } {
  const body: Record<string, unknown> = { ...out.body };
  if (typeof body.message === 'string') body.message = redactPaths(body.message, roots);
  if (Array.isArray(body.issues)) body.issues = (body.issues as { path: string; message: string }[]).map((i) => ({ ...i, message: redactPaths(String(i.message), roots) }));
  return { status: out.status, body };
}

export function toHttp(error: unknown): { status: number; body: Record<string, unknown> } {
  const named = (status: number, e: Error, extra: Record<string, unknown> = {}) => ({ status, body: { statusCode: status, error: e.name, message: e.message, ...extra } });
  if (error instanceof SpecError) return named(422, error, { issues: error.issues });
  if (error instanceof InputError) return named(422, error, { issues: error.issues });
  if (error instanceof PanelError) return named(422, error);
  if (error instanceof NotFoundError) return named(404, error);
  if (error instanceof LimitError) return named(429, error);
  if (error instanceof ConflictError) return named(409, error);
  if (error instanceof TooLargeError) return named(413, error);
  if (error instanceof QueueUnavailableError) return named(503, error);
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const body = typeof response === 'string' ? { statusCode: error.getStatus(), message: response } : (response as Record<string, unknown>);
    return { status: error.getStatus(), body };
  }
  return { status: 500, body: { statusCode: 500, error: 'InternalServerError', message: 'internal error (see the server log for this request id)' } };
}
