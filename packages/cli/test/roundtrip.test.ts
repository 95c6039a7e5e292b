import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { arrowTable, COLUMNS, columnValues, entries, readArrow, tempDir, writeArrow } from "./convert-fixtures.js";
import { runCli } from "./run-cli.js";

// import → export → import → export, through every format, compared value by value with the
// original Arrow table: ints (int64 beyond 2^53, both int64 limits), floats (NaN, ±Infinity),
// bools, strings (unicode, commas, quotes, CR/LF, empty vs null), timestamps, nulls everywhere.

const dir = tempDir();
const names = Object.keys(COLUMNS);

async function ok(args: string[]): Promise<void> {
  const r = await runCli(args);
  expect(r.stderr, `colz ${args.join(" ")}`).not.toMatch(/colz: (?!imported|exported)/);
  expect(r.code, r.stderr).toBe(0);
}

describe("round trips", () => {
  const source = join(dir, "source.arrow");
  const first = join(dir, "first.zip");
  beforeAll(async () => {
    writeArrow(source, arrowTable());
    await ok(["import", source, first]);
  });

  it.each([
    ["arrow", "zip"],
    ["arrows", "bcolz"],
    ["csv", "zip"],
    ["jsonl", "bcolz"],
  ])("arrow → colz → %s → colz (%s) → arrow keeps every value", async (format, layout) => {
    const middle = join(dir, `middle.${format}`);
    const second = join(dir, `second-${format}.${layout}`);
    const last = join(dir, `last-${format}.arrow`);
    await ok(["export", first, middle]);
    await ok(["import", middle, second]);
    await ok(["export", second, last]);
    const back = await readArrow(last);
    expect(back.numRows).toBe(COLUMNS.id.length);
    expect(back.schema.fields.map((f) => f.name)).toEqual(names);
    const original = arrowTable();
    for (const name of names) expect(columnValues(back, name), name).toEqual(columnValues(original, name));
    if (format === "arrow" || format === "arrows") {
      // Arrow all the way: the types survive too.
      expect(back.schema.fields.map((f) => String(f.type))).toEqual(original.schema.fields.map((f) => String(f.type)));
    }
    expect(entries(dir).some((e) => e.includes("colz-tmp"))).toBe(false);
  });

  it("an Arrow stream imports like a file", async () => {
    const stream = join(dir, "source.arrows");
    writeArrow(stream, arrowTable(), "stream");
    await ok(["import", stream, join(dir, "from-stream.zip")]);
    await ok(["export", join(dir, "from-stream.zip"), join(dir, "from-stream.arrow"), "--compression", "zstd"]);
    const back = await readArrow(join(dir, "from-stream.arrow"));
    for (const name of names) expect(columnValues(back, name)).toEqual(columnValues(arrowTable(), name));
  });
});
