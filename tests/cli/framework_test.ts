import assert from "node:assert/strict";
import { parseCommandLine, type ProgramSpec } from "../../lib/cli/framework.ts";
import { UsageError } from "../../lib/cli/errors.ts";

const PROGRAM: ProgramSpec = {
  name: "tool",
  version: "tool 1.2.3",
  summary: "a test program",
  commands: [
    {
      name: "go",
      summary: "go somewhere",
      arguments: [{ syntax: "<where>", description: "the place" }],
      options: [
        { flags: "--fast", description: "hurry" },
        { flags: "--port [port]", description: "a port", valuePattern: /^\d+$/ },
        { flags: "--out <file>", description: "output" },
      ],
      epilog: "Example: tool go home",
    },
    { name: "list", summary: "list", arguments: [{ syntax: "[filter]", description: "f" }] },
  ],
};

Deno.test("parseCommandLine() returns the chosen command with its arguments and options", () => {
  assert.deepEqual(parseCommandLine(PROGRAM, ["go", "home", "--fast", "--out", "x.json"]), {
    kind: "command",
    name: "go",
    args: ["home"],
    options: { fast: true, out: "x.json" },
    rest: [],
  });
  assert.deepEqual(parseCommandLine(PROGRAM, ["list"]), {
    kind: "command",
    name: "list",
    args: [undefined],
    options: {},
    rest: [],
  });
});

Deno.test("a pass-through command hands everything after its positional on, options included", () => {
  const program: ProgramSpec = {
    ...PROGRAM,
    commands: [{
      name: "run",
      summary: "run a script",
      arguments: [{ syntax: "<script>", description: "it" }],
      options: [
        { flags: "--fast", description: "hurry" },
        { flags: "--port [port]", description: "a port", valuePattern: /^\d+$/, bareValue: "0" },
        { flags: "--out <file>", description: "output" },
      ],
      passThrough: true,
    }],
  };
  assert.deepEqual(
    parseCommandLine(program, ["run", "--out", "o.json", "--port", "main.ts", "a", "--fast", "-x"]),
    {
      kind: "command",
      name: "run",
      args: ["main.ts"],
      options: { out: "o.json", port: "0" },
      rest: ["a", "--fast", "-x"],
    },
  );
  const again = parseCommandLine(program, ["run", "--port", "8", "m.ts", "--port"]);
  assert.ok(again.kind === "command");
  assert.deepEqual([again.options, again.rest], [{ port: "8" }, ["--port"]]);
});

Deno.test("an optional option value is taken only when it looks like one", () => {
  const options = (argv: string[]) => {
    const parsed = parseCommandLine(PROGRAM, argv);
    assert.equal(parsed.kind, "command");
    return parsed.kind === "command" ? [parsed.args, parsed.options] : [];
  };
  assert.deepEqual(options(["go", "home", "--port"]), [["home"], { port: true }]);
  assert.deepEqual(options(["go", "home", "--port=81"]), [["home"], { port: "81" }]);
  assert.deepEqual(options(["go", "home", "--port", "82"]), [["home"], { port: "82" }]);
  assert.deepEqual(options(["go", "--port", "home"]), [["home"], { port: true }]);
  assert.deepEqual(options(["go", "--port", "home", "--fast"]), [["home"], {
    port: true,
    fast: true,
  }]);
});

Deno.test("--help and --version come back as text, never printed", () => {
  assert.deepEqual(parseCommandLine(PROGRAM, ["--version"]), {
    kind: "text",
    text: "tool 1.2.3\n",
  });
  const help = parseCommandLine(PROGRAM, ["--help"]);
  assert.equal(help.kind, "text");
  assert.match(help.kind === "text" ? help.text : "", /^Usage: tool \[options\] \[command\]\n/);
  const sub = parseCommandLine(PROGRAM, ["go", "--help"], { helpWidth: 60 });
  assert.match(sub.kind === "text" ? sub.text : "", /--port \[port\][\s\S]*Example: tool go home/);
});

Deno.test("every mistake is a one-line UsageError", () => {
  const cases: [string[], RegExp][] = [
    [[], /^missing command \(see tool --help\)$/],
    [["nope"], /^unknown command 'nope'$/],
    [["lst"], /^unknown command 'lst' \(Did you mean list\?\)$/],
    [["go"], /^missing required argument 'where'$/],
    [["go", "a", "b"], /^too many arguments for 'go'/],
    [["go", "a", "--slow"], /^unknown option '--slow'/],
    [["go", "a", "--out"], /^option '--out <file>' argument missing$/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(() => parseCommandLine(PROGRAM, argv), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(error.exitCode, 2);
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  }
});
