import assert from "node:assert/strict";
import { progress, ProgressBar, sleep } from "../mod.ts";
import { formatProgress, progressSnapshot, setProgressPanel } from "../monitor.ts";
import { runDeno, withClock } from "./_helpers.ts";
import { Terminal } from "./_terminal.ts";

function fakeTerminal(columns = 100, isTerminal = true) {
  const writes: string[] = [];
  return {
    writes,
    write: (t: string) => void writes.push(t),
    isTerminal: () => isTerminal,
    columns: () => columns,
  };
}

Deno.test("a progress bar redraws at most 10 times a second, and once more at the end", async () => {
  await withClock(async (clock) => {
    const terminal = fakeTerminal();
    const bar = new ProgressBar({ label: "Work", total: 1000, terminal });
    for (let i = 0; i < 1000; i++) {
      bar.start();
      bar.finish();
      await clock.tickAsync(1); // 1000 steps over one second
    }
    const during = terminal.writes.length;
    assert.ok(during >= 9 && during <= 11, `${during} redraws in 1 s`);
    bar.close();
    assert.equal(terminal.writes.length, during + 1);
    assert.equal(
      terminal.writes.at(-1),
      `\rWork 1000/1000 [${"#".repeat(30)}] 1000.0/s 1.0s\x1b[K\n`,
    );
    assert.equal(clock.countTimers(), 0);
  });
});

Deno.test("a trailing redraw shows the last change of a burst; close() clears its timer", async () => {
  await withClock(async (clock) => {
    const terminal = fakeTerminal();
    const bar = new ProgressBar({ label: "Burst", terminal });
    bar.advance(); // drawn at once
    bar.advance(); // within 100 ms: drawn later
    assert.equal(terminal.writes.length, 1);
    await clock.tickAsync(100);
    assert.equal(terminal.writes.length, 2);
    assert.match(terminal.writes[1], /Burst 2 /);
    bar.advance();
    bar.close();
    await sleep(0); // the deadline heap lets its timer go on the next turn
    assert.equal(clock.countTimers(), 0);
  });
});

Deno.test("the progress line shows done/total, rate, elapsed, ETA, in flight and failures", async () => {
  await withClock(async (clock) => {
    const terminal = fakeTerminal(120);
    const bar = new ProgressBar({ label: "Fetch", total: 10, terminal });
    await clock.tickAsync(2000);
    for (let i = 0; i < 5; i++) bar.start();
    bar.finish();
    bar.finish(false);
    bar.finish();
    bar.finish();
    const info = bar.stats();
    assert.deepEqual(
      {
        done: info.done,
        failed: info.failed,
        inFlight: info.inFlight,
        rate: info.rate,
        eta: info.etaMs,
      },
      { done: 4, failed: 1, inFlight: 1, rate: 2, eta: 3000 },
    );
    assert.equal(
      formatProgress(info, 120),
      "Fetch 4/10 [############------------------] 2.0/s 2.0s ETA 3.0s 1 in flight 1 failed",
    );
    bar.close();
  });
});

Deno.test("the progress line fits narrow terminals: the bar goes first, then the tail is cut", () => {
  const info = {
    id: 1,
    label: "Fetching",
    done: 1,
    total: 2,
    failed: 0,
    inFlight: 1,
    elapsedMs: 1000,
    rate: 1,
    etaMs: 1000,
    closed: false,
  };
  assert.equal(formatProgress(info, 40), "Fetching 1/2 1.0/s 1.0s ETA 1.0s 1 in fl");
  assert.ok(!formatProgress(info, 50).includes("["));
  assert.ok(formatProgress(info, 80).includes("["));
});

Deno.test("nothing is drawn when the terminal is not a terminal", () => {
  const terminal = fakeTerminal(80, false);
  const bar = new ProgressBar({ terminal });
  bar.advance();
  bar.close();
  assert.deepEqual(terminal.writes, []);
});

Deno.test("while a panel shows progress, bars draw nothing and progressSnapshot() lists them", () => {
  const terminal = fakeTerminal();
  setProgressPanel(true);
  try {
    const bar = new ProgressBar({ label: "In the panel", total: 3, terminal });
    bar.start();
    bar.finish();
    const rows = progressSnapshot().filter((p) => p.label === "In the panel");
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0].done, rows[0].total, rows[0].inFlight], [1, 3, 0]);
    bar.close();
    assert.equal(progressSnapshot().filter((p) => p.label === "In the panel").length, 0);
  } finally {
    setProgressPanel(false);
  }
  assert.deepEqual(terminal.writes, []);
});

Deno.test("progress() counts the items of an array or an async iterable and closes early", async () => {
  const terminal = fakeTerminal();
  for await (const n of progress([1, 2, 3], { label: "Items", terminal })) if (n === 2) break;
  assert.match(terminal.writes.at(-1)!, /^\rItems 2\/3 .*\n$/);
  async function* lines() {
    yield "a";
    yield "b";
  }
  const seen: string[] = [];
  const t2 = fakeTerminal();
  for await (const line of progress(lines(), { label: "Lines", terminal: t2 })) seen.push(line);
  assert.deepEqual(seen, ["a", "b"]);
  assert.match(t2.writes.at(-1)!, /^\rLines 2 /);
});

Deno.test("progress bars reject bad arguments naming them", () => {
  assert.throws(() => progress(5 as never), /iterable must be iterable, got 5/);
  assert.throws(
    () => new ProgressBar({ total: -1 }),
    /options.total must be a number >= 0, got -1/,
  );
  assert.throws(
    () => new ProgressBar({ label: 3 as never }),
    /options.label must be a string, got 3/,
  );
  assert.throws(() => new ProgressBar("x" as never), /options must be an object, got "x"/);
  const bar = new ProgressBar({ terminal: fakeTerminal(80, false) });
  assert.throws(() => bar.advance(NaN), /steps must be a number >= 0, got NaN/);
  bar.close();
});

const fixture = new URL("./fixtures/ok_progress_bar.ts", import.meta.url).pathname;

Deno.test("on stderr, a progress bar draws nothing when stderr is not a terminal", async () => {
  const { code, stdout, stderr } = await runDeno(["run", fixture], { env: { NO_COLOR: "" } });
  assert.equal(code, 0, stderr);
  assert.equal(stdout, "done\n");
  assert.equal(stderr, "");
});

/** Run the fixture in a real terminal (tests/_terminal.ts); returns its screen once it is done. */
async function inTerminal(env: Record<string, string>, permissions: string[]): Promise<string> {
  await using terminal = Terminal.deno(["run", ...permissions, fixture], {
    env: { NO_COLOR: "", CI: "", ...env },
  });
  const screen = await terminal.waitFor(/^done$/m, "the fixture to finish");
  assert.equal((await terminal.exited).exitCode, 0, screen);
  return screen;
}

Deno.test("in a real terminal the bar is drawn on stderr, without a permission prompt", async () => {
  const screen = await inTerminal({}, []);
  // One line, redrawn in place, ended by a newline before the script's output.
  assert.match(screen, /^Mapping 3\/3 \[#{30}\] [0-9.]+\/s [0-9.]+s *\ndone$/m);
  assert.equal(screen.match(/Mapping/g)?.length, 1, screen);
  assert.doesNotMatch(screen, /Allow\?|requests env access/);
});

Deno.test("in a real terminal NO_COLOR or CI turns the bar off", async () => {
  for (const env of [{ NO_COLOR: "1" }, { CI: "true" }] as Record<string, string>[]) {
    const screen = await inTerminal(env, ["--allow-env"]);
    assert.doesNotMatch(screen, /Mapping/);
    assert.match(screen, /done/);
  }
});

Deno.test("a ProgressBar prints its counts", () => {
  const bar = new ProgressBar({ label: "Copying", total: 4, terminal: fakeTerminal(80, false) });
  bar.start();
  bar.finish(false);
  bar.start();
  assert.equal(
    Deno.inspect(bar),
    'ProgressBar { label: "Copying", done: 1/4, inFlight: 1, failed: 1, closed: false }',
  );
  bar.close();
});
