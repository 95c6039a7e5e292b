import { ColzError } from "@colz/format";
import type { ColumnSchema, ColumnSource, ColumnValues, ScanStep, Selection, WhereOptions } from "../types.js";
import { suggestion } from "./errors.js";
import { type CompiledExpression, compileExpression } from "./expression.js";
import { concatValues, gatherValues } from "./gather.js";

// where(): plan a scan over the columns involved, skip every step the statistics rule out
// without reading anything, evaluate the rest, and gather the requested columns of the
// matching rows, stopping as soon as `limit` rows are found.

function badOption(what: string): ColzError {
  return new ColzError("ERR_BAD_ARGUMENT", `where(): ${what}`);
}

/** Python-style bound: negative counts from the end, then clamped to [0, length]. */
function bound(value: number | undefined, fallback: number, length: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value)) throw badOption(`${name} must be an integer, got ${String(value)}`);
  return Math.min(length, Math.max(0, value < 0 ? length + value : value));
}

interface Plan {
  compiled: CompiledExpression;
  start: number;
  stop: number;
  limit: number;
  output: ColumnSchema[];
}

function plan(source: ColumnSource, expr: string, options: WhereOptions): Plan {
  const compiled = compileExpression(expr, source.schema);
  const length = source.length;
  const start = bound(options.start, 0, length, "start");
  const stop = Math.max(start, bound(options.stop, length, length, "stop"));
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (!(limit >= 0) || (limit !== Number.POSITIVE_INFINITY && !Number.isInteger(limit))) {
    throw badOption(`limit must be a non-negative integer, got ${String(limit)}`);
  }
  const byName = new Map(source.schema.map((s) => [s.name, s] as const));
  const names = options.columns ?? source.schema.map((s) => s.name);
  const output: ColumnSchema[] = [];
  for (const name of new Set(names)) {
    const schema = byName.get(name);
    if (schema === undefined) {
      throw badOption(
        `unknown column ${JSON.stringify(name)} in options.columns; ${suggestion(name, [...byName.keys()])}`,
      );
    }
    output.push(schema);
  }
  return { compiled, start, stop, limit, output };
}

async function readAll(
  source: ColumnSource,
  names: readonly string[],
  start: number,
  stop: number,
  into: Map<string, ColumnValues>,
): Promise<void> {
  const missing = names.filter((n) => !into.has(n));
  const values = await Promise.all(missing.map((n) => source.readColumn(n, start, stop)));
  missing.forEach((n, k) => {
    const v = values[k]!;
    if (v.length !== stop - start) {
      throw new ColzError(
        "ERR_BAD_ARGUMENT",
        `readColumn(${JSON.stringify(n)}, ${start}, ${stop}) returned ${v.length} rows`,
      );
    }
    into.set(n, v);
  });
}

function record(entries: Iterable<readonly [string, ColumnValues]>): Record<string, ColumnValues> {
  // defineProperty, not assignment: a column may be called "__proto__".
  const out: Record<string, ColumnValues> = {};
  for (const [k, v] of entries)
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** Steps clipped to [start, stop) and to what earlier steps already covered, so no row is visited twice. */
function* clipSteps(steps: readonly ScanStep[], start: number, stop: number): Generator<ScanStep> {
  let done = start;
  for (const step of steps) {
    const s = Math.max(step.start, done);
    const e = Math.min(step.stop, stop);
    if (!(Number.isInteger(s) && Number.isInteger(e)))
      throw new ColzError("ERR_BAD_ARGUMENT", "scanPlan returned a non-integer step");
    if (e <= s) continue;
    done = e;
    // Statistics of a wider range still bound a narrower one, so they stay usable after clipping.
    yield { start: s, stop: e, stats: step.stats ?? {} };
  }
}

async function* scan(source: ColumnSource, p: Plan): AsyncGenerator<Selection> {
  const { compiled, start, stop, limit, output } = p;
  if (limit === 0 || start >= stop) return;
  const outNames = output.map((s) => s.name);
  const scanColumns = [...new Set([...compiled.columns, ...outNames])];
  const steps = await source.scanPlan(scanColumns, start, stop);
  let found = 0;
  for (const step of clipSteps(steps, start, stop)) {
    const rows = step.stop - step.start;
    // No `rows` here: a table may hand out whole-chunk statistics for a partial step, and then
    // nullCount >= rows would not prove the step all-null (min/max of a wider range stay sound).
    if (!compiled.mayMatch(step.stats)) continue;
    const read = new Map<string, ColumnValues>();
    await readAll(source, compiled.columns, step.start, step.stop, read);
    const mask = compiled.evaluate(record(read), rows);
    let m = 0;
    for (let i = 0; i < rows; i++) m += mask[i]!;
    if (m === 0) continue;
    m = Math.min(m, limit - found);
    const local = new Int32Array(m);
    const indices = new Float64Array(m);
    for (let i = 0, j = 0; j < m; i++) {
      if (mask[i] === 1) {
        local[j] = i;
        indices[j++] = step.start + i;
      }
    }
    await readAll(source, outNames, step.start, step.stop, read);
    const columns = record(output.map((s) => [s.name, gatherValues(s, read.get(s.name)!, local, m)] as const));
    yield { length: m, indices, columns };
    found += m;
    if (found >= limit) return;
  }
}

/**
 * Scans `source` and yields one Selection per scan step that has matching rows, in row order.
 * Steps whose statistics rule the condition out are skipped without reading any column. The
 * expression and options are checked at the call (ERR_BAD_EXPRESSION / ERR_BAD_ARGUMENT are
 * thrown before iteration starts); the scan runs as the iterable is consumed.
 *
 * @example
 * for await (const sel of iterWhere(table, 'price > 10 & sym == "AAPL"', { columns: ["price"] })) {
 *   console.log(sel.indices, sel.columns.price);
 * }
 */
export function iterWhere(source: ColumnSource, expr: string, options: WhereOptions = {}): AsyncIterable<Selection> {
  return scan(source, plan(source, expr, options));
}

/**
 * Rows of `source` satisfying `expr`, with the requested columns' values (default all).
 * `start`/`stop` bound the scanned rows (negative values count from the end), `limit` caps the
 * number of rows returned; the scan stops as soon as it is reached.
 *
 * @example
 * const sel = await where(table, '(price > 10) & (sym == "AAPL")', { columns: ["price"], limit: 100 });
 * sel.indices; // Float64Array of row numbers
 */
export async function where(source: ColumnSource, expr: string, options: WhereOptions = {}): Promise<Selection> {
  const p = plan(source, expr, options);
  const parts: Selection[] = [];
  for await (const part of scan(source, p)) parts.push(part);
  const { output } = p;
  const length = parts.reduce((s, p) => s + p.length, 0);
  const indices = new Float64Array(length);
  let at = 0;
  for (const p of parts) {
    indices.set(p.indices, at);
    at += p.length;
  }
  const columns = record(
    output.map(
      (s) =>
        [
          s.name,
          concatValues(
            s,
            parts.map((p) => p.columns[s.name]!),
          ),
        ] as const,
    ),
  );
  return { length, indices, columns };
}
