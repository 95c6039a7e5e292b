// Small, independent JS pieces the BloscLZ and Snappy kernel tests use to get at real codec
// streams inside Blosc1 fixture chunks (reference §1, §4, §5, §6) and to check the kernels
// against straightforward byte-at-a-time decoders.

import { expect } from "vitest";
import { arena } from "../../src/wasm/arena.js";
import { getKernels } from "../../src/wasm/instance.js";

export interface Stream {
  block: number;
  index: number;
  /** Decoded size of the stream. */
  neblock: number;
  /** csize == neblock: the payload is the raw bytes. */
  raw: boolean;
  payload: Uint8Array;
}

export interface ParsedChunk {
  flags: number;
  typesize: number;
  nbytes: number;
  blocksize: number;
  memcpyed: boolean;
  blocks: { bsize: number; streams: Stream[] }[];
}

/** Splits a version-2 Blosc1 chunk into its codec streams (the §4.2 split rule). */
export function parseChunk(chunk: Uint8Array): ParsedChunk {
  const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk[0] !== 2) throw new Error(`not a Blosc1 chunk (version ${chunk[0]})`);
  const flags = chunk[2]!;
  const typesize = chunk[3]!;
  const nbytes = dv.getUint32(4, true);
  const blocksize = dv.getUint32(8, true);
  const memcpyed = (flags & 0x02) !== 0 || nbytes === 0;
  const blocks: ParsedChunk["blocks"] = [];
  if (!memcpyed) {
    const nblocks = Math.ceil(nbytes / blocksize);
    const leftover = nbytes % blocksize;
    for (let j = 0; j < nblocks; j++) {
      const last = j === nblocks - 1 && leftover > 0;
      const bsize = last ? leftover : blocksize;
      const split = (flags & 0x10) === 0 && typesize <= 16 && Math.floor(bsize / typesize) >= 128 && !last;
      const ns = split ? typesize : 1;
      const neblock = Math.floor(bsize / ns);
      let p = dv.getInt32(16 + 4 * j, true);
      const streams: Stream[] = [];
      for (let k = 0; k < ns; k++) {
        const csize = dv.getInt32(p, true);
        p += 4;
        streams.push({ block: j, index: k, neblock, raw: csize === neblock, payload: chunk.subarray(p, p + csize) });
        p += csize;
      }
      blocks.push({ bsize, streams });
    }
  }
  return { flags, typesize, nbytes, blocksize, memcpyed, blocks };
}

export function unshuffle(src: Uint8Array, ts: number): Uint8Array {
  const n = Math.floor(src.length / ts);
  const out = src.slice();
  for (let i = 0; i < n; i++) for (let k = 0; k < ts; k++) out[i * ts + k] = src[k * n + i]!;
  return out;
}

/** c-blosc 1.x bitunshuffle (§6.2): blocks whose element count is not a multiple of 8 are left as is. */
export function bitunshuffle(src: Uint8Array, ts: number): Uint8Array {
  const n = Math.floor(src.length / ts);
  if (n % 8 !== 0) return src.slice();
  const out = src.slice();
  const rowLen = n / 8;
  out.fill(0, 0, n * ts);
  for (let k = 0; k < ts; k++)
    for (let b = 0; b < 8; b++)
      for (let i = 0; i < rowLen; i++) {
        const byte = src[(8 * k + b) * rowLen + i]!;
        for (let m = 0; m < 8; m++) {
          const at = (8 * i + m) * ts + k;
          out[at] = out[at]! | (((byte >> m) & 1) << b);
        }
      }
  return out;
}

/** Decodes a whole chunk with `decode` for the codec streams; returns the original bytes. */
export function decodeChunk(chunk: Uint8Array, decode: (s: Uint8Array, n: number) => Uint8Array): Uint8Array {
  const c = parseChunk(chunk);
  if (c.memcpyed) return chunk.slice(16, 16 + c.nbytes);
  const out = new Uint8Array(c.nbytes);
  c.blocks.forEach((b, j) => {
    const tmp = new Uint8Array(b.bsize);
    let o = 0;
    for (const s of b.streams) {
      const part = s.raw ? s.payload : decode(s.payload, s.neblock);
      expect(part.length).toBe(s.neblock);
      tmp.set(part, o);
      o += s.neblock;
    }
    let block: Uint8Array = tmp;
    if (c.flags & 0x01 && c.typesize > 1) block = unshuffle(tmp, c.typesize);
    else if (c.flags & 0x04 && b.bsize >= c.typesize) block = bitunshuffle(tmp, c.typesize);
    out.set(block, j * c.blocksize);
  });
  return out;
}

/** Little-endian int32 0, 1, 2, ... truncated to `nbytes` (content of the compat chunks). */
export function int32Ramp(nbytes: number): Uint8Array {
  const words = new Int32Array(Math.ceil(nbytes / 4));
  for (let i = 0; i < words.length; i++) words[i] = i;
  return new Uint8Array(words.buffer, 0, nbytes).slice();
}

/** Deterministic test data: 0 = random, 1 = few symbols, 2 = runs, 3 = shuffled-float-like. */
export function makeData(size: number, kind: number, seed: number): Uint8Array {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const out = new Uint8Array(size);
  if (kind === 0) for (let i = 0; i < size; i++) out[i] = (rnd() * 256) | 0;
  else if (kind === 1) for (let i = 0; i < size; i++) out[i] = (rnd() * 4) | 0;
  else if (kind === 2) {
    for (let i = 0; i < size; ) {
      const len = 1 + ((rnd() * 300) | 0);
      const v = (rnd() * 256) | 0;
      out.fill(v, i, i + len);
      i += len;
    }
  } else {
    // Byte planes of a slowly varying float64 series: long runs, short repeats, noise.
    const n = size >> 3;
    const view = new DataView(new ArrayBuffer(n * 8));
    let x = rnd() * 100;
    for (let i = 0; i < n; i++) {
      x += Math.round((rnd() - 0.5) * 100) / 100;
      view.setFloat64(i * 8, x, true);
    }
    const bytes = new Uint8Array(view.buffer);
    for (let k = 0; k < 8; k++) for (let i = 0; i < n; i++) out[k * n + i] = bytes[i * 8 + k]!;
    for (let i = n * 8; i < size; i++) out[i] = i & 255;
  }
  return out;
}

/**
 * Runs a decoder kernel on `src` placed so that src + srcLen + 32 is the very end of linear
 * memory (a read past the allowed window traps), with canaries around the output window
 * [dst, dst + dstLen + 32). Returns the kernel's result; fails the test on any clobbered canary.
 */
export function runGuarded(kind: "blosclzDecompress" | "snappyDecompress", src: Uint8Array, dstLen: number): number {
  const k = getKernels();
  const a = arena();
  a.reset();
  const guard = 64;
  const region = a.alloc(guard + dstLen + 32 + guard);
  a.alloc(src.length + 4096); // make sure memory extends past the arena for the input
  const dst = region + guard;
  const mem = a.bytes();
  mem.fill(0xa5, region, region + guard);
  mem.fill(0x00, dst, dst + dstLen + 32);
  mem.fill(0x5a, dst + dstLen + 32, dst + dstLen + 32 + guard);
  const end = k.memory.buffer.byteLength;
  const sp = end - 32 - src.length;
  mem.set(src, sp);
  mem.fill(0xee, sp + src.length, end);
  const r = k[kind](sp, src.length, dst, dstLen);
  const after = a.bytes();
  for (let i = 0; i < guard; i++) {
    if (after[region + i] !== 0xa5 || after[dst + dstLen + 32 + i] !== 0x5a) {
      throw new Error(`${kind} wrote outside [dst, dst + dstLen + 32)`);
    }
  }
  return r;
}

/** Fast byte-array equality with a useful message (toEqual is very slow on megabytes). */
export function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) {
      at = i;
      break;
    }
  }
  expect(at, "first differing byte").toBe(-1);
}

// --- BloscLZ: a byte-at-a-time reference decoder (§8.2, lenient end) and a stream writer ----

/** Returns the output and whether the last instruction was a literal run, or null if malformed. */
export function refDecode(
  src: Uint8Array,
  outLen: number,
): { out: Uint8Array; endsWithLiteral: boolean; maxDist: number } | null {
  const out = new Uint8Array(outLen);
  let ip = 0;
  let op = 0;
  let lastLiteral = true;
  let maxDist = 0;
  let ctrl = src[ip++]! & 31;
  for (;;) {
    if (ctrl < 32) {
      const n = ctrl + 1;
      if (ip + n > src.length || op + n > outLen) return null;
      for (let i = 0; i < n; i++) out[op++] = src[ip++]!;
      lastLiteral = true;
    } else {
      let len = (ctrl >> 5) + 2;
      if (len === 9) {
        let b: number;
        do {
          if (ip >= src.length) return null;
          b = src[ip++]!;
          len += b;
        } while (b === 255);
      }
      if (ip >= src.length) return null;
      const lo = src[ip++]!;
      let dist: number;
      if (lo === 255 && (ctrl & 31) === 31) {
        if (ip + 2 > src.length) return null;
        dist = ((src[ip]! << 8) | src[ip + 1]!) + 8192;
        ip += 2;
      } else dist = (ctrl & 31) * 256 + lo + 1;
      if (dist > op || op + len > outLen) return null;
      for (let i = 0; i < len; i++, op++) out[op] = out[op - dist]!;
      maxDist = Math.max(maxDist, dist);
      lastLiteral = false;
    }
    if (ip >= src.length) break;
    ctrl = src[ip++]!;
  }
  return op === outLen ? { out, endsWithLiteral: lastLiteral, maxDist } : null;
}

export type Instr = { lit: number[] } | { len: number; dist: number };

/** Writes instructions in the encoding table of §8.2 (first byte ORed with 0x20). */
export function writeStream(instrs: Instr[]): Uint8Array {
  const b: number[] = [];
  for (const ins of instrs) {
    if ("lit" in ins) {
      b.push(ins.lit.length - 1, ...ins.lit);
      continue;
    }
    const lenB = ins.len - 2;
    const d = ins.dist - 1;
    const far = d >= 8191;
    const f = d - 8191;
    const hi = far ? 31 : d >> 8;
    if (lenB < 7) b.push((lenB << 5) | hi);
    else {
      b.push(0xe0 | hi);
      let r = lenB - 7;
      for (; r >= 255; r -= 255) b.push(255);
      b.push(r);
    }
    if (far) b.push(255, f >> 8, f & 255);
    else b.push(d & 255);
  }
  b[0] = b[0]! | 0x20;
  return Uint8Array.from(b);
}

/** Plays instructions forward to get the bytes they stand for. */
export function expand(instrs: Instr[]): Uint8Array {
  const out: number[] = [];
  for (const ins of instrs) {
    if ("lit" in ins) out.push(...ins.lit);
    else for (let i = 0; i < ins.len; i++) out.push(out[out.length - ins.dist]!);
  }
  return Uint8Array.from(out);
}
