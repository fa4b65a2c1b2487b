/**
 * Which task is running now. One `AsyncLocalStorage` follows every task body
 * through its awaits; library code asks it at each await.
 *
 * Never `import()` lazily while a task body runs: under `deno test` a dynamic
 * import made inside `AsyncLocalStorage.run()` leaks that store into code that
 * runs later (seen on Deno 2.9.6).
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** The store holds the running task; typed loosely to avoid an import cycle. */
export const taskContext: AsyncLocalStorage<object> = new AsyncLocalStorage<object>();
