import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isColzError } from "@colz/format";
import { describe, expect, it } from "vitest";
import { encodeKey } from "../src/key-codec.js";
import { KeyStore } from "../src/node.js";
import { allKeys, readGen, smallValue, tempDir } from "./helpers.js";

// Damaged files give typed errors, never block opening, and never lead outside the root.

describe("damaged stores", () => {
  it("dir layout: a garbage or escaping pointer is ERR_CORRUPT_META; writers replace or delete it", async () => {
    const parent = tempDir("damage");
    const root = join(parent, "s");
    writeFileSync(join(parent, "victim"), "keep me");
    let ks = await KeyStore.open(root, { layout: "dir" });
    await ks.set("a", smallValue(1));
    await ks.set("b", smallValue(2));
    await ks.close();
    const ptr = (key: string) => {
      const n = encodeKey(key, 2);
      return join(root, n.bucket, `${n.stem}.ptr`);
    };
    writeFileSync(ptr("a"), "../victim\n");
    writeFileSync(ptr("b"), "\u0000garbage");
    writeFileSync(join(root, "colz-keystore.wal"), '{"pointer": "../../victim", "prev": "../victim"}');

    ks = await KeyStore.open(root); // the WAL names nothing valid: ignored
    for (const key of ["a", "b"]) {
      await expect(ks.getColumns(key)).rejects.toMatchObject({ code: "ERR_CORRUPT_META" });
      await expect(ks.get(key)).rejects.toMatchObject({ code: "ERR_CORRUPT_META" });
    }
    expect(await allKeys(ks)).toEqual(["a", "b"]);
    await ks.set("a", smallValue(3));
    expect(await readGen(ks, "a")).toBe(3);
    expect(await ks.delete("b")).toBe(true);
    expect(await allKeys(ks)).toEqual(["a"]);
    await ks.close();
    expect(readFileSync(join(parent, "victim"), "utf8")).toBe("keep me");
  });

  it("zip layout: a garbage value file is a ColzError; set replaces it and delete removes it", async () => {
    const root = join(tempDir("damage-zip"), "s");
    const ks = await KeyStore.open(root, { layout: "zip" });
    await ks.set("a", smallValue(1));
    const n = encodeKey("a", 2);
    const file = join(root, n.bucket, `${n.stem}.zip`);
    writeFileSync(file, "not a zip at all, just bytes");
    const error = await ks.getColumns("a").catch((e: unknown) => e);
    expect(isColzError(error)).toBe(true);
    await ks.set("a", smallValue(2));
    expect(await readGen(ks, "a")).toBe(2);
    writeFileSync(file, "");
    expect(await ks.delete("a")).toBe(true);
    expect(existsSync(file)).toBe(false);
    await ks.close();
  });

  it("a torn WAL and leftover temp files do not block the next writer", async () => {
    const root = join(tempDir("torn"), "s");
    let ks = await KeyStore.open(root, { layout: "dir" });
    await ks.set("a", smallValue(1));
    await ks.close();
    writeFileSync(join(root, "colz-keystore.wal"), '{"pointer": "ab/ka", "ne');
    mkdirSync(join(root, ".colz-tmp"), { recursive: true });
    writeFileSync(join(root, ".colz-tmp", "123-abc.zip"), "half a zip");
    ks = await KeyStore.open(root);
    expect(await readGen(ks, "a")).toBe(1);
    expect(existsSync(join(root, ".colz-tmp", "123-abc.zip"))).toBe(false);
    await ks.close();
  });
});
