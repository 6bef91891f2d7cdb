// CPU seconds (user + system) of this process around a call: on a shared, loaded machine a steadier
// measure of the work than wall time; recorded next to the wall medians, with the R peer's own.
export async function withCpuSeconds<T>(f: () => T | Promise<T>): Promise<{ value: T; cpuSeconds: number }> {
  const c0 = process.cpuUsage();
  const value = await f();
  const d = process.cpuUsage(c0);
  return { value, cpuSeconds: (d.user + d.system) / 1e6 };
}
