// Helpers for lz4.test.ts: a reference LZ4 block writer and parser in plain JS, Blosc1 chunk
// walking for the c-blosc fixtures, and test data shaped like Blosc streams.
import { expect } from "vitest";
import { BloscError } from "../../src/errors.js";
import { arena } from "../../src/wasm/arena.js";
import { lz4DecompressBytes } from "../../src/wasm/kernels.js";

export interface Seq {
  lit: Uint8Array;
  offset: number;
  len: number; // match length (>= 4); 0 for the final literal-only sequence
}

export function writeLength(out: number[], n: number): void {
  let rest = n - 15;
  while (rest >= 255) {
    out.push(255);
    rest -= 255;
  }
  out.push(rest);
}

/** Serialises sequences; the last one must have len 0. */
export function writeBlock(seqs: Seq[]): Uint8Array {
  const out: number[] = [];
  for (const s of seqs) {
    const l = s.lit.length;
    const m = s.len === 0 ? 0 : s.len - 4;
    out.push(((l >= 15 ? 15 : l) << 4) | (s.len === 0 ? 0 : m >= 15 ? 15 : m));
    if (l >= 15) writeLength(out, l);
    out.push(...s.lit);
    if (s.len === 0) break;
    out.push(s.offset & 255, s.offset >> 8);
    if (m >= 15) writeLength(out, m);
  }
  return Uint8Array.from(out);
}

/** Expected output of sequences, copying matches forward one byte at a time. */
export function expandBlock(seqs: Seq[]): Uint8Array {
  const out: number[] = [];
  for (const s of seqs) {
    out.push(...s.lit);
    for (let i = 0; i < s.len; i++) out.push(out[out.length - s.offset]!);
  }
  return Uint8Array.from(out);
}

export interface ParsedSeq {
  lit: number;
  start: number; // output position of the match
  offset: number;
  len: number; // 0 for the final sequence
}

/** Parses a block produced by our encoders (throws on anything malformed). */
export function parseBlock(z: Uint8Array): ParsedSeq[] {
  const seqs: ParsedSeq[] = [];
  let ip = 0;
  let pos = 0;
  const byte = () => {
    if (ip >= z.length) throw new Error("truncated");
    return z[ip++]!;
  };
  for (;;) {
    const t = byte();
    let lit = t >> 4;
    if (lit === 15) for (let b = 255; b === 255; lit += b) b = byte();
    ip += lit;
    pos += lit;
    if (ip > z.length) throw new Error("literals past the end");
    if (ip === z.length) {
      seqs.push({ lit, start: pos, offset: 0, len: 0 });
      return seqs;
    }
    const offset = byte() | (byte() << 8);
    let len = t & 15;
    if (len === 15) for (let b = 255; b === 255; len += b) b = byte();
    len += 4;
    seqs.push({ lit, start: pos, offset, len });
    pos += len;
  }
}

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (r() * 256) | 0;
  return out;
}

export function shuffleBytes(src: Uint8Array, ts: number): Uint8Array {
  const n = Math.floor(src.length / ts);
  const out = src.slice();
  for (let i = 0; i < n; i++) for (let k = 0; k < ts; k++) out[k * n + i] = src[i * ts + k]!;
  return out;
}

export function unshuffleBytes(src: Uint8Array, ts: number): Uint8Array {
  const n = Math.floor(src.length / ts);
  const out = src.slice();
  for (let i = 0; i < n; i++) for (let k = 0; k < ts; k++) out[i * ts + k] = src[k * n + i]!;
  return out;
}

export type Kind = "random" | "runs" | "period" | "walk" | "ints" | "text";

/** Low- and high-entropy data of the shapes Blosc streams have (byte planes of numbers, ...). */
export function makeData(kind: Kind, n: number, seed: number, period: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(n);
  if (kind === "random") return randomBytes(n, seed);
  if (kind === "runs") {
    let v = 0;
    for (let i = 0; i < n; i++) {
      if (r() < 0.002) v = (r() * 256) | 0;
      out[i] = v;
    }
  } else if (kind === "period") {
    const pat = randomBytes(period, seed + 1);
    for (let i = 0; i < n; i++) out[i] = r() < 0.001 ? (r() * 256) | 0 : pat[i % period]!;
  } else if (kind === "walk" || kind === "ints") {
    // float64 random walk or small int64s, byte-shuffled as Blosc does before LZ4.
    const raw = new Uint8Array(n - (n % 8));
    const view = new DataView(raw.buffer);
    let x = 100;
    for (let i = 0; i < raw.length / 8; i++) {
      x += r() - 0.5;
      if (kind === "walk") view.setFloat64(i * 8, Math.round(x * 1000) / 1000, true);
      else view.setBigInt64(i * 8, BigInt(Math.floor(r() * 1001)), true);
    }
    out.set(shuffleBytes(raw, 8));
  } else {
    const words = ["lz4 ", "block ", "the ", "match ", "offset ", "literal ", "\n"];
    for (let i = 0; i < n; ) for (const c of words[(r() * words.length) | 0]!) if (i < n) out[i++] = c.charCodeAt(0);
  }
  return out;
}

export function expectSame(got: Uint8Array, want: Uint8Array): void {
  expect(got.length).toBe(want.length);
  if (Buffer.compare(Buffer.from(got), Buffer.from(want)) !== 0) {
    let i = 0;
    while (got[i] === want[i]) i++;
    throw new Error(`bytes differ first at ${i} of ${want.length}`);
  }
}

/** Runs the decoder kernel directly and returns its result code. */
export function rawDecode(src: Uint8Array, outLen: number): number {
  const a = arena();
  a.reset();
  const s = a.put(src);
  const d = a.alloc(outLen);
  return a.kernels.lz4Decompress(s, src.length, d, outLen);
}

export function expectCorrupt(src: Uint8Array, outLen: number): void {
  try {
    lz4DecompressBytes(src, outLen);
  } catch (e) {
    expect(e).toBeInstanceOf(BloscError);
    expect((e as BloscError).code).toBe("ERR_CORRUPT_CHUNK");
    return;
  }
  throw new Error("decoding should have failed");
}

export interface Chunk {
  flags: number;
  typesize: number;
  nbytes: number;
  blocksize: number;
  bytes: Uint8Array;
}

/** Decodes every LZ4 stream of a Blosc1 chunk and undoes byte shuffle (not bitshuffle). */
export function decodeLz4Chunk(c: Chunk): Uint8Array {
  const dv = new DataView(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength);
  const out = new Uint8Array(c.nbytes);
  const nblocks = Math.ceil(c.nbytes / c.blocksize);
  for (let j = 0; j < nblocks; j++) {
    const last = j === nblocks - 1 && c.nbytes % c.blocksize !== 0;
    const bsize = last ? c.nbytes % c.blocksize : c.blocksize;
    const split = !(c.flags & 0x10) && c.typesize <= 16 && bsize / c.typesize >= 128 && !last;
    const ns = split ? c.typesize : 1;
    const neblock = Math.floor(bsize / ns);
    const block = new Uint8Array(bsize);
    let p = dv.getInt32(16 + 4 * j, true);
    for (let k = 0; k < ns; k++) {
      const csize = dv.getInt32(p, true);
      p += 4;
      const payload = c.bytes.subarray(p, p + csize);
      block.set(csize === neblock ? payload : lz4DecompressBytes(payload, neblock), k * neblock);
      p += csize;
    }
    out.set(c.flags & 0x01 && c.typesize > 1 ? unshuffleBytes(block, c.typesize) : block, j * c.blocksize);
  }
  return out;
}

export function parseHeader(bytes: Uint8Array): Chunk {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    flags: bytes[2]!,
    typesize: bytes[3]!,
    nbytes: dv.getInt32(4, true),
    blocksize: dv.getInt32(8, true),
    bytes,
  };
}
