// The syntax tree parseExpression returns. Every node carries `pos`, the 0-based offset of its
// first character (for binary nodes, of the operator), so later stages can point at it.

export type ArithOp = "+" | "-" | "*" | "/" | "%";
export type CompareOp = "<" | "<=" | ">" | ">=" | "==" | "!=";
export type FunctionName = "isnull" | "notnull" | "isnan";

/** A parsed where() expression. `and`/`or` chains are n-ary (they are associative). */
export type Expr =
  | { type: "column"; name: string; pos: number }
  /** `int` is set (exact) when the literal has no fraction or exponent; `value` is its nearest double. */
  | { type: "number"; value: number; int?: bigint; raw: string; pos: number }
  | { type: "string"; value: string; pos: number }
  | { type: "boolean"; value: boolean; pos: number }
  | { type: "negate"; operand: Expr; pos: number }
  | { type: "plus"; operand: Expr; pos: number }
  | { type: "not"; operand: Expr; pos: number }
  | { type: "arith"; op: ArithOp; left: Expr; right: Expr; pos: number }
  | { type: "compare"; op: CompareOp; left: Expr; right: Expr; pos: number }
  | { type: "logical"; op: "and" | "or"; operands: Expr[]; pos: number }
  | { type: "in"; operand: Expr; items: Expr[]; negated: boolean; pos: number }
  | { type: "call"; name: FunctionName; args: Expr[]; pos: number };

const PLAIN_NAME = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;
const KEYWORDS = new Set(["and", "or", "not", "in", "true", "false", "True", "False", "null", "None", "NULL"]);

/** A column name as the language writes it: bare when it can be, else in backticks. */
export function quoteName(name: string): string {
  return PLAIN_NAME.test(name) && !KEYWORDS.has(name) ? name : "`" + name.replaceAll("`", "``") + "`";
}

/**
 * A fully parenthesised S-expression rendering of a tree, for tests and debugging output.
 *
 * @example
 * formatExpression(parseExpression("a > 1 & b")); // "(and (> a 1) b)"
 */
export function formatExpression(e: Expr): string {
  switch (e.type) {
    case "column":
      return quoteName(e.name);
    case "number":
      return e.int !== undefined ? e.int.toString() : String(e.value);
    case "string":
      return JSON.stringify(e.value);
    case "boolean":
      return String(e.value);
    case "negate":
      return `(neg ${formatExpression(e.operand)})`;
    case "plus":
      return `(pos ${formatExpression(e.operand)})`;
    case "not":
      return `(not ${formatExpression(e.operand)})`;
    case "arith":
    case "compare":
      return `(${e.op} ${formatExpression(e.left)} ${formatExpression(e.right)})`;
    case "logical":
      return `(${e.op} ${e.operands.map(formatExpression).join(" ")})`;
    case "in":
      return `(${e.negated ? "not-in" : "in"} ${formatExpression(e.operand)} [${e.items.map(formatExpression).join(" ")}])`;
    case "call":
      return `(${e.name} ${e.args.map(formatExpression).join(" ")})`;
  }
}
