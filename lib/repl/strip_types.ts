/**
 * TypeScript to JavaScript for the REPL: types are stripped, never checked.
 *
 * Deno 2.9 implements Node's `stripTypeScriptTypes` (`node:module`) on top of
 * its own swc-based transpiler, so no dependency is needed. The "strip" mode
 * replaces types with spaces, which keeps every line and column where the
 * user typed it (error positions stay right); only when the input uses syntax
 * that needs code generation (`enum`, `namespace`, parameter properties) do we
 * fall back to the "transform" mode. Syntax errors are reported with the
 * transform mode's message, which names the token and shows the line.
 *
 * @module
 */
import { stripTypeScriptTypes } from "node:module";

type Strip = (code: string, options: { mode: "strip" | "transform" }) => string;
const strip = stripTypeScriptTypes as unknown as Strip;

/**
 * Turn TypeScript source into JavaScript.
 *
 * @param source TypeScript (or plain JavaScript) source.
 * @returns JavaScript with the same meaning.
 * @throws {SyntaxError} If the source does not parse.
 */
export function stripTypes(source: string): string {
  try {
    return strip(source, { mode: "strip" });
  } catch (error) {
    if (!isUnsupportedSyntax(error)) throw syntaxErrorOf(source, error);
  }
  try {
    return strip(source, { mode: "transform" });
  } catch (error) {
    throw syntaxErrorOf(source, error);
  }
}

/** Strip mode refused valid TypeScript that needs code generation. */
function isUnsupportedSyntax(error: unknown): boolean {
  return (error as { code?: string })?.code === "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX" &&
    !String((error as Error).message).includes("[InvalidSyntax]");
}

/** A `SyntaxError` with the most helpful message the transpiler gives. */
function syntaxErrorOf(source: string, error: unknown): SyntaxError {
  let message = error instanceof Error ? error.message : String(error);
  if (message.includes("[InvalidSyntax]")) {
    try {
      strip(source, { mode: "transform" });
    } catch (detailed) {
      if (detailed instanceof Error) message = detailed.message;
    }
  }
  message = message
    .replace(/^SyntaxError: /, "")
    .replace(
      /\n\s*at file:\/\/\/stripTypeScriptTypes\.ts:(\d+):(\d+)\s*$/,
      " (line $1, column $2)",
    );
  return new SyntaxError(message);
}
