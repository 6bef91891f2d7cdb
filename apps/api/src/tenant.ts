import type { Request } from 'express';

/** A request that passed the API-key guard. */
export interface TenantRequest extends Request {
  tenant: string;
  requestId: string;
}

/** Tenant of an authenticated request (the guard sets it; a missing one is a wiring bug). */
export function tenantOf(req: Request): string {
  const tenant = (req as Partial<TenantRequest>).tenant;
  if (!tenant) throw new Error('no tenant on the request: the ApiKeyGuard did not run');
  return tenant;
}
