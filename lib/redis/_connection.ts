/**
 * Connections to Redis: a bounded first connect, reconnects with backoff
 * after a drop (said once per outage), and a pool of connections for
 * blocking reads, which tie up the connection they run on.
 */
import { createClient } from "npm:redis@5.9.0";

/**
 * A connected client of `npm:redis`. Left out of the generated docs (its
 * type is `npm:redis`'s, which they cannot show).
 *
 * @ignore
 */
export type Client = ReturnType<typeof createClient>;

/** Shared by the connections of one queue: says an outage once. */
export class Health {
  #down = new Set<object>();

  /**
   * Health of the connections to `url`.
   *
   * @param url The server, as shown in messages (no password).
   * @param log Where the outage notice goes.
   */
  constructor(readonly url: string, readonly log: (message: string) => void) {}

  /** A connection dropped: say so if it is the first one down. */
  lost(connection: object, cause: Error): void {
    if (this.#down.size === 0) {
      this.log(
        `corun redis: lost the connection to ${this.url} (${cause.message}); retrying with backoff`,
      );
    }
    this.#down.add(connection);
  }

  /** A connection is back. */
  back(connection: object): void {
    this.#down.delete(connection);
  }
}

/**
 * Connect, giving up with a clear error after `connectTimeoutMs` if the
 * server never answers; once connected, a dropped connection is retried
 * for ever, with exponential backoff capped at 2 s.
 */
export async function openClient(
  url: string,
  connectTimeoutMs: number,
  health: Health,
): Promise<Client> {
  const started = performance.now();
  let connected = false;
  const client: Client = createClient({
    url,
    socket: {
      connectTimeout: Math.max(1, Math.min(connectTimeoutMs, 10_000)),
      reconnectStrategy: (retries, cause) => {
        if (!connected) {
          if (performance.now() - started >= connectTimeoutMs) {
            return new Error(
              `cannot connect to Redis at ${health.url} within ${connectTimeoutMs} ms: ${
                cause.message || cause.name
              }`,
              { cause },
            );
          }
          return Math.min(50 * 2 ** retries, 500);
        }
        health.lost(client, cause);
        return Math.min(50 * 2 ** retries, 2_000) + Math.floor(Math.random() * 50);
      },
    },
  });
  client.on("error", () => {}); // reported by the reconnect strategy, once per outage
  client.on("ready", () => health.back(client));
  await client.connect();
  connected = true;
  return client;
}

/** Connections for blocking reads, opened on demand and reused. */
export class ClientPool {
  #idle: Client[] = [];
  #all = new Set<Client>();

  /**
   * A pool of connections to `url`.
   *
   * @param url The server.
   * @param connectTimeoutMs How long a first connect may take.
   * @param health Told about drops and reconnects.
   */
  constructor(
    readonly url: string,
    readonly connectTimeoutMs: number,
    readonly health: Health,
  ) {}

  /** An idle connection, or a new one. */
  async borrow(): Promise<Client> {
    const idle = this.#idle.pop();
    if (idle !== undefined) return idle;
    const client = await openClient(this.url, this.connectTimeoutMs, this.health);
    this.#all.add(client);
    return client;
  }

  /** Return a borrowed connection for reuse. */
  giveBack(client: Client): void {
    if (this.#all.has(client)) this.#idle.push(client);
  }

  /** Close every connection (none may be lent out). */
  async closeAll(): Promise<void> {
    const clients = [...this.#all];
    this.#all.clear();
    this.#idle = [];
    await Promise.all(clients.map((client) => closeClient(client)));
  }
}

/** Close politely, or at once if the server is gone. */
export async function closeClient(client: Client): Promise<void> {
  if (!client.isReady) {
    if (client.isOpen) client.destroy();
    return;
  }
  try {
    await client.close();
  } catch {
    if (client.isOpen) client.destroy();
  }
}

/** The URL without its password, for messages. */
export function redactUrl(url: URL): string {
  if (url.password === "") return url.href;
  const copy = new URL(url.href);
  copy.password = "***";
  return copy.href;
}
