/**
 * Read a log file line by line with Deno's async file API and print the
 * lines that contain ERROR, as the asyncio/aiofiles tutorials do.
 *
 *   deno run --allow-read examples/read_errors.ts [file.log]
 */
import { run } from "../mod.ts";

/** Split a stream of text into lines. */
function lines(): TransformStream<string, string> {
  let rest = "";
  return new TransformStream({
    transform(chunk, controller) {
      const parts = (rest + chunk).split(/\r?\n/);
      rest = parts.pop() ?? "";
      for (const line of parts) controller.enqueue(line);
    },
    flush(controller) {
      if (rest !== "") controller.enqueue(rest);
    },
  });
}

const path = Deno.args[0] ?? new URL("./data/app.log", import.meta.url);

await run(async () => {
  const file = await Deno.open(path);
  let number = 0;
  let errors = 0;
  // Reading the stream to its end closes the file.
  for await (
    const line of file.readable.pipeThrough(new TextDecoderStream()).pipeThrough(lines())
  ) {
    number++;
    if (line.includes("ERROR")) {
      errors++;
      console.log(`${String(number).padStart(3)}: ${line}`);
    }
  }
  console.log(`${errors} of ${number} lines contain ERROR`);
});
