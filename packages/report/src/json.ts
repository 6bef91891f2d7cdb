/**
 * JSON text of a result: typed arrays become arrays, NaN and +-Infinity become null (JSON has no
 * such numbers), Maps become objects. Stable 2-space indentation for diffs.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      if (v instanceof Map) return Object.fromEntries(v);
      if (typeof v === 'bigint') return v.toString();
      return v;
    },
    2,
  ) + '\n';
}
