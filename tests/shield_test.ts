import assert from "node:assert/strict";
import {
  CancelledError,
  createTask,
  gather,
  mapLimit,
  moveOnAfter,
  Queue,
  retry,
  run,
  shield,
  sleep,
  type Task,
  taskGroup,
  timeout,
  timeoutAt,
  TimeoutError,
  wait,
  waitFor,
  WorkerPool,
} from "../mod.ts";
import { taskInternals } from "../lib/runtime/mod.ts";
import { captureConsoleError } from "./_helpers.ts";

Deno.test("shield() keeps the inner work running when the awaiting task is cancelled", async () => {
  await run(async () => {
    const log: string[] = [];
    const inner = createTask(async () => {
      await sleep(30);
      log.push("inner finished");
      return "saved";
    });
    const outer = createTask(async () => {
      try {
        return await shield(inner);
      } catch (error) {
        log.push("outer rejected");
        throw error;
      }
    });
    await sleep(5);
    outer.cancel("give up");
    const error = await outer.then(() => undefined, (e) => e);
    assert.ok(error instanceof CancelledError);
    assert.equal(error, outer.signal.reason);
    assert.deepEqual(log, ["outer rejected"]);
    assert.equal(inner.done(), false);
    assert.equal(await inner, "saved");
    assert.deepEqual(log, ["outer rejected", "inner finished"]);
  });
});

Deno.test("shield() starts a function as a task and passes its outcome through", async () => {
  await run(async () => {
    assert.equal(await shield(() => sleep(5, "value")), "value");
    await assert.rejects(shield(() => Promise.reject(new Error("boom"))), /boom/);
    assert.equal(await shield(Promise.resolve("promise")), "promise");
    const done = createTask(() => "already");
    await done;
    assert.equal(await shield(done), "already");
  });
});

Deno.test("a shielded task's later failure is reported as never retrieved", async () => {
  const printed = await captureConsoleError(() =>
    run(async () => {
      const outer = createTask(() =>
        shield(async () => {
          await sleep(20);
          throw new Error("failed after the caller left");
        })
      );
      await sleep(5);
      outer.cancel();
      await outer.then(() => {}, () => {});
      await sleep(40);
    })
  );
  assert.ok(printed.some((line) => line.includes("failed after the caller left")));
});

Deno.test("shield() does not stop a cancel of the inner task itself", async () => {
  await run(async () => {
    let inner!: Task<void>;
    const outer = createTask(() => {
      inner = createTask(() => sleep(5_000));
      return shield(inner);
    });
    await sleep(5);
    inner.cancel();
    await assert.rejects(Promise.resolve(outer), CancelledError);
  });
});

Deno.test("shield() shows what it waits for, and rejects bad input", async () => {
  await run(async () => {
    const inner = createTask(() => sleep(30), { name: "flush" });
    const outer = createTask(() => shield(inner));
    await sleep(5);
    assert.equal(taskInternals.info(outer).waitingOn, "shield(flush)");
    await outer;
    await assert.rejects(shield(7 as unknown as Promise<number>), TypeError);
  });
});

Deno.test("shield(gather(a, b)) inside the task being cancelled keeps a and b running", async () => {
  await run(async () => {
    const finished: string[] = [];
    const work = (name: string) => async () => {
      await sleep(20);
      finished.push(name);
    };
    const outer = createTask(async () => {
      await Promise.all([
        shield(gather(work("gather a"), work("gather b"))),
        shield(wait([work("wait")])),
        shield(waitFor(work("waitFor"), 1_000)),
        shield(mapLimit([1], 1, work("mapLimit"))),
      ]);
    });
    await sleep(5);
    outer.cancel();
    await assert.rejects(Promise.resolve(outer), CancelledError);
    assert.deepEqual(finished, []);
    await sleep(40);
    assert.deepEqual(finished.sort(), ["gather a", "gather b", "mapLimit", "wait", "waitFor"]);
  });
});

Deno.test("shield(pool.run(...)) inside the task being cancelled keeps the job running", async () => {
  await using pool = new WorkerPool({ size: 1 });
  await run(async () => {
    let job: Promise<number> | undefined;
    const outer = createTask(async () => {
      job = pool.run(() => new Promise<number>((resolve) => setTimeout(resolve, 50, 7)));
      return await shield(job);
    });
    await sleep(5);
    outer.cancel();
    await assert.rejects(Promise.resolve(outer), CancelledError);
    assert.equal(await job, 7);
  });
});

Deno.test("shield() detaches transitively: library waits made of other library waits keep all the work running", async () => {
  await run(async () => {
    const finished: string[] = [];
    const work = (name: string) => async () => {
      await sleep(20);
      finished.push(name);
    };
    const outer = createTask(async () => {
      await Promise.all([
        shield(gather(gather(work("gather(gather)")))),
        shield(gather(gather(gather(work("gather(gather(gather))"))))),
        shield(wait([gather(work("wait([gather])"))])),
        shield(waitFor(gather(work("waitFor(gather)")), 1_000)),
        shield(taskGroup((tg) => {
          tg.createTask(work("taskGroup a"));
          tg.createTask(work("taskGroup b"));
        })),
      ]);
    });
    await sleep(5);
    outer.cancel();
    await assert.rejects(Promise.resolve(outer), CancelledError);
    assert.deepEqual(finished, []);
    await sleep(40);
    assert.deepEqual(finished.sort(), [
      "gather(gather(gather))",
      "gather(gather)",
      "taskGroup a",
      "taskGroup b",
      "wait([gather])",
      "waitFor(gather)",
    ]);
  });
});

Deno.test("shield(queue.get()) cancelled never loses the item: the get is cancelled and the item stays queued", async () => {
  await run(async () => {
    const queue = new Queue<string>();
    const outer = createTask(() => shield(queue.get()));
    await sleep(5);
    outer.cancel();
    await assert.rejects(Promise.resolve(outer), CancelledError);
    queue.putNowait("item");
    assert.equal(queue.getNowait(), "item");
  });
});

Deno.test("work running in the task (timeout(fn)) is protected by shielding a function: shield(() => timeout(ms, fn))", async () => {
  await run(async () => {
    let finished = false;
    const outer = createTask(() =>
      shield(() =>
        timeout(1_000, async () => {
          await sleep(20);
          finished = true;
        })
      )
    );
    await sleep(5);
    outer.cancel();
    await assert.rejects(Promise.resolve(outer), CancelledError);
    await sleep(40);
    assert.equal(finished, true);
  });
});

/** Work that runs in the calling task: two library awaits, then a value. */
async function twoSteps(log: string[], signal?: AbortSignal): Promise<string> {
  await sleep(30);
  log.push(signal?.aborted ? "step 1, signal aborted" : "step 1");
  await sleep(1);
  log.push("step 2");
  return "saved";
}

const inScope: [string, (log: string[]) => Promise<unknown>][] = [
  ["timeout(ms, fn)", (log) => timeout(1_000, (signal) => twoSteps(log, signal))],
  ["moveOnAfter(ms, fn)", (log) => moveOnAfter(1_000, (signal) => twoSteps(log, signal))],
  [
    "timeoutAt(deadline, fn)",
    (log) => timeoutAt(performance.now() + 1_000, (signal) => twoSteps(log, signal)),
  ],
  ["retry(fn)", (log) => retry((signal) => twoSteps(log, signal))],
  ["taskGroup(body)", (log) => taskGroup(() => twoSteps(log))],
];

for (const [name, start] of inScope) {
  Deno.test(`shield(${name}) keeps the work running in the cancelled task, and rejects at once`, async () => {
    await run(async () => {
      const log: string[] = [];
      let work!: Promise<unknown>;
      const outer = createTask(async () => {
        work = start(log);
        try {
          await shield(work);
        } catch (error) {
          log.push("shield rejected");
          throw error;
        }
      });
      await sleep(5);
      outer.cancel("give up");
      await sleep(0);
      assert.deepEqual(log, ["shield rejected"]);
      // Nothing of the cancellation is replayed into the work afterwards;
      // the task ends cancelled once the work running in it has ended.
      assert.equal(await work, "saved");
      const error = await outer.then(() => undefined, (e) => e);
      assert.ok(error instanceof CancelledError);
      assert.equal(outer.cancelled(), true);
      assert.deepEqual(log, ["shield rejected", "step 1", "step 2"]);
    });
  });
}

Deno.test("a shielded timeout's own deadline still cancels the work inside the shield", async () => {
  await run(async () => {
    let work!: Promise<unknown>;
    let signal!: AbortSignal;
    const outer = createTask(() => {
      work = timeout(20, (s) => {
        signal = s;
        return sleep(5_000);
      });
      return shield(work);
    });
    await sleep(5);
    outer.cancel();
    await sleep(0);
    assert.equal(signal.aborted, false);
    const started = performance.now();
    await assert.rejects(work, TimeoutError);
    assert.equal(signal.aborted, true);
    assert.ok(performance.now() - started < 1_000);
    await assert.rejects(Promise.resolve(outer), CancelledError);
  });
});

Deno.test("an enclosing timeout expiring does not reach a shielded timeout inside it", async () => {
  await run(async () => {
    const log: string[] = [];
    let work!: Promise<unknown>;
    await assert.rejects(
      timeout(5, () => {
        work = timeout(1_000, (signal) => twoSteps(log, signal));
        return shield(work);
      }),
      TimeoutError,
    );
    assert.deepEqual(log, []);
    assert.equal(await work, "saved");
    assert.deepEqual(log, ["step 1", "step 2"]);
  });
});

Deno.test("shield(retry(fn)) keeps retrying after the task was cancelled: its backoff is shielded too", async () => {
  await run(async () => {
    let calls = 0;
    let work!: Promise<unknown>;
    const outer = createTask(() => {
      work = retry(async () => {
        await sleep(10);
        if (++calls < 3) throw new Error("flaky");
        return calls;
      }, { minDelayMs: 5, jitter: false });
      return shield(work);
    });
    await sleep(12);
    outer.cancel();
    await assert.rejects(Promise.resolve(outer), CancelledError);
    assert.equal(await work, 3);
  });
});

Deno.test("shield(taskGroup(...)) keeps the body and the children running", async () => {
  await run(async () => {
    const log: string[] = [];
    let work!: Promise<unknown>;
    const outer = createTask(() => {
      work = taskGroup(async (tg) => {
        tg.createTask(async () => {
          await sleep(40);
          log.push("child");
        });
        await sleep(20);
        log.push("body");
        return "group";
      });
      return shield(work);
    });
    await sleep(5);
    outer.cancel();
    await assert.rejects(Promise.resolve(outer), CancelledError);
    assert.equal(await work, "group");
    assert.deepEqual(log, ["body", "child"]);
  });
});

Deno.test("a second cancel of the task while the shielded work runs does not reach it either", async () => {
  await run(async () => {
    const log: string[] = [];
    let work!: Promise<unknown>;
    const outer = createTask(() => {
      work = timeout(1_000, (signal) => twoSteps(log, signal));
      return shield(work);
    });
    await sleep(5);
    outer.cancel("first");
    await sleep(5);
    outer.cancel("second");
    assert.equal(await work, "saved");
    assert.deepEqual(log, ["step 1", "step 2"]);
    const error = await outer.then(() => undefined, (e) => e);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.message, "first");
  });
});
