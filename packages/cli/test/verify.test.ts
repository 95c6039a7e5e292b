import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createTable } from "@colz/ctable/node";
import { KeyStore } from "@colz/store/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { BCOLZ, tempDir } from "./tables.js";

const tmp = tempDir("verify");
const good = join(tmp.dir, "good.bcolz");
const store = join(tmp.dir, "store");

beforeAll(async () => {
  const n = 5000;
  const t = await createTable(
    good,
    {
      id: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)),
      s: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `s${i}`)),
      f: Float64Array.from({ length: n }, (_, i) => i / 2),
    },
    { chunklen: 1000 },
  );
  await t.close();
  const ks = await KeyStore.open(store, { mode: "a" });
  await ks.set("fine", { x: new Int32Array([1, 2, 3]) });
  await ks.set("bad", { x: new Int32Array([4, 5, 6]) });
  await ks.close();
});
afterAll(() => tmp.cleanup());

interface Result {
  ok: boolean;
  problems: { file: string; key?: string; message: string }[];
}

describe("colz verify", () => {
  it("passes sound bcolz fixtures and colz tables", async () => {
    const paths = ["ctable_basic", "U5_unicode", "i4_zstd_sh2", "i8_empty"].map((d) => join(BCOLZ, d));
    const results = await Promise.all([...paths, good, store].map((p) => runCli(["verify", p, "--json"])));
    for (const r of results) {
      expect(r).toMatchObject({ code: 0, stderr: "" });
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, problems: [] });
    }
    expect(JSON.parse(results[0]!.stdout).checked).toEqual({ carrays: 4, chunks: 16 });
    expect(JSON.parse(results[4]!.stdout).checked).toEqual({ carrays: 5, chunks: 21 }); // id, f, s + its validity and values
    expect(JSON.parse(results[5]!.stdout).checked.keys).toBe(2);
  });

  it("lists every damaged file: flipped bytes, truncated chunk, missing sidecar and meta, wrong statistics", async () => {
    const bad = join(tmp.dir, "bad.bcolz");
    cpSync(good, bad, { recursive: true });
    const flip = (file: string, at: number) => {
      const b = readFileSync(file);
      b[at] = b[at]! ^ 0xff;
      writeFileSync(file, b);
    };
    flip(join(bad, "id/data/__1.blp"), readFileSync(join(bad, "id/data/__1.blp")).length - 3);
    truncateSync(join(bad, "f/data/__2.blp"), 30);
    rmSync(join(bad, "f/data/__3.colz"));
    rmSync(join(bad, "s/colz/values/meta/storage"));
    const statsFile = join(bad, "id/data/__4.colz");
    writeFileSync(statsFile, readFileSync(statsFile, "utf8").replace('"max": "4999"', '"max": "5000"'));
    const bcolz = join(tmp.dir, "ctable_basic");
    cpSync(join(BCOLZ, "ctable_basic"), bcolz, { recursive: true });
    rmSync(join(bcolz, "price/meta/sizes"));

    const [r, human, b] = await Promise.all([
      runCli(["verify", bad, "--json"]),
      runCli(["verify", bad]),
      runCli(["verify", bcolz, "--json"]),
    ]);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as Result;
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.file).sort()).toEqual(
      ["f/data/__2.blp", "f/data/__3.colz", "id/data/__1.blp", "id/data/__4.colz", "s/colz/values/meta/storage"].sort(),
    );
    expect(result.problems.find((p) => p.file === "id/data/__4.colz")!.message).toMatch(
      /statistics disagree.*max 5000 \(data: 4999\)/,
    );
    expect(result.problems.find((p) => p.file === "f/data/__2.blp")!.message).toMatch(/truncated/);
    expect(r.stderr).toBe(`colz: ${bad}: damaged: 5 problems\n`);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^f\/data\/__3\.colz: +missing/m);
    expect(human.stdout).toMatch(/^DAMAGED: .*5 problems/m);
    expect(b.code).toBe(1);
    expect((JSON.parse(b.stdout) as Result).problems.map((p) => p.file)).toEqual(["price/meta/sizes"]);
  });

  it("names the key and its file for a damaged key-store value", async () => {
    const copy = join(tmp.dir, "store-copy");
    cpSync(store, copy, { recursive: true });
    const ks = await KeyStore.open(copy, { mode: "r" });
    const table = await ks.get("bad");
    const zipFile = table!.store.description.replace(/^.*?(\/.*)$/, "$1");
    await table!.close();
    await ks.close();
    const bytes = readFileSync(zipFile);
    // Flip a byte of the chunk data inside the zip member (just after its blpk + Blosc headers).
    const at = bytes.indexOf(Buffer.from("blpk")) + 40;
    bytes[at] = bytes[at]! ^ 0xff;
    writeFileSync(zipFile, bytes);
    const r = await runCli(["verify", copy, "--json"]);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as Result;
    expect(result.problems.length).toBeGreaterThan(0);
    for (const p of result.problems) {
      expect(p.key).toBe("bad");
      expect(p.file).toMatch(/^[0-9a-f]{2}\/kbad\.zip/);
    }
  });
});
