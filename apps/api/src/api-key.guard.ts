import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { JobSystem } from '@panel-lab/jobs';
import type { Request } from 'express';
import type { TenantRequest } from './tenant.js';
import { JOB_SYSTEM } from './tokens.js';

/** Requires `Authorization: Bearer <key>` or `X-API-Key: <key>`; the key's hash names the tenant. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(JOB_SYSTEM) private readonly system: JobSystem) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const header = req.headers.authorization;
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : (req.headers['x-api-key'] as string | undefined);
    if (!key) throw new UnauthorizedException('an API key is required: send Authorization: Bearer <key> or X-API-Key');
    const tenant = await this.system.store.tenantOfKey(key);
    if (!tenant) throw new UnauthorizedException('unknown API key');
    (req as TenantRequest).tenant = tenant;
    return true;
  }
}
