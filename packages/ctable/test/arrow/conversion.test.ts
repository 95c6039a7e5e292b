import {
  type DataType,
  Field,
  type FixedSizeList,
  type Float64,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Table,
  Type,
} from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasViewTypes } from "../../src/arrow/arrow-compat.js";
import { buildArrowSchema, exportBatches } from "../../src/arrow/export-batches.js";
import { batchValues, openBatches } from "../../src/arrow/import-batches.js";
import { importSchema } from "../../src/arrow/records.js";
import type { ColumnSource, ColumnValues } from "../../src/types.js";
import { allTypes, randomTable } from "./arrow-data.js";
import { expectSameTable, FakeTable } from "./helpers.js";

// Arrow -> colz values -> Arrow through the conversion layer alone, on an in-memory stand-in
// for CTable (test/arrow/ctable.test.ts repeats the round trips on real tables).

async function roundTrip(table: Table, chunklen = 1000): Promise<{ back: Table; fake: FakeTable }> {
  const { columns, record } = importSchema(table.schema);
  const fake = new FakeTable(columns, chunklen);
  const { batches } = await openBatches(table);
  for await (const batch of batches) await fake.append(batchValues(batch, columns));
  const schema = buildArrowSchema(columns, record);
  const out = [];
  for await (const b of exportBatches(fake, schema, columns)) out.push(b);
  return { back: new Table(schema, out), fake };
}

const TYPES = allTypes();

if (!hasViewTypes()) {
  console.warn(
    "\n*** apache-arrow < 21.2 is installed: it cannot build or read Utf8View/BinaryView, so the view-type " +
      "round trips are SKIPPED here. Run the suite against apache-arrow >= 21.2 to cover them. ***\n",
  );
}

describe("Arrow -> colz -> Arrow, every type", () => {
  for (const [name, type] of Object.entries(TYPES)) {
    for (const nullRate of [0, 0.3]) {
      it(`${name} (${String(type)}) ${nullRate ? "with" : "without"} nulls`, async () => {
        const table = randomTable({ [name]: type }, [700, 1, 0, 1300], 7 + name.length, nullRate);
        const { back, fake } = await roundTrip(table, 512);
        expectSameTable(back, table);
        expect(fake.schema[0]!.nullable).toBe(nullRate > 0);
      });
    }
  }

  it.skipIf(!hasViewTypes())("Utf8View and BinaryView (apache-arrow >= 21.2)", async () => {
    const table = randomTable({ u: TYPES.utf8View!, b: TYPES.binaryView! }, [50, 300], 3, 0.2);
    expectSameTable((await roundTrip(table)).back, table);
  });

  it("keeps column order, names, schema and field metadata in one table of all types", async () => {
    const table = randomTable(TYPES, [333, 667], 11, 0.1);
    const meta = new Schema(
      table.schema.fields.map((f, i) =>
        i === 2 ? new Field(f.name, f.type, f.nullable, new Map([["unit", "m/s"]])) : f,
      ),
      new Map([["origin", "test"]]),
    );
    const tagged = new Table(
      meta,
      table.batches.map((b) => new RecordBatch(meta, b.data)),
    );
    const { back } = await roundTrip(tagged, 256);
    expectSameTable(back, tagged);
    expect(Object.fromEntries(back.schema.metadata)).toEqual({ origin: "test" });
  });

  it("decodes dictionaries to plain utf8 columns in colz", async () => {
    const table = randomTable({ d: TYPES.dictUtf8! }, [100], 5, 0.2);
    const { fake } = await roundTrip(table);
    expect(fake.schema[0]).toMatchObject({ kind: "utf8", dtype: "int64" });
    const values = await fake.readColumn("d", 0, 100);
    const vector = table.getChild("d")!;
    const dec = new TextDecoder();
    for (let i = 0; i < 100; i++) {
      if (!vector.isValid(i)) {
        expect(values.validity![i]).toBe(0);
        continue;
      }
      const v = values as { offsets: BigInt64Array; data: Uint8Array };
      expect(dec.decode(v.data.subarray(Number(v.offsets[i]), Number(v.offsets[i + 1])))).toBe(vector.get(i));
    }
  });

  it("stores colz-side values in colz's in-memory representation", async () => {
    const table = randomTable(
      { b: TYPES.bool!, d: TYPES.date32!, h: TYPES.float16!, s: TYPES.fixedSizeBinary!, t: TYPES.tsMicroUtc! },
      [64],
      9,
      0.25,
    );
    const { fake } = await roundTrip(table);
    expect(fake.schema.map((c) => c.dtype)).toEqual(["bool", "datetime64[D]", "float32", "|S5", "datetime64[us]"]);
    const b = await fake.readColumn("b", 0, 64);
    expect(b.kind === "fixed" && b.data.every((x) => x === 0 || x === 1)).toBe(true);
    const d = await fake.readColumn("d", 0, 64);
    expect(d.kind === "fixed" && d.data).toBeInstanceOf(BigInt64Array);
    // Null rows hold the fill value (zero), whatever the Arrow slot held.
    for (const name of ["b", "d", "h", "s", "t"]) {
      const v = await fake.readColumn(name, 0, 64);
      if (v.kind !== "fixed" || v.validity === undefined) continue;
      const per = v.data.length / 64;
      for (let i = 0; i < 64; i++) {
        if (v.validity[i] === 0) for (let k = 0; k < per; k++) expect(Number(v.data[i * per + k])).toBe(0);
      }
    }
  });
});

describe("property: random columns, nulls and batch sizes round trip", () => {
  const names = Object.keys(TYPES).filter((n) => TYPES[n]!.typeId !== Type.Dictionary || n === "dictUtf8");
  it("holds", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(0, 0.05, 0.5, 1),
        fc.integer({ min: 1, max: 400 }),
        fc.integer(),
        async (picked, sizes, nullRate, chunklen, seed) => {
          const types: Record<string, DataType> = {};
          for (const n of picked) types[n] = TYPES[n]!;
          const table = randomTable(types, sizes, seed, nullRate);
          expectSameTable((await roundTrip(table, chunklen)).back, table);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("no copies where the layouts agree", () => {
  const shared = [
    "int32",
    "int64",
    "uint64",
    "float32",
    "float64",
    "fixedSizeBinary",
    "tsMicroUtc",
    "date64",
    "durNano",
  ];

  it("Arrow -> colz: fixed-width values and Utf8/LargeUtf8 offsets and bytes are views of Arrow's buffers", () => {
    for (const name of [...shared, "utf8", "largeUtf8", "binary"]) {
      // Without nulls: colz zeroes garbage in null slots, which costs a copy when there is any.
      const table = randomTable({ [name]: TYPES[name]! }, [100], 3, 0);
      const data = table.batches[0]!.data.children[0]!;
      const values = batchValues(table.batches[0]!, importSchema(table.schema).columns)[name]!;
      expect(values.data.buffer, name).toBe((data.values as Uint8Array).buffer);
      if (values.kind !== "fixed") expect(values.offsets.buffer, name).toBe((data.valueOffsets as Int32Array).buffer);
    }
  });

  it("colz -> Arrow: Arrow's value buffers are the arrays readColumn returned", async () => {
    const table = randomTable(Object.fromEntries([...shared, "utf8"].map((n) => [n, TYPES[n]!])), [300], 4, 0.2);
    const { fake } = await roundTrip(table);
    const returned = new Map<string, ColumnValues>();
    const spy: ColumnSource = {
      length: fake.length,
      schema: fake.schema,
      readColumn: async (name, start, stop) => {
        const v = await fake.readColumn(name, start, stop);
        returned.set(name, v);
        return v;
      },
      scanPlan: (c, s, e) => fake.scanPlan(c, s, e),
    };
    const schema = buildArrowSchema(fake.schema, importSchema(table.schema).record);
    for await (const batch of exportBatches(spy, schema, fake.schema)) {
      fake.schema.forEach((column, i) => {
        const data = batch.data.children[i]!;
        const v = returned.get(column.name)!;
        expect((data.values as Uint8Array).buffer, column.name).toBe(v.data.buffer);
        if (v.kind !== "fixed") expect(data.valueOffsets, column.name).toBeDefined();
      });
    }
  });
});

describe("FixedSizeList nulls", () => {
  it("accepts child nulls under null rows (as pyarrow writes them) and refuses others", async () => {
    const type = TYPES.fixedList as FixedSizeList;
    const childNulls = new Uint8Array([0b00000111, 0, 0, 0, 0, 0, 0, 0]); // elements 3..5 (row 1) null
    const child = makeData({
      type: type.children[0]!.type as Float64,
      length: 6,
      nullCount: 3,
      nullBitmap: childNulls,
      data: new Float64Array([1, 2, 3, 9, 9, 9]),
    });
    const rowNull = makeData({
      type,
      length: 2,
      nullCount: 1,
      nullBitmap: new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]),
      child,
    });
    const ok = new Table({ l: makeVector(rowNull) });
    const { back, fake } = await roundTrip(ok);
    const v = await fake.readColumn("l", 0, 2);
    expect(v.kind === "fixed" && [...(v.data as Float64Array)]).toEqual([1, 2, 3, 0, 0, 0]);
    expect(back.getChild("l")!.isValid(1)).toBe(false);
    const rowValid = makeData({ type, length: 2, nullCount: 0, child });
    await expect(roundTrip(new Table({ l: makeVector(rowValid) }))).rejects.toThrow(/nulls inside a list/);
  });
});
