/**
 * The options of `RedisQueue` and their checks.
 *
 * @module
 */
import { describe } from "../_validate.ts";

/** Options of {@linkcode RedisQueue}. */
export interface RedisQueueOptions {
  /**
   * The server: `redis://[[user]:password@]host[:port][/db]` or `rediss://`.
   *
   * @default {"redis://127.0.0.1:6379"}
   */
  url?: string;
  /**
   * How many items not yet taken the queue holds before `put()` waits;
   * `0` or less means unbounded. Enforced by each producer's own setting.
   *
   * @default {0}
   */
  maxsize?: number;
  /**
   * How long a consumer may hold an item before it goes to another one
   * (the visibility timeout), in milliseconds. `Lease.extend()` starts it over.
   *
   * @default {30000}
   */
  leaseMs?: number;
  /**
   * Deliveries after which an item that is still not done moves to the
   * dead-letter stream instead of being delivered again.
   *
   * @default {5}
   */
  maxDeliveries?: number;
  /**
   * This instance's name in the consumer group (shown by `stats().inFlight`).
   *
   * @default {a random "consumer-" name}
   */
  consumer?: string;
  /**
   * How long the first connection may take before calls fail with a clear
   * error, in milliseconds.
   *
   * @default {5000}
   */
  connectTimeoutMs?: number;
  /**
   * Where the one line about a dropped connection goes.
   *
   * @default {console.error}
   */
  log?: (message: string) => void;
}

/** The options with the defaults filled in. */
export type CheckedOptions = Required<RedisQueueOptions>;

/** The options with defaults filled in; throws on bad input. */
export function checkOptions(options: RedisQueueOptions): CheckedOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`options must be an object, got ${describe(options)}`);
  }
  const url = options.url ?? "redis://127.0.0.1:6379";
  let parsed: URL | null = null;
  try {
    parsed = typeof url === "string" ? new URL(url) : null;
  } catch {
    parsed = null;
  }
  if (parsed === null || (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")) {
    throw new TypeError(`url must be a redis:// or rediss:// URL, got ${describe(url)}`);
  }
  const maxsize = integer(options.maxsize ?? 0, "maxsize", -Infinity);
  const log = options.log ?? ((message: string) => console.error(message));
  if (typeof log !== "function") {
    throw new TypeError(`log must be a function, got ${describe(log)}`);
  }
  const consumer = options.consumer ?? `consumer-${crypto.randomUUID().slice(0, 8)}`;
  if (typeof consumer !== "string" || consumer === "") {
    throw new TypeError(`consumer must be a non-empty string, got ${describe(consumer)}`);
  }
  return {
    url,
    maxsize: maxsize > 0 ? maxsize : 0,
    leaseMs: integer(options.leaseMs ?? 30_000, "leaseMs", 1),
    maxDeliveries: integer(options.maxDeliveries ?? 5, "maxDeliveries", 1),
    consumer,
    connectTimeoutMs: integer(options.connectTimeoutMs ?? 5_000, "connectTimeoutMs", 1),
    log,
  };
}

function integer(value: unknown, name: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    const range = min === -Infinity ? "an integer" : `an integer >= ${min}`;
    throw new RangeError(`${name} must be ${range}, got ${describe(value)}`);
  }
  return value;
}
