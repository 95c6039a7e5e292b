import type { ChunkSummary, ColumnSchema, ColumnValues } from "../types.js";
import { compileTree } from "./compile.js";
import { evaluateTree } from "./evaluate.js";
import { parseExpression } from "./parser.js";
import { mayMatchTree } from "./stats.js";

/** A where() expression checked against a schema, ready to run chunk by chunk. */
export interface CompiledExpression {
  /** Columns the expression reads, in order of first use. */
  readonly columns: readonly string[];
  /**
   * Evaluates the condition over `length` rows; `values` holds rows [0, length) of every
   * column in `columns`. Returns one byte per row: 1 = selected. Null rows never match.
   */
  evaluate(values: Record<string, ColumnValues>, length: number): Uint8Array;
  /**
   * False only when the statistics PROVE that no row of the range can match; true when they
   * might (or are missing). `rows`, when given, lets an all-null column prove non-matches.
   */
  mayMatch(stats: Record<string, ChunkSummary | undefined>, rows?: number): boolean;
}

/**
 * Parses and type-checks `text` against `schema`. Unknown columns (reported with similar
 * names), operands of the wrong type and non-boolean expressions throw ERR_BAD_EXPRESSION.
 *
 * @example
 * const c = compileExpression("price > 10", [{ name: "price", dtype: "float64", kind: "fixed", nullable: false, atomShape: [] }]);
 * c.mayMatch({ price: { min: 0, max: 5 } }); // false
 * c.evaluate({ price: { kind: "fixed", dtype: parseDtype("float64"), length: 2, data: new Float64Array([5, 50]) } }, 2); // Uint8Array [0, 1]
 */
export function compileExpression(text: string, schema: readonly ColumnSchema[]): CompiledExpression {
  const { root, columns } = compileTree(text, parseExpression(text), schema);
  return {
    columns: Object.freeze(columns),
    evaluate: (values, length) => evaluateTree(root, values, length),
    mayMatch: (stats, rows) => mayMatchTree(root, { stats: stats ?? {}, rows }),
  };
}

export { parseExpression };
