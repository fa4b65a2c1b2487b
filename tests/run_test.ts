import assert from "node:assert/strict";
import { Terminal } from "./_terminal.ts";
import { CancelledError, createTask, currentTask, run, sleep, type Task } from "../mod.ts";
import { captureConsoleError, runDeno, within } from "./_helpers.ts";
import { hostileValues } from "./_hostile.ts";
import { chainedLeftovers } from "../bench/cleanup_bench.ts";

Deno.test("run resolves with main's value and rejects with main's error", async () => {
  assert.equal(await run(() => sleep(1, "value")), "value");
  await assert.rejects(
    run(() => {
      throw new RangeError("main failed");
    }),
    RangeError,
  );
});

Deno.test("run runs main as a root task named main", async () => {
  assert.equal(await run(() => currentTask()?.name), "main");
  assert.equal(await run(() => currentTask()?.name, { name: "entry" }), "entry");
});

Deno.test("run cancels and awaits every task left unfinished when main settles", async () => {
  const log: string[] = [];
  let leftover: Task<void> | undefined;
  await run(async () => {
    leftover = createTask(async () => {
      try {
        await sleep(60_000);
      } finally {
        await sleep(1);
        log.push("leftover cleaned up");
      }
    });
    await sleep(0);
  });
  assert.deepEqual(log, ["leftover cleaned up"]);
  assert.equal(leftover?.cancelled(), true);
  const reason = (leftover?.signal.reason as CancelledError).reason;
  assert.equal(reason, "shutdown");
});

Deno.test("run also cancels tasks created by leftovers while they clean up", async () => {
  let late: Task<void> | undefined;
  await run(async () => {
    createTask(async () => {
      try {
        await sleep(60_000);
      } finally {
        late = createTask(() => sleep(60_000), { name: "late" });
      }
    });
    await sleep(0);
  });
  assert.equal(late?.cancelled(), true);
});

Deno.test("run reports errors that were never retrieved, with the task name and stack", async () => {
  const printed = await captureConsoleError(() =>
    run(async () => {
      createTask(() => Promise.reject(new Error("forgotten failure")), { name: "forgetful" });
      const retrieved = createTask(() => Promise.reject(new Error("handled failure")));
      await retrieved.catch(() => {});
      await sleep(1);
    })
  );
  const output = printed.join("\n");
  assert.match(output, /Task exception was never retrieved/);
  assert.match(output, /forgetful/);
  assert.match(output, /Error: forgotten failure\n\s+at /);
  assert.doesNotMatch(output, /handled failure/);
});

Deno.test("an error retrieved through result() or exception() is not reported", async () => {
  const printed = await captureConsoleError(() =>
    run(async () => {
      const a = createTask(() => Promise.reject(new Error("a")));
      const b = createTask(() => Promise.reject(new Error("b")));
      await sleep(1);
      assert.throws(() => a.result());
      assert.ok(b.exception() instanceof Error);
    })
  );
  assert.deepEqual(printed, []);
});

Deno.test("run works nested inside another run and inside a task", async () => {
  const value = await run(async () => {
    const inner = await run(async () => {
      createTask(() => sleep(60_000));
      await sleep(1);
      return "inner";
    });
    return `outer(${inner})`;
  });
  assert.equal(value, "outer(inner)");
  assert.equal(await createTask(() => run(() => "in a task")), "in a task");
});

Deno.test("cancelling the outer run's task cancels a nested run and its tasks", async () => {
  const log: string[] = [];
  const outer = createTask(() =>
    run(async () => {
      await run(async () => {
        createTask(async () => {
          try {
            await sleep(60_000);
          } finally {
            log.push("nested leftover cleaned");
          }
        });
        try {
          await sleep(60_000);
        } finally {
          log.push("nested main cancelled");
        }
      });
    })
  );
  await sleep(5);
  outer.cancel();
  await assert.rejects(outer, CancelledError);
  assert.deepEqual(log.sort(), ["nested leftover cleaned", "nested main cancelled"]);
});

Deno.test("a run ending leaves the enclosing run's tasks alone", async () => {
  await run(async () => {
    const sibling = createTask(() => sleep(5, "sibling"));
    await run(() => sleep(1));
    assert.equal(sibling.done(), false);
    assert.equal(await sibling, "sibling");
  });
});

Deno.test("run rejects bad arguments", async () => {
  // @ts-expect-error: main must be a function
  await assert.rejects(run(42), TypeError);
  await assert.rejects(run(() => 1, { slowStepMs: -1 }), RangeError);
  await assert.rejects(run(() => 1, { slowStepMs: NaN }), RangeError);
  // @ts-expect-error: name must be a string
  await assert.rejects(run(() => 1, { name: 1 }), TypeError);
});

Deno.test("failing tasks nobody awaits never crash the process", async () => {
  const { code, stdout, stderr } = await runDeno([
    "run",
    "tests/fixtures/failing_task_no_crash.ts",
  ]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /run returned: main value/);
  assert.match(stderr, /async-fail/);
  assert.match(stderr, /sync-fail/);
  assert.doesNotMatch(stderr, /awaited/);
  assert.doesNotMatch(stderr, /Uncaught/);
});

Deno.test("outside any run, an unretrieved error is reported when the task is collected", async () => {
  const { code, stdout, stderr } = await runDeno([
    "run",
    "--v8-flags=--expose-gc",
    "tests/fixtures/unretrieved_outside_run.ts",
  ]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /script finished/);
  assert.match(stderr, /Task exception was never retrieved\n\s+task: forgotten/);
  assert.match(stderr, /nobody looked at me/);
});

Deno.test("run() never stops a script at a permission prompt in a terminal", async () => {
  // In a real terminal Deno would prompt for env access if run() read
  // CORUN_DEBUG without it; piped output never shows the prompt.
  const script = new URL("./fixtures/ok_run_without_permissions.ts", import.meta.url).pathname;
  await using term = Terminal.deno(["run", script]);
  // A permission prompt would wait for an answer: the script must end alone.
  const stuck = setTimeout(() => term.kill("SIGKILL"), 15_000);
  const exit = await term.exited;
  clearTimeout(stuck);
  await term.settled();
  assert.doesNotMatch(term.text(), /requests env access|Allow\?/);
  assert.equal(exit?.exitCode, 0);
  assert.match(term.text(), /ran without asking/);
});

Deno.test("run settles and reports a leftover failure, whatever value the task failed with", async () => {
  for (const [what, value] of hostileValues()) {
    const printed = await captureConsoleError(async () => {
      const result = await run(async () => {
        createTask(() => {
          throw value;
        }, { name: "hostile" });
        await sleep(1);
        return "main value";
      });
      assert.equal(result, "main value", what);
    });
    assert.equal(printed.length, 1, what);
    assert.match(printed[0], /^Task exception was never retrieved\n\s+task: hostile/, what);
    assert.ok(printed[0].length < 8200, `${what}: ${printed[0].length} characters`);
  }
});

Deno.test("run rejects with main's failure as it is, whatever the value", async () => {
  for (const [what, value] of hostileValues()) {
    // Wrapped: a revoked Proxy cannot itself be the value of a promise.
    const failure = await run(() => {
      throw value;
    }).then(() => ({ error: "resolved" as unknown }), (error) => ({ error }));
    assert.equal(failure.error, value, what);
  }
});

Deno.test("run() cleans up N chained leftovers in O(N): 8 times as many take far less than 64 times as long", async () => {
  const timed = async (n: number) => {
    const start = performance.now();
    await within(20_000, `cleaning up ${n} leftovers`, chainedLeftovers(n));
    return performance.now() - start;
  };
  await timed(1_000); // warm up
  // The best of three runs, so that a noisy machine does not decide.
  const best = async (n: number) => Math.min(await timed(n), await timed(n), await timed(n));
  const small = await best(1_000);
  const large = await best(8_000);
  assert.ok(
    large / small < 24,
    `1,000 took ${small.toFixed(0)} ms, 8,000 took ${large.toFixed(0)} ms`,
  );
});
