import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectoryStore } from "../../src/store/directory-store.js";
import { HttpStore } from "../../src/store/http-store.js";
import { HttpZipStore } from "../../src/store/http-zip-store.js";
import { ZipStore } from "../../src/store/zip-store.js";
import { bytesOf, expectBytes, expectCode, tempArea } from "./helpers.js";
import { type StaticServer, startStaticServer } from "./static-server.js";

const site = tempArea("http");
let server: StaticServer;
let noRanges: StaticServer;
const big = bytesOf(1 << 20, 5);
const enc = new TextEncoder();

beforeAll(async () => {
  const dir = await DirectoryStore.open(join(site.dir, "t.bcolz"), { mode: "a" });
  const zip = await ZipStore.open(join(site.dir, "t.zip"), { mode: "a" });
  for (const store of [dir, zip]) {
    await store.set("meta/sizes", enc.encode('{"shape": [1]}'));
    await store.set("data/__0.blp", big);
    await store.commit();
    await store.close();
  }
  // A zip whose last commit is followed by a torn tail.
  const torn = await ZipStore.open(join(site.dir, "torn.zip"), { mode: "a" });
  await torn.set("a", enc.encode("committed"));
  await torn.commit();
  await torn.set("a", enc.encode("torn"));
  await torn.close();
  writeFileSync(join(site.dir, "garbage.zip"), bytesOf(10_000, 2));
  server = await startStaticServer(site.dir);
  noRanges = await startStaticServer(site.dir, { ranges: false });
});
afterAll(async () => {
  await server.close();
  await noRanges.close();
});

describe("HttpStore", () => {
  it("getRange fetches exactly the bytes asked for, in one request", async () => {
    const store = await HttpStore.open(`${server.url}t.bcolz`);
    const got = await store.getRange("data/__0.blp", 500_000, 1000);
    expectBytes(got, big.slice(500_000, 501_000));
    expect(store.stats).toEqual({ requests: 1, bytes: 1000 });
    expect(server.log.at(-1)).toBe("GET /t.bcolz/data/__0.blp bytes=500000-500999");
    expect(await store.size("data/__0.blp")).toBe(big.length);
    expect(store.stats.requests).toBe(2); // one HEAD
  });

  it("works against a server that ignores Range, reading no further than needed", async () => {
    const store = await HttpStore.open(`${noRanges.url}t.bcolz`);
    expectBytes(await store.getRange("data/__0.blp", 10, 20), big.slice(10, 30));
    expect(store.stats.bytes).toBeLessThan(big.length); // the body was cancelled early
    expect(await store.getRange("data/__0.blp", big.length + 5, 20)).toEqual(new Uint8Array(0));
  });

  it("network failures are ERR_IO naming the URL; bad URLs are ERR_BAD_ARGUMENT", async () => {
    const down = await startStaticServer(site.dir);
    const url = down.url;
    await down.close();
    const store = await HttpStore.open(`${url}t.bcolz`, { timeoutMs: 5000 });
    await expectCode(store.get("meta/sizes"), "ERR_IO", `${url}t.bcolz/meta/sizes`);
    await expectCode(HttpStore.open("not a url"), "ERR_BAD_ARGUMENT");
    await expectCode(HttpStore.open("file:///etc/passwd"), "ERR_BAD_ARGUMENT");
  });
});

describe("HttpZipStore", () => {
  it("opens with one request and serves list/size from the central directory", async () => {
    const store = await HttpZipStore.open(`${server.url}t.zip`);
    expect(store.stats.requests).toBe(1);
    expect(await store.list()).toEqual(["data/__0.blp", "meta/sizes"]);
    expect(await store.size("data/__0.blp")).toBe(big.length);
    expect(await store.has("nope")).toBe(false);
    expect(store.stats.requests).toBe(1);
  });

  it("getRange fetches only the range (plus the local header the first time)", async () => {
    const store = await HttpZipStore.open(`${server.url}t.zip`);
    const opened = { ...store.stats };
    expectBytes(await store.getRange("data/__0.blp", 10, 100), big.slice(10, 110));
    const header = 30 + "data/__0.blp".length;
    expect(store.stats.requests - opened.requests).toBe(1); // header and range together
    expect(store.stats.bytes - opened.bytes).toBe(header + 110);
    const before = { ...store.stats };
    expectBytes(await store.getRange("data/__0.blp", 700_000, 1000), big.slice(700_000, 701_000));
    expect(store.stats.requests - before.requests).toBe(1);
    expect(store.stats.bytes - before.bytes).toBe(1000); // the data offset is now known
  });

  it("a far range on a fresh member costs the header plus the range, not the bytes between", async () => {
    const store = await HttpZipStore.open(`${server.url}t.zip`);
    const opened = { ...store.stats };
    expectBytes(await store.getRange("data/__0.blp", 900_000, 64), big.slice(900_000, 900_064));
    expect(store.stats.requests - opened.requests).toBe(2);
    expect(store.stats.bytes - opened.bytes).toBe(30 + "data/__0.blp".length + 64);
  });

  it("get checks the CRC and fetches header and data in one request", async () => {
    const store = await HttpZipStore.open(`${server.url}t.zip`);
    const opened = { ...store.stats };
    expectBytes(await store.get("data/__0.blp"), big);
    expect(store.stats.requests - opened.requests).toBe(1);
  });

  it("works against a server that ignores Range (the whole file is read once)", async () => {
    const store = await HttpZipStore.open(`${noRanges.url}t.zip`);
    expectBytes(await store.get("data/__0.blp"), big);
    expectBytes(await store.getRange("data/__0.blp", 5, 5), big.slice(5, 10));
    expect(store.stats.requests).toBe(1);
  });

  it("serves the last commit of a file with a torn tail", async () => {
    const store = await HttpZipStore.open(`${server.url}torn.zip`);
    expect(await store.get("a")).toEqual(enc.encode("committed"));
  });

  it("missing and non-zip files", async () => {
    await expectCode(HttpZipStore.open(`${server.url}missing.zip`), "ERR_NOT_FOUND", "missing.zip");
    await expectCode(HttpZipStore.open(`${server.url}garbage.zip`), "ERR_NOT_A_CONTAINER", "garbage.zip");
  });
});
