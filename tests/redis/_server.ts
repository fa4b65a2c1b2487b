/**
 * A throwaway `redis-server` on a free loopback port, without persistence
 * files, for one test: `await using server = await startRedis()`.
 */

/** The command the tests run. */
export const REDIS_SERVER = "redis-server";

/** A running server. */
export interface RedisServer extends AsyncDisposable {
  readonly port: number;
  readonly url: string;
  /** Stop it (SIGTERM) and wait until it has exited. */
  stop(): Promise<void>;
  /** Start it again on the same port (its data is gone: no persistence). */
  restart(): Promise<void>;
}

/** Start a server on a free port and wait until it accepts connections. */
export async function startRedis(): Promise<RedisServer> {
  const port = freePort();
  let child: Deno.ChildProcess | null = await spawn(port);
  const stop = async () => {
    if (child === null) return;
    const running = child;
    child = null;
    running.kill("SIGTERM");
    await running.status;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    async restart() {
      await stop();
      child = await spawn(port);
    },
    [Symbol.asyncDispose]: stop,
  };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

async function spawn(port: number): Promise<Deno.ChildProcess> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(REDIS_SERVER, {
      args: [
        "--save",
        "",
        "--appendonly",
        "no",
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`${REDIS_SERVER} not found: install it (apt-get install redis-server)`);
    }
    throw error;
  }
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      await conn.write(new TextEncoder().encode("PING\r\n"));
      const buffer = new Uint8Array(16);
      const n = await conn.read(buffer);
      conn.close();
      if (n !== null && new TextDecoder().decode(buffer.subarray(0, n)).startsWith("+PONG")) {
        return child;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill("SIGKILL");
  await child.status;
  throw new Error(`${REDIS_SERVER} did not start on port ${port}`);
}
