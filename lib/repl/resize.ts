/**
 * Window resizes: the terminal sends SIGWINCH when its window changes size
 * (there is no such signal on Windows; there the panel notices the new size
 * at its next redraw).
 *
 * @module
 */

/**
 * Call `listener` whenever the terminal window is resized.
 *
 * @param listener Runs after each resize (read the new size then).
 * @returns A function that stops listening.
 *
 * @example Listen while a view is shown
 * ```ts
 * import { watchResize } from "./resize.ts";
 *
 * let resizes = 0;
 * const stop = watchResize(() => resizes++);
 * stop();
 * if (resizes !== 0) throw new Error();
 * ```
 */
export function watchResize(listener: () => void): () => void {
  if (Deno.build.os === "windows") return () => {};
  try {
    Deno.addSignalListener("SIGWINCH", listener);
  } catch {
    return () => {};
  }
  return () => Deno.removeSignalListener("SIGWINCH", listener);
}
