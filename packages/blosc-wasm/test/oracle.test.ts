import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type Cname, chunkInfo, compress, decompress, ready, type Shuffle } from "../src/index.js";
import { inputArb, makeData } from "./data.js";
import { haveOracle, type OracleCase, runOracle } from "./oracle/oracle.js";

const SHUFFLES: Shuffle[] = ["noshuffle", "shuffle", "bitshuffle"];
const CNAMES: Cname[] = ["blosclz", "lz4", "lz4hc", "zlib", "zstd"];
const available = haveOracle();

if (!available) {
  const msg = "c-blosc oracle (python3-blosc) NOT AVAILABLE: differential tests SKIPPED";
  console.warn(`\n!!! ${msg}\n!!! apt-get install -y python3-blosc python3-numpy\n`);
  if (process.env.CI === "true") throw new Error(`${msg} (CI requires them)`);
}

beforeAll(async () => {
  await ready();
});

describe.skipIf(!available)("differential tests against real c-blosc 1.21", () => {
  it("c-blosc decodes our chunks, and we decode c-blosc's, over random parameters", () => {
    const params = fc.record({
      input: inputArb,
      clevel: fc.integer({ min: 0, max: 9 }),
      shuffle: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
      cname: fc.constantFrom(...CNAMES),
    });
    const samples = fc.sample(params, { numRuns: 400, seed: 20261124 });
    const cases: OracleCase[] = samples.map((p) => {
      const input = makeData(p.input.kind, p.input.nbytes, p.input.typesize, p.input.seed);
      const options = { typesize: p.input.typesize, clevel: p.clevel, shuffle: SHUFFLES[p.shuffle]!, cname: p.cname };
      return { input, ours: compress(input, options), ...options, shuffle: p.shuffle };
    });
    const results = runOracle(cases);
    const failures: string[] = [];
    results.forEach((r, i) => {
      const c = cases[i]!;
      const label = `${c.cname} clevel ${c.clevel} shuffle ${c.shuffle} typesize ${c.typesize} nbytes ${c.input.length}`;
      if (!r.nativeDecodesOurs) failures.push(`c-blosc cannot decode ours (${label}): ${r.error ?? "different bytes"}`);
      const ours = decompress(r.native);
      if (Buffer.compare(Buffer.from(ours), Buffer.from(c.input)) !== 0)
        failures.push(`we mis-decode c-blosc's (${label})`);
      // Same layout decisions as c-blosc: block size and split bit.
      const a = chunkInfo(c.ours);
      const b = chunkInfo(r.native);
      if (a.blocksize !== b.blocksize || a.split !== b.split) {
        failures.push(`layout differs (${label}): blocksize ${a.blocksize}/${b.blocksize} split ${a.split}/${b.split}`);
      }
    });
    expect(failures).toEqual([]);
  });

  it("compression ratio is within 5% of c-blosc's on the benchmark data", () => {
    const datasets = [
      ["arange", 8],
      ["walk", 8],
      ["randint", 8],
      ["uniform", 8],
    ] as const;
    const cases: OracleCase[] = [];
    for (const [kind, typesize] of datasets) {
      for (const cname of CNAMES) {
        for (const clevel of [1, 5, 9]) {
          const input = makeData(kind, 256 * 1024, typesize, 7);
          const ours = compress(input, { typesize, clevel, shuffle: "shuffle", cname });
          cases.push({ input, ours, typesize, clevel, shuffle: 1, cname });
        }
      }
    }
    const results = runOracle(cases);
    const worse: string[] = [];
    const lines: string[] = [];
    results.forEach((r, i) => {
      const c = cases[i]!;
      const rel = c.ours.length / r.native.length;
      lines.push(
        `${c.cname.padEnd(8)} cl${c.clevel} ${String(c.input.length)} ours ${c.ours.length} native ${r.native.length} (${rel.toFixed(3)})`,
      );
      if (rel > 1.05) worse.push(lines[lines.length - 1]!);
    });
    console.log(lines.join("\n"));
    expect(worse).toEqual([]);
  });
});
