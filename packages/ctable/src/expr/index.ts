// The where() engine: a small, safe expression language (no eval) over ColumnSource tables,
// evaluated chunk by chunk with statistics-based chunk skipping. Language: EXPRESSIONS.md.

export type { ArithOp, CompareOp, Expr, FunctionName } from "./ast.js";
export { ExpressionError } from "./errors.js";
export { type CompiledExpression, compileExpression, parseExpression } from "./expression.js";
export { iterWhere, where } from "./where.js";
