import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dumpPyJson,
  encodePyJsonFile,
  PyFloat,
  parsePyJson,
  parsePyJsonText,
  pyFloatRepr,
} from "../../src/layout/json.js";
import { expectColzError, python, text } from "./helpers.js";

describe("parsePyJson", () => {
  it("reads plain JSON through JSON.parse exactly as the dialect parser does", () => {
    // Integers near and past 2^53 and long float digit runs are the cases the shortcut must leave alone.
    const edgeNumber = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((b) => ({ raw: b.toString() })),
      fc.constantFrom(2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e15, 123456789012345.6),
    );
    const leaf = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), edgeNumber);
    const doc = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
      array: fc.array(tie("value"), { maxLength: 5 }),
      object: fc.dictionary(fc.string(), tie("value"), { maxKeys: 5 }),
    })).value;
    const render = (v: unknown): string => {
      if (v !== null && typeof v === "object" && "raw" in v) return (v as { raw: string }).raw;
      if (Array.isArray(v)) return `[${v.map(render).join(", ")}]`;
      if (v !== null && typeof v === "object") {
        return `{${Object.entries(v)
          .map(([k, x]) => `${JSON.stringify(k)}: ${render(x)}`)
          .join(", ")}}`;
      }
      return typeof v === "number" && !Number.isFinite(v) ? String(v) : JSON.stringify(v);
    };
    fc.assert(
      fc.property(doc, (v) => {
        const text = render(v);
        expect(parsePyJson(text, "k")).toEqual(parsePyJsonText(text, "k", false));
      }),
      { numRuns: 500 },
    );
  });

  it("reads Python's tokens and big integers", () => {
    expect(parsePyJson('{"a": NaN, "b": Infinity, "c": -Infinity, "d": [1, 2.5, -0.0, 1e-05]}', "k")).toEqual({
      a: Number.NaN,
      b: Infinity,
      c: -Infinity,
      d: [1, 2.5, -0, 1e-5],
    });
    expect(parsePyJson("9007199254740993", "k")).toBe(9007199254740993n);
    expect(parsePyJson("-9007199254740993", "k")).toBe(-9007199254740993n);
    expect(parsePyJson("9007199254740991", "k")).toBe(9007199254740991);
    expect(parsePyJson("1e400", "k")).toBe(Infinity);
    expect(parsePyJson(' \n\t{"x" : [ ] , "y":{}}\r\n', "k")).toEqual({ x: [], y: {} });
  });

  it("NaN inside strings stays text; escapes decode", () => {
    expect(parsePyJson('["NaN", "Infinity", "-Infinity", "a\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00"]', "k")).toEqual([
      "NaN",
      "Infinity",
      "-Infinity",
      'a"b\\c/\né😀',
    ]);
  });

  it("keeps floats distinct on request", () => {
    const v = parsePyJson('{"f": 1.0, "i": 1, "n": NaN}', "k", { floatsAsPyFloat: true }) as Record<string, unknown>;
    expect(v.f).toBeInstanceOf(PyFloat);
    expect(v.i).toBe(1);
    expect(dumpPyJson(v)).toBe('{"f": 1.0, "i": 1, "n": NaN}');
  });

  it("__proto__ keys are data, last duplicate wins", () => {
    const v = parsePyJson('{"__proto__": {"polluted": 1}, "a": 1, "a": 2}', "k") as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(v)).toEqual(["__proto__", "a"]);
    expect(v.a).toBe(2);
  });

  it("malformed input is ERR_CORRUPT_META naming the key and the position", async () => {
    const bad: [string, number][] = [
      ["", 0],
      ["{", 1],
      ['{"a" 1}', 5],
      ['{"a": 1,}', 8],
      ["[1 2]", 3],
      ["nan", 0],
      ["-NaN", 0],
      ['"abc', 4],
      ['"a\tb"', 2],
      ['"\\x"', 1],
      ['"\\u12"', 3],
      ["01", 1],
      ["1.", 1],
      ["{} x", 3],
      ["[".repeat(600), 513],
      ["{'a': 1}", 1],
    ];
    for (const [s, pos] of bad) {
      await expectColzError(
        () => parsePyJson(s, "t/meta/sizes"),
        "ERR_CORRUPT_META",
        `t/meta/sizes: malformed JSON at position ${pos}`,
      );
    }
    await expectColzError(
      () => parsePyJson(new Uint8Array([0x7b, 0xff, 0x7d]), "x/__attrs__"),
      "ERR_CORRUPT_META",
      "x/__attrs__",
    );
  });
});

describe("pyFloatRepr matches Python's repr", () => {
  it("hand-picked values", () => {
    const cases: [number, string][] = [
      [1.5, "1.5"],
      [0, "0.0"],
      [-0, "-0.0"],
      [1, "1.0"],
      [1e-5, "1e-05"],
      [0.0001, "0.0001"],
      [1e16, "1e+16"],
      [1e15, "1000000000000000.0"],
      [123456789012345680, "1.2345678901234568e+17"],
      [1.5e300, "1.5e+300"],
      [5e-324, "5e-324"],
      [0.1, "0.1"],
      [-2.5e-7, "-2.5e-07"],
      [Number.NaN, "NaN"],
      [Infinity, "Infinity"],
      [-Infinity, "-Infinity"],
    ];
    for (const [x, s] of cases) expect(pyFloatRepr(x)).toBe(s);
  });

  it("random doubles, checked by python3", () => {
    const values = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), 3000);
    values.push(
      ...fc.sample(
        fc.integer({ min: -1e6, max: 1e6 }).map((i) => i / 1000),
        500,
      ),
    );
    values.push(
      ...Array.from({ length: 40 }, (_, i) => 10 ** (i - 20)),
      ...Array.from({ length: 40 }, (_, i) => 1.25 * 10 ** (i - 20)),
    );
    // hex float strings carry the exact double to Python
    const hex = values.map((x) => floatHex(x));
    const out = python(
      "import sys, json\nfor h in json.load(sys.stdin):\n    print(repr(float.fromhex(h)))",
      JSON.stringify(hex),
    )
      .trim()
      .split("\n");
    const mine = values.map((x) => pyFloatRepr(x).replace("Infinity", "inf"));
    expect(mine).toEqual(out);
  });
});

function floatHex(x: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0x0p+0" : "0x0p+0";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? "-" : "";
  const exp = Number((bits >> 52n) & 0x7ffn);
  const mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) return `${sign}0x0.${mant.toString(16).padStart(13, "0")}p-1022`;
  return `${sign}0x1.${mant.toString(16).padStart(13, "0")}p${exp - 1023}`;
}

describe("dumpPyJson matches json.dumps(obj, ensure_ascii=True)", () => {
  it("structures, strings and separators, checked by python3", () => {
    const strings = fc.sample(fc.string({ unit: "binary", maxLength: 12 }), 300);
    strings.push("é", "\u007f", "\u0000", "\u001f", "\u2028", "😀", '"\\/', "\b\f\n\r\t");
    const doc = { strings, nested: { a: [1, -2, [], {}], b: null, c: true, d: false }, big: 12345678901234567890n };
    const mine = dumpPyJson(doc);
    // Python re-dumps what it parses; lone surrogates survive both ways as \\udXXX escapes.
    const theirs = python(
      "import sys, json\nsys.stdout.write(json.dumps(json.loads(sys.stdin.read()), ensure_ascii=True))",
      mine,
    );
    expect(mine).toBe(theirs);
    expect(parsePyJson(mine, "k")).toEqual(doc);
  });

  it("numbers: integral → int, others → float repr, -0 and PyFloat → float", () => {
    expect(dumpPyJson([1, 1e20, -3, 0.5, -0, new PyFloat(2), new PyFloat(Number.NaN), 2n ** 70n])).toBe(
      "[1, 100000000000000000000, -3, 0.5, -0.0, 2.0, NaN, 1180591620717411303424]",
    );
    expect(text(encodePyJsonFile({}))).toBe("{}\n");
  });

  it("rejects what JSON cannot hold", async () => {
    await expectColzError(() => dumpPyJson({ a: undefined }), "ERR_BAD_ARGUMENT", ".a");
    await expectColzError(() => dumpPyJson({ d: new Date() }), "ERR_BAD_ARGUMENT", "Date");
    await expectColzError(() => dumpPyJson([() => 1]), "ERR_BAD_ARGUMENT");
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    await expectColzError(() => dumpPyJson(cyc), "ERR_BAD_ARGUMENT", "cycle");
  });
});
