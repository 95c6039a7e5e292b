// Terminal column widths of text, for the aligned table format: East Asian wide and fullwidth
// characters and most emoji take two columns, combining marks and zero-width characters none.
// A compact approximation of wcwidth(3); exact enough for aligning data previews.

const WIDE: readonly [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

function inRanges(cp: number, ranges: readonly [number, number][]): boolean {
  for (const [lo, hi] of ranges) if (cp >= lo && cp <= hi) return true;
  return false;
}

/** Columns one code point takes: 0, 1 or 2. */
export function charWidth(cp: number): number {
  if (cp === 0x200b || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (/\p{Mn}|\p{Me}/u.test(String.fromCodePoint(cp))) return 0;
  return inRanges(cp, WIDE) ? 2 : 1;
}

/**
 * Terminal columns `text` takes (control characters must have been escaped first).
 *
 * @example
 * displayWidth("日本"); // 4
 */
export function displayWidth(text: string): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x300) {
      w++; // fast path: ASCII and Latin-1 have no wide or combining characters
      continue;
    }
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    w += charWidth(cp);
  }
  return w;
}

/**
 * `text` cut to at most `width` columns, ending in "…" when something was cut.
 *
 * @example
 * truncate("abcdef", 4); // "abc…"
 */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return "";
  let out = "";
  let w = 0;
  for (const ch of text) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

/**
 * Control characters made visible (a newline in a value must not break a table row):
 * "\n", "\t", "\r" and "\xNN" for the rest of C0, DEL and C1.
 *
 * @example
 * escapeControls("a\nb"); // "a\\nb"
 */
export function escapeControls(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (!/[\u0000-\u001f\u007f-\u009f]/.test(text)) return text;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: see above
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    if (c === "\r") return "\\r";
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}

/**
 * `text` padded with spaces to `width` columns, on the left when `right` is true.
 *
 * @example
 * pad("7", 3, true); // "  7"
 */
export function pad(text: string, width: number, right: boolean): string {
  const fill = width - displayWidth(text);
  if (fill <= 0) return text;
  return right ? " ".repeat(fill) + text : text + " ".repeat(fill);
}
