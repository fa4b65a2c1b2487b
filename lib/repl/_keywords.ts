/**
 * The words of TypeScript that the REPL treats as keywords: the highlighter
 * colours them, completion offers them (with the literal words).
 *
 * @module
 */

/** Keywords and contextual keywords of TypeScript. */
export const KEYWORDS: readonly string[] = [
  "abstract",
  "as",
  "async",
  "await",
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "declare",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "export",
  "extends",
  "finally",
  "for",
  "from",
  "function",
  "get",
  "if",
  "implements",
  "import",
  "in",
  "instanceof",
  "interface",
  "keyof",
  "let",
  "new",
  "of",
  "private",
  "protected",
  "public",
  "readonly",
  "return",
  "satisfies",
  "set",
  "static",
  "super",
  "switch",
  "this",
  "throw",
  "try",
  "type",
  "typeof",
  "using",
  "var",
  "void",
  "while",
  "with",
  "yield",
];

/** Words that name a value: completion offers them beside the keywords. */
export const LITERAL_WORDS: readonly string[] = ["true", "false", "null", "undefined"];
