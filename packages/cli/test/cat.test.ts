import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createTable } from "@colz/ctable/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "./run-cli.js";
import { BCOLZ, createValuesTable, tempDir } from "./tables.js";

const tmp = tempDir("cat");
const values = join(tmp.dir, "values.bcolz");
const big = join(tmp.dir, "big.zip");
const BIG_ROWS = 400_000;

beforeAll(async () => {
  await createValuesTable(values);
  const t = await createTable(
    big,
    { n: Float64Array.from({ length: BIG_ROWS }, (_, i) => i * 1.5) },
    { chunklen: 50_000 },
  );
  await t.close();
});
afterAll(() => tmp.cleanup());

const CSV = [
  "id,ts,day,txt,empty,bin,f,g,ok",
  '1,2024-01-02T00:00:00.123456789Z,2024-01-02,plain,"",00ff,NaN,1.1,true',
  '1152921504606846976,1970-01-01T00:00:00.000000000Z,,"q""u,o\nte",x,"",Infinity,-Infinity,false',
  "-9007199254740993,,1969-12-31,,,,-0.5,3,",
  "",
].join("\n");

const JSONL = [
  '{"id":1,"ts":"2024-01-02T00:00:00.123456789Z","day":"2024-01-02","txt":"plain","empty":"","bin":"00ff","f":"NaN","g":1.1,"ok":true}',
  '{"id":"1152921504606846976","ts":"1970-01-01T00:00:00.000000000Z","day":null,"txt":"q\\"u,o\\nte","empty":"x","bin":"","f":"Infinity","g":"-Infinity","ok":false}',
  '{"id":"-9007199254740993","ts":null,"day":"1969-12-31","txt":null,"empty":null,"bin":null,"f":-0.5,"g":3,"ok":null}',
  "",
].join("\n");

describe("colz cat / head", () => {
  it("prints csv and jsonl exactly: big ints as strings, ISO datetimes, nulls, quoting, hex bytes", async () => {
    const [csv, jsonl, head] = await Promise.all([
      runCli(["cat", values, "--format", "csv"]),
      runCli(["cat", values, "--format", "jsonl"]),
      runCli(["head", "-n", "1", values, "--format", "jsonl", "--columns", "ok,id"]),
    ]);
    expect(csv).toMatchObject({ code: 0, stderr: "" });
    expect(csv.stdout).toBe(CSV);
    expect(jsonl.stdout).toBe(JSONL);
    expect(
      jsonl.stdout
        .split("\n")
        .slice(0, 3)
        .map((l) => JSON.parse(l).id),
    ).toEqual([1, "1152921504606846976", "-9007199254740993"]);
    expect(head.stdout).toBe('{"ok":true,"id":1}\n');
  });

  it("reads real bcolz fixtures: ctable, dates, UCS-4 strings, |S bytes, 2-D rows, empty", async () => {
    const [table, dates, unicode, bytes, twoD, empty, zstd] = await Promise.all([
      runCli(["head", join(BCOLZ, "ctable_basic"), "-n", "3"], { env: { COLUMNS: "80" } }),
      runCli(["cat", join(BCOLZ, "M8D_dates"), "--slice", "0:2", "--format", "csv"]),
      runCli(["cat", join(BCOLZ, "U5_unicode"), "--slice", "-2:", "--format", "jsonl"]),
      runCli(["cat", join(BCOLZ, "S7_strings"), "--slice", "::4000", "--format", "csv"]),
      runCli(["cat", join(BCOLZ, "f4_2d"), "--slice", "5999:", "--format", "jsonl"]),
      runCli(["cat", join(BCOLZ, "i8_empty"), "--format", "csv"]),
      runCli(["cat", join(BCOLZ, "i4_zstd_sh2"), "--slice", "10005:", "--format", "csv"]),
    ]);
    expect(table.stdout).toBe(
      [
        "id  price  sym  flag",
        "--  -----  ---  -----",
        " 0  12.09  K0   true",
        " 1  52.24  K1   false",
        " 2  45.15  K2   false",
        "",
      ].join("\n"),
    );
    expect(dates.stdout).toBe("M8D_dates\n2000-01-01\n2000-01-02\n");
    expect(unicode.stdout.split("\n").length).toBe(3);
    expect(Object.keys(JSON.parse(unicode.stdout.split("\n")[0]!))).toEqual(["U5_unicode"]);
    expect(bytes.stdout.split("\n")[0]).toBe("S7_strings");
    expect(bytes.stdout.split("\n").length).toBe(5); // header + rows 0, 4000, 8000 + final newline
    expect(JSON.parse(twoD.stdout)).toEqual({ f4_2d: expect.any(Array) });
    expect(JSON.parse(twoD.stdout).f4_2d).toHaveLength(4);
    expect(empty).toMatchObject({ code: 0, stdout: "i8_empty\n" });
    expect(zstd.stdout.split("\n").filter(Boolean)).toHaveLength(3);
    for (const r of [table, dates, unicode, bytes, twoD, empty, zstd]) expect(r).toMatchObject({ code: 0, stderr: "" });
  });

  it("selects with --where, --columns and --slice (strided, backwards)", async () => {
    const f = join(BCOLZ, "ctable_basic");
    const [where, stride, back, whereStride] = await Promise.all([
      runCli(["cat", f, "--where", "(id >= 3) & (id < 6)", "--columns", "sym,id", "--format", "csv"]),
      runCli(["cat", f, "--slice", "1:10:4", "--columns", "id", "--format", "csv"]),
      runCli(["cat", f, "--slice", "-1:-4:-1", "--columns", "id", "--format", "csv"]),
      runCli(["cat", f, "--where", "id < 10", "--slice", "0::3", "--columns", "id", "--format", "csv"]),
    ]);
    expect(where.stdout).toBe("sym,id\nK3,3\nK4,4\nK5,5\n");
    expect(stride.stdout).toBe("id\n1\n5\n9\n");
    expect(back.stdout).toBe("id\n7776\n7775\n7774\n");
    expect(whereStride.stdout).toBe("id\n0\n3\n6\n9\n");
  });

  it("fits the table format to the width, cutting cells with an ellipsis", async () => {
    const r = await runCli(["cat", values, "--columns", "id,txt,ts"], { env: { COLUMNS: "30" } });
    const lines = r.stdout.split("\n").filter(Boolean);
    expect(lines).toHaveLength(5);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(30);
    expect(r.stdout).toContain("…");
    expect(r.stdout).toContain('q"u,o\\nte'.slice(0, 3)); // control characters are escaped, not raw
    expect(r.stdout).not.toContain("o\nte");
  });

  it("stops silently with exit 0 when the reader closes the pipe", async () => {
    const child = spawn(process.execPath, [CLI, "cat", big, "--format", "csv"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    let first = "";
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (b: Buffer) => {
        first += b.toString();
        if (first.includes("\n")) {
          child.stdout.destroy();
          resolve();
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(first.split("\n")[0]).toBe("n");
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("usage errors exit 2, missing or foreign paths exit 1, one line each", async () => {
    const file = join(tmp.dir, "plain.txt");
    writeFileSync(file, "hello");
    const f = join(BCOLZ, "ctable_basic");
    const [slice, n, fmt, col, where, missing, foreign, dir] = await Promise.all([
      runCli(["cat", f, "--slice", "1:x"]),
      runCli(["head", f, "-n", "-3"]),
      runCli(["cat", f, "--format", "xml"]),
      runCli(["cat", f, "--columns", "id,nope"]),
      runCli(["cat", f, "--where", "id <"]),
      runCli(["cat", join(tmp.dir, "nothing")]),
      runCli(["cat", file]),
      runCli(["cat", tmp.dir]),
    ]);
    for (const r of [slice, n, fmt, col, where]) expect(r.code).toBe(2);
    expect(slice.stderr).toMatch(/^colz: bad --slice "1:x"/);
    expect(col.stderr).toMatch(/^colz: unknown column "nope"/);
    expect(where.stderr).toMatch(/^colz: bad --where: .*column 5/);
    expect(missing).toMatchObject({
      code: 1,
      stderr: `colz: ${join(tmp.dir, "nothing")}: no such file or directory\n`,
    });
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(new RegExp(`^colz: ${file}: not a colz/bcolz container`));
    expect(dir.code).toBe(1);
    for (const r of [slice, n, fmt, col, where, missing, foreign, dir]) {
      expect(r.stdout).toBe("");
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
