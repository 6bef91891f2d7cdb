/**
 * WebGPU buffer limits (maxStorageBufferBindingSize, maxBufferSize): a tensor over them fails deep
 * inside tfjs or gpu.js with an opaque validation error, or worse, a lost device. Kernels ask here
 * first and either split their work into pieces that fit or refuse with this error.
 */
export class BufferLimitError extends RangeError {
  constructor(
    readonly what: string,
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `${what}: one buffer of ${mib(bytes)} exceeds this WebGPU adapter's limit of ${mib(limitBytes)} ` +
        '(min of maxStorageBufferBindingSize and maxBufferSize); use the cpu backend or a smaller input',
    );
    this.name = 'BufferLimitError';
  }
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

/** The largest single buffer a kernel may bind: the smaller of the two adapter limits (Infinity when unknown). */
export function bindingLimitBytes(limits: { maxStorageBufferBindingSize?: number; maxBufferSize?: number } | undefined): number {
  const a = limits?.maxStorageBufferBindingSize ?? Infinity;
  const b = limits?.maxBufferSize ?? Infinity;
  return Math.min(a, b);
}

/** Throws a BufferLimitError unless `values` float32/int32 values fit one buffer. */
export function assertFitsBinding(what: string, values: number, limitBytes: number): void {
  const bytes = values * 4;
  if (bytes > limitBytes) throw new BufferLimitError(what, bytes, limitBytes);
}

/**
 * How many items of `valuesPerItem` 4-byte values fit one buffer (at least 1; throws when one
 * item alone does not fit), capped at `total`.
 */
export function itemsPerBinding(what: string, valuesPerItem: number, total: number, limitBytes: number): number {
  assertFitsBinding(`${what} (a single item)`, valuesPerItem, limitBytes);
  const fit = Number.isFinite(limitBytes) ? Math.floor(limitBytes / (4 * Math.max(1, valuesPerItem))) : total;
  return Math.max(1, Math.min(total, fit));
}
