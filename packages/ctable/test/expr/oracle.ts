import fc from "fast-check";
import type { Cell } from "./helpers.js";

// Random typed expression trees over five columns, their rendering as text, and a tiny,
// obviously-correct row-by-row interpreter (BigInt for int64, JS numbers for floats, strings
// compared by code point, SQL/Kleene logic) that the vectorised engine must agree with.

export const COLUMNS = { i32: "int32", f64: "float64", i64: "int64", s: "utf8", b: "bool" } as const;
type NumCol = "i32" | "f64" | "i64";
type Arith = "+" | "-" | "*" | "/" | "%";
type Cmp = "<" | "<=" | ">" | ">=" | "==" | "!=";

export type N =
  | { k: "col"; name: NumCol }
  | { k: "int"; v: bigint }
  | { k: "flt"; v: number }
  | { k: "arith"; op: Arith; a: N; b: N }
  | { k: "neg"; a: N };
export type S = { k: "scol" } | { k: "slit"; v: string };
export type B =
  | { k: "bcol" }
  | { k: "blit"; v: boolean }
  | { k: "cmp"; op: Cmp; a: N; b: N }
  | { k: "scmp"; op: Cmp; a: S; b: S }
  | { k: "bcmp"; op: "==" | "!="; a: B; b: B }
  | { k: "and" | "or"; a: B; b: B }
  | { k: "not"; a: B }
  | { k: "isnull"; a: N | S }
  | { k: "isnan"; a: N }
  | { k: "in"; a: N; items: N[] }
  | { k: "sin"; a: S; items: S[] };

// ---- generators ----

const B63 = 2n ** 63n;
export const intLit = fc.oneof(
  fc.bigInt({ min: -10n, max: 10n }),
  fc.constantFrom(
    2n ** 53n,
    2n ** 53n + 1n,
    -(2n ** 53n) - 1n,
    B63 - 1n,
    -B63,
    B63,
    2n ** 64n,
    2n ** 31n,
    -(2n ** 31n),
  ),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
);
export const fltLit = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map((x) => x / 4),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e20, max: 1e20 }),
  fc.constantFrom(2 ** 53, 2 ** 63, -0.5, 1e300),
);
const strPool = ["", "a", "b", "ab", "AAPL", "MSFT", "é", "\u{1F600}", "\uFFFF", "a\u0000"];
export const strLit = fc.oneof(fc.constantFrom(...strPool), fc.string({ maxLength: 3 }));
const cmp = fc.constantFrom<Cmp>("<", "<=", ">", ">=", "==", "!=");

function numLeaf(): fc.Arbitrary<N> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<NumCol>("i32", "f64", "i64").map((name) => ({ k: "col", name }) as N) },
    { weight: 1, arbitrary: intLit.map((v) => ({ k: "int", v }) as N) },
    { weight: 1, arbitrary: fltLit.map((v) => ({ k: "flt", v }) as N) },
  );
}

const isLit = (n: N) => n.k === "int" || n.k === "flt";

const numTree = fc.letrec<{ num: N }>((tie) => ({
  num: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    numLeaf(),
    fc
      .record({ op: fc.constantFrom<Arith>("+", "-", "*", "/", "%"), a: tie("num"), b: tie("num") })
      // Two literals would fold at compile time (where x / 0 is an error): keep a column in every operation.
      .map(({ op, a, b }) => ({ k: "arith", op, a: isLit(a) && isLit(b) ? { k: "col", name: "i64" } : a, b }) as N),
    tie("num").map((a) => (isLit(a) ? a : ({ k: "neg", a } as N))),
  ),
})).num;

const sExpr: fc.Arbitrary<S> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<S>({ k: "scol" }) },
  { weight: 1, arbitrary: strLit.map((v) => ({ k: "slit", v }) as S) },
);

export const boolTree = fc.letrec<{ bool: B }>((tie) => ({
  bool: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ op: cmp, a: numTree, b: numTree }).map((r) => ({ k: "cmp", ...r }) as B),
    fc.record({ op: cmp, a: sExpr, b: sExpr }).map((r) => ({ k: "scmp", ...r }) as B),
    fc.constant<B>({ k: "bcol" }),
    fc
      .record({ a: tie("bool"), b: tie("bool"), op: fc.constantFrom("and", "or") })
      .map(({ a, b, op }) => ({ k: op, a, b }) as B),
    tie("bool").map((a) => ({ k: "not", a }) as B),
    fc.oneof(numTree, sExpr).map((a) => ({ k: "isnull", a }) as B),
    numTree.map((a) => ({ k: "isnan", a }) as B),
    fc
      .record({ a: numTree, items: fc.array(numLeaf().filter(isLit), { minLength: 1, maxLength: 3 }) })
      .map((r) => ({ k: "in", ...r }) as B),
    fc
      .record({
        a: sExpr,
        items: fc.array(
          strLit.map((v) => ({ k: "slit", v }) as S),
          { minLength: 1, maxLength: 3 },
        ),
      })
      .map((r) => ({ k: "sin", ...r }) as B),
    fc
      .record({ op: fc.constantFrom<"==" | "!=">("==", "!="), a: tie("bool"), b: tie("bool") })
      .map((r) => ({ k: "bcmp", ...r }) as B),
    fc.boolean().map((v) => ({ k: "blit", v }) as B),
  ),
})).bool;

// ---- rendering (minimal parentheses, so precedence is exercised; `pick` varies spellings) ----

const PREC = { or: 1, and: 2, not: 3, cmp: 4, sum: 5, prod: 6, unary: 7, atom: 8 };

function wrap(text: string, prec: number, min: number): string {
  return prec < min ? `(${text})` : text;
}

function renderNum(n: N, min: number): string {
  switch (n.k) {
    case "col":
      return n.name;
    case "int":
      return wrap(n.v.toString(), n.v < 0n ? PREC.unary : PREC.atom, min);
    case "flt": {
      let t = Object.is(n.v, -0) ? "-0.0" : String(n.v);
      if (!/[.e]/.test(t)) t += ".0";
      return wrap(t, n.v < 0 || Object.is(n.v, -0) ? PREC.unary : PREC.atom, min);
    }
    case "neg":
      return wrap(`-${renderNum(n.a, PREC.unary)}`, PREC.unary, min);
    case "arith": {
      const p = n.op === "+" || n.op === "-" ? PREC.sum : PREC.prod;
      return wrap(`${renderNum(n.a, p)} ${n.op} ${renderNum(n.b, p + 1)}`, p, min);
    }
  }
}

function renderStr(s: S): string {
  return s.k === "scol" ? "s" : JSON.stringify(s.v);
}

export function render(b: B, min = 0, pick = 0): string {
  const r = (x: B, m: number) => render(x, m, pick);
  switch (b.k) {
    case "bcol":
      return "b";
    case "blit":
      return pick % 2 ? String(b.v) : b.v ? "True" : "False";
    case "cmp":
      return wrap(`${renderNum(b.a, PREC.sum)} ${b.op} ${renderNum(b.b, PREC.sum)}`, PREC.cmp, min);
    case "scmp":
      return wrap(`${renderStr(b.a)} ${b.op} ${renderStr(b.b)}`, PREC.cmp, min);
    case "bcmp":
      return wrap(`${r(b.a, PREC.sum)} ${b.op} ${r(b.b, PREC.sum)}`, PREC.cmp, min);
    case "and":
    case "or": {
      const p = PREC[b.k];
      const op = pick % 3 === 0 ? b.k : b.k === "and" ? "&" : "|";
      return wrap(`${r(b.a, p)} ${op} ${r(b.b, p)}`, p, min);
    }
    case "not":
      return wrap(`${pick % 2 ? "~" : "not "}${r(b.a, PREC.not)}`, PREC.not, min);
    case "isnull":
      return `isnull(${b.a.k === "scol" || b.a.k === "slit" ? renderStr(b.a) : renderNum(b.a, 0)})`;
    case "isnan":
      return `isnan(${renderNum(b.a, 0)})`;
    case "in":
      return wrap(`${renderNum(b.a, PREC.sum)} in (${b.items.map((x) => renderNum(x, 0)).join(", ")})`, PREC.cmp, min);
    case "sin":
      return wrap(`${renderStr(b.a)} in [${b.items.map(renderStr).join(", ")}]`, PREC.cmp, min);
  }
}

// ---- the oracle ----

type Kind = "i" | "f" | "i64";
type V = number | bigint | null;
export type Row = Record<string, Cell>;

function kindOf(n: N): Kind {
  switch (n.k) {
    case "col":
      return n.name === "i32" ? "i" : n.name === "f64" ? "f" : "i64";
    case "int":
      return n.v >= -B63 && n.v < B63 ? "i" : "f";
    case "flt":
      return "f";
    case "neg":
      return kindOf(n.a);
    case "arith": {
      const a = kindOf(n.a);
      const b = kindOf(n.b);
      if (n.op === "/" || a === "f" || b === "f") return "f";
      return a === "i64" || b === "i64" ? "i64" : "i";
    }
  }
}

const wrap64 = (x: bigint) => BigInt.asIntN(64, x);
const big = (v: number | bigint) => (typeof v === "bigint" ? v : Number.isFinite(v) ? wrap64(BigInt(v)) : 0n);

function floorModF(x: number, y: number): number {
  let r = x % y;
  if (r !== 0) {
    if (r < 0 !== y < 0) r += y;
  } else r = y < 0 ? -0 : 0;
  return r;
}

function evalNum(n: N, row: Row): V {
  switch (n.k) {
    case "col":
      return row[n.name] as V;
    case "int":
      return n.v;
    case "flt":
      return n.v;
    case "neg": {
      const a = evalNum(n.a, row);
      if (a === null) return null;
      return typeof a === "bigint" ? wrap64(-a) : -a;
    }
    case "arith": {
      const a = evalNum(n.a, row);
      const b = evalNum(n.b, row);
      if (a === null || b === null) return null;
      const kind = kindOf(n);
      if (kind === "i64") {
        const x = big(a);
        const y = big(b);
        if (n.op === "+") return wrap64(x + y);
        if (n.op === "-") return wrap64(x - y);
        if (n.op === "*") return wrap64(x * y);
        if (y === 0n) return 0n;
        const r = x % y;
        return r !== 0n && r < 0n !== y < 0n ? r + y : r;
      }
      const x = Number(a);
      const y = Number(b);
      if (n.op === "+") return x + y;
      if (n.op === "-") return x - y;
      if (n.op === "*") return x * y;
      if (n.op === "/") return x / y;
      return kind === "i" && y === 0 ? 0 : floorModF(x, y);
    }
  }
}

function cmpValues(op: Cmp, c: number): boolean {
  return { "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0, "==": c === 0, "!=": c !== 0 }[op];
}

function codePointCompare(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length - y.length;
}

/** 0 false, 1 unknown (null), 2 true. */
export function evalBool(b: B, row: Row): 0 | 1 | 2 {
  const tri = (x: boolean): 0 | 2 => (x ? 2 : 0);
  switch (b.k) {
    case "bcol":
      return row.b === null ? 1 : tri(row.b as boolean);
    case "blit":
      return tri(b.v);
    case "cmp": {
      const x = evalNum(b.a, row);
      const y = evalNum(b.b, row);
      if (x === null || y === null) return 1;
      if ((typeof x === "number" && Number.isNaN(x)) || (typeof y === "number" && Number.isNaN(y)))
        return tri(b.op === "!=");
      return tri(cmpValues(b.op, x < y ? -1 : x > y ? 1 : 0));
    }
    case "scmp": {
      const x = b.a.k === "scol" ? (row.s as string | null) : b.a.v;
      const y = b.b.k === "scol" ? (row.s as string | null) : b.b.v;
      if (x === null || y === null) return 1;
      return tri(cmpValues(b.op, codePointCompare(x, y)));
    }
    case "bcmp": {
      const x = evalBool(b.a, row);
      const y = evalBool(b.b, row);
      if (x === 1 || y === 1) return 1;
      return tri((x === y) === (b.op === "=="));
    }
    case "and":
      return Math.min(evalBool(b.a, row), evalBool(b.b, row)) as 0 | 1 | 2;
    case "or":
      return Math.max(evalBool(b.a, row), evalBool(b.b, row)) as 0 | 1 | 2;
    case "not":
      return (2 - evalBool(b.a, row)) as 0 | 1 | 2;
    case "isnull": {
      const a = b.a;
      if (a.k === "scol") return tri(row.s === null);
      if (a.k === "slit") return 0;
      return tri(evalNum(a, row) === null);
    }
    case "isnan": {
      const x = evalNum(b.a, row);
      return x === null ? 1 : tri(typeof x === "number" && Number.isNaN(x));
    }
    case "in":
      return b.items.reduce<0 | 1 | 2>(
        (acc, item) => Math.max(acc, evalBool({ k: "cmp", op: "==", a: b.a, b: item }, row)) as 0 | 1 | 2,
        0,
      );
    case "sin":
      return b.items.reduce<0 | 1 | 2>(
        (acc, item) => Math.max(acc, evalBool({ k: "scmp", op: "==", a: b.a, b: item }, row)) as 0 | 1 | 2,
        0,
      );
  }
}

// ---- random tables ----

const maybeNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 6, nil: null });

export const rowArb: fc.Arbitrary<Row> = fc.record({
  i32: maybeNull(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }))),
  f64: maybeNull(
    fc.oneof(
      fc.integer({ min: -8, max: 8 }).map((x) => x / 2),
      fc.double(),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 9007199254740992, 1e19),
    ),
  ),
  i64: maybeNull(
    fc.oneof(
      fc.bigInt({ min: -5n, max: 5n }),
      fc.bigInt({ min: -B63, max: B63 - 1n }),
      fc.constantFrom(2n ** 53n + 1n, B63 - 1n, -B63, 2n ** 32n, -(2n ** 32n)),
    ),
  ),
  s: maybeNull(fc.oneof(fc.constantFrom(...strPool), fc.string({ maxLength: 3 }))),
  b: maybeNull(fc.boolean()),
});

/** Rows from tiny domains, so chunk bounds often touch the literals (boundary bugs show up). */
export const smallRowArb: fc.Arbitrary<Row> = fc.record({
  i32: maybeNull(fc.integer({ min: -3, max: 3 })),
  f64: maybeNull(
    fc.oneof(
      fc.integer({ min: -6, max: 6 }).map((x) => x / 2),
      fc.constant(Number.NaN),
    ),
  ),
  i64: maybeNull(fc.bigInt({ min: -3n, max: 3n })),
  s: maybeNull(fc.constantFrom("", "a", "b", "ab")),
  b: maybeNull(fc.boolean()),
});
