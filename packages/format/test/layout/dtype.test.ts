import { describe, expect, it } from "vitest";
import { arrowTypeOf } from "../../src/dtype/arrow-type.js";
import { parseDtype, writableDtype } from "../../src/dtype/dtype.js";
import {
  decodeFixedBytes,
  decodeFixedBytesAsText,
  decodeUcs4,
  encodeFixedBytes,
  encodeUcs4,
} from "../../src/dtype/strings.js";
import {
  byteSwapInPlace,
  fromTypedArray,
  needsByteSwap,
  toTypedArray,
  typedArrayConstructor,
} from "../../src/dtype/typed-arrays.js";
import { expectColzError } from "./helpers.js";

describe("parseDtype", () => {
  const cases: [string, string, string, number, string, number][] = [
    // input, canonical str, kind, itemsize, byteOrder, typesize
    ["bool", "bool", "b", 1, "|", 1],
    ["|b1", "bool", "b", 1, "|", 1],
    ["int8", "int8", "i", 1, "|", 1],
    ["|i1", "int8", "i", 1, "|", 1],
    ["int16", "int16", "i", 2, "<", 2],
    ["<i2", "int16", "i", 2, "<", 2],
    ["int32", "int32", "i", 4, "<", 4],
    ["<i4", "int32", "i", 4, "<", 4],
    ["=i4", "int32", "i", 4, "<", 4],
    [">i4", ">i4", "i", 4, ">", 4],
    ["int64", "int64", "i", 8, "<", 8],
    ["uint8", "uint8", "u", 1, "|", 1],
    ["|u1", "uint8", "u", 1, "|", 1],
    ["uint16", "uint16", "u", 2, "<", 2],
    ["uint32", "uint32", "u", 4, "<", 4],
    ["<u8", "uint64", "u", 8, "<", 8],
    [">u8", ">u8", "u", 8, ">", 8],
    ["float16", "float16", "f", 2, "<", 2],
    ["float32", "float32", "f", 4, "<", 4],
    ["<f8", "float64", "f", 8, "<", 8],
    [">f8", ">f8", "f", 8, ">", 8],
    ["|S7", "|S7", "S", 7, "|", 1],
    ["S1", "|S1", "S", 1, "|", 1],
    ["|S300", "|S300", "S", 300, "|", 1],
    ["<U5", "<U5", "U", 20, "<", 4],
    [">U5", ">U5", "U", 20, ">", 4],
    ["<U1", "<U1", "U", 4, "<", 4],
    ["datetime64[D]", "datetime64[D]", "M", 8, "<", 8],
    ["<M8[D]", "datetime64[D]", "M", 8, "<", 8],
    [">M8[ns]", ">M8[ns]", "M", 8, ">", 8],
    ["<M8[10s]", "datetime64[10s]", "M", 8, "<", 8],
    ["<M8[1D]", "datetime64[D]", "M", 8, "<", 8],
    ["timedelta64[ns]", "timedelta64[ns]", "m", 8, "<", 8],
    ["<m8[ns]", "timedelta64[ns]", "m", 8, "<", 8],
    ["<m8[25us]", "timedelta64[25us]", "m", 8, "<", 8],
  ];
  for (const [input, str, kind, itemsize, order, typesize] of cases) {
    it(`${input} → ${str}`, () => {
      const d = parseDtype(input);
      expect(d).toMatchObject({ str, kind, itemsize, byteOrder: order, typesize });
      expect(parseDtype(d.str)).toEqual(d); // canonical names round-trip
    });
  }

  it("every datetime unit", () => {
    for (const u of ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as"]) {
      expect(parseDtype(`datetime64[${u}]`).unit).toBe(u);
      expect(parseDtype(`<m8[${u}]`).str).toBe(`timedelta64[${u}]`);
    }
  });

  it("float16 is read-only", async () => {
    expect(parseDtype("float16").writable).toBe(false);
    await expectColzError(() => writableDtype("float16", "x/meta/storage"), "ERR_UNSUPPORTED_DTYPE", "float16");
  });

  it("unsupported dtypes name the dtype and the key", async () => {
    const bad = [
      "object",
      "|O",
      "[('a', '<i4'), ('b', '<f8')]",
      "|V16",
      "complex64",
      "<c16",
      "datetime64",
      "<M8",
      "datetime64[fortnight]",
      "<i3",
      "|S0",
      "<U0",
      "int128",
      "",
      "<f4[D]",
    ];
    for (const s of bad) {
      await expectColzError(() => parseDtype(s, "col/meta/storage"), "ERR_UNSUPPORTED_DTYPE", "col/meta/storage");
      await expectColzError(() => parseDtype(s, "k"), "ERR_UNSUPPORTED_DTYPE", JSON.stringify(s));
    }
    await expectColzError(() => parseDtype(42 as unknown as string, "k"), "ERR_UNSUPPORTED_DTYPE");
  });
});

describe("typed arrays", () => {
  it("constructors per dtype", () => {
    const t = (s: string) => typedArrayConstructor(parseDtype(s)).name;
    expect(t("bool")).toBe("Uint8Array");
    expect(t("int8")).toBe("Int8Array");
    expect(t("int16")).toBe("Int16Array");
    expect(t("uint16")).toBe("Uint16Array");
    expect(t("int32")).toBe("Int32Array");
    expect(t("uint32")).toBe("Uint32Array");
    expect(t("int64")).toBe("BigInt64Array");
    expect(t("uint64")).toBe("BigUint64Array");
    expect(t("float16")).toBe("Uint16Array");
    expect(t("float32")).toBe("Float32Array");
    expect(t("float64")).toBe("Float64Array");
    expect(t("datetime64[D]")).toBe("BigInt64Array");
    expect(t("timedelta64[ns]")).toBe("BigInt64Array");
    expect(t("|S7")).toBe("Uint8Array");
    expect(t("<U5")).toBe("Uint8Array");
  });

  it("big-endian data is swapped to native, and back", () => {
    const be = parseDtype(">i4");
    expect(needsByteSwap(be)).toBe(true);
    expect(needsByteSwap(parseDtype("int32"))).toBe(false);
    const raw = new Uint8Array([0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe]);
    const v = toTypedArray(raw, be) as Int32Array;
    expect([...v]).toEqual([1, -2]);
    expect([...raw]).toEqual([0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe]); // input untouched
    expect([...fromTypedArray(v, be)]).toEqual([...raw]);
    const f = toTypedArray(new Uint8Array([0x3f, 0xf8, 0, 0, 0, 0, 0, 0]), parseDtype(">f8")) as Float64Array;
    expect(f[0]).toBe(1.5);
    const u = toTypedArray(new Uint8Array([0, 0, 0, 0x75]), parseDtype(">U1"));
    expect(decodeUcs4(u as Uint8Array, 4)).toEqual(["u"]);
    expect(decodeUcs4(new Uint8Array([0, 0, 0, 0x75]), 4, ">")).toEqual(["u"]);
  });

  it("misaligned input is copied, aligned input shared", () => {
    const buf = new Uint8Array(17);
    buf.set([1, 0, 0, 0, 0, 0, 0, 0], 1);
    const v = toTypedArray(buf.subarray(1, 9), parseDtype("int64")) as BigInt64Array;
    expect(v[0]).toBe(1n);
    const aligned = new Uint8Array(8);
    const w = toTypedArray(aligned, parseDtype("int32"));
    expect(w.buffer).toBe(aligned.buffer);
  });

  it("byteSwapInPlace", async () => {
    expect([...byteSwapInPlace(new Uint8Array([1, 2, 3, 4, 5, 6]), 2)]).toEqual([2, 1, 4, 3, 6, 5]);
    await expectColzError(() => byteSwapInPlace(new Uint8Array(3), 2), "ERR_BAD_ARGUMENT");
  });
});

describe("fixed-width strings", () => {
  it("S: NUL-stripped views, text, encode", async () => {
    const data = encodeFixedBytes(["ab", new Uint8Array([99]), "", "abc"], 3);
    expect([...data]).toEqual([97, 98, 0, 99, 0, 0, 0, 0, 0, 97, 98, 99]);
    expect(decodeFixedBytes(data, 3).map((b) => [...b])).toEqual([[97, 98], [99], [], [97, 98, 99]]);
    expect(decodeFixedBytesAsText(data, 3)).toEqual(["ab", "c", "", "abc"]);
    await expectColzError(() => encodeFixedBytes(["abcd"], 3), "ERR_BAD_ARGUMENT");
    await expectColzError(() => decodeFixedBytes(new Uint8Array(4), 3), "ERR_BAD_ARGUMENT");
  });

  it("U: UCS-4 with astral code points", async () => {
    const values = ["", "a", "é€", "😀x", "abcde"];
    const data = encodeUcs4(values, 20);
    expect(data.length).toBe(100);
    expect(decodeUcs4(data, 20)).toEqual(values);
    expect(decodeUcs4(encodeUcs4(values, 20, ">"), 20, ">")).toEqual(values);
    await expectColzError(() => encodeUcs4(["abcdef"], 20), "ERR_BAD_ARGUMENT");
    // invalid scalar values become U+FFFD
    expect(decodeUcs4(new Uint8Array([0x00, 0xd8, 0, 0, 0xff, 0xff, 0xff, 0x7f]), 8)).toEqual(["\ufffd\ufffd"]);
    // a very long item does not overflow the stack
    const long = "x".repeat(100_000);
    expect(decodeUcs4(encodeUcs4([long], 400_000), 400_000)[0]).toBe(long);
  });
});

describe("arrowTypeOf", () => {
  it("maps every kind", () => {
    const a = (s: string, shape: number[] = []) => arrowTypeOf(parseDtype(s), shape);
    expect(a("bool")).toMatchObject({ type: { typeId: "Bool" }, conversion: "bool-bits" });
    expect(a("int32").type).toEqual({ typeId: "Int32" });
    expect(a(">i4").type).toEqual({ typeId: "Int32" });
    expect(a("uint64").type).toEqual({ typeId: "Uint64" });
    expect(a("float16").type).toEqual({ typeId: "Float16" });
    expect(a("float64").type).toEqual({ typeId: "Float64" });
    expect(a("|S7").type).toEqual({ typeId: "FixedSizeBinary", byteWidth: 7 });
    expect(a("<U5")).toMatchObject({ type: { typeId: "Utf8" }, conversion: "ucs4-to-utf8" });
    expect(a("datetime64[D]")).toMatchObject({ type: { typeId: "DateDay" }, conversion: "int64-days-to-int32" });
    expect(a("datetime64[ms]").type).toEqual({ typeId: "TimestampMillisecond" });
    expect(a("datetime64[ns]").type).toEqual({ typeId: "TimestampNanosecond" });
    expect(a("datetime64[Y]")).toMatchObject({ type: { typeId: "Int64" }, conversion: "int64-raw" });
    expect(a("timedelta64[us]").type).toEqual({ typeId: "DurationMicrosecond" });
    expect(a("timedelta64[10s]").type).toEqual({ typeId: "Int64" });
    expect(a("float32", [4]).type).toEqual({ typeId: "FixedSizeList", listSize: 4, child: { typeId: "Float32" } });
    expect(a("int8", [2, 3]).type).toEqual({
      typeId: "FixedSizeList",
      listSize: 2,
      child: { typeId: "FixedSizeList", listSize: 3, child: { typeId: "Int8" } },
    });
    expect(a("datetime64[Y]").metadata).toEqual({ "colz:dtype": "datetime64[Y]" });
  });
});
