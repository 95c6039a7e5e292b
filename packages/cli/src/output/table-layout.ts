import type { ColumnRenderer } from "./render-values.js";
import { displayWidth, escapeControls, pad, truncate } from "./text-width.js";

/** No column is wider than this, whatever the terminal: one long string must not hide the rest. */
export const MAX_CELL_WIDTH = 40;
/** Columns are not squeezed below this many terminal columns to fit the width. */
const MIN_CELL_WIDTH = 4;
/** Rows of the first batch measured to size the columns. */
const MEASURE_ROWS = 1000;
const GAP = "  ";

/**
 * Column widths of the aligned table format, chosen once from the header and the first rows
 * (streaming output cannot look ahead) and then kept: later, wider cells are cut with "…".
 * Numbers are right-aligned, everything else left; nulls are blank; control characters escaped.
 *
 * @example
 * const layout = TableLayout.measure(["id", "sym"], renderers, 10, 80);
 * out.write(layout.header() + layout.row(renderers, 0));
 */
export class TableLayout {
  private constructor(
    private readonly names: readonly string[],
    private readonly widths: number[],
    private readonly right: boolean[],
  ) {}

  /** Sizes the columns to fit `width` terminal columns (undefined: no limit). */
  static measure(
    names: readonly string[],
    renderers: readonly ColumnRenderer[],
    rows: number,
    width: number | undefined,
  ): TableLayout {
    const n = Math.min(rows, MEASURE_ROWS);
    const widths = names.map((name, c) => {
      let w = displayWidth(escapeControls(name));
      const r = renderers[c];
      if (r !== undefined) for (let k = 0; k < n; k++) w = Math.max(w, displayWidth(cell(r, k)));
      return Math.min(Math.max(w, 1), MAX_CELL_WIDTH);
    });
    if (width !== undefined && width > 0) fit(widths, width);
    const right = names.map((_, c) => renderers[c]?.numeric === true);
    return new TableLayout(names, widths, right);
  }

  /** The header line and a line of dashes under it. */
  header(): string {
    const head = this.names.map((n, c) =>
      pad(truncate(escapeControls(n), this.widths[c]!), this.widths[c]!, this.right[c]!),
    );
    const rule = this.widths.map((w) => "-".repeat(w));
    return `${trimEnd(head.join(GAP))}\n${rule.join(GAP)}\n`;
  }

  /** Row `k` of the batch, aligned. */
  row(renderers: readonly ColumnRenderer[], k: number): string {
    let line = "";
    for (let c = 0; c < renderers.length; c++) {
      const w = this.widths[c]!;
      line += (c === 0 ? "" : GAP) + pad(truncate(cell(renderers[c]!, k), w), w, this.right[c]!);
    }
    return `${trimEnd(line)}\n`;
  }
}

function cell(r: ColumnRenderer, k: number): string {
  const t = r.text(k);
  return t === null ? "" : escapeControls(t);
}

function trimEnd(line: string): string {
  return line.replace(/ +$/, "");
}

/** Shrinks the widest columns one step at a time until the row fits (or all are at the minimum). */
function fit(widths: number[], total: number): void {
  const gaps = GAP.length * Math.max(0, widths.length - 1);
  let sum = widths.reduce((a, b) => a + b, 0) + gaps;
  while (sum > total) {
    let widest = -1;
    for (let c = 0; c < widths.length; c++) {
      if (widths[c]! > MIN_CELL_WIDTH && (widest < 0 || widths[c]! > widths[widest]!)) widest = c;
    }
    if (widest < 0) return; // cannot shrink further: the terminal wraps
    widths[widest] = widths[widest]! - 1;
    sum--;
  }
}
