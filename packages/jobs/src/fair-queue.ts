/**
 * Jobs waiting to start, one FIFO per tenant, served round-robin: the next job comes from the
 * tenant served least recently among those allowed to start one, so a tenant with many queued
 * jobs cannot keep another tenant's single job waiting behind all of them.
 */
export class FairQueue {
  /** Tenant -> its waiting job ids, oldest first; a tenant with none has no entry. */
  private readonly byTenant = new Map<string, string[]>();
  /** Tenants in the order they are to be served (the one served last moves to the end). */
  private readonly turn: string[] = [];

  get size(): number {
    let n = 0;
    for (const ids of this.byTenant.values()) n += ids.length;
    return n;
  }

  /** Number of tenants with a waiting job (for tests and metrics: the map never keeps empty entries). */
  get tenants(): number {
    return this.byTenant.size;
  }

  push(tenant: string, id: string): void {
    const ids = this.byTenant.get(tenant);
    if (ids) ids.push(id);
    else {
      this.byTenant.set(tenant, [id]);
      this.turn.push(tenant);
    }
  }

  /** Takes the next job of the first tenant in turn that `mayStart` allows, or null when none may start. */
  take(mayStart: (tenant: string) => boolean): { tenant: string; id: string } | null {
    for (let i = 0; i < this.turn.length; i++) {
      const tenant = this.turn[i]!;
      if (!mayStart(tenant)) continue;
      const ids = this.byTenant.get(tenant)!;
      const id = ids.shift()!;
      this.turn.splice(i, 1);
      if (ids.length > 0) this.turn.push(tenant);
      else this.byTenant.delete(tenant);
      return { tenant, id };
    }
    return null;
  }

  /** Removes a waiting job; false when it was not waiting. */
  remove(tenant: string, id: string): boolean {
    const ids = this.byTenant.get(tenant);
    const at = ids?.indexOf(id) ?? -1;
    if (!ids || at < 0) return false;
    ids.splice(at, 1);
    if (ids.length === 0) {
      this.byTenant.delete(tenant);
      this.turn.splice(this.turn.indexOf(tenant), 1);
    }
    return true;
  }

  /** Every waiting job, tenant by tenant. */
  *entries(): Generator<{ tenant: string; id: string }> {
    for (const [tenant, ids] of this.byTenant) for (const id of ids) yield { tenant, id };
  }

  clear(): void {
    this.byTenant.clear();
    this.turn.length = 0;
  }
}
