import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createArray, createTable } from "@colz/ctable/node";
import { beforeAll, describe, expect, it } from "vitest";
import { parseExportOptions } from "../src/convert/options.js";
import { entries, readArrow, tempDir } from "./convert-fixtures.js";
import { runCli } from "./run-cli.js";

const dir = tempDir();
const table = join(dir, "t.bcolz");
const N = 50_000;

beforeAll(async () => {
  const id = new BigInt64Array(N);
  const price = new Float64Array(N);
  const sym: string[] = [];
  for (let i = 0; i < N; i++) {
    id[i] = BigInt(i);
    price[i] = (i % 1000) / 10;
    sym.push(i % 3 === 0 ? "AAPL" : "MSFT");
  }
  const t = await createTable(table, { id, price, sym }, { chunklen: 4096 });
  await t.close();
  const a = await createArray(join(dir, "close.bcolz"), new Float64Array([1.5, 2.5, 3.5]));
  await a.close();
});

describe("colz export", () => {
  it("--where and --columns select rows and columns, in every format", async () => {
    const where = '(price > 90) & (sym == "AAPL")';
    let expected = 0;
    for (let i = 0; i < N; i++) if ((i % 1000) / 10 > 90 && i % 3 === 0) expected++;
    expect(expected).toBeGreaterThan(1000);

    const arrow = join(dir, "hits.arrow");
    const r1 = await runCli(["export", table, arrow, "--where", where, "--columns", "price,id"]);
    expect(r1.code, r1.stderr).toBe(0);
    const back = await readArrow(arrow);
    expect(back.numRows).toBe(expected);
    expect(back.schema.fields.map((f) => f.name)).toEqual(["price", "id"]);
    const ids = [...back.getChild("id")!] as bigint[];
    expect(ids.every((i) => Number(i) % 3 === 0 && (Number(i) % 1000) / 10 > 90)).toBe(true);
    expect(ids).toEqual([...ids].sort((a, b) => Number(a - b)));

    const stream = join(dir, "hits.arrows");
    expect((await runCli(["export", table, stream, "--where", where, "--compression", "none"])).code).toBe(0);
    expect((await readArrow(stream)).numRows).toBe(expected);

    const csv = join(dir, "hits.csv");
    expect((await runCli(["export", table, csv, "--where", where, "--columns", "id,sym"])).code).toBe(0);
    const lines = readFileSync(csv, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("id,sym");
    expect(lines).toHaveLength(expected + 1);
    expect(lines.slice(1).every((l) => l.endsWith(",AAPL"))).toBe(true);

    const jsonl = join(dir, "all.ndjson");
    expect((await runCli(["export", table, jsonl, "--columns", "sym"])).code).toBe(0);
    const rows = readFileSync(jsonl, "utf8").trimEnd().split("\n");
    expect(rows).toHaveLength(N);
    expect(JSON.parse(rows[1]!)).toEqual({ sym: "MSFT" });
  });

  it("a carray exports as one column named after it", async () => {
    const out = join(dir, "close.csv");
    const r = await runCli(["export", join(dir, "close.bcolz"), out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toBe("close\n1.5\n2.5\n3.5\n");
  });

  it("refuses an existing output unless --force; --to overrides the extension", async () => {
    const out = join(dir, "exists.dat");
    writeFileSync(out, "old");
    const r = await runCli(["export", table, out, "--to", "csv"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${out}: already exists`);
    expect(readFileSync(out, "utf8")).toBe("old");
    const f = await runCli(["export", table, out, "--to", "csv", "--force", "--where", "id < 2"]);
    expect(f.code, f.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toBe("id,price,sym\n0,0,AAPL\n1,0.1,MSFT\n");
  });

  it("bad arguments are usage errors; bad inputs fail with exit 1; nothing is left behind", async () => {
    for (const args of [
      ["--columns", "nope"],
      ["--where", "price >"],
      ["--compression", "gzip"],
    ]) {
      const r = await runCli(["export", table, join(dir, "bad.arrow"), ...args]);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
    }
    for (const bad of [{ columns: "a,,b" }, { where: " " }, { compression: "gzip" }, { to: "parquet" }]) {
      expect(() => parseExportOptions(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ exitCode: 2 }));
    }
    const noExt = await runCli(["export", table, join(dir, "bad.out")]);
    expect(noExt.code).toBe(2);
    const missing = await runCli(["export", join(dir, "missing.bcolz"), join(dir, "bad.arrow")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("missing.bcolz");
    expect(entries(dir).filter((e) => e.startsWith("bad") || e.includes("colz-tmp"))).toEqual([]);
  });

  it("--help has examples", async () => {
    const r = await runCli(["export", "--help"]);
    expect(r.stdout).toContain("Examples:");
  });
});
