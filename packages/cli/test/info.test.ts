import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { KeyStore } from "@colz/store/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { BCOLZ, createValuesTable, tempDir } from "./tables.js";

const tmp = tempDir("info");
const zip = join(tmp.dir, "values.zip");
const store = join(tmp.dir, "store");

beforeAll(async () => {
  await createValuesTable(zip, "zip");
  const ks = await KeyStore.open(store, { mode: "a" });
  for (let i = 0; i < 12; i++) await ks.set(`key${i}`, { x: new Int32Array([i]) });
  await ks.close();
});
afterAll(() => tmp.cleanup());

describe("colz info", () => {
  it("describes bcolz fixtures and a colz zip table in stable JSON", async () => {
    const [ctable, carray, empty, colzZip] = await Promise.all([
      runCli(["info", join(BCOLZ, "ctable_basic"), "--json"]),
      runCli(["info", join(BCOLZ, "i4_zlib_sh0"), "--json"]),
      runCli(["info", join(BCOLZ, "i8_empty"), "--json"]),
      runCli(["info", zip, "--json"]),
    ]);
    const t = JSON.parse(ctable.stdout);
    expect(t).toMatchObject({
      kind: "ctable",
      layout: "directory",
      flavor: "bcolz",
      rows: 7777,
      attrs: { note: "ctable vector" },
    });
    expect(t.columns.map((c: { name: string; dtype: string }) => `${c.name}:${c.dtype}`)).toEqual([
      "id:int64",
      "price:float64",
      "sym:|S4",
      "flag:bool",
    ]);
    expect(t.columns[0]).toEqual({
      name: "id",
      dtype: "int64",
      kind: "fixed",
      nullable: false,
      atomShape: [],
      cname: "lz4",
      clevel: 5,
      shuffle: "shuffle",
      chunklen: 2000,
      chunks: 4,
      nbytes: 62216,
      cbytes: 17447,
      ratio: 3.566,
    });
    expect(t.nbytes).toBe(t.columns.reduce((s: number, c: { nbytes: number }) => s + c.nbytes, 0));
    const a = JSON.parse(carray.stdout);
    expect(a).toMatchObject({
      kind: "carray",
      rows: 10007,
      columns: [{ name: "i4_zlib_sh0", cname: "zlib", shuffle: "noshuffle", chunks: 4 }],
    });
    expect(JSON.parse(empty.stdout)).toMatchObject({ rows: 0, columns: [{ chunks: 0, chunklen: 2048 }] });
    const z = JSON.parse(colzZip.stdout);
    expect(z).toMatchObject({ kind: "ctable", layout: "zip", flavor: "colz", rows: 3 });
    expect(z.columns.find((c: { name: string }) => c.name === "txt")).toMatchObject({
      dtype: "utf8",
      kind: "utf8",
      nullable: true,
    });
    expect(z.columns.find((c: { name: string }) => c.name === "ts")).toMatchObject({ dtype: "datetime64[ns]" });
  });

  it("prints a human summary and describes key stores", async () => {
    const [human, ks, ksHuman] = await Promise.all([
      runCli(["info", join(BCOLZ, "ctable_basic")]),
      runCli(["info", store, "--json"]),
      runCli(["store", "info", store]),
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^kind +ctable \(directory, bcolz\)$/m);
    expect(human.stdout).toMatch(/^price +float64 +no +lz4 +5 +shuffle +2000 +4 +62216/m);
    const info = JSON.parse(ks.stdout);
    expect(info).toMatchObject({ kind: "keystore", storeLayout: "zip", fanout: 2, keys: 12, files: 13 });
    expect(info.sampleKeys).toHaveLength(10);
    expect(info.diskBytes).toBeGreaterThan(1000);
    expect(ksHuman.stdout).toMatch(/^keys +12$/m);
    expect(ksHuman.stdout).toContain("… 2 more");
  });

  it("fails with one line for missing paths and non-containers", async () => {
    const file = join(tmp.dir, "junk.zip");
    writeFileSync(file, "PK not really a zip");
    const [missing, junk, notStore] = await Promise.all([
      runCli(["info", join(tmp.dir, "nope")]),
      runCli(["info", file]),
      runCli(["store", "info", zip]),
    ]);
    expect(missing).toMatchObject({
      code: 1,
      stdout: "",
      stderr: `colz: ${join(tmp.dir, "nope")}: no such file or directory\n`,
    });
    expect(junk.code).toBe(1);
    expect(junk.stderr).toMatch(/^colz: .*junk\.zip/);
    expect(junk.stderr.split("\n")).toHaveLength(2);
    expect(notStore).toMatchObject({ code: 1 });
    expect(notStore.stderr).toContain("not a key store");
  });
});
