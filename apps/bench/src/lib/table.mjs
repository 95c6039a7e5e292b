// Plain-text and Markdown tables from one description, so the terminal and the saved .md agree.

/**
 * @typedef {object} Column
 * @property {string} key              property of each row to show
 * @property {string} title            header text
 * @property {"left" | "right"} [align] default right
 */

/**
 * @param {Column[]} columns
 * @param {Array<Record<string, string>>} rows cells already formatted as strings
 * @returns {string} fixed-width text table (header, rule, rows)
 */
export function textTable(columns, rows) {
  const widths = columns.map((c) => Math.max(c.title.length, ...rows.map((r) => String(r[c.key] ?? "").length)));
  /** @param {string} s @param {number} i */
  const pad = (s, i) => (columns[i].align === "left" ? s.padEnd(widths[i]) : s.padStart(widths[i]));
  const line = (/** @type {string[]} */ cells) =>
    cells
      .map((s, i) => pad(s, i))
      .join("  ")
      .trimEnd();
  return [
    line(columns.map((c) => c.title)),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map((r) => line(columns.map((c) => String(r[c.key] ?? "")))),
  ].join("\n");
}

/** @param {string} s */
function mdEscape(s) {
  return s.replace(/\|/g, "\\|");
}

/**
 * @param {Column[]} columns
 * @param {Array<Record<string, string>>} rows
 * @returns {string} GitHub-flavoured Markdown table
 */
export function markdownTable(columns, rows) {
  const head = `| ${columns.map((c) => mdEscape(c.title)).join(" | ")} |`;
  const rule = `|${columns.map((c) => (c.align === "left" ? " :--- " : " ---: ")).join("|")}|`;
  const body = rows.map((r) => `| ${columns.map((c) => mdEscape(String(r[c.key] ?? ""))).join(" | ")} |`);
  return [head, rule, ...body].join("\n");
}
