import { isColzError, MemoryStore, parseDtype } from "@colz/format";
import {
  Decimal,
  Field,
  Int32,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Table,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { ARROW_SCHEMA_ATTR, arrowSchemaOf, fromArrow, hasViewTypes, recordBatches, toArrow } from "../../src/arrow.js";
import { CTable } from "../../src/ctable/ctable.js";
import type { ColumnValues } from "../../src/types.js";
import { allTypes, randomTable } from "./arrow-data.js";
import { expectSameTable } from "./helpers.js";

// Arrow -> CTable -> Arrow on real tables: what is stored, reopened from the store, and read back.

const TYPES = allTypes();

describe("fromArrow / toArrow on CTable", () => {
  for (const nullRate of [0, 0.25]) {
    it(`round trips every type ${nullRate ? "with" : "without"} nulls, also after reopening`, async () => {
      const table = randomTable(TYPES, [1500, 7, 2500], 21, nullRate);
      const store = new MemoryStore();
      const ct = await fromArrow(table, { store, chunklen: 1000 });
      expect(ct.length).toBe(4007);
      expect(ct.columnNames).toEqual(Object.keys(TYPES));
      expectSameTable(await toArrow(ct), table);
      await ct.close();
      const reopened = await CTable.open(store);
      expectSameTable(await toArrow(reopened), table);
      await reopened.close();
    });
  }

  it("accepts a Table from another copy of apache-arrow (recognised by shape, not instanceof)", async () => {
    const table = randomTable(TYPES, [300, 200], 5, 0.1);
    // Same fields, different prototype: what a second apache-arrow install hands us.
    const foreign = { schema: table.schema, batches: table.batches, numRows: table.numRows };
    const ct = await fromArrow(foreign as unknown as typeof table, { store: new MemoryStore() });
    expect(ct.length).toBe(500);
    expectSameTable(await toArrow(ct), table);
    await ct.close();
  });

  it("maps Arrow types to colz columns (dtype, kind, nullable)", async () => {
    const table = randomTable(
      {
        i: TYPES.int16!,
        f: TYPES.float16!,
        s: TYPES.largeUtf8!,
        t: TYPES.tsNanoTz!,
        d: TYPES.date32!,
        x: TYPES.fixedSizeBinary!,
      },
      [10],
      1,
      0.5,
    );
    const ct = await fromArrow(table);
    expect(ct.schema.map(({ name, dtype, kind, nullable }) => `${name}:${dtype}:${kind}:${nullable}`)).toEqual([
      "i:int16:fixed:true",
      "f:float32:fixed:true",
      "s:int64:utf8:true",
      "t:datetime64[ns]:fixed:true",
      "d:datetime64[D]:fixed:true",
      "x:|S5:fixed:true",
    ]);
    // Only what the default mapping cannot say is recorded.
    expect(ct.attrs.get(ARROW_SCHEMA_ATTR)).toEqual({
      version: 1,
      fields: {
        f: { type: { typeId: "Float16" } },
        s: { type: { typeId: "LargeUtf8" } },
        t: { type: { typeId: "TimestampNanosecond", timezone: "America/New_York" } },
      },
    });
    await ct.close();
  });

  it("exports chosen columns in the chosen order and row range", async () => {
    const table = randomTable({ a: TYPES.int32!, b: TYPES.utf8!, c: TYPES.dictUtf8! }, [3000], 2, 0.2);
    const ct = await fromArrow(table, { chunklen: 512 });
    const part = await toArrow(ct, { columns: ["c", "a"], start: 100, stop: 2100 });
    expect(part.schema.fields.map((f) => f.name)).toEqual(["c", "a"]);
    expectSameTable(part, table.select(["c", "a"]).slice(100, 2100));
    expect(part.batches.length).toBe(5); // chunk-aligned steps: 100-512, 512-1024, ..., 2048-2100
    expect(arrowSchemaOf(ct, { columns: ["a"] }).fields.map(String)).toEqual(["a: Int32"]);
    expect((await toArrow(ct, { start: 5, stop: 5 })).numRows).toBe(0);
    await expect(toArrow(ct, { columns: ["nope"] })).rejects.toThrow(/no column "nope"/);
    await ct.close();
  });

  it("gives every exported batch the one final dictionary", async () => {
    const dictType = TYPES.dictUtf8!;
    const table = randomTable({ d: dictType }, [400, 400, 400], 4, 0.1);
    const ct = await fromArrow(table, { chunklen: 300 });
    const back = await toArrow(ct);
    const dicts = new Set(back.batches.map((b) => b.data.children[0]!.dictionary));
    expect(dicts.size).toBe(1);
    expectSameTable(back, table);
    let steps = 0;
    for await (const batch of recordBatches(ct)) steps += batch.numRows > 0 ? 1 : 0;
    expect(steps).toBe(4);
    await ct.close();
  });

  it("exports colz-native columns with the format layer's mapping", async () => {
    const store = new MemoryStore();
    const ct = await CTable.create(
      store,
      {
        n: new Float64Array([1.5, 2.5]),
        s: ["ab", "ü"],
        when: new BigInt64Array([0n, 86_400_000_000n]),
      },
      { schema: { s: "<U3", when: "datetime64[us]" } },
    );
    const t = await toArrow(ct);
    expect(t.schema.fields.map(String)).toEqual(["n: Float64", "s: Utf8", "when: Timestamp<MICROSECOND>"]);
    expect(t.getChild("s")!.toArray()).toEqual(["ab", "ü"]);
    expect(Object.fromEntries(t.schema.fields[1]!.metadata)).toEqual({ "colz:dtype": "<U3" });
    // ... and back: colz:dtype restores the UCS-4 column.
    const again = await fromArrow(t);
    expect(again.schema.map((c) => c.dtype)).toEqual(["float64", "<U3", "datetime64[us]"]);
    expectSameTable(await toArrow(again), t);
    await ct.close();
    await again.close();
  });

  it("exports multi-dimensional, big-endian and odd-unit columns, and imports them back", async () => {
    const ct = await CTable.create(new MemoryStore(), [
      { name: "m", dtype: "float32", kind: "fixed", nullable: true, atomShape: [2, 3] },
      { name: "be", dtype: ">f8", kind: "fixed", nullable: false, atomShape: [] },
      { name: "odd", dtype: "datetime64[10s]", kind: "fixed", nullable: false, atomShape: [] },
    ]);
    const m = {
      kind: "fixed",
      dtype: parseDtype("float32"),
      length: 2,
      data: Float32Array.from({ length: 12 }, (_, i) => i),
    };
    await ct.append({
      m: { ...m, validity: new Uint8Array([1, 0]) } as ColumnValues,
      be: new Float64Array([1.5, -2]),
      odd: new BigInt64Array([5n, 7n]),
    });
    const t = await toArrow(ct);
    expect(t.schema.fields.map(String)).toEqual([
      "m: FixedSizeList[2]<FixedSizeList[3]<Float32>>",
      "be: Float64",
      "odd: Int64",
    ]);
    expect(t.schema.fields.map((f) => f.metadata.get("colz:dtype"))).toEqual([undefined, ">f8", "datetime64[10s]"]);
    expect(t.getChild("be")!.toArray()).toEqual(new Float64Array([1.5, -2]));
    expect(t.getChild("m")!.isValid(1)).toBe(false);
    const back = await fromArrow(t);
    expect(back.schema).toEqual(ct.schema);
    expectSameTable(await toArrow(back), t);
    await ct.close();
    await back.close();
  });

  it("refuses unsupported types and names with clear errors", async () => {
    const decimal = new Table({
      price: makeVector(makeData({ type: new Decimal(2, 10, 128), length: 2, data: new Uint32Array(8) })),
    });
    const err = await fromArrow(decimal).catch((e: unknown) => e);
    expect(isColzError(err, "ERR_UNSUPPORTED")).toBe(true);
    expect(String(err)).toMatch(/field "price"/);
    const slash = new Table({ "a/b": vectorFromArray([1, 2], new Int32()) });
    expect(isColzError(await fromArrow(slash).catch((e: unknown) => e), "ERR_BAD_KEY")).toBe(true);
  });

  it("imports from an iterable of batches and from an empty table", async () => {
    const schema = new Schema([new Field("s", new Utf8(), true)]);
    const batch = new RecordBatch({ s: vectorFromArray(["x", null, "zz"], new Utf8()).data[0]! });
    const ct = await fromArrow([batch, batch]);
    expect(ct.length).toBe(6);
    const empty = await fromArrow(new Table(schema));
    expect(empty.length).toBe(0);
    expect(empty.schema).toEqual([{ name: "s", dtype: "int64", kind: "utf8", nullable: true, atomShape: [] }]);
    expect((await toArrow(empty)).schema.fields.map(String)).toEqual(["s: Utf8"]);
    await expect(fromArrow([])).rejects.toThrow(/no schema/);
    await ct.close();
    await empty.close();
  });

  it.skipIf(!hasViewTypes())("round trips Utf8View/BinaryView built by apache-arrow itself (>= 21.2)", async () => {
    const u = vectorFromArray(["a", null, "a string longer than twelve", ""], TYPES.utf8View as never);
    const table = new Table({ u });
    const ct = await fromArrow(table);
    expect(ct.schema[0]!.kind).toBe("utf8");
    const back = await toArrow(ct);
    expect(String(back.schema.fields[0]!.type)).toBe("Utf8View");
    expect(back.getChild("u")!.toArray()).toEqual(["a", null, "a string longer than twelve", ""]);
    await ct.close();
  });
});
