import assert from "node:assert/strict";
import {
  allTasks,
  CancelledError,
  createTask,
  currentTask,
  gather,
  InvalidStateError,
  run,
  sleep,
  type Task,
  timeout,
  TimeoutError,
} from "../mod.ts";
import { taskInternals } from "../lib/runtime/mod.ts";
import { captureConsoleError, cleanupProbe, outcome, withClock, within } from "./_helpers.ts";

/** Let every ready task run up to its next wait. */
async function settle(): Promise<void> {
  await sleep(0);
  await sleep(0);
}

Deno.test("gather() resolves results in input order even when they finish in another order", async () => {
  const finished: string[] = [];
  const job = (name: string, ms: number) => async () => {
    await sleep(ms);
    finished.push(name);
    return name;
  };
  const results = await gather(job("a", 30), job("b", 1), job("c", 15));
  assert.deepEqual(results, ["a", "b", "c"]);
  assert.deepEqual(finished, ["b", "c", "a"]);
});

Deno.test("gather() types its results as a tuple, for the variadic and the array form", async () => {
  const count = createTask(() => sleep(1, 3));
  const [n, word]: [number, string] = await gather(count, () => Promise.resolve("three"));
  const [flag, big]: [boolean, bigint] = await gather([() => true, Promise.resolve(2n)]);
  // @ts-expect-error the first result is a number, not a string
  const [wrong]: [string] = await gather(createTask(() => 1));
  const settled = await gather([() => 1, () => "x"], { returnExceptions: true });
  const checked: [number | Error, string | Error] = settled;
  assert.deepEqual([n, word, flag, big, wrong, checked], [3, "three", true, 2n, 1, [1, "x"]]);
});

Deno.test("gather() with no awaitables resolves [] (variadic and array form)", async () => {
  assert.deepEqual(await gather(), []);
  assert.deepEqual(await gather([]), []);
  assert.deepEqual(await gather([], { returnExceptions: true }), []);
});

Deno.test("gather() awaits plain promises and uses tasks as they are", async () => {
  const task = createTask(() => sleep(5, "task"));
  const results = await gather(sleep(10, "promise"), task, Promise.resolve("ready"), () => "fn");
  assert.deepEqual(results, ["promise", "task", "ready", "fn"]);
});

Deno.test("gather() of the same task twice gives its value twice", async () => {
  const task = createTask(() => sleep(1, 7));
  assert.deepEqual(await gather(task, task), [7, 7]);
});

Deno.test("first failure: gather() cancels the siblings and waits for their cleanup before rejecting", async () => {
  const log: string[] = [];
  const boom = new Error("boom");
  const passedIn = createTask(async () => {
    try {
      await sleep(60_000);
    } finally {
      await sleep(5);
      log.push("passed-in task cleaned up");
    }
  });
  const failing = async () => {
    await sleep(1);
    throw boom;
  };
  const started = async () => {
    try {
      await sleep(60_000);
    } finally {
      await sleep(5);
      log.push("started task cleaned up");
    }
  };
  const before = allTasks().size;
  await assert.rejects(gather(passedIn, failing, started), (error) => error === boom);
  log.push("gather rejected");
  assert.deepEqual(log.slice(-1), ["gather rejected"]);
  assert.deepEqual(log.slice(0, 2).sort(), [
    "passed-in task cleaned up",
    "started task cleaned up",
  ]);
  assert.equal(passedIn.cancelled(), true);
  assert.equal(allTasks().size, before - 1, "no orphan is left running");
});

Deno.test("first failure: siblings are cancelled with reason parent", async () => {
  let seen: unknown;
  const sibling = createTask(async () => {
    try {
      await sleep(60_000);
    } catch (error) {
      seen = error;
      throw error;
    }
  });
  await assert.rejects(gather(sibling, () => Promise.reject(new Error("x"))), /x/);
  assert.ok(seen instanceof CancelledError);
  assert.equal(seen.reason, "parent");
});

Deno.test("a child's CancelledError counts as a failure: gather() rejects with it and cancels the rest", async () => {
  const victim = createTask(() => sleep(60_000), { name: "victim" });
  const sibling = createTask(() => sleep(60_000));
  const gathered = gather(victim, sibling);
  await settle();
  victim.cancel("stop it");
  await assert.rejects(gathered, (error) => {
    assert.ok(error instanceof CancelledError);
    assert.equal(error.message, "stop it");
    assert.equal(error.taskName, "victim");
    return true;
  });
  assert.equal(sibling.cancelled(), true);
});

Deno.test("a rejected plain promise fails gather() and cancels the tasks; a pending promise is abandoned", async () => {
  const slowPromise = sleep(30, "late");
  const sibling = createTask(() => sleep(60_000));
  await assert.rejects(
    gather(slowPromise, sibling, Promise.reject(new RangeError("bad"))),
    RangeError,
  );
  assert.equal(sibling.cancelled(), true);
  assert.equal(await slowPromise, "late");
});

Deno.test("returnExceptions: errors (CancelledError too) go in the results and nothing is cancelled", async () => {
  const boom = new Error("boom");
  const cancelled = createTask(() => sleep(60_000));
  const slow = createTask(() => sleep(20, "slow"));
  const gathered = gather([
    () => Promise.reject(boom),
    cancelled,
    slow,
    Promise.reject(new TypeError("promise")),
  ], { returnExceptions: true });
  await settle();
  cancelled.cancel();
  const [first, second, third, fourth] = await gathered;
  assert.equal(first, boom);
  assert.ok(second instanceof CancelledError);
  assert.equal(third, "slow");
  assert.ok(fourth instanceof TypeError);
  assert.equal(slow.cancelled(), false);
});

Deno.test("returnExceptions: the errors it returns are retrieved, so the run reports nothing", async () => {
  const printed = await captureConsoleError(() =>
    run(async () => {
      const [error] = await gather([() => Promise.reject(new Error("handled"))], {
        returnExceptions: true,
      });
      assert.equal((error as Error).message, "handled");
    })
  );
  assert.deepEqual(printed, []);
});

Deno.test("the first error is retrieved: a run does not report it as never retrieved", async () => {
  const printed = await captureConsoleError(() =>
    run(async () => {
      await assert.rejects(gather(() => Promise.reject(new Error("first"))), /first/);
    })
  );
  assert.deepEqual(printed, []);
});

Deno.test("cancelling the task awaiting gather() cancels the children, waits for them, rejects with its CancelledError", async () => {
  const log: string[] = [];
  const reasons: string[] = [];
  const child = (name: string) => async () => {
    try {
      await sleep(60_000);
    } catch (error) {
      reasons.push((error as CancelledError).reason);
      throw error;
    } finally {
      await sleep(5);
      log.push(`${name} cleaned up`);
    }
  };
  const passedIn = createTask(child("passed-in"));
  let caught: unknown;
  const awaiter = createTask(async () => {
    try {
      await gather(passedIn, child("started"));
    } catch (error) {
      caught = error;
      log.push("awaiter saw the error");
      throw error;
    }
  });
  await settle();
  assert.equal(taskInternals.info(awaiter).waitingOn, "gather(2)");
  awaiter.cancel("enough");
  await assert.rejects(awaiter, CancelledError);
  assert.ok(caught instanceof CancelledError);
  assert.equal(caught, awaiter.signal.reason, "the awaiter's own CancelledError");
  assert.equal(caught.message, "enough");
  assert.deepEqual(reasons, ["parent", "parent"]);
  assert.equal(log.at(-1), "awaiter saw the error");
  assert.deepEqual(log.slice(0, 2).sort(), ["passed-in cleaned up", "started cleaned up"]);
  assert.equal(passedIn.cancelled(), true);
});

Deno.test("a child failing while gather() is being cancelled: the awaiter sees CancelledError, the run reports the child's error", async () => {
  let caught: unknown;
  const printed = await captureConsoleError(() =>
    run(async () => {
      const awaiter = createTask(async () => {
        try {
          await gather(async () => {
            try {
              await sleep(60_000);
            } finally {
              // deno-lint-ignore no-unsafe-finally
              throw new Error("cleanup failed");
            }
          }, () => sleep(60_000));
        } catch (error) {
          caught = error;
          throw error;
        }
      });
      await settle();
      awaiter.cancel();
      await assert.rejects(awaiter, CancelledError);
    })
  );
  assert.ok(caught instanceof CancelledError);
  const report = printed.join("\n");
  assert.match(report, /Task exception was never retrieved/);
  assert.match(report, /cleanup failed/);
});

Deno.test("cancelling the awaiter abandons plain promises: gather() rejects without waiting for them", async () => {
  const slowPromise = sleep(30, "late");
  const order: string[] = [];
  const awaiter = createTask(() => gather(slowPromise));
  await settle();
  awaiter.cancel();
  await assert.rejects(awaiter, CancelledError);
  order.push("gather rejected");
  order.push(await slowPromise);
  assert.deepEqual(order, ["gather rejected", "late"]);
});

Deno.test("an awaiter already cancelled when gather() is called never starts the children", async () => {
  let ran = false;
  const awaiter = createTask(async () => {
    currentCancel();
    await gather(() => {
      ran = true;
    });
  });
  const currentCancel = () => awaiter.cancel();
  await assert.rejects(awaiter, CancelledError);
  assert.equal(ran, false);
});

Deno.test("gather() works inside run and outside any task", async () => {
  assert.deepEqual(await run(() => gather(() => sleep(1, 1), () => 2)), [1, 2]);
  assert.deepEqual(await gather(() => 3), [3]);
});

Deno.test("gather() rejects a task awaiting itself with InvalidStateError", async () => {
  const self: Task<unknown> = createTask(() => gather(self));
  await assert.rejects(self, InvalidStateError);
});

Deno.test("bad input: TypeError naming the index, and nothing is started", async () => {
  let ran = false;
  const fn = () => {
    ran = true;
  };
  await assert.rejects(gather(fn, 42 as never), { name: "TypeError", message: /aws\[1\].*42/ });
  await assert.rejects(gather([fn, null] as never), { name: "TypeError", message: /aws\[1\]/ });
  await assert.rejects(
    gather([fn], { returnExceptions: "yes" } as never),
    { name: "TypeError", message: /returnExceptions/ },
  );
  await assert.rejects(gather([fn], 7 as never), { name: "TypeError", message: /options/ });
  await settle();
  assert.equal(ran, false);
});

Deno.test("the first failure also cancels an input that survived an earlier cancel", async () => {
  const survivor = createTask(async () => {
    try {
      await sleep(10_000);
    } catch {
      // swallowed: keeps running
    }
    await sleep(10_000);
  });
  await sleep(0);
  survivor.cancel();
  await sleep(0);
  assert.equal(survivor.done(), false);
  const failing = createTask(async () => {
    await sleep(1);
    throw new Error("boom");
  });
  await assert.rejects(gather(survivor, failing), /boom/);
  assert.equal(survivor.cancelled(), true);
});

Deno.test("cancelling gather() nested 10,000 deep returns and ends every level cancelled", async () => {
  const levels: Task<unknown>[] = [];
  const nest = (depth: number): Promise<unknown> =>
    depth === 0 ? sleep(Infinity) : gather(() => {
      levels.push(currentTask()!);
      return nest(depth - 1);
    });
  const top = createTask(() => nest(10_000));
  await sleep(1);
  assert.equal(levels.length, 10_000);
  assert.equal(top.cancel(), true);
  await within(30_000, "the nested gather", Promise.allSettled([top, ...levels]));
  assert.equal(top.cancelled(), true);
  assert.equal(levels.filter((task) => !task.cancelled()).length, 0);
});

Deno.test("in a task gathering a task that awaits it, cancelling either ends both cancelled", async () => {
  for (const which of [0, 1]) {
    const tasks: Task<unknown>[] = [];
    tasks.push(createTask(() => gather(tasks[1]), { name: "gatherer" }));
    tasks.push(createTask(async () => await tasks[0], { name: "awaiter" }));
    await sleep(0);
    tasks[which].cancel();
    await within(5_000, `the cycle, cancelling ${tasks[which].name}`, Promise.allSettled(tasks));
    assert.deepEqual(tasks.map((task) => task.cancelled()), [true, true]);
  }
});

Deno.test("gather() inside timeout(): the deadline cancels and awaits the inputs, then TimeoutError", async () => {
  await withClock(async (clock) => {
    const probe = cleanupProbe(sleep);
    let cleanedAtTimeout = -1;
    const result = outcome(
      run(() =>
        timeout(50, () => gather(probe.work, probe.work)).finally(() => {
          cleanedAtTimeout = probe.cleaned;
        })
      ),
    );
    await clock.tickAsync(100);
    assert.ok((await result).error instanceof TimeoutError);
    assert.equal(cleanedAtTimeout, 2);
  });
});
