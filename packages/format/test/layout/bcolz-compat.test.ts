import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ready } from "@colz/blosc-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDtype } from "../../src/dtype/dtype.js";
import { encodeFixedBytes, encodeUcs4 } from "../../src/dtype/strings.js";
import { CArrayAppender } from "../../src/layout/carray-appender.js";
import { CArrayWriter } from "../../src/layout/carray-writer.js";
import { createCTable } from "../../src/layout/ctable-layout.js";
import { createNullableCArray } from "../../src/layout/extensions/validity.js";
import { createVarlenCArray, VarlenAppender } from "../../src/layout/extensions/varlen.js";
import { DirectoryStore } from "../../src/store/directory-store.js";
import { python, pythonReadCArray, tempDir } from "./helpers.js";

const dirs: string[] = [];
beforeAll(async () => {
  await ready();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function withDir(fn: (store: DirectoryStore, dir: string) => Promise<void>): Promise<string> {
  const dir = tempDir("colz-bcolz-compat-");
  dirs.push(dir);
  const store = await DirectoryStore.open(dir, { mode: "a" });
  try {
    await fn(store, dir);
  } finally {
    await store.close();
  }
  return dir;
}

function values(dt: string, n: number): Uint8Array {
  const d = parseDtype(dt);
  if (d.kind === "S")
    return encodeFixedBytes(
      Array.from({ length: n }, (_, i) => `s${i % 997}`.slice(0, d.itemsize)),
      d.itemsize,
    );
  if (d.kind === "U")
    return encodeUcs4(
      Array.from({ length: n }, (_, i) => `é${i % 101}`),
      d.itemsize,
      d.byteOrder === ">" ? ">" : "<",
    );
  const out = new Uint8Array(n * d.itemsize);
  for (let i = 0; i < out.length; i++) out[i] = d.kind === "b" ? (i % 3 === 0 ? 1 : 0) : (i * 7 + (i >> 9)) & 0xff;
  return out;
}

// Python's json re-dumps each meta file byte-identically: what we write is what bcolz would write.
const PY_META = `
import sys, json, os
root = sys.argv[1]
for rel in ["meta/sizes", "meta/storage", "__attrs__"]:
    raw = open(os.path.join(root, rel), "rb").read()
    assert raw == (json.dumps(json.loads(raw), ensure_ascii=True) + "\\n").encode("ascii"), (rel, raw)
st = json.loads(open(os.path.join(root, "meta/storage")).read())
assert list(st) == ["dtype", "cparams", "chunklen", "expectedlen", "dflt"], list(st)
assert list(st["cparams"]) == ["clevel", "shuffle", "cname", "quantize"]
assert list(json.loads(open(os.path.join(root, "meta/sizes")).read())) == ["shape", "nbytes", "cbytes"]
print("ok")
`;

function pyMetaOk(dir: string): void {
  expect(python(`import sys\nsys.argv = ["x", ${JSON.stringify(dir)}]\n${PY_META}`).trim()).toBe("ok");
}

describe("what colz writes, the independent Python bcolz reader reads", () => {
  const cases: [string, number[], string, number, number][] = [
    // dtype, atom, cname, shuffle, length
    ["int32", [], "lz4", 1, 10007],
    ["int64", [], "blosclz", 1, 5000],
    ["float64", [], "zlib", 0, 3001],
    ["float32", [4], "lz4", 2, 2500],
    ["bool", [], "lz4hc", 1, 12345],
    ["|S7", [], "lz4", 1, 4001],
    ["<U5", [], "blosclz", 1, 2001],
    ["datetime64[D]", [], "zlib", 1, 3653],
    ["uint16", [], "zstd", 2, 7000],
    [">i4", [], "lz4", 1, 999],
    ["int8", [], "lz4", 0, 0],
  ];
  for (const [dt, atom, cname, shuffle, length] of cases) {
    it(`${dt}${atom.length ? JSON.stringify(atom) : ""} ${cname} sh${shuffle}, ${length} rows`, async () => {
      const d = parseDtype(dt);
      const rowsize = d.itemsize * atom.reduce((a, b) => a * b, 1);
      const data = values(dt, (length * rowsize) / d.itemsize);
      const dir = await withDir(async (store) => {
        await CArrayWriter.create(store, "", {
          dtype: dt,
          atomShape: atom,
          chunklen: 1000,
          expectedlen: length,
          cparams: { cname: cname as "lz4", shuffle: shuffle as 1 },
          attrs: { note: "written by colz", é: [1.5, null] },
        });
        const a = await CArrayAppender.open(await CArrayWriter.open(store, ""));
        // two appends with a flush between: rewrites the leftover chunk once
        await a.append(data.subarray(0, Math.floor(length / 2) * rowsize));
        await a.flush();
        await a.append(data.subarray(Math.floor(length / 2) * rowsize));
        await a.flush();
      });
      expect(Buffer.from(pythonReadCArray(dir)).equals(Buffer.from(data))).toBe(true);
      pyMetaOk(dir);
      // extension files sit where bcolz never looks
      const extra = readdirSync(join(dir, "data")).filter((f) => !f.endsWith(".blp"));
      expect(extra.every((f) => f.endsWith(".colz") || f === "colz-keep")).toBe(true);
      expect(readFileSync(join(dir, "meta/colz"), "utf8")).toContain('"format": "colz"');
    });
  }

  it("a ctable: every column readable, __rootdirs__ and attrs as bcolz writes them", async () => {
    const n = 4321;
    const cols = {
      id: values("int64", n),
      price: values("float64", n),
      sym: values("|S4", n),
      flag: values("bool", n),
    };
    const dir = await withDir(async (store) => {
      const writers = await createCTable(
        store,
        "",
        [
          { name: "id", dtype: "int64", chunklen: 2000 },
          { name: "price", dtype: "float64", chunklen: 2000 },
          { name: "sym", dtype: "|S4", chunklen: 2000 },
          { name: "flag", dtype: "bool", chunklen: 2000 },
        ],
        { note: "ctable vector" },
      );
      for (const [k, w] of writers.entries()) {
        const a = await CArrayAppender.open(w);
        await a.append(Object.values(cols)[k]!);
        await a.flush();
      }
    });
    expect(readFileSync(join(dir, "__rootdirs__"), "utf8")).toBe('{"names": ["id", "price", "sym", "flag"]}\n');
    expect(readFileSync(join(dir, "__attrs__"), "utf8")).toBe('{"note": "ctable vector"}\n');
    for (const [name, data] of Object.entries(cols)) {
      expect(Buffer.from(pythonReadCArray(join(dir, name))).equals(Buffer.from(data))).toBe(true);
      pyMetaOk(join(dir, name));
    }
  });

  it("nullable and utf8 columns: bcolz sees plain carrays (values + fill; int64 end offsets)", async () => {
    const dir = await withDir(async (store) => {
      const { values: v, validity } = await createNullableCArray(store, "n/", { dtype: "int32", chunklen: 3 });
      const a = await CArrayAppender.open(v, validity);
      await a.append(new Uint8Array(new Int32Array([5, 0, 7, 8]).buffer), new Uint8Array([1, 0, 1, 1]));
      await a.flush();
      await createVarlenCArray(store, "s/", { logicalType: "utf8", chunklen: 2, valuesChunklen: 4 });
      const s = await VarlenAppender.open(store, "s/");
      await s.append(["ab", "", "ĉde", "f"]);
      await s.flush();
    });
    expect([...new Int32Array(pythonReadCArray(join(dir, "n")).slice().buffer)]).toEqual([5, 0, 7, 8]);
    expect([...pythonReadCArray(join(dir, "n/colz/validity"))]).toEqual([1, 0, 1, 1]);
    expect([...new BigInt64Array(pythonReadCArray(join(dir, "s")).slice().buffer)]).toEqual([2n, 2n, 6n, 7n]);
    expect(Buffer.from(pythonReadCArray(join(dir, "s/colz/values"))).toString("utf8")).toBe("abĉdef");
  });
});
