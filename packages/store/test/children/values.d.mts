/** Rows of generation g. */
export function rowsOf(g: number): number;
/** The columns of generation g: gen = g everywhere, x[i] = g + i. */
export function makeValue(g: number): { gen: BigInt64Array; x: Float64Array };
/** The generation a complete value holds; throws for a torn or mixed one. */
export function checkValue(cols: Record<string, unknown>): number;
