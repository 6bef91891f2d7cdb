import type { PipeTransform } from '@nestjs/common';
import { InputError } from '@panel-lab/jobs';
import type { z } from 'zod';

/** Validates a body or query with a zod schema (no class-validator, no decorator metadata needed). */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly where: string,
  ) {}

  transform(value: unknown): z.infer<S> {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    throw new InputError(`invalid ${this.where}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, issues);
  }
}
