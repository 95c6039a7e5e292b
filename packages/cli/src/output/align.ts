import { displayWidth, pad } from "./text-width.js";

/**
 * Lines of `rows` with every column padded to its widest cell (two spaces between columns,
 * `right[c]` right-aligns column c), trailing spaces removed. For small metadata tables.
 *
 * @example
 * alignRows([["name", "rows"], ["a", "10"]], [false, true]); // "name  rows\na       10\n"
 */
export function alignRows(rows: readonly (readonly string[])[], right: readonly boolean[] = []): string {
  const widths: number[] = [];
  for (const r of rows) {
    for (let c = 0; c < r.length; c++) widths[c] = Math.max(widths[c] ?? 0, displayWidth(r[c]!));
  }
  return rows
    .map(
      (r) =>
        `${r
          .map((cell, c) => pad(cell, widths[c]!, right[c] === true))
          .join("  ")
          .replace(/ +$/, "")}\n`,
    )
    .join("");
}
