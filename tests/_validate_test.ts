import assert from "node:assert/strict";
import {
  asCompleted,
  createTask,
  gather,
  mapLimit,
  retry,
  shield,
  TaskGroup,
  wait,
  waitFor,
} from "../mod.ts";
import { awaitableKind, readOptions } from "../lib/_validate.ts";

function revoked(): never {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy as never;
}

/** An options object whose every field getter throws. */
function throwingGetters(): never {
  const fail = () => {
    throw new Error("getter threw");
  };
  return Object.defineProperties(
    {},
    Object.fromEntries(
      ["name", "eager", "attempts", "timeout", "returnWhen", "returnExceptions", "progress"]
        .map((key) => [key, { get: fail, enumerable: true }]),
    ),
  ) as never;
}

/** A TypeError whose message starts with `argument`, not the engine's message. */
function namesArgument(argument: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof TypeError, `not a TypeError: ${error}`);
    assert.ok(
      error.message.startsWith(`${argument} `),
      `"${error.message}" does not start with "${argument} "`,
    );
    return true;
  };
}

/** `call()` must not throw: it returns a promise that rejects naming `argument`. */
async function rejectsNaming(argument: string, call: () => Promise<unknown>): Promise<void> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    throw new Error(`threw synchronously instead of rejecting: ${error}`);
  }
  await assert.rejects(promise, namesArgument(argument));
}

Deno.test("awaitableKind and readOptions turn an unreadable value into a TypeError naming the argument", () => {
  assert.throws(() => awaitableKind(revoked(), "aw"), namesArgument("aw"));
  assert.equal(awaitableKind(() => 1, "aw"), "function");
  assert.equal(awaitableKind(Promise.resolve(), "aw"), "thenable");
  assert.equal(awaitableKind({}, "aw"), "other");
  assert.throws(() => readOptions(revoked(), "options", ["a"]), namesArgument("options"));
  assert.throws(
    () => readOptions(throwingGetters(), "options", ["timeout"]),
    namesArgument("options.timeout"),
  );
  assert.throws(() => readOptions([], "options", []), namesArgument("options"));
  assert.deepEqual(readOptions({ a: 1, b: undefined }, "options", ["a", "b"]), { a: 1 });
});

Deno.test("the promise-returning functions reject (never throw) with a TypeError naming a revoked Proxy argument", async () => {
  await rejectsNaming("aws", () => gather(revoked()));
  await rejectsNaming("aws[1]", () => gather(() => 1, revoked()));
  await rejectsNaming("aws[0]", () => gather([revoked()]));
  await rejectsNaming("options", () => gather([() => 1], revoked()));
  await rejectsNaming("aws.a", () => gather({ a: revoked() }));
  await rejectsNaming("aw", () => waitFor(revoked(), 1));
  await rejectsNaming("aw", () => shield(revoked()));
  await rejectsNaming("aws", () => wait(revoked()));
  await rejectsNaming("options", () => wait([() => 1], revoked()));
  await rejectsNaming("items", () => mapLimit(revoked(), 2, (x) => x));
  await rejectsNaming("options", () => mapLimit([1], 2, (x) => x, revoked()));
  await rejectsNaming("options", () => retry(() => 1, revoked()));
});

Deno.test("an options getter that throws is a TypeError naming the field", async () => {
  await rejectsNaming("options.attempts", () => retry(() => 1, throwingGetters()));
  await rejectsNaming("options.timeout", () => wait([() => 1], throwingGetters()));
  await rejectsNaming("options.returnExceptions", () => gather([() => 1], throwingGetters()));
  assert.throws(() => createTask(() => 1, throwingGetters()), namesArgument("options.name"));
  assert.throws(() => asCompleted([], throwingGetters()), namesArgument("options.timeout"));
});

Deno.test("the synchronous functions throw a TypeError naming a revoked Proxy argument", async () => {
  assert.throws(() => createTask(revoked()), namesArgument("fn"));
  assert.throws(() => createTask(() => 1, revoked()), namesArgument("options.name"));
  assert.throws(() => asCompleted(revoked()), namesArgument("aws"));
  assert.throws(() => asCompleted([revoked()]), namesArgument("aws[0]"));
  await using group = new TaskGroup();
  assert.throws(() => group.createTask(revoked()), namesArgument("fn"));
});
