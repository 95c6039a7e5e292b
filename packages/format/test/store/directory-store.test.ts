import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DirectoryStore } from "../../src/store/directory-store.js";
import { bytesOf, expectCode, tempArea } from "./helpers.js";

const tmp = tempArea("dir");
const enc = new TextEncoder();

describe("DirectoryStore layout", () => {
  it("is bcolz-compatible: key 'meta/sizes' is the plain file <root>/meta/sizes", async () => {
    const root = tmp.next();
    const store = await DirectoryStore.open(root, { mode: "a" });
    await store.set("price/meta/sizes", enc.encode('{"shape": [3]}\n'));
    await store.set("price/data/__0.blp", bytesOf(100, 1));
    await store.commit();
    await store.close();
    expect(readFileSync(join(root, "price/meta/sizes"), "utf8")).toBe('{"shape": [3]}\n');
    expect(readdirSync(join(root, "price/data"))).toEqual(["__0.blp"]);
    expect(readdirSync(root)).toEqual(["price"]); // no lock file or temp file left behind
  });

  it("list() ignores dot-files (AppleDouble, .gitkeep, temp files) and readers ignore stale temps", async () => {
    const root = tmp.next();
    mkdirSync(join(root, "meta"), { recursive: true });
    writeFileSync(join(root, "meta/sizes"), "{}");
    writeFileSync(join(root, "meta/._sizes"), "apple double");
    writeFileSync(join(root, ".gitkeep"), "");
    writeFileSync(join(root, ".DS_Store"), "");
    writeFileSync(join(root, "meta/.colz-tmp-999999-abc"), "half a write");
    mkdirSync(join(root, ".git/objects"), { recursive: true });
    writeFileSync(join(root, ".git/objects/x"), "");
    const reader = await DirectoryStore.open(root);
    expect(await reader.list()).toEqual(["meta/sizes"]);
    await reader.close();
    expect(existsSync(join(root, "meta/.colz-tmp-999999-abc"))).toBe(true); // a reader never deletes
    const writer = await DirectoryStore.open(root, { mode: "a" });
    expect(existsSync(join(root, "meta/.colz-tmp-999999-abc"))).toBe(false); // the writer cleans up
    expect(existsSync(join(root, "meta/._sizes"))).toBe(true); // foreign dot-files stay
    await writer.close();
  });

  it("opening: missing roots, files, create:false, mode 'w' empties", async () => {
    await expectCode(DirectoryStore.open(tmp.next()), "ERR_NOT_FOUND");
    await expectCode(DirectoryStore.open(tmp.next(), { mode: "a", create: false }), "ERR_NOT_FOUND");
    const file = tmp.next();
    writeFileSync(file, "not a directory");
    await expectCode(DirectoryStore.open(file), "ERR_NOT_A_CONTAINER", file);
    await expectCode(DirectoryStore.open(file, { mode: "a" }), "ERR_NOT_A_CONTAINER");
    const root = tmp.next();
    const a = await DirectoryStore.open(root, { mode: "a" });
    await a.set("x/y", enc.encode("1"));
    await a.set("z", enc.encode("2"));
    await a.close();
    writeFileSync(join(root, ".gitkeep"), "");
    const w = await DirectoryStore.open(root, { mode: "w" });
    expect(await w.list()).toEqual([]);
    await w.close();
    expect(readdirSync(root)).toEqual([".gitkeep"]);
    await expectCode(DirectoryStore.open(root, { mode: "x" as "a" }), "ERR_BAD_ARGUMENT");
  });

  it("a key cannot be both a value and a directory", async () => {
    const store = await DirectoryStore.open(tmp.next(), { mode: "a" });
    await store.set("a", enc.encode("value"));
    await expectCode(store.set("a/b", enc.encode("x")), "ERR_BAD_KEY", '"a" is a value');
    await store.set("d/e", enc.encode("x"));
    await expectCode(store.set("d", enc.encode("x")), "ERR_BAD_KEY", "is a directory");
    expect(await store.list()).toEqual(["a", "d/e"]);
    await store.close();
  });

  it("delete removes directories left empty", async () => {
    const root = tmp.next();
    const store = await DirectoryStore.open(root, { mode: "a" });
    await store.set("a/b/c/d", enc.encode("x"));
    await store.set("a/keep", enc.encode("y"));
    await store.delete("a/b/c/d");
    expect(existsSync(join(root, "a/b"))).toBe(false);
    expect(existsSync(join(root, "a/keep"))).toBe(true);
    await store.set("a/b", enc.encode("now a value"));
    await store.commit();
    await store.close();
  });

  it("readers see the old or the new value, never a mix, while a writer overwrites", async () => {
    const root = tmp.next();
    const writer = await DirectoryStore.open(root, { mode: "a", sync: false });
    const reader = await DirectoryStore.open(root);
    const A = new Uint8Array(1 << 20).fill(0x41);
    const B = new Uint8Array(1 << 20).fill(0x42);
    await writer.set("v", A);
    let stop = false;
    const writing = (async () => {
      for (let i = 0; !stop; i++) await writer.set("v", i % 2 ? A : B);
    })();
    for (let i = 0; i < 200; i++) {
      const got = (i % 2 ? await reader.get("v") : reader.getSync("v")) as Uint8Array;
      expect(got.length).toBe(1 << 20);
      expect(Buffer.from(got).equals(got[0] === 0x41 ? A : B), "a torn value").toBe(true);
    }
    stop = true;
    await writing;
    await writer.close();
    await reader.close();
  });
});
