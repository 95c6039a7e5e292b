import { isColzError, parseDtype } from "@colz/format";
import type { ColumnSchema } from "../types.js";
import type { ArithOp, CompareOp, Expr } from "./ast.js";
import { isoToTicks } from "./datetime.js";
import { exprError, suggestion } from "./errors.js";
import { describe, foldArith, foldCompare, isLiteral, type NumLit, numLit, startOf, typeLabel } from "./fold.js";
import { type ColumnRef, flipCompare, type Node, type NumKind, type Ty, typeOf } from "./ir.js";

// Type checking: the syntax tree becomes a typed tree (ir.ts) in which every column is resolved,
// every operator is applied to operands it accepts, literals are folded and converted to the
// representation of what they meet. Type rules (documented in EXPRESSIONS.md):
// - arithmetic needs numbers; "/" is true division (float64); int64 op int64/integer → int64
//   with wrap-around (NumPy); anything with uint64 → float64; other integers compute in float64;
// - comparisons: numbers with numbers (exact, whatever the kinds), strings with strings, bools
//   with bools (== and != only), datetimes with ISO strings, integers or same-unit datetimes;
// - & | ~ need conditions; isnull/notnull take anything, isnan numbers and datetimes.

export interface CompiledTree {
  root: Node;
  /** Referenced columns, in order of first use. */
  columns: string[];
}

function columnType(schema: ColumnSchema, text: string, pos: number): { ty: Ty; dtype: ColumnRef["dtype"] } {
  const name = JSON.stringify(schema.name);
  if (schema.atomShape.length > 0) {
    throw exprError(
      text,
      pos,
      `column ${name} holds arrays of shape (${schema.atomShape.join(", ")}) per row`,
      "where() compares 1-D columns only",
    );
  }
  if (schema.kind !== "fixed") return { ty: { k: "str", wide: false }, dtype: undefined };
  let dtype: ReturnType<typeof parseDtype>;
  try {
    dtype = parseDtype(schema.dtype);
  } catch (e) {
    if (!isColzError(e)) throw e;
    throw exprError(text, pos, `column ${name} has a dtype where() cannot use`, e.message);
  }
  switch (dtype.kind) {
    case "b":
      return { ty: { k: "bool" }, dtype };
    case "i":
    case "u": {
      const n: NumKind = dtype.itemsize < 8 ? "i" : dtype.kind === "i" ? "i64" : "u64";
      return { ty: { k: "num", n }, dtype };
    }
    case "f":
      return { ty: { k: "num", n: "f" }, dtype };
    case "S":
    case "U":
      return { ty: { k: "str", wide: dtype.kind === "U" }, dtype };
    case "M":
    case "m":
      return { ty: { k: "time", dt: dtype.kind, unit: dtype.unit ?? "" }, dtype };
  }
}

function numKind(n: Node): NumKind {
  const ty = typeOf(n);
  return ty.k === "num" ? ty.n : "f";
}

/** Result kind of arithmetic (NumPy-like promotion, with every non-64-bit integer computed in float64). */
function arithKind(fn: ArithOp, a: NumKind, b: NumKind): NumKind {
  if (fn === "/" || a === "u64" || b === "u64" || a === "f" || b === "f") return "f";
  return a === "i64" || b === "i64" ? "i64" : "i";
}

function toInt64(n: Node): Node {
  if (n.op === "num") return { ...n, ty: { k: "num", n: "i64" } };
  return numKind(n) === "i64" ? n : { op: "toi64", a: n, ty: { k: "num", n: "i64" } };
}

function toFloat(n: Node): Node {
  const k = numKind(n);
  return k === "i64" || k === "u64" ? { op: "tof", a: n, ty: { k: "num", n: "f" } } : n;
}

class Compiler {
  readonly used: string[] = [];
  private readonly byName = new Map<string, ColumnSchema>();
  private readonly refs = new Map<string, Node>();

  constructor(
    private readonly text: string,
    private readonly schema: readonly ColumnSchema[],
  ) {
    for (const s of schema) if (!this.byName.has(s.name)) this.byName.set(s.name, s);
  }

  private fail(pos: number, what: string, hint?: string): never {
    throw exprError(this.text, pos, what, hint);
  }

  expr(e: Expr): Node {
    switch (e.type) {
      case "column":
        return this.column(e.name, e.pos);
      case "number":
        return numLit(e.value, e.int);
      case "string":
        return { op: "str", value: e.value, ty: { k: "str", wide: false } };
      case "boolean":
        return { op: "const", value: e.value };
      case "plus":
        return this.numeric(this.expr(e.operand), e.operand, "+");
      case "negate":
        return this.negate(e);
      case "not": {
        const a = this.condition(this.expr(e.operand), e.operand, "~/not");
        return a.op === "const" ? { op: "const", value: !a.value } : { op: "not", a };
      }
      case "arith":
        return this.arith(e.op, e.left, e.right, e.pos);
      case "compare":
        return this.compare(e.op, this.expr(e.left), this.expr(e.right), e.left, e.right, e.pos);
      case "logical":
        return this.logical(e.op, e.operands);
      case "in":
        return this.inList(e);
      case "call":
        return this.call(e);
    }
  }

  private column(name: string, pos: number): Node {
    const known = this.refs.get(name);
    if (known !== undefined) return known;
    const schema = this.byName.get(name);
    if (schema === undefined) {
      this.fail(
        pos,
        `unknown column ${JSON.stringify(name)}`,
        suggestion(
          name,
          this.schema.map((s) => s.name),
        ),
      );
    }
    const { ty, dtype } = columnType(schema, this.text, pos);
    const node: Node = { op: "col", col: { name, schema, dtype }, ty };
    this.refs.set(name, node);
    this.used.push(name);
    return node;
  }

  private numeric(n: Node, e: Expr, op: string): Node {
    const ty = typeOf(n);
    if (ty.k === "num") return n;
    const why = ty.k === "time" ? " (datetime64/timedelta64 values can only be compared)" : "";
    return this.fail(startOf(e), `"${op}" needs numbers, got ${describe(n)}${why}`);
  }

  private condition(n: Node, e: Expr, op: string): Node {
    if (typeOf(n).k === "bool") return n;
    const hint = typeOf(n).k === "num" ? "compare it to get a condition, e.g. x != 0" : undefined;
    return this.fail(startOf(e), `"${op}" combines conditions, but ${describe(n)} is not one`, hint);
  }

  private negate(e: Extract<Expr, { type: "negate" }>): Node {
    const a = this.numeric(this.expr(e.operand), e.operand, "-");
    if (a.op === "num") return numLit(-a.value, a.int === undefined ? undefined : -a.int);
    const k = numKind(a);
    if (k === "u64") return { op: "neg", a: toFloat(a), ty: { k: "num", n: "f" } };
    return { op: "neg", a, ty: { k: "num", n: k } };
  }

  private arith(fn: ArithOp, left: Expr, right: Expr, pos: number): Node {
    const a = this.numeric(this.expr(left), left, fn);
    const b = this.numeric(this.expr(right), right, fn);
    if (a.op === "num" && b.op === "num") return foldArith(this.text, pos, fn, a, b);
    const k = arithKind(fn, numKind(a), numKind(b));
    if (k === "i64") return { op: "arith", fn, a: toInt64(a), b: toInt64(b), ty: { k: "num", n: k } };
    return { op: "arith", fn, a: toFloat(a), b: toFloat(b), ty: { k: "num", n: k } };
  }

  compare(op: CompareOp, a: Node, b: Node, ea: Expr, eb: Expr, pos: number): Node {
    if (isLiteral(a) && isLiteral(b)) {
      const value = foldCompare(op, a, b);
      if (value === undefined) this.fail(pos, `cannot compare ${describe(a)} with ${describe(b)}`);
      return { op: "const", value };
    }
    if (isLiteral(a)) return this.compare(flipCompare(op), b, a, eb, ea, pos);
    const ta = typeOf(a);
    const tb = typeOf(b);
    const mismatch = () => this.fail(pos, `cannot compare ${describe(a)} with ${describe(b)}`);
    switch (ta.k) {
      case "bool":
        if (tb.k !== "bool") return mismatch();
        if (op !== "==" && op !== "!=") this.fail(pos, `booleans have no order ("${op}")`, "use == or !=");
        if (b.op === "const") return b.value === (op === "==") ? a : { op: "not", a };
        return { op: "cmp", fn: op, a, b, inexact: false };
      case "num":
        if (tb.k !== "num") return mismatch();
        return { op: "cmp", fn: op, a, b, inexact: false };
      case "str":
        if (tb.k !== "str") return mismatch();
        if (b.op === "str") return { op: "cmp", fn: op, a, b: { ...b, ty: ta }, inexact: false };
        if (tb.wide !== ta.wide) this.fail(pos, `cannot compare ${describe(a)} (<U text) with ${describe(b)} (bytes)`);
        return { op: "cmp", fn: op, a, b, inexact: false };
      case "time":
        return this.compareTime(op, a, b, ta, eb, pos, mismatch);
    }
  }

  private compareTime(
    op: CompareOp,
    a: Node,
    b: Node,
    ta: Extract<Ty, { k: "time" }>,
    eb: Expr,
    pos: number,
    mismatch: () => never,
  ): Node {
    const tb = typeOf(b);
    if (b.op === "num") return { op: "cmp", fn: op, a, b, inexact: false };
    if (b.op === "str") {
      if (ta.dt !== "M")
        this.fail(startOf(eb), `${describe(a)} compares with integers (ticks of ${ta.unit}), not strings`);
      const ticks = isoToTicks(b.value, ta.unit);
      if (ticks === undefined) {
        this.fail(
          startOf(eb),
          `${describe(b)} is not an ISO-8601 date`,
          'write it like "2024-01-31" or "2024-01-31T09:30:00"',
        );
      }
      const lit: NumLit = { ...numLit(Number(ticks.floor), ticks.floor), ty: { k: "num", n: "i64" } };
      return { op: "cmp", fn: op, a, b: lit, inexact: !ticks.exact };
    }
    if (tb.k !== "time") return mismatch();
    if (tb.dt !== ta.dt || tb.unit !== ta.unit) {
      this.fail(pos, `cannot compare ${typeLabel(ta)} with ${typeLabel(tb)}`, "where() compares datetimes of one unit");
    }
    return { op: "cmp", fn: op, a, b, inexact: false };
  }

  private logical(op: "and" | "or", operands: Expr[]): Node {
    // Every operand is checked, even after a constant that decides the result.
    const label = op === "and" ? "&/and" : "|/or";
    return combine(
      op,
      operands.map((e) => this.condition(this.expr(e), e, label)),
    );
  }

  private inList(e: Extract<Expr, { type: "in" }>): Node {
    const a = this.expr(e.operand);
    // `x in (a, b)` is `(x == a) | (x == b)`: that also gives null rows SQL's unknown.
    const tests = e.items.map((item) => {
      const n = this.expr(item);
      if (!isLiteral(n)) this.fail(startOf(item), `the list after "in" takes literal values, got ${describe(n)}`);
      return this.compare("==", a, n, e.operand, item, startOf(item));
    });
    const any = combine("or", tests);
    if (!e.negated) return any;
    return any.op === "const" ? { op: "const", value: !any.value } : { op: "not", a: any };
  }

  private call(e: Extract<Expr, { type: "call" }>): Node {
    const arg = e.args[0]!;
    const a = this.expr(arg);
    if (e.name === "isnull" || e.name === "notnull") {
      if (isLiteral(a)) return { op: "const", value: e.name === "notnull" };
      return { op: "isnull", a, negate: e.name === "notnull" };
    }
    const ty = typeOf(a);
    if (ty.k !== "num" && ty.k !== "time")
      this.fail(startOf(arg), `isnan() needs a number or a datetime, got ${describe(a)}`);
    if (a.op === "num") return { op: "const", value: Number.isNaN(a.value) };
    return { op: "isnan", a };
  }
}

/** An n-ary and/or of conditions, flattened, with constants folded. */
function combine(op: "and" | "or", nodes: Node[]): Node {
  const absorbing = op === "or";
  const args: Node[] = [];
  for (const n of nodes) {
    // Kleene logic keeps these identities: false & x = false, true | x = true; the neutral element drops out.
    if (n.op === "const") {
      if (n.value === absorbing) return n;
      continue;
    }
    if (n.op === op) args.push(...n.args);
    else args.push(n);
  }
  if (args.length === 0) return { op: "const", value: !absorbing };
  return args.length === 1 ? args[0]! : { op, args };
}

/**
 * Type-checks a parsed expression against a schema. Throws ERR_BAD_EXPRESSION for unknown
 * columns (with similar names), operands of the wrong type, and non-boolean results.
 */
export function compileTree(text: string, expr: Expr, schema: readonly ColumnSchema[]): CompiledTree {
  const compiler = new Compiler(text, schema);
  const root = compiler.expr(expr);
  if (typeOf(root).k !== "bool") {
    throw exprError(
      text,
      startOf(expr),
      `the expression must be a condition, not ${describe(root)}`,
      "compare it (x > 0) or use a bool column",
    );
  }
  return { root, columns: compiler.used };
}
