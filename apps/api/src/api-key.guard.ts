import { HttpException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { JobSystem } from '@panel-lab/jobs';
import type { Request, Response } from 'express';
import type { FailedAuthLimiter } from './auth-limiter.js';
import type { TenantRequest } from './tenant.js';
import { AUTH_LIMITER, JOB_SYSTEM } from './tokens.js';

/**
 * Requires `Authorization: Bearer <key>` or `X-API-Key: <key>`; the key's hash names the tenant.
 * Unknown keys count against the source address: past the limit it gets 429 with Retry-After and
 * no store lookup (only keys already known still pass), so guessing keys is slow and cheap for the server.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(JOB_SYSTEM) private readonly system: JobSystem,
    @Inject(AUTH_LIMITER) private readonly limiter: FailedAuthLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const header = req.headers.authorization;
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : (req.headers['x-api-key'] as string | undefined);
    if (!key) throw new UnauthorizedException('an API key is required: send Authorization: Bearer <key> or X-API-Key');
    const source = req.socket.remoteAddress ?? 'unknown';
    const wait = this.limiter.retryAfterMs(source);
    // a blocked address may still use a key already known (a memory lookup): a guesser behind the same NAT does not lock out its users
    const known = wait > 0 ? this.system.store.cachedTenantOfKey(key) : undefined;
    if (known) {
      (req as TenantRequest).tenant = known;
      return true;
    }
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
      throw new HttpException({ statusCode: 429, error: 'TooManyRequests', message: `too many failed API key attempts from this address; retry in ${seconds} s` }, 429);
    }
    const tenant = await this.system.store.tenantOfKey(key);
    if (!tenant) {
      this.limiter.fail(source);
      throw new UnauthorizedException('unknown API key');
    }
    (req as TenantRequest).tenant = tenant;
    return true;
  }
}
