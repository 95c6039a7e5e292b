import { rmSync } from "node:fs";
import { join } from "node:path";
import { ready } from "@colz/blosc-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CArrayAppender } from "../../src/layout/carray-appender.js";
import { commitCArrays } from "../../src/layout/carray-writer.js";
import { createCTable, openCTable } from "../../src/layout/ctable-layout.js";
import { ZipStore } from "../../src/store/zip-store.js";
import { python, pythonReadCArray, tempDir } from "./helpers.js";

const dirs: string[] = [];
beforeAll(async () => {
  await ready();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("the same layout in a single-file ZIP store", () => {
  it("a ctable written to a zip reads back, and unzips into a bcolz directory", async () => {
    const dir = tempDir("colz-zip-layout-");
    dirs.push(dir);
    const file = join(dir, "t.zip");
    const n = 5000;
    const id = new BigInt64Array(n).map((_, i) => BigInt(i * 3));
    const flag = new Uint8Array(n).map((_, i) => (i % 5 === 0 ? 1 : 0));
    const w = await ZipStore.open(file, { mode: "a" });
    try {
      const writers = await createCTable(
        w,
        "",
        [
          { name: "id", dtype: "int64", chunklen: 1024 },
          { name: "flag", dtype: "bool", chunklen: 1024 },
        ],
        { source: "zip" },
      );
      const [a, b] = await Promise.all(writers.map((x) => CArrayAppender.open(x)));
      await a!.append(new Uint8Array(id.buffer));
      await b!.append(flag);
      await a!.flushChunks();
      await b!.flushChunks();
      await commitCArrays(w, [...a!.commitEntries(), ...b!.commitEntries()]);
    } finally {
      await w.close();
    }
    const r = await ZipStore.open(file);
    try {
      const t = await openCTable(r, "");
      expect(t.length).toBe(n);
      expect(t.attrs).toEqual({ source: "zip" });
      expect(new BigInt64Array((await t.columns[0]!.readAll()).slice().buffer)).toEqual(id);
      expect(await t.columns[1]!.readAll()).toEqual(flag);
    } finally {
      await r.close();
    }
    const out = join(dir, "unzipped");
    python(
      `import zipfile, sys\nz = zipfile.ZipFile(${JSON.stringify(file)})\nassert z.testzip() is None\nz.extractall(${JSON.stringify(out)})`,
    );
    expect(Buffer.from(pythonReadCArray(join(out, "id"))).equals(Buffer.from(id.buffer))).toBe(true);
    expect(Buffer.from(pythonReadCArray(join(out, "flag"))).equals(Buffer.from(flag))).toBe(true);
  });
});
