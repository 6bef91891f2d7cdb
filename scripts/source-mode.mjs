// Runs the workspace from its TypeScript sources without a build: registers tsx and makes Node's
// resolver pick each workspace package's `@panel-lab/source` export condition (src/*.ts) over its
// `import` condition (the build in dist/). Imported by the entry points (bin/, worker-thread entries)
// only when they run from a checkout; worker threads on Node 20 do not inherit loaders, so each
// thread entry imports it again.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

export const SOURCE_CONDITION = '@panel-lab/source';

const hook = `export async function resolve(specifier, context, next) {
  const conditions = context.conditions.includes(${JSON.stringify(SOURCE_CONDITION)}) ? context.conditions : [${JSON.stringify(SOURCE_CONDITION)}, ...context.conditions];
  return next(specifier, { ...context, conditions });
}`;

/** Registers tsx (with `tsconfig`, when given) and the source condition, once per thread. */
export function registerSource(options = {}) {
  registerTsx(options.tsconfig ? { tsconfig: options.tsconfig } : {});
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}
