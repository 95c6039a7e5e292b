// Bit shuffle and unshuffle of one block (Blosc filter flag 0x04, chunk format spec §6.2).
//
// c-blosc 1.x rule: with n = floor(len / ts), a block with len < ts or n % 8 != 0 is stored
// untransformed; otherwise the first n*ts bytes become 8*ts bit-rows of n/8 bytes,
//   bit m of byte i of row 8k+b  ==  bit b of byte k of element 8i+m,
// and the trailing len - n*ts bytes are copied unchanged.
//
// Row 8k+b only depends on byte k of the elements, and rows 8k..8k+7 occupy bytes
// [k*n, (k+1)*n) of the output, exactly where a byte shuffle puts stream k. So the transform
// factors into
//   bitshuffle(ts) = byte shuffle(ts) into tmp, then bitRows on each of the ts streams,
// where bitRows is the typesize-1 bit shuffle of n bytes. The inverse runs bitUnrows on each
// stream into tmp, then a byte unshuffle. Both reuse the fast byte shuffles of shuffle.ts.
//
// bitRows, SIMD, 128 input bytes at a time (16 groups of 8 bytes):
//   1. de-interleave the 8 bytes of each group: vector X_m = byte m of the 16 groups
//      (the typesize-8 byte shuffle network);
//   2. 8x8 bit transpose across the 8 vectors, done for all 16 byte positions at once:
//      Y_b bit m = X_m bit b. Three rounds of "delta swaps" (exchange the off-diagonal
//      blocks of size 4, 2, 1) using 64-bit lane shifts and masks;
//   3. Y_b is 16 consecutive bytes of bit-row b.
// bitUnrows runs the same steps backwards (the bit transpose is its own inverse).
// Rows shorter than 16 bytes (n < 128) use a scalar 8x8 transpose on a u64.

import { lo8, hi8, lo16, hi16, lo32, hi32, lo64, hi64, pairBytes8 } from "./shuffle-simd";
import { shuffle, unshuffle } from "./shuffle";

const ERR_BAD_ARGS: i32 = -1;

export function bitshuffle(typesize: i32, len: i32, src: usize, dst: usize, tmp: usize): i32 {
  if (typesize < 1 || typesize > 255 || len < 0) return ERR_BAD_ARGS;
  const n = len / typesize;
  if (len < typesize || (n & 7) != 0) {
    memory.copy(dst, src, <usize>len);
    return 0;
  }
  const ts = <usize>typesize, un = <usize>n, body = un * ts;
  if (ts == 1) {
    bitRows(src, dst, un);
  } else {
    shuffle(typesize, <i32>body, src, tmp);
    for (let k: usize = 0; k < ts; k++) bitRows(tmp + k * un, dst + k * un, un);
  }
  if (body < <usize>len) memory.copy(dst + body, src + body, <usize>len - body);
  return 0;
}

export function bitunshuffle(typesize: i32, len: i32, src: usize, dst: usize, tmp: usize): i32 {
  if (typesize < 1 || typesize > 255 || len < 0) return ERR_BAD_ARGS;
  const n = len / typesize;
  if (len < typesize || (n & 7) != 0) {
    memory.copy(dst, src, <usize>len);
    return 0;
  }
  const ts = <usize>typesize, un = <usize>n, body = un * ts;
  if (ts == 1) {
    bitUnrows(src, dst, un);
  } else {
    for (let k: usize = 0; k < ts; k++) bitUnrows(src + k * un, tmp + k * un, un);
    unshuffle(typesize, <i32>body, tmp, dst);
  }
  if (body < <usize>len) memory.copy(dst + body, src + body, <usize>len - body);
  return 0;
}

// ---- 8x8 bit transposes ----------------------------------------------------------------------

/**
 * Transposes the 8x8 bit matrix held in a u64 whose byte r is row r and bit c of that byte is
 * column c: bit 8r+c moves to bit 8c+r. Each round swaps the off-diagonal sub-blocks of one
 * size; the elements of a swapped pair are 7, 14 or 28 bit positions apart.
 */
@inline function transpose8(x: u64): u64 {
  let t = (x ^ (x >> 7)) & 0x00aa00aa00aa00aa;
  x = x ^ t ^ (t << 7);
  t = (x ^ (x >> 14)) & 0x0000cccc0000cccc;
  x = x ^ t ^ (t << 14);
  t = (x ^ (x >> 28)) & 0x00000000f0f0f0f0;
  return x ^ t ^ (t << 28);
}

/**
 * The bits of `a` at the positions of `mask << shift`, moved down by shift, XOR the bits of
 * `b` at `mask`: the difference to apply to both sides of a delta swap between vectors.
 * 64-bit lane shifts are used because wasm has no cheap 8-bit shift; the bits that cross
 * into a neighbouring byte are exactly the ones the mask drops.
 */
@inline function delta(a: v128, b: v128, shift: i32, mask: v128): v128 {
  return v128.and(v128.xor(i64x2.shr_u(a, shift), b), mask);
}

// The SIMD bit transpose below works on eight v128 locals x0..x7 in place: for every byte
// position j, bit c of x_r[j] is swapped with bit r of x_c[j]. It is written out in the two
// group functions (AssemblyScript has no multi-value returns to share it as a helper).

/** Bit shuffle of 128 bytes at s into 16 bytes of each of the 8 bit-rows at d + b*m. */
@inline function bitRowsGroup(s: usize, d: usize, m: usize): void {
  // Step 1: de-interleave (same network as shuffle8Group in shuffle.ts).
  const s0 = pairBytes8(v128.load(s)), s1 = pairBytes8(v128.load(s, 16));
  const s2 = pairBytes8(v128.load(s, 32)), s3 = pairBytes8(v128.load(s, 48));
  const s4 = pairBytes8(v128.load(s, 64)), s5 = pairBytes8(v128.load(s, 80));
  const s6 = pairBytes8(v128.load(s, 96)), s7 = pairBytes8(v128.load(s, 112));
  const p0l = lo16(s0, s1), p0h = hi16(s0, s1), p1l = lo16(s2, s3), p1h = hi16(s2, s3);
  const p2l = lo16(s4, s5), p2h = hi16(s4, s5), p3l = lo16(s6, s7), p3h = hi16(s6, s7);
  const q0 = lo32(p0l, p1l), q1 = hi32(p0l, p1l), q2 = lo32(p0h, p1h), q3 = hi32(p0h, p1h);
  const r0 = lo32(p2l, p3l), r1 = hi32(p2l, p3l), r2 = lo32(p2h, p3h), r3 = hi32(p2h, p3h);
  let x0 = lo64(q0, r0), x1 = hi64(q0, r0), x2 = lo64(q1, r1), x3 = hi64(q1, r1);
  let x4 = lo64(q2, r2), x5 = hi64(q2, r2), x6 = lo64(q3, r3), x7 = hi64(q3, r3);

  // Step 2: bit transpose.
  const m4 = i8x16.splat(0x0f), m2 = i8x16.splat(0x33), m1 = i8x16.splat(0x55);
  let t = delta(x0, x4, 4, m4); x4 = v128.xor(x4, t); x0 = v128.xor(x0, i64x2.shl(t, 4));
  t = delta(x1, x5, 4, m4); x5 = v128.xor(x5, t); x1 = v128.xor(x1, i64x2.shl(t, 4));
  t = delta(x2, x6, 4, m4); x6 = v128.xor(x6, t); x2 = v128.xor(x2, i64x2.shl(t, 4));
  t = delta(x3, x7, 4, m4); x7 = v128.xor(x7, t); x3 = v128.xor(x3, i64x2.shl(t, 4));
  t = delta(x0, x2, 2, m2); x2 = v128.xor(x2, t); x0 = v128.xor(x0, i64x2.shl(t, 2));
  t = delta(x1, x3, 2, m2); x3 = v128.xor(x3, t); x1 = v128.xor(x1, i64x2.shl(t, 2));
  t = delta(x4, x6, 2, m2); x6 = v128.xor(x6, t); x4 = v128.xor(x4, i64x2.shl(t, 2));
  t = delta(x5, x7, 2, m2); x7 = v128.xor(x7, t); x5 = v128.xor(x5, i64x2.shl(t, 2));
  t = delta(x0, x1, 1, m1); x1 = v128.xor(x1, t); x0 = v128.xor(x0, i64x2.shl(t, 1));
  t = delta(x2, x3, 1, m1); x3 = v128.xor(x3, t); x2 = v128.xor(x2, i64x2.shl(t, 1));
  t = delta(x4, x5, 1, m1); x5 = v128.xor(x5, t); x4 = v128.xor(x4, i64x2.shl(t, 1));
  t = delta(x6, x7, 1, m1); x7 = v128.xor(x7, t); x6 = v128.xor(x6, i64x2.shl(t, 1));

  // Step 3.
  v128.store(d, x0);
  v128.store(d + m, x1);
  v128.store(d + m * 2, x2);
  v128.store(d + m * 3, x3);
  v128.store(d + m * 4, x4);
  v128.store(d + m * 5, x5);
  v128.store(d + m * 6, x6);
  v128.store(d + m * 7, x7);
}

/** Inverse of bitRowsGroup: 16 bytes of each bit-row at s + b*m into 128 bytes at d. */
@inline function bitUnrowsGroup(s: usize, d: usize, m: usize): void {
  let x0 = v128.load(s), x1 = v128.load(s + m), x2 = v128.load(s + m * 2), x3 = v128.load(s + m * 3);
  let x4 = v128.load(s + m * 4), x5 = v128.load(s + m * 5), x6 = v128.load(s + m * 6), x7 = v128.load(s + m * 7);

  const m4 = i8x16.splat(0x0f), m2 = i8x16.splat(0x33), m1 = i8x16.splat(0x55);
  let t = delta(x0, x4, 4, m4); x4 = v128.xor(x4, t); x0 = v128.xor(x0, i64x2.shl(t, 4));
  t = delta(x1, x5, 4, m4); x5 = v128.xor(x5, t); x1 = v128.xor(x1, i64x2.shl(t, 4));
  t = delta(x2, x6, 4, m4); x6 = v128.xor(x6, t); x2 = v128.xor(x2, i64x2.shl(t, 4));
  t = delta(x3, x7, 4, m4); x7 = v128.xor(x7, t); x3 = v128.xor(x3, i64x2.shl(t, 4));
  t = delta(x0, x2, 2, m2); x2 = v128.xor(x2, t); x0 = v128.xor(x0, i64x2.shl(t, 2));
  t = delta(x1, x3, 2, m2); x3 = v128.xor(x3, t); x1 = v128.xor(x1, i64x2.shl(t, 2));
  t = delta(x4, x6, 2, m2); x6 = v128.xor(x6, t); x4 = v128.xor(x4, i64x2.shl(t, 2));
  t = delta(x5, x7, 2, m2); x7 = v128.xor(x7, t); x5 = v128.xor(x5, i64x2.shl(t, 2));
  t = delta(x0, x1, 1, m1); x1 = v128.xor(x1, t); x0 = v128.xor(x0, i64x2.shl(t, 1));
  t = delta(x2, x3, 1, m1); x3 = v128.xor(x3, t); x2 = v128.xor(x2, i64x2.shl(t, 1));
  t = delta(x4, x5, 1, m1); x5 = v128.xor(x5, t); x4 = v128.xor(x4, i64x2.shl(t, 1));
  t = delta(x6, x7, 1, m1); x7 = v128.xor(x7, t); x6 = v128.xor(x6, i64x2.shl(t, 1));

  // x_m now holds byte m of 16 consecutive 8-byte groups: interleave them back
  // (same network as unshuffle8Group in shuffle.ts).
  const a01l = lo8(x0, x1), a01h = hi8(x0, x1), a23l = lo8(x2, x3), a23h = hi8(x2, x3);
  const a45l = lo8(x4, x5), a45h = hi8(x4, x5), a67l = lo8(x6, x7), a67h = hi8(x6, x7);
  const b0 = lo16(a01l, a23l), b1 = hi16(a01l, a23l), b2 = lo16(a01h, a23h), b3 = hi16(a01h, a23h);
  const c0 = lo16(a45l, a67l), c1 = hi16(a45l, a67l), c2 = lo16(a45h, a67h), c3 = hi16(a45h, a67h);
  v128.store(d, lo32(b0, c0));
  v128.store(d, hi32(b0, c0), 16);
  v128.store(d, lo32(b1, c1), 32);
  v128.store(d, hi32(b1, c1), 48);
  v128.store(d, lo32(b2, c2), 64);
  v128.store(d, hi32(b2, c2), 80);
  v128.store(d, lo32(b3, c3), 96);
  v128.store(d, hi32(b3, c3), 112);
}

// ---- one stream: n bytes (n % 8 == 0) <-> 8 bit-rows of m = n/8 bytes ------------------------

function bitRows(src: usize, dst: usize, n: usize): void {
  const m = n >> 3;
  if (m < 16) {
    for (let i: usize = 0; i < m; i++) {
      const y = transpose8(load<u64>(src + (i << 3)));
      for (let b: usize = 0; b < 8; b++) store<u8>(dst + b * m + i, <u8>(y >> (b << 3)));
    }
    return;
  }
  let i: usize = 0;
  for (; i + 16 <= m; i += 16) bitRowsGroup(src + (i << 3), dst + i, m);
  // Redo the last 16 columns instead of a scalar tail; rewritten bytes get equal values.
  if (i < m) bitRowsGroup(src + ((m - 16) << 3), dst + m - 16, m);
}

function bitUnrows(src: usize, dst: usize, n: usize): void {
  const m = n >> 3;
  if (m < 16) {
    for (let i: usize = 0; i < m; i++) {
      let y: u64 = 0;
      for (let b: usize = 0; b < 8; b++) y |= (<u64>load<u8>(src + b * m + i)) << (b << 3);
      store<u64>(dst + (i << 3), transpose8(y));
    }
    return;
  }
  let i: usize = 0;
  for (; i + 16 <= m; i += 16) bitUnrowsGroup(src + i, dst + (i << 3), m);
  if (i < m) bitUnrowsGroup(src + m - 16, dst + ((m - 16) << 3), m);
}
