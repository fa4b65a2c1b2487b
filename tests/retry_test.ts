import assert from "node:assert/strict";
import {
  allTasks,
  CancelledError,
  createTask,
  retry,
  run,
  sleep,
  type Task,
  timeout,
  TimeoutError,
} from "../mod.ts";
import { taskInternals } from "../lib/runtime/mod.ts";
import { cleanupProbe, outcome, withClock } from "./_helpers.ts";

/** A function failing `failures` times, recording when each call came. */
function flaky(failures: number, now: () => number) {
  const calls: number[] = [];
  const fn = (_signal: AbortSignal, attempt: number) => {
    calls.push(now());
    if (attempt <= failures) return Promise.reject(new Error(`failure ${attempt}`));
    return Promise.resolve(`ok after ${attempt}`);
  };
  return { fn, calls };
}

Deno.test("retry resolves with the first success; attempts counts every call", async () => {
  await withClock(async (clock) => {
    const { fn, calls } = flaky(2, () => clock.now);
    const result = retry(fn, { jitter: false });
    await clock.runAllAsync();
    assert.equal(await result, "ok after 3");
    assert.equal(calls.length, 3);
  });
});

Deno.test("retry rejects with the last error when attempts run out", async () => {
  await withClock(async (clock) => {
    const { fn, calls } = flaky(10, () => clock.now);
    const result = retry(fn, { attempts: 4, jitter: false }).catch((e) => e);
    await clock.runAllAsync();
    assert.equal((await result).message, "failure 4");
    assert.equal(calls.length, 4);
  });
});

Deno.test("retry backs off exponentially from minDelayMs, never longer than maxDelayMs", async () => {
  await withClock(async (clock) => {
    const { fn, calls } = flaky(10, () => clock.now);
    const result = retry(fn, {
      attempts: 5,
      minDelayMs: 100,
      factor: 3,
      maxDelayMs: 500,
      jitter: false,
    }).catch(() => {});
    await clock.runAllAsync();
    await result;
    const delays = calls.slice(1).map((at, i) => at - calls[i]);
    assert.deepEqual(delays, [100, 300, 500, 500]);
  });
});

Deno.test("retry's jitter waits between half the delay and the full delay", async () => {
  const random = Math.random;
  try {
    for (const [draw, expected] of [[0, 100], [0.999999, 200]]) {
      Math.random = () => draw;
      await withClock(async (clock) => {
        const { fn, calls } = flaky(1, () => clock.now);
        const result = retry(fn, { minDelayMs: 200 });
        await clock.runAllAsync();
        await result;
        assert.equal(calls[1] - calls[0], expected);
      });
    }
  } finally {
    Math.random = random;
  }
});

Deno.test("shouldRetry sees the error and the attempt, and false gives up at once", async () => {
  const seen: [string, number][] = [];
  let calls = 0;
  const error = await retry(() => {
    calls++;
    throw new TypeError(calls === 1 ? "transient" : "fatal");
  }, {
    minDelayMs: 1,
    shouldRetry: (e, attempt) => {
      seen.push([(e as Error).message, attempt]);
      return (e as Error).message === "transient";
    },
  }).catch((e) => e);
  assert.equal(error.message, "fatal");
  assert.equal(calls, 2);
  assert.deepEqual(seen, [["transient", 1], ["fatal", 2]]);
});

Deno.test("cancelling a task in retry's backoff rejects with its CancelledError and clears the timer", async () => {
  await withClock(async (clock) => {
    const { fn, calls } = flaky(10, () => clock.now);
    const task = createTask(() => retry(fn, { minDelayMs: 1_000, jitter: false }), {
      name: "retrier",
    });
    await clock.tickAsync(10);
    assert.equal(taskInternals.info(task).waitingOn, "retry(2/3) backoff(1000)");
    assert.equal(clock.countTimers(), 1);
    task.cancel("stop");
    const error = await task.then(() => assert.fail("should be cancelled"), (e) => e);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.message, "stop");
    // The deadline heap clears its idle timer on the next macrotask turn.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(clock.countTimers(), 0);
    assert.equal(calls.length, 1);
  });
});

Deno.test("the call under way shows as retry(n/attempts); a CancelledError it throws is not retried", async () => {
  let release: (value: string) => void = () => {};
  const task = createTask(() =>
    retry(
      (_signal, attempt) =>
        attempt === 1
          ? Promise.reject(new Error("first"))
          : new Promise<string>((resolve) => (release = resolve)),
      { minDelayMs: 1 },
    )
  );
  while (taskInternals.info(task).waitingOn !== "retry(2/3)") {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  release("second");
  assert.equal(await task, "second");

  let calls = 0;
  await assert.rejects(
    retry(() => {
      calls++;
      throw new CancelledError("from inside");
    }, { minDelayMs: 1 }),
    CancelledError,
  );
  assert.equal(calls, 1);
});

Deno.test("retry checks its options", async () => {
  const ok = () => 1;
  await assert.rejects(retry(ok, { attempts: 0 }), RangeError);
  await assert.rejects(retry(ok, { attempts: 1.5 }), RangeError);
  await assert.rejects(retry(ok, { factor: 0.5 }), RangeError);
  await assert.rejects(retry(ok, { minDelayMs: NaN }), RangeError);
  await assert.rejects(retry(ok, { factor: Infinity }), /options.factor.*Infinity/);
  await assert.rejects(retry(ok, { factor: NaN }), /options.factor.*NaN/);
  await assert.rejects(
    retry(ok, { minDelayMs: 500, maxDelayMs: 100 }),
    /options.minDelayMs must not exceed options.maxDelayMs \(100\), got 500/,
  );
  await assert.rejects(retry(42 as unknown as () => number), TypeError);
  assert.equal(await retry(ok, { attempts: 1 }), 1);
});

Deno.test("retry sees the TimeoutError of a timeout() inside each call and retries", async () => {
  await withClock(async (clock) => {
    const calls: number[] = [];
    const work = async (attempt: number) => {
      calls.push(performance.now());
      await sleep(attempt < 3 ? 1_000 : 10);
      return `done on ${attempt}`;
    };
    const result = outcome(
      run(() =>
        retry((_signal, attempt) => timeout(100, () => work(attempt)), {
          attempts: 3,
          minDelayMs: 5,
          jitter: false,
        })
      ),
    );
    await clock.tickAsync(1_000);
    assert.deepEqual(await result, { ok: true, value: "done on 3" });
    assert.deepEqual(calls, [0, 105, 215]);

    const gaveUp = outcome(
      run(() => retry(() => timeout(50, () => sleep(1_000)), { attempts: 2, minDelayMs: 5 })),
    );
    await clock.tickAsync(1_000);
    assert.ok((await gaveUp).error instanceof TimeoutError);
  });
});

Deno.test("retry never starts a call once its task was cancelled", async () => {
  await withClock(async (clock) => {
    // Cancelled before retry runs: no call at all.
    let calls = 0;
    const early = createTask(() => retry(() => ++calls));
    early.cancel();
    const started: Task<number> = createTask(async () => {
      started.cancel();
      return await retry(() => ++calls);
    });
    await assert.rejects(Promise.resolve(started), CancelledError);
    assert.equal(calls, 0);

    // Cancelled while a call awaits an API that rejects with its own error
    // on abort: that error ends retry, no call follows.
    const attempts: number[] = [];
    const task = createTask(() =>
      retry((signal, attempt) => {
        attempts.push(attempt);
        return new Promise((_, reject) => {
          signal.addEventListener("abort", () => reject(new Error("aborted by the API")));
        });
      }, { minDelayMs: 1 })
    );
    await clock.tickAsync(5);
    task.cancel();
    const settled = outcome(Promise.resolve(task));
    await clock.tickAsync(100);
    const { error } = await settled;
    assert.equal((error as Error).message, "aborted by the API");
    assert.deepEqual(attempts, [1]);
  });
});

Deno.test("retry inside timeout(): the deadline cancels the call, nothing is left running", async () => {
  await withClock(async (clock) => {
    const probe = cleanupProbe(sleep);
    let cleanedAtTimeout = -1;
    const result = outcome(
      run(() =>
        timeout(50, () => retry(probe.work, { minDelayMs: 1 })).finally(() => {
          cleanedAtTimeout = probe.cleaned;
        })
      ),
    );
    await clock.tickAsync(100);
    const { error } = await result;
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(cleanedAtTimeout, 1);
    assert.equal(allTasks().size, 0);
  });
});

Deno.test("retry passes the signal of a timeout() around it, so the deadline aborts the call", async () => {
  await withClock(async (clock) => {
    const aborted: boolean[] = [];
    const result = outcome(
      run(() =>
        timeout(50, () =>
          retry((signal) =>
            new Promise((_, reject) => {
              signal.addEventListener("abort", () => {
                aborted.push(true);
                reject(signal.reason);
              });
            })
          ))
      ),
    );
    await clock.tickAsync(60);
    assert.ok((await result).error instanceof TimeoutError);
    assert.deepEqual(aborted, [true]);
  });
});

Deno.test("retry retries a timeout() whose call awaits a signal-aware promise (fetch-like)", async () => {
  await withClock(async (clock) => {
    const fetchLike = (signal: AbortSignal, attempt: number) =>
      new Promise<string>((resolve, reject) => {
        if (attempt === 2) setTimeout(resolve, 10, "page");
        signal.addEventListener("abort", () => reject(signal.reason));
      });
    const result = outcome(
      run(() =>
        retry((_signal, attempt) => timeout(100, (signal) => fetchLike(signal, attempt)), {
          minDelayMs: 5,
        })
      ),
    );
    await clock.tickAsync(200);
    assert.deepEqual(await result, { ok: true, value: "page" });
  });
});

Deno.test("retry() rejects with what the call threw, whatever the value (a revoked Proxy included)", async () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  let calls = 0;
  const failure = await retry(() => {
    calls++;
    throw proxy;
  }, { attempts: 2, minDelayMs: 1, jitter: false }).then(
    () => ({ error: undefined }),
    (error) => ({ error }),
  );
  assert.equal(failure.error, proxy);
  assert.equal(calls, 2);
});
