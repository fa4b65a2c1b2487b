/**
 * A job that needs 10 s gets 1 s: waitFor cancels it when the time is up,
 * waits for its cleanup, then throws TimeoutError.
 *
 *     deno run examples/timeout_cancel.ts
 */
import { CancelledError, run, sleep, TimeoutError, waitFor } from "@corun/corun";
import { elapsed, scaled } from "./_scale.ts";

async function longJob(): Promise<string> {
  console.log("job: started, needs 10 s");
  try {
    await sleep(scaled(10_000));
    return "job: finished";
  } catch (error) {
    if (error instanceof CancelledError) console.log(`job: cancelled (${error.reason})`);
    throw error;
  } finally {
    await sleep(scaled(100));
    console.log("job: cleanup ran");
  }
}

await run(async () => {
  const start = performance.now();
  try {
    console.log(await waitFor(longJob, scaled(1000)));
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    console.log(`main: gave up after ${elapsed(start)}: ${error.name}`);
  }
});
