/**
 * What runs inside a pool worker, and how errors cross the thread boundary.
 *
 * The worker is created from `WORKER_SOURCE` (`new Worker(source, { eval:
 * true })`), so users need no extra file. A job is either a function sent by
 * source (compiled once per source with an indirect `eval`, so it sees only
 * globals) or the name of an export of a module the worker imports once.
 * Errors are sent as plain data (`SerializedError`) because structured
 * cloning keeps neither custom names nor own properties.
 */

/** A job as posted to a worker. */
export interface JobMessage {
  /** Matches the reply to the job. */
  id: number;
  /** A function's source (`fn.toString()`), for `toThread` and `run(fn)`. */
  source?: string;
  /** An absolute module URL, for `run("exportName")`. */
  module?: string;
  /** The export to call. */
  name?: string;
  /** The arguments, structured-cloned. */
  args: unknown[];
}

/** An error as it crosses the thread boundary. */
export interface SerializedError {
  /** The error's `name` (custom names included). */
  name: string;
  /** The error's `message`. */
  message: string;
  /** The stack as the worker saw it. */
  stack?: string;
  /** The `cause`: an error, or another thrown value. */
  cause?: { error: SerializedError } | { thrown: unknown };
  /** Own enumerable properties that could be cloned (`code`, ...). */
  props?: Record<string, unknown>;
}

/** A worker's answer. */
export type ReplyMessage =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError }
  | { id: number; ok: false; thrown: unknown };

/**
 * What every pool worker runs, whatever carries its messages: compiling
 * sources, importing modules, running one job at a time and turning errors
 * into `SerializedError`s. A transport defines `clonable(value)`,
 * `post(reply)` and `syncCall(fn, args)` (which calls `fn` and marks the
 * synchronous part of the call), then calls `runJob(job)` for each message.
 * Plain JavaScript: it is evaluated, not compiled.
 */
export const RUNNER_SOURCE = `
const compiled = new Map();
const modules = new Map();
const STANDARD = new Set(["Error", ""]);

function compile(source) {
  let fn = compiled.get(source);
  if (fn !== undefined) return fn;
  try {
    fn = (0, eval)("(" + source + "\\n)");
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const holder = (0, eval)("({" + source + "\\n})");
    fn = holder[Object.keys(holder)[0]];
  }
  if (typeof fn !== "function") throw new TypeError("the source did not evaluate to a function");
  if (compiled.size >= 256) compiled.clear();
  compiled.set(source, fn);
  return fn;
}

async function exported(url, name) {
  let loading = modules.get(url);
  if (loading === undefined) {
    loading = import(url);
    modules.set(url, loading);
  }
  const namespace = await loading;
  const fn = namespace[name];
  if (typeof fn !== "function") {
    throw new TypeError("the module " + url + " has no exported function '" + name + "'");
  }
  return fn;
}

function serialize(thrown, depth) {
  if (!(thrown instanceof Error)) return clonable(thrown) ? { thrown } : { thrown: String(thrown) };
  let name = String(thrown.name);
  const className = thrown.constructor && thrown.constructor.name;
  if (STANDARD.has(name) && className && className !== "Error") name = className;
  const error = { name, message: String(thrown.message), stack: thrown.stack };
  if (depth < 4 && "cause" in thrown) error.cause = serialize(thrown.cause, depth + 1);
  for (const key of Object.keys(thrown)) {
    if (key === "name" || key === "message" || key === "stack" || key === "cause") continue;
    if (clonable(thrown[key])) (error.props ??= {})[key] = thrown[key];
  }
  return { error };
}

let current = null;

function send(reply) {
  if (reply.id !== current) return;
  current = null;
  try {
    post(reply);
  } catch (failure) {
    const error = new TypeError("the result could not be sent back to the caller: " + failure.message);
    post({ id: reply.id, ok: false, ...serialize(error, 0) });
  }
}

// An error escaping the job (thrown from a timer, a rejection nobody
// handles) fails the job instead of killing the worker.
const escaped = (thrown) => {
  if (current !== null) send({ id: current, ok: false, ...serialize(thrown, 0) });
};
process.on("uncaughtException", escaped);
process.on("unhandledRejection", escaped);

async function runJob(job) {
  current = job.id;
  try {
    const fn = job.source !== undefined ? compile(job.source) : await exported(job.module, job.name);
    const value = await syncCall(fn, job.args);
    send({ id: job.id, ok: true, value });
  } catch (thrown) {
    send({ id: job.id, ok: false, ...serialize(thrown, 0) });
  }
}
`;

/**
 * The thread worker's program. `workerData` is an `Int32Array` whose slot 0
 * is 1 while a job's synchronous part runs: after `terminate()`, a runtime
 * that cannot interrupt running code (Deno 2.9) keeps that part running, and
 * the pool counts the thread as stuck until the slot drops to 0.
 */
export const WORKER_SOURCE = `"use strict";
const { parentPort, workerData: running } = require("node:worker_threads");

function clonable(value) {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function post(reply) {
  parentPort.postMessage(reply);
}

function syncCall(fn, args) {
  Atomics.store(running, 0, 1);
  try {
    return fn(...args);
  } finally {
    Atomics.store(running, 0, 0);
    Atomics.notify(running, 0);
  }
}
${RUNNER_SOURCE}
parentPort.on("message", runJob);
`;

const CONSTRUCTORS: Record<string, ErrorConstructor> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

/**
 * Rebuild an error sent by a worker: the standard class when its name is a
 * standard one, otherwise an `Error` whose `name` is the original class
 * name; message, stack, cause and clonable own properties are kept.
 */
export function rebuildError(data: SerializedError): Error {
  const Constructor = Object.hasOwn(CONSTRUCTORS, data.name) ? CONSTRUCTORS[data.name] : Error;
  const error = new Constructor(data.message);
  if (error.name !== data.name) {
    Object.defineProperty(error, "name", {
      value: data.name,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  error.stack = data.stack ?? `${data.name}: ${data.message}`;
  if (data.cause !== undefined) {
    error.cause = "error" in data.cause ? rebuildError(data.cause.error) : data.cause.thrown;
  }
  if (data.props !== undefined) Object.assign(error, data.props);
  return error;
}

/**
 * A `ReferenceError` raised in the worker for a name the function's source
 * uses is almost always a captured variable: turn it into an error that says
 * so (naming a process for a process-mode pool). Returns `undefined` when
 * `error` is something else.
 */
export function closureError(
  error: Error,
  source: string,
  mode: "thread" | "process" = "thread",
): ReferenceError | undefined {
  if (error.name !== "ReferenceError") return undefined;
  const match =
    /^(?:'|")?([\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$]*)(?:'|")? is not defined$/u
      .exec(error.message);
  if (match === null) return undefined;
  const name = match[1];
  const used = new RegExp(
    `(^|[^\\p{L}\\p{Nd}$_.])${name.replaceAll("$", "\\$")}($|[^\\p{L}\\p{Nd}$_])`,
    "u",
  );
  if (!used.test(source)) return undefined;
  return new ReferenceError(
    `${
      mode === "process"
        ? "WorkerPool functions run in another process"
        : "toThread functions run in another thread"
    } and cannot use variables from the enclosing scope: '${name}' is not defined there; pass it as an argument`,
    { cause: error },
  );
}

/** The source to send for `fn`, or a `TypeError` saying why it cannot be sent. */
export function functionSource(fn: (...args: never[]) => unknown, argument: string): string {
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new TypeError(
      `${argument} must be a function written in JavaScript or TypeScript; ${
        fn.name || "(anonymous)"
      } is native or bound, and cannot be sent to a worker`,
    );
  }
  if (/^class[\s{]/.test(source)) {
    throw new TypeError(`${argument} must be a function, got class ${fn.name || "(anonymous)"}`);
  }
  return source;
}
