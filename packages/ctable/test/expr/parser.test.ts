import { isColzError } from "@colz/format";
import { describe, expect, it } from "vitest";
import { formatExpression } from "../../src/expr/ast.js";
import { type ExpressionError, parseExpression } from "../../src/expr/index.js";

const fmt = (text: string) => formatExpression(parseExpression(text));

function errorOf(text: string): ExpressionError {
  try {
    parseExpression(text);
  } catch (e) {
    expect(isColzError(e, "ERR_BAD_EXPRESSION")).toBe(true);
    return e as ExpressionError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe("parseExpression: golden trees", () => {
  const cases: [string, string][] = [
    ["a", "a"],
    ["price > 10", "(> price 10)"],
    ['(price > 10) & (sym == "AAPL")', '(and (> price 10) (== sym "AAPL"))'],
    // Comparisons bind tighter than & | (the user-friendly rule; numexpr would read a > (1 & b) < 2).
    ["a > 1 & b < 2", "(and (> a 1) (< b 2))"],
    ["a > 1 | b < 2 & c", "(or (> a 1) (and (< b 2) c))"],
    ["a & b | c & d", "(or (and a b) (and c d))"],
    ["a | b | c", "(or a b c)"],
    ["(a | b) | c", "(or (or a b) c)"],
    ["a and b or not c", "(or (and a b) (not c))"],
    ["~a == b", "(not (== a b))"],
    ["~~a", "(not (not a))"],
    ["~a & b", "(and (not a) b)"],
    ["not a > 1 and b", "(and (not (> a 1)) b)"],
    // Arithmetic: usual precedence, left associativity.
    ["a + b * c > 1", "(> (+ a (* b c)) 1)"],
    ["a - b - c == 0", "(== (- (- a b) c) 0)"],
    ["a / b / c", "(/ (/ a b) c)"],
    ["a % b * c", "(* (% a b) c)"],
    ["(a + b) * c", "(* (+ a b) c)"],
    ["-a * b", "(* (neg a) b)"],
    ["- -a", "(neg (neg a))"],
    ["+a", "(pos a)"],
    ["a * -2 <= -1.5e3", "(<= (* a (neg 2)) (neg 1500))"],
    ["a >= b", "(>= a b)"],
    ["a != b", "(!= a b)"],
    // Literals.
    ["0x1F", "31"],
    ["0o17 + 0b101", "(+ 15 5)"],
    ["1_000_000", "1000000"],
    ["123456789012345678901234567890", "123456789012345678901234567890"],
    [".5 + 1. + 1e-3", "(+ (+ 0.5 1) 0.001)"],
    ["1e999", "Infinity"],
    ["true | False", "(or true false)"],
    ["'it\\'s'", '"it\'s"'],
    ['"tab\\tnl\\n\\x41\\u00e9\\u{1F600}"', JSON.stringify("tab\tnl\nA\u00e9\u{1F600}")],
    // Names.
    ["`my col` > 1", "(> `my col` 1)"],
    ["`a``b`", "`a``b`"],
    ["`and` & `or`", "(and `and` `or`)"],
    ["prix_é > 1", "(> prix_é 1)"],
    ["日本 == 'x'", '(== 日本 "x")'],
    ["isnull", "isnull"],
    // Functions, lists.
    ["isnull(a) | notnull(b)", "(or (isnull a) (notnull b))"],
    ["isnan(a + 1)", "(isnan (+ a 1))"],
    ['sym in ("AAPL", "MSFT")', '(in sym ["AAPL" "MSFT"])'],
    ["x in [1, 2, 3,]", "(in x [1 2 3])"],
    ["x not in (1)", "(not-in x [1])"],
    ["not x in (1)", "(not (in x [1]))"],
    ["a in (1) & b", "(and (in a [1]) b)"],
    ["  a\t>\n1  ", "(> a 1)"],
  ];
  for (const [text, tree] of cases) {
    it(text, () => expect(fmt(text)).toBe(tree));
  }

  it("records positions (0-based offsets)", () => {
    const e = parseExpression("ab  >  cd");
    expect(e).toMatchObject({ type: "compare", pos: 4, left: { pos: 0 }, right: { pos: 7 } });
  });
});

describe("parseExpression: errors name the column and what was expected", () => {
  const cases: [string, RegExp, number][] = [
    ["(price > 10))", /^unexpected "\)" at column 13 in "\(price > 10\)\)": it closes no open parenthesis$/, 12],
    ["(price > 10", /^unexpected end of expression at column 12 .*expected "\)"/, 11],
    ["price >", /unexpected end of expression at column 8.*expected a value/, 7],
    ["price > > 1", /unexpected ">" at column 9/, 8],
    ["a b", /unexpected "b" at column 3.*expected an operator/, 2],
    ["a = 1", /unexpected "=" at column 3.*use "==" to compare/, 2],
    ["a && b", /unexpected "&&".*use "&" or "and"/, 2],
    ["a || b", /unexpected "\|\|".*use "\|" or "or"/, 2],
    ["!a", /unexpected "!".*use "~" or "not"/, 0],
    ["a ** 2", /powers are not supported/, 2],
    ["a // 2", /floor division/, 2],
    ["a < b < c", /unexpected "<" at column 7.*do not chain/, 6],
    ["a == null", /unexpected "null".*isnull\(x\)/, 5],
    ["a == None", /isnull/, 5],
    ['"abc', /unterminated string at column 1/, 0],
    ["`abc", /unterminated `quoted name`/, 0],
    ["``", /empty `quoted name`/, 0],
    ['"\\q"', /invalid escape "\\\\q"/, 1],
    ['"\\uD800"', /lone UTF-16 surrogate/, 0],
    ['"\\u{110000}"', /beyond U\+10FFFF/, 1],
    ["1.2.3", /invalid number "1.2."/, 0],
    ["12abc", /invalid number/, 0],
    ["a $ b", /unexpected character "\$" at column 3/, 2],
    ["foo(a)", /unknown function foo\(\).*isnull, notnull and isnan/, 0],
    ["isnull(a, b)", /isnull\(\) takes one argument/, 8],
    ["x in ()", /empty list after "in"/, 5],
    ["x in 1", /expected "\(" starting the list/, 5],
    ["x in (1 2)", /expected "," or "\)"/, 8],
    ["and", /to use "and" as a column name write `and`/, 0],
    ["", /unexpected end of expression at column 1/, 0],
    ["a >", /at column 4/, 3],
  ];
  for (const [text, message, offset] of cases) {
    it(JSON.stringify(text), () => {
      const e = errorOf(text);
      expect(e.message).toMatch(message);
      expect(e.offset).toBe(offset);
      expect(e.code).toBe("ERR_BAD_EXPRESSION");
    });
  }

  it("cuts long expressions in messages around the error", () => {
    const text = `${"a + ".repeat(100)})`;
    const e = errorOf(text);
    expect(e.message.length).toBeLessThan(200);
    expect(e.message).toContain("…");
    expect(e.offset).toBe(400);
  });

  it("refuses non-strings", () => {
    expect(() => parseExpression(42 as unknown as string)).toThrow(/must be a string/);
  });
});
