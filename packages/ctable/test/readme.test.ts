/** The README's examples, run as written (so the documentation cannot drift from the API). */
import { describe, expect, it } from "vitest";
import { CArray, CTable, MemoryStore, toJsArray } from "../src/index.js";
import { closeScanWorkers, createTable, openTable, scanWorkerStats } from "../src/node.js";
import { tempPath } from "./core/harness.js";

describe("README examples", () => {
  it("scans into a reused array", async () => {
    const t = await CTable.create(new MemoryStore(), { price: new Float64Array([1.5, 2.5, 3.5]) });
    const prices = new Float64Array(t.length);
    const v = await t.readColumn("price", 0, t.length, { out: prices });
    expect(v.kind === "fixed" && v.data.buffer).toBe(prices.buffer);
    expect(Array.from(prices)).toEqual([1.5, 2.5, 3.5]);
    await t.close();
  });

  it("threaded scans", async () => {
    const path = `${tempPath()}/prices.bcolz`;
    const price = Float64Array.from({ length: 5000 }, (_, i) => i / 4);
    await (await createTable(path, { price }, { chunklen: 1000, sync: false })).close();
    const t = await openTable(path);
    const jobs = scanWorkerStats().jobs;
    const prices = new Float64Array(new SharedArrayBuffer(t.length * 8)); // allocate once, reuse
    await t.readColumn("price", 0, t.length, { out: prices, threads: 2 });
    const fresh = await t.readColumn("price", 0, t.length, { threads: 2 }); // no out: a new SharedArrayBuffer-backed array
    await closeScanWorkers(); // optional: idle workers never keep the process alive
    expect(prices).toEqual(price);
    expect(fresh.kind === "fixed" && fresh.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(fresh.kind === "fixed" && fresh.data).toEqual(price);
    expect(scanWorkerStats().jobs).toBe(jobs + 2);
    await t.close();
  });

  it("quick start", async () => {
    const t = await CTable.create(new MemoryStore(), {
      ts: [new Date("2024-01-02"), new Date("2024-01-03")],
      sym: ["AAPL", "MSFT"],
      price: new Float64Array([185.6, 370.9]),
    });
    await t.append([{ ts: new Date("2024-01-04"), sym: "AAPL", price: 181.9 }]);
    await t.flush();
    const hits = await t.where('(price > 180) & (sym == "AAPL")');
    expect(Array.from(hits.indices)).toEqual([0, 2]);
    expect(await t.rows(-1)).toEqual([{ ts: 1704326400000n, sym: "AAPL", price: 181.9 }]);
    await t.close();
  });

  it("node paths", async () => {
    const dir = tempPath();
    const t = await createTable(`${dir}/prices.bcolz`, { price: new Float64Array([1, 2, 3]) });
    await t.close();
    const z = await openTable(`${dir}/prices.zip`, { mode: "a" });
    expect(z.columnNames).toEqual([]);
    await z.close();
  });

  it("CArray", async () => {
    const store = new MemoryStore();
    const a = await CArray.create(store, new Float64Array([1, 2, 3]), { chunklen: 1000 });
    await a.append([4]);
    await a.flush();
    expect((await a.slice(-2)).data).toEqual(new Float64Array([3, 4]));
    expect(await a.toArray(undefined, undefined, -1)).toEqual([4, 3, 2, 1]);
    expect(await a.get(-1)).toBe(4);
    expect(toJsArray(await a.take([0, -1]))).toEqual([1, 4]);
    expect(toJsArray(await a.filter([true, false, true, false]))).toEqual([1, 3]);
    expect(await a.max()).toBe(4);
    await a.resize(10);
    await a.attrs.set("unit", "USD");
    await a.close();
    const b = await CArray.create(store, { dtype: "utf8", nullable: true }, { prefix: "names" });
    expect(b.kind).toBe("utf8");
    await b.close();
  });

  it("CTable", async () => {
    const store = new MemoryStore();
    await (
      await CTable.create(store, { id: new Int32Array([1, 2]), sym: ["A", "B"] }, { schema: { sym: "|S4" } })
    ).close();
    await (
      await CTable.create(
        store,
        [
          { id: 1, sym: "A" },
          { id: 2, sym: null },
        ],
        { prefix: "t2" },
      )
    ).close();
    await (
      await CTable.create(
        store,
        [
          { name: "id", dtype: "int64" },
          { name: "note", dtype: "utf8", nullable: true },
        ],
        { prefix: "t3" },
      )
    ).close();
    const t = await CTable.open(store, { mode: "a" });
    await t.append({ id: [3], sym: ["C"] });
    await t.append([{ id: 4, sym: "D" }]);
    await t.flush();
    expect(t.length).toBe(4);
    expect(t.schema.map((c) => c.dtype)).toEqual(["int32", "|S4"]);
    expect(toJsArray((await t.slice(0, 10, 2, { columns: ["id"] })).id!)).toEqual([1, 3]);
    await t.addColumn("flag", new Uint8Array(t.length), { dtype: "bool" });
    await t.renameColumn("flag", "is hot");
    expect(t.columnNames).toEqual(["id", "sym", "is hot"]);
    await t.removeColumn("is hot");
    await t.resize(2);
    expect(await t.rows()).toEqual([
      { id: 1, sym: "A" },
      { id: 2, sym: "B" },
    ]);
    await t.close();
  });
});
