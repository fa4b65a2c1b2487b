import assert from "node:assert/strict";
import {
  allTasks,
  CancelledError,
  createTask,
  currentTask,
  run,
  sleep,
  type Task,
  timeout,
  TimeoutError,
  waitFor,
} from "../mod.ts";
import { taskInternals } from "../lib/runtime/mod.ts";
import { captureConsoleError, cleanupProbe, outcome, withClock } from "./_helpers.ts";

Deno.test("waitFor() resolves with the value of work that finishes in time", async () => {
  await run(async () => {
    assert.equal(await waitFor(() => sleep(5, "fn"), 1_000), "fn");
    assert.equal(await waitFor(createTask(() => sleep(5, "task")), 1_000), "task");
    assert.equal(await waitFor(Promise.resolve("promise"), 1_000), "promise");
    assert.equal(await waitFor(() => sleep(5, "no limit"), null), "no limit");
    await assert.rejects(waitFor(() => Promise.reject(new Error("boom")), 1_000), /boom/);
  });
});

Deno.test("waitFor() on timeout cancels the task and waits for its cleanup", async () => {
  await withClock(async (clock) => {
    const log: string[] = [];
    let inner!: Task<void>;
    const result = outcome(run(async () => {
      inner = createTask(async () => {
        try {
          await sleep(1_000);
        } finally {
          await sleep(10);
          log.push(`cleanup done at ${performance.now()}`);
        }
      });
      try {
        await waitFor(inner, 50);
      } finally {
        log.push(`waitFor settled at ${performance.now()}`);
      }
    }));
    await clock.tickAsync(100);
    const { error } = await result;
    assert.ok(error instanceof TimeoutError);
    assert.ok(error.cause instanceof CancelledError);
    assert.equal(error.cause.reason, "timeout");
    assert.ok(inner.cancelled());
    assert.deepEqual(log, ["cleanup done at 60", "waitFor settled at 60"]);
  });
});

Deno.test("waitFor() with ms <= 0: work already done wins", async () => {
  await run(async () => {
    const done = createTask(() => "done");
    await done;
    assert.equal(await waitFor(done, 0), "done");
    const failed = createTask(() => Promise.reject(new Error("failed")));
    await failed.then(() => {}, () => {});
    await assert.rejects(waitFor(failed, -1), /failed/);
    assert.equal(await waitFor(Promise.resolve("resolved"), 0), "resolved");
    await assert.rejects(waitFor(() => sleep(50), 0), TimeoutError);
  });
});

Deno.test("waitFor(fn, 0) and a negative limit reject with TimeoutError without starting fn", async () => {
  await run(async () => {
    let started = 0;
    const before = allTasks().size;
    await assert.rejects(waitFor(() => ++started, 0), TimeoutError);
    await assert.rejects(waitFor(() => Promise.resolve(++started), -5), TimeoutError);
    assert.equal(allTasks().size, before);
    await sleep(0);
    assert.equal(started, 0);
    // An unfinished task is cancelled at once.
    const slow = createTask(() => sleep(60_000));
    await assert.rejects(waitFor(slow, 0), TimeoutError);
    assert.ok(slow.cancelled());
  });
});

Deno.test("waitFor() resolves with the value of a task that swallows the cancellation", async () => {
  await run(async () => {
    const value = await waitFor(async () => {
      try {
        await sleep(1_000);
        return "finished";
      } catch {
        return "swallowed";
      }
    }, 5);
    assert.equal(value, "swallowed");
  });
});

Deno.test("waitFor() rejects with the error a task fails with while cancelled", async () => {
  await run(async () => {
    const error = await waitFor(async () => {
      try {
        await sleep(1_000);
      } catch {
        throw new Error("cleanup failed");
      }
    }, 5).catch((e) => e);
    assert.ok(!(error instanceof TimeoutError));
    assert.equal(error.message, "cleanup failed");
  });
});

Deno.test("waitFor() abandons a plain promise at the deadline", async () => {
  await withClock(async (clock) => {
    const never = new Promise<never>(() => {});
    const late = new Promise((resolve) => setTimeout(resolve, 500, "late"));
    const results = Promise.all([
      outcome(waitFor(never, 10).finally(() => performance.now())),
      outcome(run(() => waitFor(late, 20).catch((e) => ({ e, at: performance.now() })))),
    ]);
    await clock.tickAsync(600);
    const [first, second] = await results;
    assert.ok(first.error instanceof TimeoutError);
    const { e, at } = second.value as { e: unknown; at: number };
    assert.ok(e instanceof TimeoutError);
    assert.equal(at, 20);
  });
});

Deno.test("cancelling the awaiting task cancels the inner task, waits, and rejects", async () => {
  await run(async () => {
    const log: string[] = [];
    let inner!: Task<void>;
    const outer = createTask(async () => {
      inner = createTask(async () => {
        try {
          await sleep(5_000);
        } finally {
          await sleep(5);
          log.push("inner cleanup");
        }
      });
      try {
        await waitFor(inner, 5_000);
      } catch (error) {
        log.push("outer caught");
        throw error;
      }
    });
    await sleep(5);
    outer.cancel("outer cancelled");
    const error = await outer.then(() => undefined, (e) => e);
    assert.ok(error instanceof CancelledError);
    assert.equal(error, outer.signal.reason);
    assert.equal(error.message, "outer cancelled");
    assert.ok(inner.cancelled());
    assert.equal((inner.signal.reason as CancelledError).reason, "parent");
    assert.deepEqual(log, ["inner cleanup", "outer caught"]);
  });
});

Deno.test("an inner failure after the awaiting task was cancelled is reported, not lost", async () => {
  const printed = await captureConsoleError(() =>
    run(async () => {
      const outer = createTask(() =>
        waitFor(async () => {
          try {
            await sleep(5_000);
          } catch {
            throw new Error("lost in cleanup");
          }
        }, 5_000)
      );
      await sleep(5);
      outer.cancel();
      await outer.then(() => {}, () => {});
      assert.ok(outer.cancelled());
    })
  );
  assert.ok(printed.some((line) => line.includes("lost in cleanup")));
});

Deno.test("waitFor() shows the task it waits for in the monitor", async () => {
  await run(async () => {
    const inner = createTask(() => sleep(50), { name: "slow-job" });
    const outer = createTask(() => waitFor(inner, 1_000));
    await sleep(5);
    assert.equal(taskInternals.info(outer).waitingOn, "waitFor(slow-job)");
    const plain = createTask(() => waitFor(new Promise((r) => setTimeout(r, 20)), 1_000));
    await sleep(5);
    assert.equal(taskInternals.info(plain).waitingOn, "waitFor(promise)");
    await Promise.all([outer, plain]);
  });
});

Deno.test("an enclosing timeout passes through waitFor() and becomes its TimeoutError", async () => {
  await run(async () => {
    let seen: unknown;
    const error = await timeout(5, async () => {
      try {
        await waitFor(() => sleep(5_000), 5_000);
      } catch (e) {
        seen = e;
        throw e;
      }
    }).catch((e) => e);
    assert.ok(seen instanceof CancelledError);
    assert.ok(error instanceof TimeoutError);
    assert.equal(error.cause, seen);
  });
});

Deno.test("waitFor() works outside any task and rejects bad arguments", async () => {
  assert.equal(currentTask(), undefined);
  assert.equal(await waitFor(() => sleep(1, "outside"), 1_000), "outside");
  await assert.rejects(waitFor(() => sleep(1_000), 5), TimeoutError);
  await assert.rejects(waitFor(() => 1, NaN), RangeError);
  await assert.rejects(waitFor(42 as unknown as Promise<number>, 10), TypeError);
  await run(async () => {
    await assert.rejects(waitFor(currentTask()!, 10), /cannot wait for itself/);
  });
});

Deno.test("waitFor() is cheap on fast work", async () => {
  const n = 5_000;
  await run(async () => {
    const started = performance.now();
    for (let i = 0; i < n; i++) await waitFor(() => i, 1_000);
    const perCall = (performance.now() - started) / n;
    assert.ok(perCall < 1, `${perCall} ms per call`);
  });
});

Deno.test("waitFor() inside timeout(): the deadline cancels and awaits the inner task, then TimeoutError", async () => {
  await withClock(async (clock) => {
    const probe = cleanupProbe(sleep);
    let cleanedAtTimeout = -1;
    const result = outcome(run(() =>
      timeout(50, () => waitFor(probe.work, 10_000)).finally(() => {
        cleanedAtTimeout = probe.cleaned;
      })
    ));
    await clock.tickAsync(100);
    assert.ok((await result).error instanceof TimeoutError);
    assert.equal(cleanedAtTimeout, 1);
  });
});
