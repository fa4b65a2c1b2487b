/**
 * Examples run at full speed for people. Their tests set
 * CORUN_EXAMPLE_SCALE=0.1 (with --allow-env) to run them ten times faster;
 * without that permission nothing is asked and the scale is 1.
 */
export function scaled(ms: number): number {
  const variable = "CORUN_EXAMPLE_SCALE";
  const allowed = Deno.permissions.querySync({ name: "env", variable }).state === "granted";
  const scale = allowed ? Number(Deno.env.get(variable) ?? "1") : 1;
  return ms * (Number.isFinite(scale) && scale > 0 ? scale : 1);
}

/** Seconds since `start`, like `1.00 s`, on the same scale as `scaled`. */
export function elapsed(start: number): string {
  return `${((performance.now() - start) / scaled(1000)).toFixed(2)} s`;
}
