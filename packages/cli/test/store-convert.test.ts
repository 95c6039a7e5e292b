import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { KeyStore } from "@colz/store/node";
import { describe, expect, it } from "vitest";
import type { CliContext } from "../src/context.js";
import { parseExportOptions, parseImportOptions } from "../src/convert/options.js";
import { exportStoreKey, importIntoStore } from "../src/convert/store-convert.js";
import { tempDir } from "./convert-fixtures.js";

// The functions behind `colz store put` / `colz store get STORE KEY OUT`, called in-process.

const dir = tempDir();

function quietContext(): CliContext {
  const sink = new PassThrough();
  sink.resume();
  return {
    io: { stdout: sink, stderr: sink, stdin: new PassThrough(), env: {} },
    globals: () => ({ quiet: true, debug: false }),
    showProgress: () => false,
    onInterrupt: () => () => undefined,
  };
}

describe("importIntoStore / exportStoreKey", () => {
  it("puts a CSV under a key and gets it back as CSV; refuses to replace without force", async () => {
    const csv = join(dir, "in.csv");
    writeFileSync(csv, 'a,b\n1,"x, y"\n2,\n');
    const store = join(dir, "store");
    const ctx = quietContext();
    expect(await importIntoStore(store, "k/1", csv, parseImportOptions({}), ctx)).toEqual({ rows: 2 });
    await expect(importIntoStore(store, "k/1", csv, parseImportOptions({}), ctx)).rejects.toThrow(/already exists/);
    await importIntoStore(store, "k/1", csv, parseImportOptions({ force: true, cname: "zstd" }), ctx);

    const ks = await KeyStore.open(store, { mode: "r" });
    expect((await ks.getColumns("k/1"))!.b).toEqual(["x, y", null]);
    await ks.close();

    const out = join(dir, "out.csv");
    expect((await exportStoreKey(store, "k/1", out, parseExportOptions({}), ctx)).rows).toBe(2);
    expect(readFileSync(out, "utf8")).toBe('a,b\n1,"x, y"\n2,\n');
    await expect(exportStoreKey(store, "nope", join(dir, "x.csv"), parseExportOptions({}), ctx)).rejects.toThrow(
      /no key "nope"/,
    );
    await expect(
      exportStoreKey(join(dir, "missing"), "k", join(dir, "y.csv"), parseExportOptions({}), ctx),
    ).rejects.toThrow(/missing/);
  });
});
