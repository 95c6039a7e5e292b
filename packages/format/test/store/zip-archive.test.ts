import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeZipArchive } from "../../src/store/zip-archive.js";
import { ZipBufferStore } from "../../src/store/zip-buffer-store.js";
import { ZipStore } from "../../src/store/zip-store.js";
import { hasUnzip, unzip } from "./unzip.js";

// encodeZipArchive writes a whole archive in one piece; ZipBufferStore reads one from memory.
// Both must agree with ZipStore (the reference reader and writer) and with Info-ZIP.

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const member = fc.record({
  name: fc.constantFrom("meta/sizes", "a/data/__0.blp", "é/ü", "x", "deep/er/key", "__attrs__"),
  bytes: fc.uint8Array({ maxLength: 300 }),
});

describe("encodeZipArchive + ZipBufferStore", () => {
  it("round-trips through ZipStore (the reference reader) and ZipBufferStore", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zip-archive-"));
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(member, { selector: (m) => m.name, maxLength: 6 }), async (members) => {
        const date = new Date(2024, 5, 1, 12, 0, 0);
        const { parts, size } = encodeZipArchive(members, date);
        const bytes = concat(parts);
        expect(bytes.length).toBe(size);
        const file = join(dir, "a.zip");
        writeFileSync(file, bytes);
        const reader = await ZipStore.open(file);
        const fromMemory = await ZipBufferStore.open(bytes, file);
        expect(await reader.list()).toEqual(await fromMemory.list());
        for (const m of members) {
          expect(await reader.get(m.name)).toEqual(m.bytes);
          expect(fromMemory.memberView(m.name)).toEqual(m.bytes);
          expect(await fromMemory.getRange(m.name, 1, 2)).toEqual(m.bytes.slice(1, 3));
        }
        await reader.close();
      }),
      { numRuns: 40 },
    );
  });

  it.skipIf(!hasUnzip)("passes unzip -t", () => {
    const dir = mkdtempSync(join(tmpdir(), "zip-archive-"));
    const file = join(dir, "t.zip");
    const { parts } = encodeZipArchive([
      { name: "meta/sizes", bytes: new TextEncoder().encode('{"shape": [0]}\n') },
      { name: "data/colz-keep", bytes: new Uint8Array(0) },
    ]);
    writeFileSync(file, concat(parts));
    const r = unzip(["-t", file]);
    expect(r.out).toContain("No errors detected");
    expect(r.status).toBe(0);
  });

  it("memberView checks the CRC-32 and the local header; garbage is not a container", async () => {
    const payload = new Uint8Array(64).map((_, i) => i);
    const bytes = concat(encodeZipArchive([{ name: "k", bytes: payload }]).parts);
    const flipped = bytes.slice();
    flipped[30 + 1 + 10]! ^= 1; // a data byte (local header 30 + name 1)
    const store = await ZipBufferStore.open(flipped, "t.zip");
    expect(() => store.memberView("k")).toThrow(expect.objectContaining({ code: "ERR_CORRUPT_CHUNK" }));
    expect(await store.getRange("k", 0, 4)).toEqual(payload.slice(0, 4)); // a part cannot be checked
    const badHeader = bytes.slice();
    badHeader[0] = 0;
    const s2 = await ZipBufferStore.open(badHeader, "t.zip");
    expect(() => s2.memberView("k")).toThrow(expect.objectContaining({ code: "ERR_CORRUPT_META" }));
    await expect(ZipBufferStore.open(new TextEncoder().encode("not a zip"), "t")).rejects.toMatchObject({
      code: "ERR_NOT_A_CONTAINER",
    });
    expect(store.memberView("absent")).toBeUndefined();
    await expect(store.set("k")).rejects.toMatchObject({ code: "ERR_READ_ONLY" });
  });
});
