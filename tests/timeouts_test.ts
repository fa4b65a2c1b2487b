import assert from "node:assert/strict";
import {
  allTasks,
  CancelledError,
  createTask,
  currentTask,
  InvalidStateError,
  moveOnAfter,
  Queue,
  run,
  sleep,
  type Task,
  timeout,
  timeoutAt,
  TimeoutError,
  type TimeoutScope,
} from "../mod.ts";
import { outcome, withClock } from "./_helpers.ts";

Deno.test("timeout() rejects with TimeoutError only after fn's cleanup has run", async () => {
  await withClock(async (clock) => {
    const log: string[] = [];
    const result = outcome(run(async () => {
      try {
        await timeout(50, async () => {
          try {
            await sleep(1_000);
          } finally {
            log.push(`cleanup starts at ${performance.now()}`);
            await sleep(10);
            log.push("cleanup done");
          }
        });
      } catch (error) {
        log.push(`caught at ${performance.now()}`);
        throw error;
      }
    }));
    await clock.tickAsync(100);
    const { ok, error } = await result;
    assert.equal(ok, false);
    assert.ok(error instanceof TimeoutError);
    assert.ok(error.cause instanceof CancelledError);
    assert.equal(error.cause.reason, "timeout");
    assert.deepEqual(log, ["cleanup starts at 50", "cleanup done", "caught at 60"]);
  });
});

Deno.test("timeout() throws TimeoutError even when fn catches the cancellation and returns", async () => {
  await withClock(async (clock) => {
    const seen: boolean[] = [];
    const result = outcome(run(() =>
      timeout(20, async (_signal, scope) => {
        seen.push(scope.expired());
        try {
          await sleep(1_000);
          return "finished";
        } catch (error) {
          assert.ok(error instanceof CancelledError);
          seen.push(scope.expired());
          return "caught";
        }
      })
    ));
    await clock.tickAsync(30);
    assert.ok((await result).error instanceof TimeoutError);
    assert.deepEqual(seen, [false, true]);
  });
});

Deno.test("timeout() runs fn in the current task and creates no task", async () => {
  await run(async () => {
    const me = currentTask();
    const before = allTasks().size;
    const inside = await timeout(1_000, async () => {
      await sleep(1);
      return { task: currentTask(), count: allTasks().size };
    });
    assert.equal(inside.task, me);
    assert.equal(inside.count, before);
  });
});

Deno.test("an inner timeout expiring is a TimeoutError the outer fn can handle", async () => {
  await withClock(async (clock) => {
    const result = outcome(run(() =>
      timeout(100, async (_signal, outer) => {
        const inner = await outcome(timeout(10, () => sleep(1_000)));
        assert.ok(inner.error instanceof TimeoutError);
        await sleep(20);
        return { expired: outer.expired(), at: performance.now() };
      })
    ));
    await clock.tickAsync(200);
    assert.deepEqual(await result, { ok: true, value: { expired: false, at: 30 } });
  });
});

Deno.test("an outer deadline passes through the inner timeout as CancelledError", async () => {
  await withClock(async (clock) => {
    let innerSaw: unknown;
    const result = outcome(run(() =>
      timeout(10, async () => {
        try {
          await timeout(1_000, () => sleep(5_000));
        } catch (error) {
          innerSaw = error;
          throw error;
        }
      })
    ));
    await clock.tickAsync(20);
    const { error } = await result;
    assert.ok(innerSaw instanceof CancelledError);
    assert.ok(error instanceof TimeoutError);
    assert.equal(error.cause, innerSaw);
  });
});

Deno.test("an outer deadline is not lost when an inner one expired first undelivered", async () => {
  // Both deadlines pass while fn awaits a plain promise (no library await):
  // the inner timeout times out once the promise settles, and the outer
  // deadline must still reach the next library await.
  await withClock(async (clock) => {
    const plain = new Promise((resolve) => setTimeout(resolve, 30, "plain value"));
    const result = outcome(run(() =>
      timeout(20, async () => {
        const inner = await outcome(timeout(10, () => plain));
        assert.ok(inner.error instanceof TimeoutError);
        await sleep(1_000);
        return "not interrupted";
      })
    ));
    await clock.tickAsync(100);
    const { error } = await result;
    assert.ok(error instanceof TimeoutError);
  });
});

Deno.test("reschedule() moves the deadline later, earlier, or removes it", async () => {
  await withClock(async (clock) => {
    const later = outcome(run(() =>
      timeout(10, async (_signal, scope) => {
        scope.reschedule(performance.now() + 100);
        return await sleep(50, "later");
      })
    ));
    const earlier = outcome(run(() =>
      timeout(1_000, async (_signal, scope) => {
        scope.reschedule(performance.now() + 10);
        assert.equal(scope.deadline, 10);
        await sleep(500);
      }).catch((error) => ({ error, at: performance.now() }))
    ));
    let deadlineAfterNull = 0;
    const removed = outcome(run(() =>
      timeout(10, async (_signal, scope) => {
        scope.reschedule(null);
        deadlineAfterNull = scope.deadline;
        return await sleep(500, "removed");
      })
    ));
    await clock.tickAsync(600);
    assert.deepEqual(await later, { ok: true, value: "later" });
    const { value } = await earlier as { value: { error: unknown; at: number } };
    assert.ok(value.error instanceof TimeoutError);
    assert.equal(value.at, 10);
    assert.deepEqual(await removed, { ok: true, value: "removed" });
    assert.equal(deadlineAfterNull, Infinity);
  });
});

Deno.test("reschedule() throws InvalidStateError after expiry and after fn settled", async () => {
  await withClock(async (clock) => {
    let kept: TimeoutScope | undefined;
    const errors: unknown[] = [];
    const result = outcome(run(async () => {
      await moveOnAfter(10, async (_signal, scope) => {
        try {
          await sleep(100);
        } finally {
          try {
            scope.reschedule(performance.now() + 1_000);
          } catch (error) {
            errors.push(error);
          }
        }
      });
      await timeout(100, (_signal, scope) => {
        kept = scope;
      });
      try {
        kept?.reschedule(null);
      } catch (error) {
        errors.push(error);
      }
    }));
    await clock.tickAsync(50);
    assert.equal((await result).ok, true);
    assert.equal(errors.length, 2);
    for (const error of errors) assert.ok(error instanceof InvalidStateError);
    assert.equal(kept?.expired(), false);
  });
});

Deno.test("cancelling the task inside timeout() passes through as its CancelledError", async () => {
  await run(async () => {
    const started = Promise.withResolvers<void>();
    const task: Task<unknown> = createTask(() =>
      timeout(1_000, async () => {
        started.resolve();
        await sleep(5_000);
      })
    );
    await started.promise;
    task.cancel("stop");
    const error = await task.then(() => undefined, (e) => e);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.reason, "explicit");
    assert.equal(error.message, "stop");
    assert.ok(task.cancelled());
  });
});

Deno.test("timeout racing completion in the same turn: the value or TimeoutError, never a hang", async () => {
  await withClock(async (clock) => {
    // The work's timer is registered before the deadline's: the value wins.
    const workFirst = outcome(run(() =>
      timeout(Infinity, (_signal, scope) => {
        const work = sleep(50, "value");
        scope.reschedule(performance.now() + 50);
        return work;
      })
    ));
    // A plain promise that settles just before the deadline: fn returned
    // first, so its value is not lost. (corun's deadlines share one timer,
    // so against a foreign timer due in the same millisecond the order is
    // not defined; among corun's own, the earlier registered fires first.)
    const plain = new Promise((resolve) => setTimeout(resolve, 49, "plain"));
    const plainFirst = outcome(run(() => timeout(50, () => plain)));
    // The deadline's timer first: the work is cancelled.
    const deadlineFirst = outcome(run(() => timeout(50, () => sleep(50, "late"))));
    await clock.tickAsync(60);
    assert.deepEqual(await workFirst, { ok: true, value: "value" });
    assert.deepEqual(await plainFirst, { ok: true, value: "plain" });
    assert.ok((await deadlineFirst).error instanceof TimeoutError);
  });
  // The same race on real timers, many times (one task each: concurrent
  // timeouts in one task would share its cancellations).
  const results = await run(() =>
    Promise.all(Array.from({ length: 40 }, (_, i) => {
      const ms = i % 4;
      return outcome(Promise.resolve(createTask(() => timeout(ms, () => sleep(ms, i)))));
    }))
  );
  for (const [i, result] of results.entries()) {
    if (result.ok) assert.equal(result.value, i);
    else assert.ok(result.error instanceof TimeoutError);
  }
});

Deno.test("timeout() with ms <= 0 returns a synchronous fn's value", async () => {
  await run(async () => {
    assert.equal(await timeout(0, () => "zero"), "zero");
    assert.equal(await timeout(-5, () => "negative"), "negative");
    assert.equal(await timeout(0, () => Promise.resolve("no await")), "no await");
    await assert.rejects(timeout(0, () => sleep(10)), TimeoutError);
  });
});

Deno.test("a value fn returns in a later turn than its signal's abort is a TimeoutError", async () => {
  await withClock(async (clock) => {
    // What `Deno.Command(..., { signal }).output()` does: it resolves, with
    // the SIGTERM status, once the process has exited.
    const command = (signal: AbortSignal) =>
      new Promise<{ code: number }>((resolve) => {
        signal.addEventListener("abort", () => setTimeout(resolve, 5, { code: 143 }));
      });
    const plain = new Promise((resolve) => setTimeout(resolve, 20, "late"));
    let expired: boolean | undefined;
    const results = outcome(run(() =>
      Promise.all([
        outcome(Promise.resolve(createTask(() => timeout(10, (signal) => command(signal))))),
        outcome(Promise.resolve(createTask(() =>
          timeout(10, async (_signal, scope) => {
            const value = await plain;
            expired = scope.expired();
            return value;
          })
        ))),
      ])
    ));
    await clock.tickAsync(30);
    const { value } = await results;
    assert.ok(value?.[0].error instanceof TimeoutError);
    assert.ok(value?.[1].error instanceof TimeoutError);
    assert.ok(value?.[1].error.cause instanceof CancelledError);
    assert.equal(expired, true);
  });
});

Deno.test("timeout() around a real Deno.Command given its signal throws TimeoutError", async () => {
  const started = performance.now();
  const result = await outcome(
    run(() =>
      timeout(100, (signal) => new Deno.Command("sleep", { args: ["5"], signal }).output())
    ),
  );
  assert.ok(result.error instanceof TimeoutError, `got ${String(result.value)}`);
  assert.ok(performance.now() - started < 4_000);
});

Deno.test("a queue.get() under a timeout never loses the item put as the deadline passes", async () => {
  await withClock(async (clock) => {
    const queue = new Queue<string>();
    const result = outcome(run(async () => {
      // The producer's timer and the deadline are due in the same instant.
      const producer = createTask(async () => {
        await sleep(10);
        queue.putNowait("item");
      });
      try {
        return await timeout(10, () => queue.get());
      } finally {
        await producer;
      }
    }));
    await clock.tickAsync(20);
    const { ok, value, error } = await result;
    // Either the get() got the item (and it is returned), or it was
    // cancelled before taking it (and the item is still queued).
    if (ok) assert.equal(value, "item");
    else {
      assert.ok(error instanceof TimeoutError);
      assert.equal(queue.getNowait(), "item");
    }
  });
});

Deno.test("moveOnAfter() resolves undefined on expiry, after cleanup, and the value otherwise", async () => {
  await withClock(async (clock) => {
    const log: string[] = [];
    const result = outcome(run(async () => {
      const late = await moveOnAfter(10, async () => {
        try {
          return await sleep(100, "late");
        } finally {
          await sleep(5);
          log.push("cleanup");
        }
      });
      log.push("moved on");
      const fast = await moveOnAfter(100, () => sleep(5, "fast"));
      return [late, fast];
    }));
    await clock.tickAsync(100);
    assert.deepEqual(await result, { ok: true, value: [undefined, "fast"] });
    assert.deepEqual(log, ["cleanup", "moved on"]);
  });
});

Deno.test("fn's signal aborts with the scope's CancelledError on expiry", async () => {
  await withClock(async (clock) => {
    let signal: AbortSignal | undefined;
    const result = outcome(run(() =>
      moveOnAfter(10, (s) => {
        signal = s;
        return sleep(100);
      })
    ));
    await clock.tickAsync(0);
    assert.equal(signal?.aborted, false);
    await clock.tickAsync(20);
    await result;
    assert.equal(signal?.aborted, true);
    assert.ok(signal?.reason instanceof CancelledError);
    assert.equal(signal?.reason.reason, "timeout");
  });
});

Deno.test("fn's signal starts aborted when the task was already cancelled", async () => {
  const task = createTask(async () => {
    try {
      await sleep(1_000);
    } catch {
      return await timeout(100, (signal) => signal.aborted);
    }
  });
  await sleep(1);
  task.cancel();
  assert.equal(await task, true);
});

Deno.test("timeoutAt() with a past deadline cancels at the first library await", async () => {
  await run(async () => {
    const error = await timeoutAt(performance.now() - 10, () => sleep(1_000)).catch((e) => e);
    assert.ok(error instanceof TimeoutError);
    assert.equal(await timeoutAt(null, () => sleep(1, "no deadline")), "no deadline");
  });
});

Deno.test("a second cancel() interrupts the cleanup of a timed-out fn", async () => {
  await run(async () => {
    const log: string[] = [];
    const task = createTask(() =>
      timeout(5, async () => {
        try {
          await sleep(5_000);
        } finally {
          log.push("cleanup starts");
          await sleep(5_000);
          log.push("cleanup finished");
        }
      })
    );
    while (log.length === 0) await sleep(1);
    const started = performance.now();
    task.cancel("hurry");
    const error = await task.then(() => undefined, (e) => e);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.message, "hurry");
    assert.deepEqual(log, ["cleanup starts"]);
    assert.ok(performance.now() - started < 2_500);
  });
});

Deno.test("timeout(), timeoutAt() and moveOnAfter() work outside any task", async () => {
  assert.equal(currentTask(), undefined);
  const inside = await timeout(100, () => currentTask()?.name);
  assert.equal(inside, "timeout(100)");
  await assert.rejects(timeoutAt(performance.now() + 5, () => sleep(1_000)), TimeoutError);
  assert.equal(await moveOnAfter(5, () => sleep(1_000)), undefined);
});

Deno.test("timeout() rejects bad arguments", async () => {
  await assert.rejects(timeout(NaN, () => 1), RangeError);
  await assert.rejects(timeoutAt("soon" as unknown as number, () => 1), RangeError);
  await assert.rejects(timeout(10, 5 as unknown as () => number), TypeError);
  await run(async () => {
    await assert.rejects(
      timeout(10, (_signal, scope) => scope.reschedule(NaN)),
      RangeError,
    );
  });
});

Deno.test("timeout(0), a negative timeout and timeoutAt(past) expire at sleep(0)", async () => {
  await run(async () => {
    await assert.rejects(timeout(0, () => sleep(0)), TimeoutError);
    await assert.rejects(timeout(-5, async () => await sleep(0)), TimeoutError);
    await assert.rejects(timeoutAt(performance.now() - 1, () => sleep(0)), TimeoutError);
    assert.equal(await moveOnAfter(0, () => sleep(0, "late")), undefined);
  });
});

Deno.test("timeout() whose work fails with a revoked Proxy after the deadline reports that failure", async () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const failure = await timeout(1, async () => {
    try {
      await sleep(1_000);
    } catch {
      throw proxy;
    }
  }).then(() => ({ error: undefined }), (error) => ({ error }));
  assert.equal(failure.error, proxy);
});

Deno.test("a value fn returns in reaction to its signal's abort, in the same turn, is a TimeoutError", async () => {
  // Each resolves only because the signal aborted: never a value.
  const variants: [string, (signal: AbortSignal) => Promise<unknown>][] = [
    [
      "resolved in an abort listener",
      (s) => new Promise((resolve) => s.addEventListener("abort", () => resolve(143))),
    ],
    [
      "resolved in a microtask after the abort",
      (s) =>
        new Promise((resolve) =>
          s.addEventListener("abort", () => queueMicrotask(() => resolve(143)))
        ),
    ],
    ["an async fn awaiting a promise resolved on abort", async (s) => {
      const code = await new Promise((resolve) => s.addEventListener("abort", () => resolve(143)));
      return code;
    }],
    ["resolved by onabort", (s) =>
      new Promise((resolve) => {
        s.onabort = () => resolve(143);
      })],
  ];
  await withClock(async (clock) => {
    for (const [what, work] of variants) {
      const inTask = outcome(run(() => timeout(30, work)));
      const at = outcome(run(() => timeoutAt(performance.now() + 30, work)));
      const outside = outcome(timeout(30, work));
      await clock.tickAsync(40);
      for (const result of [await inTask, await at, await outside]) {
        assert.ok(result.error instanceof TimeoutError, `${what}: got ${String(result.value)}`);
      }
    }
  });
});

Deno.test("a value fn returns after reading signal.aborted as true, in the same turn, is a TimeoutError", async () => {
  await withClock(async (clock) => {
    const result = outcome(run(() =>
      timeout(30, async (signal) => {
        // Woken through a signal that follows this one: no listener on it.
        const follower = AbortSignal.any([signal]);
        await new Promise((resolve) => follower.addEventListener("abort", resolve));
        return signal.aborted ? "gave up" : "done";
      })
    ));
    await clock.tickAsync(40);
    const { error, value } = await result;
    assert.ok(error instanceof TimeoutError, `got ${String(value)}`);
  });
});

Deno.test("a listener on the signal does not turn a value completed before the deadline into a timeout", async () => {
  await withClock(async (clock) => {
    const result = outcome(run(() =>
      timeout(Infinity, (signal, scope) => {
        signal.addEventListener("abort", () => {});
        const work = sleep(50, "value"); // due in the same instant, registered first
        scope.reschedule(performance.now() + 50);
        return work;
      })
    ));
    await clock.tickAsync(60);
    assert.deepEqual(await result, { ok: true, value: "value" });
  });
});

Deno.test("fn's signal is a plain AbortSignal to the work, and watched however fn is declared", async () => {
  await withClock(async (clock) => {
    const seen: string[] = [];
    const declared = outcome(run(() =>
      timeout(30, (signal) => {
        assert.ok(signal instanceof AbortSignal);
        assert.deepEqual(Object.keys(signal), []);
        assert.deepEqual(Object.keys({ ...signal }), []);
        const listener = () => seen.push("removed listener ran");
        signal.addEventListener("abort", listener);
        signal.removeEventListener("abort", listener);
        signal.onabort = () => seen.push("onabort");
        assert.equal(typeof signal.onabort, "function");
        return new Promise((resolve) => AbortSignal.any([signal]).onabort = resolve);
      })
    ));
    const onAbort = (signal: AbortSignal) =>
      new Promise((resolve) => signal.addEventListener("abort", () => resolve("reaction")));
    const wrap = <A extends unknown[], R>(f: (...args: A) => R) => (...args: A) => f(...args);
    const rest = outcome(run(() => timeout(30, (...args: [AbortSignal]) => onAbort(args[0]))));
    const wrapped = outcome(run(() => timeout(30, wrap(onAbort))));
    const defaulted = outcome(
      run(() => timeout(30, (signal: AbortSignal = AbortSignal.abort()) => onAbort(signal))),
    );
    await clock.tickAsync(40);
    for (const [what, result] of Object.entries({ declared, rest, wrapped, defaulted })) {
      const got = await result;
      assert.ok(got.error instanceof TimeoutError, `${what}: ${JSON.stringify(got)}`);
    }
    assert.deepEqual(seen, ["onabort"]);
  });
});

Deno.test("a task cancellation the work caught inside timeout() is not raised again: the value comes back", async () => {
  await run(async () => {
    const task = createTask(() =>
      timeout(10_000, async (signal) => {
        try {
          await sleep(1000);
        } catch (error) {
          if (!(error instanceof CancelledError)) throw error;
        }
        return signal.aborted ? "cleaned up" : "not cancelled";
      })
    );
    await sleep(5);
    task.cancel();
    assert.equal(await task, "cleaned up");
  });
});

Deno.test("an item queue.get() took inside timeout() is kept when the task is cancelled before fn returns", async () => {
  await run(async () => {
    const queue = new Queue<number>();
    let got: unknown = "none";
    const task = createTask(async () => {
      got = await timeout(10_000, async (signal) => {
        signal.addEventListener("abort", () => {}); // as fetch(url, { signal }) would
        return await queue.get();
      });
    });
    await sleep(1);
    queue.putNowait(42);
    queueMicrotask(() => task.cancel());
    await Promise.allSettled([task]);
    assert.equal(got, 42);
    assert.equal(queue.qsize(), 0);
  });
});
