// The rows the crash test's child appends: row i's values depend only on i, so any prefix can be checked.

/** Column specs of the crash-test table. */
export const COLUMNS = {
  id: { dtype: "int64" },
  x: { dtype: "float64", nullable: true },
  s: { dtype: "utf8", nullable: true },
  flag: { dtype: "bool" },
  code: { dtype: "|S3" },
};

/** Row i as the table returns it. */
export function rowAt(i) {
  return {
    id: BigInt(i) * 3n,
    x: i % 5 === 0 ? null : i / 4,
    s: i % 7 === 0 ? null : `row-${i}-${"x".repeat(i % 11)}`,
    flag: i % 3 === 0,
    code: String(i % 1000),
  };
}

/** Rows [from, to). */
export function rowsFrom(from, to) {
  const out = [];
  for (let i = from; i < to; i++) out.push(rowAt(i));
  return out;
}

/** Size of the batch appended when the table has n rows (1..61, so chunks fill at every offset). */
export function batchAfter(n) {
  return 1 + ((n * 7919) % 61);
}
