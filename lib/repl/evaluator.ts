/**
 * Evaluates REPL input in this very isolate through `node:inspector`'s
 * `Runtime.evaluate` with `replMode: true`: V8's own REPL mode, as Chrome
 * DevTools and `deno repl` use it. It gives native top-level `await` and
 * `let`/`const`/`class` declarations that persist between inputs (and may be
 * declared again), with no source rewriting.
 *
 * The evaluation starts synchronously inside `evaluate()`, so code evaluated
 * from a task body runs in that task's context: `currentTask()` is the task,
 * and every library await in the input (sleep, queues, awaiting tasks, ...)
 * registers with it, which is what lets Ctrl+C cancel it.
 *
 * @module
 */
import { Session } from "node:inspector";
import { deferExit } from "./_exit.ts";
import { keepEvaluation } from "./_keep_evaluation.ts";

/** How an evaluation ended: a value, or what was thrown. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** The subset of a CDP `RemoteObject` this module reads. */
interface RemoteObject {
  type: string;
  value?: unknown;
  unserializableValue?: string;
  objectId?: string;
}

interface EvaluateResult {
  result: RemoteObject;
  exceptionDetails?: { exception?: RemoteObject; text?: string };
}

/** Where evaluated code parks values for `capture` (keyed, so calls may overlap). */
const slots = new Map<number, unknown>();
let nextSlot = 0;
let nextGroup = 0;
const SLOTS = Symbol.for("corun.repl.slots");
(globalThis as Record<symbol, unknown>)[SLOTS] = slots;

/** One inspector session that evaluates REPL input. */
export class Evaluator {
  #session: Session = new Session();

  constructor() {
    this.#session.connect();
  }

  /**
   * Evaluate `code` as one REPL input. The code starts running before this
   * returns, in the caller's task context.
   *
   * @param code JavaScript (types already stripped).
   * @returns The completion value or the thrown value.
   */
  async evaluate(code: string): Promise<Outcome> {
    const group = `corun-repl-${nextGroup++}`;
    const reply = await this.#post<EvaluateResult>("Runtime.evaluate", {
      expression: code,
      replMode: true,
      awaitPromise: true,
      objectGroup: group,
    }, code);
    try {
      if (reply.exceptionDetails !== undefined) {
        const thrown = reply.exceptionDetails.exception;
        const error = thrown === undefined
          ? new Error(reply.exceptionDetails.text ?? "evaluation failed")
          : (await this.#capture(thrown)).value;
        return { ok: false, error };
      }
      return { ok: true, value: (await this.#capture(reply.result)).value };
    } finally {
      this.#post("Runtime.releaseObjectGroup", { objectGroup: group }).catch(() => {});
    }
  }

  /**
   * Names declared with `let`, `const` and `class` by earlier inputs (they do
   * not live on `globalThis`).
   *
   * @returns The names.
   */
  async lexicalNames(): Promise<string[]> {
    try {
      const reply = await this.#post<{ names: string[] }>("Runtime.globalLexicalScopeNames", {});
      return reply.names;
    } catch {
      return [];
    }
  }

  /**
   * The property names of what `expression` evaluates to, own and inherited,
   * without running anything with side effects (getters and calls that would
   * change state make V8 give up, and we return nothing).
   *
   * @param expression A JavaScript expression, e.g. `corun` or `a.b`.
   * @returns The names, or `[]`.
   */
  async propertyNames(expression: string): Promise<string[]> {
    const walker =
      `((v) => { const names = []; for (let o = Object(v), d = 0; o !== null && d < 20;` +
      ` o = Object.getPrototypeOf(o), d++) names.push(...Object.getOwnPropertyNames(o));` +
      ` return names; })(${expression})`;
    try {
      const reply = await this.#post<EvaluateResult>("Runtime.evaluate", {
        expression: walker,
        throwOnSideEffect: true,
        returnByValue: true,
        silent: true,
        timeout: 200,
      });
      const value = reply.exceptionDetails === undefined ? reply.result.value : undefined;
      return Array.isArray(value) ? [...new Set(value.filter((k) => typeof k === "string"))] : [];
    } catch {
      return [];
    }
  }

  /** Disconnect the inspector session. */
  close(): void {
    this.#session.disconnect();
  }

  /**
   * The live value a `RemoteObject` stands for, boxed: a thenable (a Task!)
   * returned from an async function would be adopted, that is awaited.
   */
  async #capture(remote: RemoteObject): Promise<{ value: unknown }> {
    if (remote.objectId === undefined) return { value: primitiveOf(remote) };
    const slot = nextSlot++;
    try {
      await this.#post("Runtime.callFunctionOn", {
        objectId: remote.objectId,
        functionDeclaration: `function (slot) { "use strict"; ` +
          `globalThis[Symbol.for("corun.repl.slots")].set(slot, this); }`,
        arguments: [{ value: slot }],
        silent: true,
      });
      return { value: slots.get(slot) };
    } finally {
      slots.delete(slot);
    }
  }

  /** Send one inspector command; `code`, for an evaluation, keeps its promise alive. */
  #post<T>(method: string, params: Record<string, unknown>, code?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // User code runs inside this call: exit there must wait for its end.
      deferExit(() => {
        let answered = false;
        let release = () => {};
        const send = () =>
          this.#session.post(method, params, (error: Error | null, result: unknown) => {
            answered = true;
            release();
            if (error) reject(error);
            else resolve(result as T);
          });
        if (code === undefined) return send();
        release = keepEvaluation(code, send);
        if (answered) release();
      });
    });
  }
}

function primitiveOf(remote: RemoteObject): unknown {
  if (remote.type === "undefined") return undefined;
  const special = remote.unserializableValue;
  if (special === undefined) return remote.value;
  if (special.endsWith("n")) return BigInt(special.slice(0, -1));
  if (special === "-0") return -0;
  return Number(special);
}
