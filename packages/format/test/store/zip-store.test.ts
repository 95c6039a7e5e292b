import { spawnSync } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeCentralHeader, encodeEnd, encodeLocalHeader, newEntry } from "../../src/store/zip-format.js";
import { ZipStore } from "../../src/store/zip-store.js";
import { bytesOf, expectBytes, expectCode, tempArea } from "./helpers.js";
import { hasUnzip, hasZip, unzip, unzipNames } from "./unzip.js";
import { contents, contentsOf, copyPrefix, threeCommits } from "./zip-fixtures.js";

const tmp = tempArea("zip");
const enc = new TextEncoder();

describe("ZipStore file format", () => {
  it.skipIf(!hasUnzip)("unzip -l / -t accept the archive after overwrites, deletes and several commits", async () => {
    const file = tmp.next(".zip");
    const store = await ZipStore.open(file, { mode: "a" });
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 10; i++) await store.set(`data/__${i}.blp`, bytesOf(1000 + round * 37 + i, round * 10 + i));
      await store.set("meta/sizes", enc.encode(`{"shape": [${round}]}`));
      await store.delete(`data/__${round}.blp`);
      await store.set("ключ/😀", enc.encode("unicode"));
      await store.commit();
    }
    const keys = await store.list();
    await store.close();
    const t = unzip(["-t", file]);
    expect(t.status, t.out).toBe(0);
    expect(t.out).toContain("No errors detected");
    expect(unzipNames(file).sort()).toEqual([...keys].sort());
    const l = unzip(["-l", file]);
    expect(l.status, l.out).toBe(0);
    expect(l.out).toContain(`${keys.length} files`);
  });

  it.skipIf(!hasUnzip)("unzip extracts the exact bytes", async () => {
    const file = tmp.next(".zip");
    const store = await ZipStore.open(file, { mode: "a" });
    const value = bytesOf(70_000, 9);
    await store.set("data/__0.blp", value);
    await store.commit();
    await store.close();
    const r = spawnSync("unzip", ["-p", file, "data/__0.blp"], { maxBuffer: 1 << 24 });
    expect(r.status).toBe(0);
    expectBytes(new Uint8Array(r.stdout), value);
  });

  it("writes members STORED with the UTF-8 flag, CRC-32 and no data descriptor", async () => {
    const file = tmp.next(".zip");
    const store = await ZipStore.open(file, { mode: "a" });
    await store.set("é", enc.encode("hello"));
    await store.commit();
    await store.close();
    const b = readFileSync(file);
    const at = b.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(b.readUInt16LE(at + 6)).toBe(0x0800); // flags: UTF-8 only
    expect(b.readUInt16LE(at + 8)).toBe(0); // method: stored
    expect(b.readUInt32LE(at + 14)).toBe(0x3610a686); // crc32("hello")
    expect(b.readUInt32LE(at + 18)).toBe(5);
    expect(b.subarray(at + 30, at + 32).toString("utf8")).toBe("é");
  });
});

describe("ZipStore commits and torn tails", () => {
  it("uncommitted sets are visible to the writer only; a reopen shows the last commit", async () => {
    const file = tmp.next(".zip");
    const writer = await ZipStore.open(file, { mode: "a" });
    await writer.set("a", enc.encode("1"));
    await writer.commit();
    await writer.set("a", enc.encode("2"));
    await writer.set("b", enc.encode("new"));
    await writer.delete("a");
    expect(await writer.get("b")).toEqual(enc.encode("new"));
    expect(await contents(file)).toEqual({ a: "1" }); // a reader opened now
    await writer.close(); // without commit
    expect(await contents(file)).toEqual({ a: "1" });
  });

  it("a reader keeps the snapshot it opened", async () => {
    const file = tmp.next(".zip");
    const writer = await ZipStore.open(file, { mode: "a" });
    await writer.set("a", enc.encode("1"));
    await writer.commit();
    const reader = await ZipStore.open(file);
    await writer.set("a", enc.encode("2"));
    await writer.commit();
    expect(await reader.get("a")).toEqual(enc.encode("1"));
    await reader.close();
    await writer.close();
    expect(await contents(file)).toEqual({ a: "2" });
  });

  it("every truncation point opens at the last complete commit", async () => {
    const { file, ends, states } = await threeCommits(tmp.next);
    const size = statSync(file).size;
    expect(size).toBe(ends[2]);
    for (let cut = 0; cut <= size; cut++) {
      const copy = copyPrefix(file, cut, tmp.next(".zip"));
      if (cut < (ends[0] as number)) {
        await expectCode(ZipStore.open(copy), "ERR_NOT_A_CONTAINER", copy);
        continue;
      }
      const commit = cut >= (ends[2] as number) ? 2 : cut >= (ends[1] as number) ? 1 : 0;
      expect(await contents(copy), `cut at ${cut}`).toEqual(states[commit]);
    }
  });

  it("the next writer truncates a torn tail and appends after the last commit", async () => {
    const { file, ends, states } = await threeCommits(tmp.next);
    const torn = copyPrefix(file, (ends[2] as number) - 7, tmp.next(".zip")); // the last EOCD is torn
    const writer = await ZipStore.open(torn, { mode: "a" });
    expect(statSync(torn).size).toBe(ends[1]);
    expect(await contentsOf(writer)).toEqual(states[1]);
    await writer.set("after", enc.encode("crash"));
    await writer.commit();
    await writer.close();
    expect(await contents(torn)).toEqual({ ...states[1], after: "crash" });
    if (hasUnzip) expect(unzip(["-t", torn]).status).toBe(0);
  });

  it("garbage after the last EOCD (partial members, a fake EOCD) is ignored", async () => {
    const { file, states } = await threeCommits(tmp.next);
    const fake = Buffer.alloc(22);
    fake.writeUInt32LE(0x06054b50, 0);
    fake.writeUInt16LE(1, 8);
    fake.writeUInt16LE(1, 10);
    fake.writeUInt32LE(46, 12);
    fake.writeUInt32LE(3, 16); // a CD that does not end where the EOCD starts
    const tail = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]),
      bytesOf(5000, 4),
      fake,
      bytesOf(10, 5),
    ]);
    writeFileSync(file, Buffer.concat([readFileSync(file), tail]));
    expect(await contents(file)).toEqual(states[2]);
  });

  it("a central directory with a zero-filled block falls back to the previous commit", async () => {
    const { file, ends, states } = await threeCommits(tmp.next);
    const b = readFileSync(file);
    const eocd = (ends[2] as number) - 22;
    const cdOffset = b.readUInt32LE(eocd + 16);
    b.fill(0, cdOffset + 10, eocd - 4); // as if the page holding part of the CD never reached the disk
    writeFileSync(file, b);
    expect(await contents(file)).toEqual(states[1]);
  });

  it("a corrupted member fails its CRC check (ERR_CORRUPT_CHUNK) without hiding the others", async () => {
    const { file } = await threeCommits(tmp.next);
    const b = readFileSync(file);
    const data = b.indexOf(Buffer.from("data/__1.blp")) + "data/__1.blp".length + 5; // inside the first member's data
    b[data] = (b[data] as number) ^ 0xff;
    writeFileSync(file, b);
    const store = await ZipStore.open(file);
    await expectCode(store.get("data/__1.blp"), "ERR_CORRUPT_CHUNK", "data/__1.blp");
    expect(await store.get("meta/sizes")).toEqual(enc.encode("two"));
    await store.close();
  });

  it("a bad local header is ERR_CORRUPT_META naming the offset", async () => {
    const { file } = await threeCommits(tmp.next);
    const b = readFileSync(file);
    const name = b.indexOf(Buffer.from("data/__1.blp"));
    b.writeUInt32LE(0xdeadbeef, name - 30);
    writeFileSync(file, b);
    const store = await ZipStore.open(file);
    await expectCode(store.get("data/__1.blp"), "ERR_CORRUPT_META", `offset ${name - 30}`);
    await store.close();
  });
});

describe("ZipStore modes and compaction", () => {
  it("mode 'w' replaces an existing archive with an empty one", async () => {
    const { file } = await threeCommits(tmp.next);
    const store = await ZipStore.open(file, { mode: "w" });
    expect(await store.list()).toEqual([]);
    await store.close();
    expect(statSync(file).size).toBe(22);
    expect(await contents(file)).toEqual({});
  });

  it.skipIf(!hasUnzip)("compact() drops garbage, keeps contents, and old readers keep their snapshot", async () => {
    const file = tmp.next(".zip");
    const store = await ZipStore.open(file, { mode: "a" });
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 5; i++) await store.set(`k${i}`, bytesOf(2000, round * 5 + i));
      await store.commit();
    }
    await store.delete("k4");
    await store.set("late", enc.encode("uncommitted before compact"));
    const before = statSync(file).size;
    const reader = await ZipStore.open(file);
    const want = await contentsOf(store);
    await store.compact();
    expect(statSync(file).size).toBeLessThan(before / 10);
    expect(store.committedLength).toBe(statSync(file).size);
    expect(await contentsOf(store)).toEqual(want);
    await store.set("after", enc.encode("compaction"));
    await store.commit();
    expectBytes(await reader.get("k4"), bytesOf(2000, 19 * 5 + 4)); // the old file, still open
    await reader.close();
    await store.close();
    expect(await contents(file)).toEqual({ ...want, after: "compaction" });
    expect(unzip(["-t", file]).status).toBe(0);
  });
});

describe("ZipStore ZIP64", () => {
  it.skipIf(!hasUnzip)("more than 65535 entries: writes and reads the ZIP64 end records", async () => {
    const file = tmp.next(".zip");
    const store = await ZipStore.open(file, { mode: "a", sync: false });
    const n = 65_600; // just past the 65535 entries a classic EOCD can count
    for (let i = 0; i < n; i++) await store.set(`k/${i}`, enc.encode(String(i)));
    await store.commit();
    await store.close();
    const tail = readFileSync(file).subarray(-98);
    expect(tail.readUInt32LE(0)).toBe(0x06064b50); // ZIP64 EOCD record
    expect(tail.readUInt32LE(56)).toBe(0x07064b50); // ZIP64 locator
    expect(tail.readUInt16LE(76 + 10)).toBe(0xffff); // classic EOCD count: "see ZIP64"
    const reader = await ZipStore.open(file);
    expect((await reader.list()).length).toBe(n);
    expect(await reader.get("k/65599")).toEqual(enc.encode("65599"));
    await reader.close();
    const l = unzip(["-l", file]);
    expect(l.status, l.out.slice(-500)).toBe(0);
    expect(l.out).toContain(`${n} files`);
  });

  it("offsets and sizes beyond 4 GiB (sparse file)", async () => {
    // A 4 GiB member of zeros, written by hand as a sparse file, followed by ZipStore appends
    // whose local header offsets need the ZIP64 extra field.
    const file = tmp.next(".zip");
    const size = 2 ** 32;
    const big = newEntry("big.bin", size, 0xd202ef8d /* CRC-32 of 2^32 zero bytes */, 0, new Date());
    const header = encodeLocalHeader(big);
    writeFileSync(file, header);
    truncateSync(file, header.length + size);
    const cd = encodeCentralHeader(big);
    const end = encodeEnd(1, header.length + size, cd.length);
    const fd = openSync(file, "r+");
    writeSync(fd, Buffer.concat([cd, end]), 0, cd.length + end.length, header.length + size);
    closeSync(fd);

    const store = await ZipStore.open(file, { mode: "a" });
    expect(await store.size("big.bin")).toBe(size);
    await store.set("small/a", enc.encode("after 4 GiB"));
    await store.set("small/b", bytesOf(1000, 3));
    await store.commit();
    await store.close();

    const reader = await ZipStore.open(file);
    expect(await reader.list()).toEqual(["big.bin", "small/a", "small/b"]);
    expect(await reader.get("small/a")).toEqual(enc.encode("after 4 GiB"));
    expectBytes(await reader.get("small/b"), bytesOf(1000, 3));
    expect(await reader.getRange("big.bin", size - 4, 100)).toEqual(new Uint8Array(4));
    await reader.close();
    if (hasUnzip) {
      const l = unzip(["-l", file]);
      expect(l.status, l.out).toBe(0);
      expect(l.out).toContain("4294967296");
      const t = unzip(["-t", file, "small/a", "small/b"]);
      expect(t.status, t.out).toBe(0);
    }
  });
});

describe.skipIf(!hasZip)("ZipStore reading archives made by other tools", () => {
  it("reads `zip -0` archives (directory entries skipped); compressed members are ERR_UNSUPPORTED", async () => {
    const root = tmp.next();
    mkdirSync(join(root, "t/meta"), { recursive: true });
    writeFileSync(join(root, "t/meta/sizes"), '{"shape": [1]}');
    writeFileSync(join(root, "t/big"), Buffer.alloc(10_000, 7));
    const stored = join(root, "stored.zip");
    const deflated = join(root, "deflated.zip");
    expect(spawnSync("zip", ["-q", "-0", "-r", stored, "t"], { cwd: root }).status).toBe(0);
    expect(spawnSync("zip", ["-q", "-9", "-r", deflated, "t"], { cwd: root }).status).toBe(0);
    const s = await ZipStore.open(stored);
    expect(await s.list()).toEqual(["t/big", "t/meta/sizes"]);
    expect(Buffer.from((await s.get("t/meta/sizes")) as Uint8Array).toString()).toBe('{"shape": [1]}');
    await s.close();
    const d = await ZipStore.open(deflated);
    await expectCode(d.get("t/big"), "ERR_UNSUPPORTED", "t/big");
    expect(await d.size("t/big")).toBe(10_000);
    await d.close();
    // Appending to a foreign archive keeps it valid.
    const w = await ZipStore.open(stored, { mode: "a" });
    await w.set("t/meta/sizes", enc.encode('{"shape": [2]}'));
    await w.commit();
    await w.close();
    if (hasUnzip) expect(unzip(["-t", stored]).status).toBe(0);
    expect((await contents(stored))["t/meta/sizes"]).toBe('{"shape": [2]}');
  });
});
