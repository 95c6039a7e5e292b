import { ColzError } from "@colz/format";

/**
 * ERR_BAD_EXPRESSION with the 0-based `offset` of the offending text, so tools (the CLI) can
 * underline it. The message repeats it as a 1-based column, which is what people count.
 *
 * @example
 * try { parseExpression("(a > 1))"); } catch (e) { if (e instanceof ExpressionError) e.offset; } // 7
 */
export class ExpressionError extends ColzError {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super("ERR_BAD_EXPRESSION", message);
    this.offset = offset;
  }
}

const EXCERPT = 80;

/** The expression text as quoted in messages: JSON-quoted, cut around `offset` when long. */
export function excerpt(text: string, offset: number): string {
  if (text.length <= EXCERPT) return JSON.stringify(text);
  const from = Math.max(0, Math.min(offset - EXCERPT / 2, text.length - EXCERPT));
  const head = from > 0 ? "…" : "";
  const tail = from + EXCERPT < text.length ? "…" : "";
  return `${head}${JSON.stringify(text.slice(from, from + EXCERPT))}${tail}`;
}

/** Builds the error for a problem at `offset` of `text`: "<what> at column N in "<text>"[: <hint>]". */
export function exprError(text: string, offset: number, what: string, hint?: string): ExpressionError {
  const tail = hint === undefined ? "" : `: ${hint}`;
  return new ExpressionError(`${what} at column ${offset + 1} in ${excerpt(text, offset)}${tail}`, offset);
}

/** Levenshtein distance, capped: returns `cap + 1` as soon as it is certain to exceed `cap`. */
function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > cap) return cap + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Names close to `name` (case-insensitive match, shared prefix, or a small edit distance), best
 * first, at most `max`: the "did you mean" of unknown-column errors.
 *
 * @example
 * similarNames("prce", ["price", "sym"]); // ["price"]
 */
export function similarNames(name: string, candidates: readonly string[], max = 3): string[] {
  const lower = name.toLowerCase();
  const cap = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  const scored: { name: string; score: number }[] = [];
  for (const c of candidates) {
    const cl = c.toLowerCase();
    let score: number;
    if (cl === lower) score = 0;
    else if (lower.length >= 3 && (cl.startsWith(lower) || lower.startsWith(cl))) score = 1;
    else score = distance(lower, cl, cap) + 1;
    if (score <= cap + 1) scored.push({ name: c, score });
  }
  scored.sort((x, y) => x.score - y.score);
  return scored.slice(0, max).map((s) => s.name);
}

/** 'did you mean "x"? (columns: "a", "b")' for unknown-name errors. */
export function suggestion(name: string, candidates: readonly string[]): string {
  const similar = similarNames(name, candidates);
  const mean = similar.length === 0 ? "" : `did you mean ${similar.map((s) => JSON.stringify(s)).join(" or ")}? `;
  const shown = candidates.slice(0, 12).map((c) => JSON.stringify(c));
  const more = candidates.length > 12 ? `, … (${candidates.length} in all)` : "";
  return `${mean}(columns: ${candidates.length === 0 ? "none" : shown.join(", ") + more})`;
}
