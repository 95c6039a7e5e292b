import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openTable } from "@colz/ctable/node";
import { describe, expect, it } from "vitest";
import { parseImportOptions } from "../src/convert/options.js";
import { entries, tempDir } from "./convert-fixtures.js";
import { runCli } from "./run-cli.js";

const dir = tempDir();

async function schemaOf(path: string): Promise<Record<string, string>> {
  const t = await openTable(path);
  try {
    return Object.fromEntries(
      t.schema.map((c) => [c.name, `${c.kind === "utf8" ? "utf8" : c.dtype}${c.nullable ? "?" : ""}`]),
    );
  } finally {
    await t.close();
  }
}

async function rowsOf(path: string): Promise<Record<string, unknown>[]> {
  const t = await openTable(path);
  try {
    return await t.rows(0, t.length);
  } finally {
    await t.close();
  }
}

describe("colz import", () => {
  it("infers int64, float64, bool, datetime64, utf8 and nullability from CSV", async () => {
    const csv = join(dir, "types.csv");
    writeFileSync(
      csv,
      'i,f,b,t,s,n\n1,1.5,true,2024-01-02T03:04:05.123456Z,"a, ""b""",\n-2,NaN,FALSE,2024-01-03,,\n9007199254740993,-inf,True,2024-01-04 05:06,"",\n',
    );
    const out = join(dir, "types.bcolz");
    const r = await runCli(["import", csv, out]);
    expect(r.code, r.stderr).toBe(0);
    expect(await schemaOf(out)).toEqual({
      i: "int64",
      f: "float64",
      b: "bool",
      t: "datetime64[us]",
      s: "utf8?",
      n: "utf8?",
    });
    const rows = await rowsOf(out);
    expect(rows.map((r) => r.i)).toEqual([1n, -2n, 9007199254740993n]);
    expect(rows.map((r) => r.s)).toEqual(['a, "b"', null, ""]);
    expect(rows.map((r) => r.t)).toEqual([1704164645123456n, 1704240000000000n, 1704344760000000n]);
    expect(Number.isNaN(rows[1]!.f)).toBe(true);
  });

  it("--schema sets types; a trailing ? allows nulls; a zip layout by extension", async () => {
    const csv = join(dir, "schema.csv");
    writeFileSync(csv, "a,b,c,d\n1,xy,2024-01-02T00:00:00.5Z,7\n2,z,2024-01-03,\n");
    const out = join(dir, "schema.zip");
    const r = await runCli(["import", csv, out, "--schema", "a:i4,b:S4,c:M8[ms],d:f8?", "--cname", "zstd"]);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(out).isFile()).toBe(true);
    expect(await schemaOf(out)).toEqual({ a: "int32", b: "|S4", c: "datetime64[ms]", d: "float64?" });
    const rows = await rowsOf(out);
    expect(rows.map((x) => x.d)).toEqual([7, null]);
  });

  it("JSON lines: inference, missing keys are null, big int64 strings", async () => {
    const jsonl = join(dir, "rows.jsonl");
    writeFileSync(
      jsonl,
      '{"id":1,"v":0.5,"tag":"x","when":"2024-01-02T00:00:00.000Z","big":"9223372036854775807"}\n\n{"id":2,"v":"NaN","when":null,"big":3}\n',
    );
    const out = join(dir, "rows.bcolz");
    const r = await runCli(["import", jsonl, out]);
    expect(r.code, r.stderr).toBe(0);
    expect(await schemaOf(out)).toEqual({
      id: "int64",
      v: "float64",
      tag: "utf8?",
      when: "datetime64[ms]?",
      big: "int64",
    });
    expect((await rowsOf(out)).map((x) => x.big)).toEqual([9223372036854775807n, 3n]);
  });

  it("a value after the sample that does not fit fails naming the file, line and column", async () => {
    const lines = ["n,s"];
    for (let i = 0; i < 150; i++) lines.push(`${i},s${i}`);
    lines.push("1.5,late");
    const csv = join(dir, "late.csv");
    writeFileSync(csv, `${lines.join("\n")}\n`);
    const out = join(dir, "late.bcolz");
    const r = await runCli(["import", csv, out, "--infer-rows", "100"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('late.csv: line 152: column "n"');
    expect(r.stderr).toContain("--schema");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
    expect(entries(dir).filter((e) => e.includes("colz-tmp"))).toEqual([]);
    // The suggested fix works.
    const fixed = await runCli(["import", csv, out, "--infer-rows", "100", "--schema", "n:f8"]);
    expect(fixed.code, fixed.stderr).toBe(0);
  });

  it("a JSON-lines field first seen after the sample fails naming the line", async () => {
    const jsonl = join(dir, "late.jsonl");
    writeFileSync(jsonl, '{"a":1}\n{"a":2}\n{"a":3,"b":true}\n');
    const r = await runCli(["import", jsonl, join(dir, "late-j.bcolz"), "--infer-rows", "2"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/late\.jsonl: line 3: field "b"/);
  });

  it("refuses an existing output unless --force, and replaces it atomically with --force", async () => {
    const csv = join(dir, "force.csv");
    writeFileSync(csv, "a\n1\n2\n");
    const out = join(dir, "force.bcolz");
    mkdirSync(out);
    writeFileSync(join(out, "keep.txt"), "x");
    const refused = await runCli(["import", csv, out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${out}: already exists`);
    expect(entries(out)).toEqual(["keep.txt"]);
    const forced = await runCli(["import", csv, out, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect((await rowsOf(out)).length).toBe(2);
  });

  it("bad paths and bad options", async () => {
    const missing = await runCli(["import", join(dir, "nope.csv"), join(dir, "nope.bcolz")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nope.csv: no such file");
    const csv = join(dir, "ok.csv");
    writeFileSync(csv, "a\n1\n");
    const noParent = await runCli(["import", csv, join(dir, "no", "such", "t.bcolz")]);
    expect(noParent.code).toBe(1);
    expect(noParent.stderr).toMatch(/no such directory/);
    const unknownExt = await runCli(["import", join(dir, "x.parquet"), join(dir, "x.bcolz")]);
    expect(unknownExt.code).toBe(2);
    // One bad option end to end; the rest of the validation is checked in-process (fast).
    const r = await runCli(["import", csv, join(dir, "bad.bcolz"), "--clevel", "12"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const unknownColumn = await runCli(["import", csv, join(dir, "bad.bcolz"), "--schema", "zz:i8"]);
    expect(unknownColumn.code, unknownColumn.stderr).toBe(2);
    const bads = [
      { clevel: "x" },
      { cname: "snappy" },
      { shuffle: "yes" },
      { schema: "a:q7" },
      { schema: "a:>i8" },
      { schema: "a" },
      { chunklen: "0" },
      { inferRows: "-1" },
      { delimiter: "" },
    ];
    for (const bad of bads) {
      expect(() => parseImportOptions(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ exitCode: 2 }));
    }
    const garbage = join(dir, "garbage.arrow");
    writeFileSync(garbage, "this is not arrow");
    const g = await runCli(["import", garbage, join(dir, "garbage.bcolz")]);
    expect(g.code).toBe(1);
    expect(g.stderr).toContain("garbage.arrow");
    expect(
      entries(dir).filter((e) => e.includes("colz-tmp") || e.startsWith("bad") || e.startsWith("garbage.bcolz")),
    ).toEqual([]);
  });

  it("--help has examples", async () => {
    const r = await runCli(["import", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Examples:");
  });
});
