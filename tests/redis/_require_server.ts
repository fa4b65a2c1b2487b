/** `deno task test:redis` runs this first: one line and exit 1 without a server binary. */
import { REDIS_SERVER } from "./_server.ts";

try {
  const { success } = await new Deno.Command(REDIS_SERVER, {
    args: ["--version"],
    stdout: "null",
    stderr: "null",
  }).output();
  if (!success) throw new Error("failed");
} catch {
  console.error(
    `error: ${REDIS_SERVER} not found; the Redis tests need it (apt-get install redis-server)`,
  );
  Deno.exit(1);
}
