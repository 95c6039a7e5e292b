/**
 * Hostile keys and symlinks never make a store read or write outside its root: every attempt
 * is ERR_BAD_KEY and the directory around the root stays byte-for-byte untouched.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { DirectoryStore } from "../../src/store/directory-store.js";
import type { Store } from "../../src/store/types.js";
import { encodeCentralHeader, encodeEnd, encodeLocalHeader, newEntry } from "../../src/store/zip-format.js";
import { ZipStore } from "../../src/store/zip-store.js";
import { BAD_KEYS, expectCode, tempArea } from "./helpers.js";

const tmp = tempArea("paths");
const HOSTILE = [
  ...BAD_KEYS,
  "../../../../../../tmp/colz-escape",
  "..\\x",
  "a/..",
  "a\\..\\..\\x",
  "/",
  "//x",
  "a/\0/b",
];

/** Every path under `dir` with its size (or "dir"), skipping `skip` (the store's own root). */
function snapshot(dir: string, skip: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (p === skip) continue;
      if (e.isDirectory()) {
        out[relative(dir, p)] = "dir";
        walk(p);
      } else {
        out[relative(dir, p)] = e.isSymbolicLink() ? "link" : `${statSync(p).size}:${readFileSync(p).toString("hex")}`;
      }
    }
  };
  walk(dir);
  return out;
}

async function attackAll(store: Store, keys: string[]): Promise<void> {
  for (const key of keys) {
    await expectCode(store.set(key, new Uint8Array([0x58])), "ERR_BAD_KEY");
    await expectCode(store.delete(key), "ERR_BAD_KEY");
    await expectCode(store.get(key), "ERR_BAD_KEY");
    await expectCode(store.getRange(key, 0, 1), "ERR_BAD_KEY");
    await expectCode(store.has(key), "ERR_BAD_KEY");
    await expectCode(store.size(key), "ERR_BAD_KEY");
  }
}

describe("DirectoryStore path safety", () => {
  it("hostile keys are rejected and nothing outside the root changes", async () => {
    const parent = tmp.next();
    mkdirSync(join(parent, "sibling"), { recursive: true });
    writeFileSync(join(parent, "x"), "outside");
    writeFileSync(join(parent, "sibling/passwd"), "secret");
    const root = join(parent, "root");
    const before = snapshot(parent, root);
    const store = await DirectoryStore.open(root, { mode: "a" });
    await attackAll(store, HOSTILE);
    // Dot segments are reserved in a directory store (lock, temp files, AppleDouble).
    await attackAll(store, [".colz-lock", "a/.colz-tmp-1-2", "._meta", ".gitkeep", "a/.hidden/b"]);
    await store.close();
    expect(snapshot(parent, root)).toEqual(before);
    expect(readdirSync(root)).toEqual([]);
  });

  it("symlinks that leave the root are refused for reads, writes and deletes", async () => {
    const parent = tmp.next();
    const outside = join(parent, "outside");
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, "secret"), "top secret");
    const root = join(parent, "root");
    mkdirSync(join(root, "inner"), { recursive: true });
    writeFileSync(join(root, "inner/real"), "inside");
    symlinkSync(outside, join(root, "out")); // a directory link out of the root
    symlinkSync(join(outside, "secret"), join(root, "leak")); // a file link out of the root
    symlinkSync("../..", join(root, "inner/up")); // a relative link escaping upwards
    symlinkSync(join(root, "inner/real"), join(root, "alias")); // a link that stays inside
    symlinkSync(join(root, "inner"), join(root, "innerdir")); // a directory link that stays inside
    const before = snapshot(parent, root);
    const store = await DirectoryStore.open(root, { mode: "a" });
    for (const key of ["out/secret", "out/new", "out/deeper/new", "leak", "inner/up/outside/secret", "inner/up/x"]) {
      await expectCode(store.set(key, new Uint8Array([1])), "ERR_BAD_KEY", "symlink");
      await expectCode(store.get(key), "ERR_BAD_KEY");
      await expectCode(store.getRange(key, 0, 4), "ERR_BAD_KEY");
      await expectCode(store.delete(key), "ERR_BAD_KEY");
    }
    expect(() => store.getSync("leak")).toThrow(/symlink/);
    // Links inside the root work; escaping ones are not listed.
    expect(Buffer.from((await store.get("alias")) as Uint8Array).toString()).toBe("inside");
    expect(Buffer.from((await store.get("innerdir/real")) as Uint8Array).toString()).toBe("inside");
    await store.set("innerdir/new", new Uint8Array([7]));
    expect(readFileSync(join(root, "inner/new"))).toEqual(Buffer.from([7]));
    expect(await store.list()).toEqual(["alias", "inner/new", "inner/real"]);
    expect(await store.list("out/")).toEqual([]);
    await store.close();
    expect(snapshot(parent, root)).toEqual(before);
    expect(readFileSync(join(outside, "secret"), "utf8")).toBe("top secret");
  });

  it("a root that is itself a symlink works", async () => {
    const parent = tmp.next();
    mkdirSync(join(parent, "real"), { recursive: true });
    symlinkSync(join(parent, "real"), join(parent, "link"));
    const store = await DirectoryStore.open(join(parent, "link"), { mode: "a" });
    await store.set("meta/sizes", new Uint8Array([1, 2]));
    expect(await store.get("meta/sizes")).toEqual(new Uint8Array([1, 2]));
    await store.close();
    expect(readFileSync(join(parent, "real/meta/sizes"))).toEqual(Buffer.from([1, 2]));
  });
});

describe("ZipStore path safety", () => {
  it("hostile keys are rejected; the archive is unchanged", async () => {
    const file = join(tmp.next(), "t.zip");
    mkdirSync(join(file, ".."), { recursive: true });
    const store = await ZipStore.open(file, { mode: "a" });
    await attackAll(store, HOSTILE);
    await store.commit();
    await store.close();
    expect(statSync(file).size).toBe(22); // still the empty archive
  });

  it("members with hostile names in a foreign archive are not keys and are never written anywhere", async () => {
    const dir = tmp.next();
    mkdirSync(dir);
    const file = join(dir, "evil.zip");
    const parts: Uint8Array[] = [];
    const central: Uint8Array[] = [];
    let offset = 0;
    for (const name of ["../evil", "/abs", "a\\b", "ok/key", "a/../../x"]) {
      const entry = newEntry(name, 3, 0x352441c2 /* crc32("abc") */, offset, new Date());
      const header = encodeLocalHeader(entry);
      parts.push(header, new TextEncoder().encode("abc"));
      central.push(encodeCentralHeader(entry));
      offset += header.length + 3;
    }
    const cdSize = central.reduce((n, c) => n + c.length, 0);
    writeFileSync(file, Buffer.concat([...parts, ...central, encodeEnd(central.length, offset, cdSize)]));
    const before = snapshot(join(dir, ".."), "");
    const store = await ZipStore.open(file, { mode: "a" });
    expect(await store.list()).toEqual(["ok/key"]);
    expect(await store.get("ok/key")).toEqual(new TextEncoder().encode("abc"));
    await store.close();
    const after = snapshot(join(dir, ".."), "");
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  });
});
