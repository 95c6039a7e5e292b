/*
 * The where() expression language (full reference with examples: packages/ctable/EXPRESSIONS.md).
 *
 *   (price > 10) & (sym == "AAPL")          price > 10 and sym in ("AAPL", "MSFT")
 *   ~flag | isnull(note)                    ts >= "2024-01-01" & `my col` * 2 <= -1.5e3
 *
 * Grammar, loosest binding first (all binary operators are left-associative):
 *
 *   expr     := or
 *   or       := and  ( ("|" | "or")  and )*
 *   and      := not  ( ("&" | "and") not )*
 *   not      := ("~" | "not") not | compare
 *   compare  := sum [ ("<" | "<=" | ">" | ">=" | "==" | "!=") sum
 *                   | ["not"] "in" ("(" | "[") literal ("," literal)* [","] (")" | "]") ]
 *   sum      := product ( ("+" | "-") product )*
 *   product  := unary ( ("*" | "/" | "%") unary )*
 *   unary    := ("-" | "+") unary | primary
 *   primary  := number | string | "true" | "false" | name | `quoted name`
 *             | ("isnull" | "notnull" | "isnan") "(" expr ")" | "(" expr ")"
 *
 * PRECEDENCE DIFFERS FROM NUMEXPR/NUMPY ON PURPOSE. There, & | ~ are bitwise operators that bind
 * tighter than comparisons, so `a > 1 & b < 2` means `a > (1 & b) < 2` and users must write
 * `(a > 1) & (b < 2)`. Here & | ~ are logical operators that bind looser than comparisons (as
 * `and`/`or`/`not` do in Python and SQL), so both spellings mean the same thing. Likewise
 * `~a == b` is `~(a == b)`. Comparisons do not chain: `a < b < c` is an error (write
 * `(a < b) & (b < c)`); Python would chain it, NumPy would compare a bool with c.
 *
 * Lexical rules:
 * - Names: Unicode identifiers (letters, digits, "_"; not starting with a digit). Any other
 *   column name, or one that is a keyword, goes in backticks: `my col`, `and`; a backtick inside
 *   is doubled: `a``b`. Keywords: and or not in true false (True False also accepted).
 * - Numbers: 42, 1_000, 0x1F, 0o17, 0b101 (integers, exact at any size), 1.5, .5, 1., 1e-3,
 *   1E+300 (floats; 1e999 is Infinity). There is no NaN literal: use isnan(x).
 * - Strings: "…" or '…' with escapes \\ \" \' \` \n \r \t \0 \b \f \v \xHH \uHHHH \u{H…}.
 * - Functions: isnull(x), notnull(x), isnan(x) (NaN, or NaT for datetimes). There is no null
 *   literal: `x == null` is an error that points at isnull(x).
 *
 * Safety: the parser is a hand-written recursive descent over a token array. No eval, no
 * Function, no property lookups keyed by user text (names are matched through Maps), inputs
 * over 64 KiB are refused, and nesting is bounded (MAX_NESTING levels of parentheses/prefix
 * operators, a tree height of MAX_HEIGHT), so hostile input gets ERR_BAD_EXPRESSION, never a
 * stack overflow.
 */
import type { ArithOp, CompareOp, Expr, FunctionName } from "./ast.js";
import { ExpressionError, exprError } from "./errors.js";
import { type Token, tokenize } from "./lexer.js";

/** Longest expression text accepted, in UTF-16 code units. */
export const MAX_EXPRESSION_LENGTH = 64 * 1024;
/** Deepest nesting of parentheses, prefix operators and calls. */
export const MAX_NESTING = 200;
/** Tallest syntax tree (long arithmetic chains grow it one level per operator). */
export const MAX_HEIGHT = 1000;

const COMPARE_OPS = new Set(["<", "<=", ">", ">=", "==", "!="]);
const FUNCTIONS = new Set<string>(["isnull", "notnull", "isnan"]);
const NULL_WORDS = new Set(["null", "None", "NULL"]);

class Parser {
  private i = 0;
  private depth = 0;
  private readonly heights = new WeakMap<Expr, number>();

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): Expr {
    const e = this.parseOr();
    const t = this.peek();
    if (t.type !== "end") {
      const hint =
        t.text === ")" ? "it closes no open parenthesis" : "expected an operator or the end of the expression";
      throw this.unexpected(t, hint);
    }
    return e;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== "end") this.i++;
    return t;
  }

  private isOp(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.type === "op" && t.text === text;
  }

  private isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.type === "name" && t.text === word;
  }

  private unexpected(t: Token, hint: string): ExpressionError {
    const what = t.type === "end" ? "unexpected end of expression" : `unexpected ${describe(t)}`;
    return exprError(this.text, t.pos, what, hint);
  }

  private expectOp(text: string, hint: string): Token {
    if (!this.isOp(text)) throw this.unexpected(this.peek(), hint);
    return this.next();
  }

  // Every recursive descent step that can nest without consuming a bounded amount of input
  // passes through here, so depth tracks the parser's own stack use.
  private nested<T>(pos: number, f: () => T): T {
    if (++this.depth > MAX_NESTING) {
      throw exprError(this.text, pos, `expression is nested too deeply (more than ${MAX_NESTING} levels)`);
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  /** Registers a node's height and refuses trees taller than MAX_HEIGHT (later passes recurse on them). */
  private node<E extends Expr>(e: E, ...children: Expr[]): E {
    let h = 0;
    for (const c of children) h = Math.max(h, this.heights.get(c) ?? 1);
    if (h + 1 > MAX_HEIGHT) {
      throw exprError(this.text, e.pos, `expression is too deeply nested (tree height over ${MAX_HEIGHT})`);
    }
    this.heights.set(e, h + 1);
    return e;
  }

  private parseLogical(op: "and" | "or", symbol: string, sub: () => Expr): Expr {
    const first = sub();
    if (!this.isOp(symbol) && !this.isWord(op)) return first;
    const pos = this.peek().pos;
    const operands = [first];
    while (this.isOp(symbol) || this.isWord(op)) {
      this.next();
      operands.push(sub());
    }
    return this.node({ type: "logical", op, operands, pos }, ...operands);
  }

  private parseOr(): Expr {
    return this.parseLogical("or", "|", () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.parseLogical("and", "&", () => this.parseNot());
  }

  private parseNot(): Expr {
    if (this.isOp("~") || (this.isWord("not") && !this.isWord("in", 1))) {
      const t = this.next();
      const operand = this.nested(t.pos, () => this.parseNot());
      return this.node({ type: "not", operand, pos: t.pos }, operand);
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const left = this.parseSum();
    const t = this.peek();
    let result: Expr;
    if (t.type === "op" && COMPARE_OPS.has(t.text)) {
      this.next();
      const right = this.parseSum();
      result = this.node({ type: "compare", op: t.text as CompareOp, left, right, pos: t.pos }, left, right);
    } else if (this.isWord("in") || (this.isWord("not") && this.isWord("in", 1))) {
      const negated = this.isWord("not");
      if (negated) this.next();
      this.next();
      const items = this.parseList();
      result = this.node({ type: "in", operand: left, items, negated, pos: t.pos }, left, ...items);
    } else {
      return left;
    }
    const after = this.peek();
    if ((after.type === "op" && COMPARE_OPS.has(after.text)) || this.isWord("in")) {
      throw this.unexpected(after, "comparisons do not chain; write (a < b) & (b < c)");
    }
    return result;
  }

  private parseList(): Expr[] {
    const open = this.peek();
    if (!this.isOp("(") && !this.isOp("[")) throw this.unexpected(open, 'expected "(" starting the list after "in"');
    this.next();
    const close = open.text === "(" ? ")" : "]";
    const items: Expr[] = [];
    while (!this.isOp(close)) {
      items.push(this.nested(open.pos, () => this.parseSum()));
      if (!this.isOp(",")) break;
      this.next();
    }
    if (items.length === 0) throw exprError(this.text, open.pos, 'empty list after "in"');
    this.expectOp(close, `expected "," or "${close}" in the list after "in"`);
    return items;
  }

  private parseSum(): Expr {
    let left = this.parseProduct();
    while (this.isOp("+") || this.isOp("-")) {
      const t = this.next();
      const right = this.parseProduct();
      left = this.node({ type: "arith", op: t.text as ArithOp, left, right, pos: t.pos }, left, right);
    }
    return left;
  }

  private parseProduct(): Expr {
    let left = this.parseUnary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const t = this.next();
      const right = this.parseUnary();
      left = this.node({ type: "arith", op: t.text as ArithOp, left, right, pos: t.pos }, left, right);
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isOp("-") || this.isOp("+")) {
      const t = this.next();
      const operand = this.nested(t.pos, () => this.parseUnary());
      const type = t.text === "-" ? "negate" : "plus";
      return this.node({ type, operand, pos: t.pos }, operand);
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.next();
    switch (t.type) {
      case "number":
        return this.node({
          type: "number",
          value: t.value!,
          raw: t.text,
          pos: t.pos,
          ...(t.int === undefined ? {} : { int: t.int }),
        });
      case "string":
        return this.node({ type: "string", value: t.text, pos: t.pos });
      case "quoted":
        return this.node({ type: "column", name: t.text, pos: t.pos });
      case "name":
        return this.parseName(t);
      case "op":
        if (t.text === "(") {
          const inner = this.nested(t.pos, () => this.parseOr());
          this.expectOp(")", 'expected ")" or an operator');
          return inner;
        }
        throw this.unexpected(t, "expected a value: a column, a number, a string or (");
      case "end":
        throw this.unexpected(t, "expected a value: a column, a number, a string or (");
    }
  }

  private parseName(t: Token): Expr {
    const word = t.text;
    if (word === "true" || word === "True") return this.node({ type: "boolean", value: true, pos: t.pos });
    if (word === "false" || word === "False") return this.node({ type: "boolean", value: false, pos: t.pos });
    if (NULL_WORDS.has(word)) {
      throw exprError(
        this.text,
        t.pos,
        `unexpected ${JSON.stringify(word)}`,
        "test for nulls with isnull(x) or notnull(x)",
      );
    }
    if (word === "and" || word === "or" || word === "not" || word === "in") {
      throw this.unexpected(t, `expected a value; to use ${JSON.stringify(word)} as a column name write \`${word}\``);
    }
    if (!this.isOp("(")) return this.node({ type: "column", name: word, pos: t.pos });
    if (!FUNCTIONS.has(word)) {
      throw exprError(this.text, t.pos, `unknown function ${word}()`, "the functions are isnull, notnull and isnan");
    }
    const open = this.next();
    const arg = this.nested(open.pos, () => this.parseOr());
    if (this.isOp(",")) throw this.unexpected(this.peek(), `${word}() takes one argument`);
    this.expectOp(")", `expected ")" closing ${word}(`);
    return this.node({ type: "call", name: word as FunctionName, args: [arg], pos: t.pos }, arg);
  }
}

function describe(t: Token): string {
  if (t.type === "string") return "string";
  if (t.type === "number") return `number ${t.text}`;
  if (t.type === "quoted") return `\`${t.text}\``;
  return JSON.stringify(t.text);
}

/**
 * Parses a where() expression into its syntax tree. Throws ColzError ERR_BAD_EXPRESSION (an
 * ExpressionError with `offset`) naming the column and what was expected.
 *
 * @example
 * parseExpression('(price > 10) & (sym == "AAPL")').type; // "logical"
 * parseExpression("(price > 10))"); // throws: unexpected ")" at column 13 in "(price > 10))": …
 */
export function parseExpression(text: string): Expr {
  if (typeof text !== "string") throw new ExpressionError(`an expression must be a string, got ${typeof text}`, 0);
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      `expression is too long (${text.length} characters; the limit is ${MAX_EXPRESSION_LENGTH})`,
      MAX_EXPRESSION_LENGTH,
    );
  }
  return new Parser(text, tokenize(text)).parse();
}
