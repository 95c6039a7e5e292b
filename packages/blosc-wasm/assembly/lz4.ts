// LZ4 raw block codec (Blosc codec format 1). The decoder lives here; the two encoders are in
// lz4-fast.ts (greedy, LZ4_compress_fast-like) and lz4-hc.ts (hash chains, LZ4HC-like).
//
// Block format: a series of sequences, each
//   token (hi nibble: literal count, lo nibble: match length - 4; 15 means "more bytes follow,
//   each adding 0..255, a 255 meaning continue"), literals, u16 LE offset, extra match bytes.
// The last sequence stops after its literals, exactly at the end of the input.
//
// Memory contract (assembly/README.md): we may read up to 32 bytes past src + srcLen and write
// up to 32 bytes past dst + dstLen, so copies are done in whole 16-byte vectors ("wild copies")
// that overshoot the exact end by at most 15 bytes.

export { lz4Compress } from "./lz4-fast";
export { lz4hcCompress } from "./lz4-hc";

// Negative results, distinct so that a failing test tells which rule was broken.
const ERR_TRUNCATED: i32 = -1; // the input ends inside a sequence
const ERR_OUTPUT_OVERFLOW: i32 = -2; // a literal run or match would go past dstLen
const ERR_BAD_OFFSET: i32 = -3; // offset 0 or reaching before the start of the output
const ERR_BAD_ARGS: i32 = -4;

// For a match with offset o < 16: swizzling the 16 bytes at (op - o) by PATTERN row o
// (bytes i % o) yields the first 16 bytes of the repeating pattern, and swizzling a pattern
// vector by ROTATE row o (bytes (i + 16) % o) yields the next 16 bytes of the same pattern.
const PATTERN: usize = memory.data(16 * 16, 16);
const ROTATE: usize = memory.data(16 * 16, 16);
for (let o = 1; o < 16; o++) {
  for (let i = 0; i < 16; i++) {
    store<u8>(PATTERN + o * 16 + i, <u8>(i % o));
    store<u8>(ROTATE + o * 16 + i, <u8>((i + 16) % o));
  }
}

// Literal runs and non-overlapping matches longer than this go through memory.copy, whose
// per-call overhead is repaid only on long runs (shuffled low byte planes: kilobytes of literals).
const BULK_COPY: usize = 256;

// Copies n bytes from s to d in 16-byte steps, overshooting by up to 15 bytes. Safe for
// overlapping regions only when d - s >= 16 (each load then reads bytes already written).
// @ts-ignore: decorator
@inline function wildCopy(d: usize, s: usize, n: usize): void {
  const e = d + n;
  do {
    v128.store(d, v128.load(s));
    d += 16;
    s += 16;
  } while (d < e);
}

// Reads the 255-terminated extension of a length field starting at ip. Returns the added
// value, or -1 when the input runs out or the total exceeds `limit` (which also rules out
// 32-bit wrap-around on huge inputs). The new input position goes to `extEnd`.
let extEnd: usize = 0;
// @ts-ignore: decorator
@inline function readExtension(ip: usize, iend: usize, limit: usize): isize {
  let total: usize = 0;
  let b: u32;
  do {
    if (ip >= iend) return -1;
    b = load<u8>(ip++);
    total += b;
    if (total > limit) return -1;
  } while (b == 255);
  extEnd = ip;
  return <isize>total;
}

// Copies a match of length n (>= 4) at distance offset (1..15) whose output overlaps its
// source: the first `offset` bytes repeat, so build the pattern once and store it 16 at a time.
// @ts-ignore: decorator
@inline function patternFill(op: usize, offset: usize, n: usize): void {
  if (offset == 1) {
    // Runs of one byte (zero planes of shuffled data) are the longest matches of all.
    const b = load<u8>(op - 1);
    if (n >= BULK_COPY) {
      memory.fill(op, b, n);
      return;
    }
    const v = i8x16.splat(b);
    const e = op + n;
    do {
      v128.store(op, v);
      op += 16;
    } while (op < e);
    return;
  }
  let v = i8x16.swizzle(v128.load(op - offset), v128.load(PATTERN + (offset << 4)));
  const next = v128.load(ROTATE + (offset << 4));
  const e = op + n;
  do {
    v128.store(op, v);
    v = i8x16.swizzle(v, next);
    op += 16;
  } while (op < e);
}

/**
 * Decodes one raw LZ4 block. Returns the number of bytes produced (dstLen for a valid stream
 * of that size) or a negative code; never touches memory outside the contract's windows.
 */
export function lz4Decompress(src: usize, srcLen: i32, dst: usize, dstLen: i32): i32 {
  if (srcLen <= 0 || dstLen < 0) return srcLen == 0 ? ERR_TRUNCATED : ERR_BAD_ARGS;
  let ip = src;
  const iend = src + <usize>srcLen;
  let op = dst;
  const oend = dst + <usize>dstLen;
  const maxLen = <usize>dstLen;

  while (true) {
    // Every sequence starts with a token inside the input (a match is always followed by
    // at least the final literal-only sequence).
    if (ip >= iend) return ERR_TRUNCATED;
    const token = <u32>load<u8>(ip++);

    // Fast path for the most common sequence: fewer than 15 literals, a match of at most 18
    // bytes at offset >= 16, and both ends far enough that whole-vector copies need no
    // further checks (14 literals + offset fit in 18 input bytes, 14 + 18 output bytes in
    // 32). Smaller offsets take the general path: measured, a second fast case for them costs
    // more in mispredicted branches than it saves.
    if (token < 0xf0 && (token & 15) != 15 && iend - ip >= 18 && oend - op >= 32) {
      const lit = <usize>(token >> 4);
      const offset = <usize>load<u16>(ip + lit);
      if (offset >= 16) {
        v128.store(op, v128.load(ip));
        ip += lit + 2;
        op += lit;
        if (offset > op - dst) return ERR_BAD_OFFSET;
        const m = op - offset;
        v128.store(op, v128.load(m));
        v128.store(op, v128.load(m, 16), 16);
        op += <usize>(token & 15) + 4;
        continue;
      }
    }

    // Literals.
    let lit = <usize>(token >> 4);
    if (lit == 15) {
      const ext = readExtension(ip, iend, maxLen);
      if (ext < 0) return ERR_TRUNCATED;
      lit += <usize>ext;
      ip = extEnd;
    }
    if (lit > iend - ip) return ERR_TRUNCATED;
    if (lit > oend - op) return ERR_OUTPUT_OVERFLOW;
    if (lit <= 16) {
      // The common short run: one unconditional vector copy.
      v128.store(op, v128.load(ip));
    } else if (lit < BULK_COPY) {
      wildCopy(op, ip, lit);
    } else {
      memory.copy(op, ip, lit);
    }
    ip += lit;
    op += lit;
    if (ip == iend) break; // the last sequence has no match part

    // Match.
    if (iend - ip < 2) return ERR_TRUNCATED;
    const offset = <usize>load<u16>(ip);
    ip += 2;
    if (offset == 0 || offset > op - dst) return ERR_BAD_OFFSET;
    let len = <usize>(token & 15);
    if (len == 15) {
      const ext = readExtension(ip, iend, maxLen);
      if (ext < 0) return ERR_TRUNCATED;
      len += <usize>ext;
      ip = extEnd;
    }
    len += 4;
    if (len > oend - op) return ERR_OUTPUT_OVERFLOW;

    if (offset >= 16) {
      if (len <= 16) {
        v128.store(op, v128.load(op - offset));
      } else if (len >= BULK_COPY && offset >= len) {
        memory.copy(op, op - offset, len); // source and destination do not overlap
      } else {
        wildCopy(op, op - offset, len);
      }
    } else {
      patternFill(op, offset, len);
    }
    op += len;
  }
  return <i32>(op - dst);
}
