import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isColzError } from "../../src/errors.js";
import { ZipStore } from "../../src/store/zip-store.js";
import { bytesOf, expectCode, tempArea } from "./helpers.js";
import { contents, threeCommits } from "./zip-fixtures.js";

const tmp = tempArea("zipbad");
const enc = new TextEncoder();

describe("ZipStore bad input", () => {
  function eocd(count: number, cdSize: number, cdOffset: number): Buffer {
    const e = Buffer.alloc(22);
    e.writeUInt32LE(0x06054b50, 0);
    e.writeUInt16LE(count, 8);
    e.writeUInt16LE(count, 10);
    e.writeUInt32LE(cdSize, 12);
    e.writeUInt32LE(cdOffset, 16);
    return e;
  }
  const local = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

  it("rejects non-archives and impossible directories with ColzErrors naming file and offset", async () => {
    const cases: [string, Buffer, "ERR_NOT_A_CONTAINER" | "ERR_CORRUPT_META", string?][] = [
      ["empty", Buffer.alloc(0), "ERR_NOT_A_CONTAINER"],
      ["short", Buffer.from("PK"), "ERR_NOT_A_CONTAINER"],
      ["random", Buffer.from(bytesOf(100_000, 11)), "ERR_NOT_A_CONTAINER"],
      [
        "cd out of bounds",
        Buffer.concat([local, Buffer.alloc(100), eocd(1, 46, 1e9)]),
        "ERR_CORRUPT_META",
        "offset 104",
      ],
      ["count too large", Buffer.concat([local, Buffer.alloc(100), eocd(60000, 100, 4)]), "ERR_CORRUPT_META", "60000"],
      [
        "zip64 sentinel",
        Buffer.concat([local, Buffer.alloc(100), eocd(0xffff, 0xffffffff, 0xffffffff)]),
        "ERR_CORRUPT_META",
      ],
    ];
    // A CD entry whose name length runs past the directory.
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(5000, 28);
    cases.push([
      "name overflow",
      Buffer.concat([local, Buffer.alloc(26), cd, eocd(1, 46, 30)]),
      "ERR_CORRUPT_META",
      "entry 0",
    ]);
    // A ZIP64 locator pointing beyond the file.
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(1n << 40n, 8);
    cases.push([
      "zip64 locator",
      Buffer.concat([local, Buffer.alloc(10), loc, eocd(0, 0, 0xffffffff)]),
      "ERR_CORRUPT_META",
    ]);
    for (const [label, bytes, code, text] of cases) {
      const file = tmp.next(".zip");
      writeFileSync(file, bytes);
      await expectCode(ZipStore.open(file), code, file);
      if (text !== undefined) await expectCode(ZipStore.open(file), code, text);
      // A writer refuses too, and leaves the file alone.
      if (bytes.length > 0) {
        await expectCode(ZipStore.open(file, { mode: "a" }), code);
        await expectCode(ZipStore.open(file, { mode: "w" }), code);
        expect(readFileSync(file).equals(bytes), label).toBe(true);
      }
    }
  });

  it("missing files, directories and empty files", async () => {
    await expectCode(ZipStore.open(tmp.next(".zip")), "ERR_NOT_FOUND");
    await expectCode(ZipStore.open(tmp.next(".zip"), { mode: "a", create: false }), "ERR_NOT_FOUND");
    const dir = tmp.next();
    mkdirSync(dir);
    await expectCode(ZipStore.open(dir), "ERR_NOT_A_CONTAINER");
    await expectCode(ZipStore.open(dir, { mode: "a" }), "ERR_NOT_A_CONTAINER");
    const empty = tmp.next(".zip");
    writeFileSync(empty, "");
    const store = await ZipStore.open(empty, { mode: "a" }); // a 0-byte file holds nothing to lose
    await store.set("x", enc.encode("y"));
    await store.commit();
    await store.close();
    expect(await contents(empty)).toEqual({ x: "y" });
  });

  it("random corruption never escapes as anything but a ColzError", async () => {
    const { file } = await threeCommits(tmp.next);
    const base = readFileSync(file);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.option(fc.nat({ max: base.length }), { nil: undefined }),
        async (edits, cut) => {
          const b = Buffer.from(base);
          for (const [at, value] of edits) b[at] = value;
          const target = tmp.next(".zip");
          writeFileSync(target, cut === undefined ? b : b.subarray(0, cut));
          try {
            const store = await ZipStore.open(target);
            try {
              for (const key of await store.list()) {
                await store.get(key).catch(rethrowUnlessColz);
                await store.getRange(key, 3, 50).catch(rethrowUnlessColz);
                await store.size(key);
              }
            } finally {
              await store.close();
            }
          } catch (e) {
            rethrowUnlessColz(e);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

function rethrowUnlessColz(e: unknown): void {
  if (!isColzError(e)) throw e;
}
