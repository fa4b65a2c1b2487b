import assert from "node:assert/strict";
import {
  CancelledError,
  createTask,
  currentTask,
  InvalidStateError,
  run,
  sleep,
  type Task,
  TaskGroup,
  taskGroup,
  timeout,
  TimeoutError,
} from "../mod.ts";
import { taskInternals } from "../lib/runtime/mod.ts";
import { withClock } from "./_helpers.ts";

/** A child that fails after `ms`. */
function failAfter(ms: number, message: string): () => Promise<never> {
  return async () => {
    await sleep(ms);
    throw new Error(message);
  };
}

Deno.test("taskGroup() waits for every child and returns the body's value", async () => {
  await run(async () => {
    const finished: number[] = [];
    const value = await taskGroup((tg) => {
      for (const ms of [15, 5, 10]) {
        tg.createTask(async () => {
          await sleep(ms);
          finished.push(ms);
        });
      }
      return "body";
    });
    assert.equal(value, "body");
    assert.deepEqual(finished.sort((a, b) => a - b), [5, 10, 15]);
  });
});

Deno.test("the first child failure cancels the siblings and the body", async () => {
  await run(async () => {
    const log: string[] = [];
    let sibling!: Task<void>;
    const error = await taskGroup(async (tg) => {
      sibling = tg.createTask(async () => {
        try {
          await sleep(5_000);
        } finally {
          await sleep(5);
          log.push("sibling cleanup");
        }
      });
      tg.createTask(failAfter(5, "boom"));
      try {
        await sleep(5_000);
      } catch (e) {
        log.push(`body got ${(e as Error).name}`);
        throw e;
      }
    }).catch((e) => e);
    assert.ok(error instanceof AggregateError);
    assert.deepEqual(error.errors.map((e: Error) => e.message), ["boom"]);
    assert.ok(sibling.cancelled());
    assert.equal((sibling.signal.reason as CancelledError).reason, "parent");
    assert.deepEqual(log, ["body got CancelledError", "sibling cleanup"]);
  });
});

Deno.test("the AggregateError lists every child failure and the body's own error", async () => {
  await run(async () => {
    // Both fail at the same moment, before a cancellation can reach them.
    const gate = new Promise((resolve) => setTimeout(resolve, 5));
    const failAtGate = (message: string) => async () => {
      await gate;
      throw new Error(message);
    };
    const error = await taskGroup(async (tg) => {
      tg.createTask(failAtGate("first"));
      tg.createTask(failAtGate("second"));
      tg.createTask(async () => {
        try {
          await sleep(5_000);
        } catch {
          throw new Error("failed while cancelled");
        }
      });
      try {
        await sleep(5_000);
      } catch {
        throw new Error("body");
      }
    }).catch((e) => e);
    assert.ok(error instanceof AggregateError);
    const messages = error.errors.map((e: Error) => e.message).sort();
    assert.deepEqual(messages, ["body", "failed while cancelled", "first", "second"]);
  });
});

Deno.test("a body that fails cancels the children", async () => {
  await run(async () => {
    let child!: Task<void>;
    const error = await taskGroup(async (tg) => {
      child = tg.createTask(() => sleep(5_000));
      await sleep(5);
      throw new Error("body failed");
    }).catch((e) => e);
    assert.ok(error instanceof AggregateError);
    assert.deepEqual(error.errors.map((e: Error) => e.message), ["body failed"]);
    assert.ok(child.cancelled());
  });
});

Deno.test("a cancelled child is not a failure", async () => {
  await run(async () => {
    const value = await taskGroup(async (tg) => {
      const doomed = tg.createTask(() => sleep(5_000));
      const other = tg.createTask(() => sleep(10, "other"));
      await sleep(1);
      doomed.cancel();
      return other;
    });
    assert.equal(value, "other");
  });
});

Deno.test("createTask on a finished or shutting-down group throws InvalidStateError", async () => {
  await run(async () => {
    let kept!: TaskGroup;
    await taskGroup((tg) => {
      kept = tg;
    });
    assert.throws(() => kept.createTask(() => 1), InvalidStateError);
    let during: unknown;
    await taskGroup(async (tg) => {
      tg.createTask(failAfter(1, "boom"));
      await sleep(5_000).catch(() => {});
      try {
        tg.createTask(() => 1);
      } catch (error) {
        during = error;
      }
    }).catch(() => {});
    assert.ok(during instanceof InvalidStateError);
  });
});

Deno.test("children may add siblings while the group waits", async () => {
  await run(async () => {
    const log: string[] = [];
    await taskGroup((tg) => {
      tg.createTask(async () => {
        await sleep(5);
        tg.createTask(async () => {
          await sleep(5);
          log.push("grandchild");
        });
      });
    });
    assert.deepEqual(log, ["grandchild"]);
  });
});

Deno.test("cancelling the owning task cancels the children, awaits them, and propagates", async () => {
  await run(async () => {
    const log: string[] = [];
    let child!: Task<void>;
    const owner = createTask(() =>
      taskGroup((tg) => {
        child = tg.createTask(async () => {
          try {
            await sleep(5_000);
          } finally {
            await sleep(5);
            log.push("child cleanup");
          }
        });
      })
    );
    await sleep(5);
    owner.cancel("stop");
    const error = await owner.then(() => undefined, (e) => e);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.message, "stop");
    assert.ok(owner.cancelled());
    assert.ok(child.cancelled());
    assert.deepEqual(log, ["child cleanup"]);
  });
});

Deno.test("an outside cancel with a real failure during cleanup rejects with AggregateError", async () => {
  await run(async () => {
    const owner = createTask(() =>
      taskGroup(async (tg) => {
        tg.createTask(async () => {
          try {
            await sleep(5_000);
          } catch {
            throw new Error("cleanup failed");
          }
        });
        await sleep(5_000);
      })
    );
    await sleep(5);
    owner.cancel();
    const error = await owner.then(() => undefined, (e) => e);
    assert.ok(error instanceof AggregateError);
    assert.deepEqual(error.errors.map((e: Error) => e.message), ["cleanup failed"]);
  });
});

Deno.test("the waiting task shows TaskGroup(<live children>)", async () => {
  await run(async () => {
    const owner = createTask(() =>
      taskGroup((tg) => {
        tg.createTask(() => sleep(10));
        tg.createTask(() => sleep(300));
      })
    );
    await sleep(1);
    assert.equal(taskInternals.info(owner).waitingOn, "TaskGroup(2)");
    await sleep(100);
    assert.equal(taskInternals.info(owner).waitingOn, "TaskGroup(1)");
    await owner;
  });
});

Deno.test("a timeout around a group cancels the body and children, then times out", async () => {
  await run(async () => {
    let child!: Task<void>;
    const error = await timeout(10, () =>
      taskGroup(async (tg) => {
        child = tg.createTask(() => sleep(5_000));
        await sleep(5_000);
      })).catch((e) => e);
    assert.ok(error instanceof TimeoutError);
    assert.ok(child.cancelled());
  });
});

Deno.test("await using TaskGroup waits for the children at block end", async () => {
  await run(async () => {
    const me = currentTask();
    const finished: string[] = [];
    {
      await using tg = new TaskGroup();
      const child = tg.createTask(async () => {
        await sleep(10);
        finished.push("child");
      });
      assert.equal(child.parent, me);
    }
    assert.deepEqual(finished, ["child"]);
  });
});

Deno.test("await using TaskGroup: a failure surfaces as SuppressedError(AggregateError, CancelledError)", async () => {
  await run(async () => {
    let sibling!: Task<void>;
    let error: unknown;
    try {
      await using tg = new TaskGroup();
      sibling = tg.createTask(() => sleep(5_000));
      tg.createTask(failAfter(5, "boom"));
      await sleep(5_000);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof SuppressedError);
    assert.ok(error.error instanceof AggregateError);
    assert.deepEqual(error.error.errors.map((e: Error) => e.message), ["boom"]);
    assert.ok(error.suppressed instanceof CancelledError);
    assert.ok(sibling.cancelled());
  });
});

Deno.test("await using TaskGroup: a failure after the block ended is a plain AggregateError", async () => {
  await run(async () => {
    let error: unknown;
    try {
      await using tg = new TaskGroup();
      tg.createTask(failAfter(5, "late"));
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof AggregateError);
    assert.deepEqual(error.errors.map((e: Error) => e.message), ["late"]);
  });
});

Deno.test("await using TaskGroup: cancelling the owning task cancels the children", async () => {
  await run(async () => {
    let child!: Task<void>;
    const owner = createTask(async () => {
      await using tg = new TaskGroup();
      child = tg.createTask(() => sleep(5_000));
      await sleep(5_000);
    });
    await sleep(5);
    owner.cancel();
    await assert.rejects(Promise.resolve(owner), CancelledError);
    assert.ok(child.cancelled());
  });
});

Deno.test("taskGroup() works outside any task", async () => {
  assert.equal(currentTask(), undefined);
  const value = await taskGroup((tg) => {
    tg.createTask(() => sleep(5));
    return currentTask()?.name;
  });
  assert.equal(value, "taskGroup");
  await assert.rejects(taskGroup(5 as unknown as () => void), TypeError);
});

Deno.test("an outside cancel while the group cleans up after a failure is not lost, and no child is cancelled twice", async () => {
  await withClock(async (clock) => {
    const log: string[] = [];
    const owner = createTask(async () => {
      try {
        await taskGroup((tg) => {
          tg.createTask(async () => {
            await sleep(5);
            throw new Error("child failed");
          });
          tg.createTask(async () => {
            try {
              await sleep(5_000);
            } finally {
              log.push("cleanup starts");
              await sleep(20);
              log.push("cleanup done");
            }
          });
        });
      } catch (error) {
        log.push(`group: ${(error as Error).constructor.name}`);
      }
      try {
        await sleep(1);
        log.push("next await not cancelled");
      } catch (error) {
        log.push(`next await: ${(error as Error).name}`);
        throw error;
      }
    });
    await clock.tickAsync(10);
    owner.cancel("from outside");
    await clock.tickAsync(50);
    const error = await owner.then(() => undefined, (e) => e);
    assert.deepEqual(log, [
      "cleanup starts",
      "cleanup done",
      "group: AggregateError",
      "next await: CancelledError",
    ]);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.message, "from outside");
    assert.ok(owner.cancelled());
  });
});

Deno.test("a task group body failing with a revoked Proxy rejects with an AggregateError holding it", async () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const failure = await taskGroup(() => {
    throw proxy;
  }).then(() => ({ error: undefined }), (error) => ({ error }));
  assert.ok(failure.error instanceof AggregateError);
  assert.equal(failure.error.errors[0], proxy);
});
