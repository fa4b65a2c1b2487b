/**
 * The REPL's dot commands: `.help`, `.tasks`, `.tree`, `.cancel`,
 * `.monitor`, `.top`, `.timeline`, `.load`, `.examples`, `.exit`.
 *
 * @module
 */
import { formatTable, formatTimeline, formatTree } from "../../monitor.ts";
import { exampleLines, readExamples } from "./examples.ts";
import type { Output } from "./output.ts";
import type { ReplSession } from "./session.ts";
import { tasksToShow } from "./task_views.ts";

/** What every host of the commands has: output, the panel switch, leaving. */
export interface BaseHost {
  /** Normal output. */
  readonly out: Output;
  /** Whether the live panel is on. */
  monitor: boolean;
  /** Show `.top` full screen; without it (no terminal), `.top` prints `.tasks`. */
  top?(): Promise<void>;
  /** Leave the REPL. */
  exit(): void;
  /** Counts failed inputs and misused commands (piped input then exits with 1). */
  failures?: number;
}

/** What the commands act on where the session lives. */
export interface CommandHost extends BaseHost {
  /** The session whose tasks the commands show and cancel. */
  readonly session: ReplSession;
  /** Colours on. */
  readonly color: boolean;
  /** The terminal width. */
  columns(): number;
  /** Evaluate a file as one input. */
  load(path: string): Promise<unknown>;
}

/**
 * A terminal front whose session lives in another process (the evaluation
 * process): it runs the commands about the terminal (`.exit`, `.top`,
 * `.monitor`) and forwards the others to the session's host.
 */
export interface FrontHost extends BaseHost {
  /** Take the screen for `.top` until the user leaves it. */
  top(): Promise<void>;
  /** Run a command line where the session lives. */
  forward(line: string): Promise<void>;
}

interface Command {
  name: string;
  usage: string;
  help: string;
  run(host: CommandHost, argument: string): void | Promise<void>;
  /** How a front runs it (commands without one are forwarded). */
  front?(host: FrontHost, argument: string): void | Promise<void>;
}

const COMMANDS: Command[] = [
  { name: ".help", usage: ".help", help: "this help", run: help },
  {
    name: ".tasks",
    usage: ".tasks [all [--internal]]",
    help: "table of the live tasks (all: with the finished ones)",
    run: (host, arg) => table(host, arg, formatTable, ".tasks"),
  },
  {
    name: ".tree",
    usage: ".tree [all [--internal]]",
    help: "the tasks under the task that created them",
    run: (host, arg) => table(host, arg, formatTree, ".tree"),
  },
  { name: ".cancel", usage: ".cancel <id|name>", help: "cancel a task", run: cancel },
  {
    name: ".monitor",
    usage: ".monitor on|off",
    help: "show or hide the live panel of tasks",
    run: monitor,
    front: monitor,
  },
  {
    name: ".top",
    usage: ".top",
    help: "full-screen live view of the tasks (q to leave)",
    run: (host) => host.top === undefined ? table(host, "", formatTable, ".tasks") : host.top(),
    front: (host) => host.top(),
  },
  {
    name: ".timeline",
    usage: ".timeline [--internal]",
    help: "when each task lived, as a chart",
    run: (host, arg) => {
      if (!/^(--internal)?$/.test(arg)) return misused(host, "usage: .timeline [--internal]");
      const infos = tasksToShow(host.session, true, arg === "--internal");
      if (infos.length === 0) return host.out.write("no tasks yet\n");
      host.out.write(`${formatTimeline(infos, { width: width(host), color: host.color })}\n`);
    },
  },
  {
    name: ".load",
    usage: ".load <file>",
    help: "run a file's code here (its declarations stay)",
    run: load,
  },
  {
    name: ".examples",
    usage: ".examples [name]",
    help: "list the examples, or load one",
    run: examples,
  },
  {
    name: ".exit",
    usage: ".exit",
    help: "leave (Ctrl+D does too)",
    run: (host) => host.exit(),
    front: (host) => host.exit(),
  },
];

/** Every command's name, for completion. */
export const COMMAND_NAMES: readonly string[] = COMMANDS.map((command) => command.name);

/**
 * Whether `line` is a REPL command rather than code.
 *
 * @param line A line typed at an empty prompt.
 * @returns `true` for `.name ...` where `.name` is a command.
 */
export function isCommand(line: string): boolean {
  const name = line.trim().split(/\s+/)[0];
  return /^\.[a-z]+$/.test(name);
}

/**
 * Run a command line like `.cancel bg`: the one way every command is run.
 * On a front (a `FrontHost`), the commands about the terminal run there and
 * the others are forwarded to where the session lives.
 *
 * @param host What the command acts on.
 * @param line The command line.
 */
export async function runCommand(host: CommandHost | FrontHost, line: string): Promise<void> {
  const trimmed = line.trim();
  const space = trimmed.search(/\s/);
  const name = space === -1 ? trimmed : trimmed.slice(0, space);
  const argument = space === -1 ? "" : trimmed.slice(space + 1).trim();
  const command = COMMANDS.find((c) => c.name === name);
  if ("forward" in host) {
    if (command?.front === undefined) await host.forward(line);
    else await command.front(host, argument);
    return;
  }
  if (command === undefined) {
    return misused(host, `unknown command ${name} (.help lists them)`);
  }
  await command.run(host, argument);
}

function help(host: CommandHost): void {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  const lines = COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.help}`);
  host.out.write(
    [
      "Type TypeScript; top-level await works and declarations persist. _ is the last",
      "value, _error the last error. Every corun export is in scope, and corun itself.",
      "Ctrl+C cancels the running input (its task gets CancelledError; tasks it",
      "started keep running); at an empty prompt it clears, twice exits. Ctrl+D exits",
      "after cancelling the tasks still alive. The finished tasks that ran each input",
      "(input-<n>) are left out of .tasks all, .tree all and .timeline; --internal",
      "shows them.",
      "",
      ...lines,
      "",
    ].join("\n"),
  );
}

/** A command typed wrong: say how to use it; it counts as a failed input. */
function misused(host: BaseHost, text: string): void {
  host.out.write(`${text}\n`);
  if (host.failures !== undefined) host.failures++;
}

function width(host: CommandHost): number {
  return Math.max(40, Math.min(host.columns(), 160));
}

function table(
  host: CommandHost,
  argument: string,
  render: (
    infos: ReturnType<typeof tasksToShow>,
    options: { width: number; color: boolean },
  ) => string,
  name: string,
): void {
  if (!argument.split(/\s+/).every((word) => ["", "all", "--internal"].includes(word))) {
    return misused(host, `usage: ${name} [all [--internal]]`);
  }
  const words = argument.split(/\s+/);
  const all = words.includes("all");
  const infos = tasksToShow(host.session, all, words.includes("--internal"));
  if (infos.length === 0) {
    host.out.write(all ? "no tasks yet\n" : "no live tasks (.tasks all shows finished ones)\n");
    return;
  }
  host.out.write(`${render(infos, { width: width(host), color: host.color })}\n`);
}

function cancel(host: CommandHost, argument: string): void {
  if (argument === "") {
    return misused(host, "usage: .cancel <id|name>");
  }
  const id = /^#?\d+$/.test(argument) ? Number(argument.replace("#", "")) : undefined;
  const matches = host.session.liveTasks().filter((task) =>
    id !== undefined ? task.id === id : task.name === argument
  );
  if (matches.length === 0) {
    host.out.write(`no live task with id or name ${argument}\n`);
    return;
  }
  for (const task of matches) {
    task.cancel("cancelled from the REPL (.cancel)");
    host.out.write(`cancelled ${task.name} (#${task.id})\n`);
  }
}

function monitor(host: BaseHost, argument: string): void {
  if (argument === "on" || argument === "off") host.monitor = argument === "on";
  else if (argument !== "") {
    return misused(host, "usage: .monitor on|off");
  }
  host.out.write(`live monitor ${host.monitor ? "on" : "off"}\n`);
}

async function load(host: CommandHost, argument: string): Promise<void> {
  if (argument === "") {
    return misused(host, "usage: .load <file>");
  }
  await host.load(argument.replace(/^(["'])(.*)\1$/, "$2"));
}

async function examples(host: CommandHost, argument: string): Promise<void> {
  let all;
  try {
    all = readExamples();
  } catch (error) {
    host.out.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return;
  }
  if (argument !== "") {
    const example = all.find((e) => e.name === argument.replace(/\.ts$/, ""));
    if (example === undefined) {
      host.out.write(`no example named ${argument} (.examples lists them)\n`);
      return;
    }
    await host.load(example.path);
    return;
  }
  for (const line of exampleLines(all, width(host) - 1, "  ")) host.out.write(`${line}\n`);
  host.out.write(".examples <name> loads one here; .load <file> loads any file\n");
}
