import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BloscError, type Cname, chunkInfo, compress, decompress, ready, type Shuffle } from "../src/index.js";
import { blosc1Manifest, FIXTURES, readFixture } from "./fixtures.js";

const SHUFFLES: Shuffle[] = ["noshuffle", "shuffle", "bitshuffle"];
const chunks = blosc1Manifest();

beforeAll(async () => {
  await ready();
});

describe("decoding every c-blosc fixture chunk", () => {
  it.each(chunks.map((c) => [c.file, c] as const))("%s decodes bit-exactly", (_name, c) => {
    const chunk = readFixture("blosc1", c.file);
    const raw = readFixture("blosc1", c.raw);
    const info = chunkInfo(chunk);
    expect(info.nbytes).toBe(c.nbytes);
    expect(info.blocksize).toBe(c.blocksize);
    expect(info.cbytes).toBe(c.cbytes);
    expect(info.typesize).toBe(c.typesize);
    expect(info.flags).toBe(Number.parseInt(c.flags, 16));
    expect(info.memcpyed).toBe(c.memcpyed);
    const got = decompress(chunk);
    expect(got.length).toBe(raw.length);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(raw))).toBe(0);
    // Decoding into a caller's buffer writes the same bytes there.
    const out = new Uint8Array(raw.length + 7);
    const view = decompress(chunk, out);
    expect(view.buffer).toBe(out.buffer);
    expect(Buffer.compare(Buffer.from(out.subarray(0, raw.length)), Buffer.from(raw))).toBe(0);
  });
});

interface CompatEntry {
  file: string;
  nbytes: number;
  kind: string;
  blosc1_decodable: boolean;
  expected_sha256: string;
  version: number;
}
const compat = (
  JSON.parse(readFileSync(join(FIXTURES, "blosc1", "compat", "MANIFEST.json"), "utf8")) as {
    files: CompatEntry[];
  }
).files;

describe("c-blosc compat files", () => {
  const ramp = new Uint8Array(new Int32Array(Array.from({ length: 1_000_000 }, (_, i) => i)).buffer);
  it.each(
    compat.filter((f) => f.version === 2).map((f) => [f.file, f] as const),
  )("%s decodes to the int32 ramp", (_n, f) => {
    const got = decompress(readFixture("blosc1", "compat", f.file));
    expect(got.length).toBe(f.nbytes);
    expect(createHash("sha256").update(got).digest("hex")).toBe(f.expected_sha256);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(ramp.subarray(0, f.nbytes)))).toBe(0);
  });
  it.each(
    compat.filter((f) => f.version !== 2).map((f) => [f.file] as const),
  )("%s (Blosc2) is rejected clearly", (file) => {
    const bytes = readFixture("blosc1", "compat", file);
    expect(() => decompress(bytes)).toThrow(BloscError);
    expect(() => decompress(bytes)).toThrow(/Blosc2|version/);
  });
});

describe("encoding the fixture inputs like c-blosc 1.21", () => {
  const b121 = chunks.filter((c) => c.writer.includes("1.21") && c.nthreads === 1 && c.cname !== "snappy");
  it.each(b121.map((c) => [c.file, c] as const))("%s: same header layout, round trip", (_n, c) => {
    const raw = readFixture("blosc1", c.raw);
    const chunk = compress(raw, {
      typesize: c.typesize,
      clevel: c.clevel,
      shuffle: SHUFFLES[c.shuffle]!,
      cname: c.cname as Cname,
      blocksize: c.forced_blocksize ?? 0,
    });
    const info = chunkInfo(chunk);
    expect(info.blocksize).toBe(c.blocksize);
    expect(info.nbytes).toBe(c.nbytes);
    expect(info.typesize).toBe(c.typesize);
    // Codec bits, filter bits and the split bit match; MEMCPYED may differ only on
    // incompressible data where our stream sizes decide.
    const expected = Number.parseInt(c.flags, 16);
    expect(info.flags & ~0x02).toBe(expected & ~0x02);
    if (c.clevel === 0 || c.nbytes < 128) expect(info.memcpyed).toBe(true);
    expect(Buffer.compare(Buffer.from(decompress(chunk)), Buffer.from(raw))).toBe(0);
  });
});
