/**
 * Keeps the promise of a running REPL evaluation alive.
 *
 * The inspector holds the promise of a `replMode` evaluation that awaits
 * only weakly. When the input waits on something nothing else references
 * (`await new Promise(() => {})`, then Ctrl+C lets it go), the garbage
 * collector frees that promise, and the inspector's callback then runs where
 * V8 forbids JavaScript: Deno 2.9.6 panics ("Invoke in
 * DisallowJavascriptExecutionScope"; reproduced every time by evaluating
 * that input and calling `gc()`). The evaluation's promise is the first one
 * created while the input starts, so a promise hook catches it and a set
 * holds it until the evaluation has answered.
 *
 * Deno offers no way to remove a promise hook, and any hook makes every
 * promise slower (measured: 2,000,000 `await Promise.resolve()` took 102 ms
 * instead of 54 ms), so the hook is installed only at the first input that
 * can wait at all (one containing `await`), and only in the REPL's
 * evaluation process.
 *
 * @module
 */

interface DenoCore {
  setPromiseHooks(init: (promise: Promise<unknown>) => void): void;
}

const held = new Set<Promise<unknown>>();
let installed = false;
let catching = false;
let caught: Promise<unknown> | undefined;

function install(): void {
  if (installed) return;
  installed = true;
  const internal = (Deno as unknown as Record<symbol, Record<string, unknown>>)[
    (Deno as unknown as { internal: symbol }).internal
  ];
  const core = internal?.core as DenoCore | undefined;
  core?.setPromiseHooks((promise) => {
    if (catching) {
      catching = false;
      caught = promise;
    }
  });
}

/**
 * Run `start`, which must start the evaluation of `code` synchronously (the
 * inspector call itself), and hold the evaluation's promise until
 * `release()` is called (when the inspector has answered).
 *
 * @param code The input (only an input with `await` can be left waiting).
 * @param start Starts the evaluation.
 * @returns `release`, to call once the evaluation has answered.
 */
export function keepEvaluation(code: string, start: () => void): () => void {
  if (!code.includes("await")) {
    start();
    return () => {};
  }
  install();
  catching = true;
  caught = undefined;
  try {
    start();
  } finally {
    catching = false;
  }
  const promise = caught;
  caught = undefined;
  if (promise === undefined) return () => {};
  held.add(promise);
  return () => held.delete(promise);
}
