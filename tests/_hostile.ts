// Shared by the tests of describe(), tasks, run() and the monitor.
/** Values a task may fail with that defeat `String()`, `${}` or a naive `error.stack`. */
export function hostileValues(): [string, unknown][] {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const revokedFn = Proxy.revocable(function f() {}, {});
  revokedFn.revoke();
  const throwing = () => {
    throw new Error("getter threw");
  };
  const badMessage = new Error("hidden");
  Object.defineProperty(badMessage, "message", { get: throwing });
  Object.defineProperty(badMessage, "stack", { get: throwing });
  const badName = new TypeError("named badly");
  Object.defineProperty(badName, "name", { get: throwing });
  return [
    ["a null-prototype object", Object.create(null)],
    ["an object whose toString throws", { toString: throwing, valueOf: throwing }],
    ["an object whose Symbol.toPrimitive throws", { [Symbol.toPrimitive]: throwing }],
    ["an error whose message and stack getters throw", badMessage],
    ["an error whose name getter throws", badName],
    ["a revoked Proxy", revoked.proxy],
    ["a revoked function Proxy", revokedFn.proxy],
    ["a Symbol", Symbol("odd")],
    ["undefined", undefined],
    ["a 10 MB string", "x".repeat(10_000_000)],
    ["an error with a 10 MB message", new Error("y".repeat(10_000_000))],
    ["an object with a throwing getter", {
      get x() {
        return throwing();
      },
    }],
    [
      "a cyclic object",
      (() => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return o;
      })(),
    ],
  ];
}
